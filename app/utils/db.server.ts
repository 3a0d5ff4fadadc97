// The app's one database per process. Remix rebuilds in dev re-import modules, so the instance lives on
// globalThis (indie-stack's singleton pattern): one PGlite per data folder, never two (stack trap 2, decision 017).
import { embeddedDataDir, openPglite, openPostgres, type Database, type Db } from "../../db/client";
import { sql } from "drizzle-orm";
import { env } from "./env.server";

type State = { ready: Promise<Database>; suspect?: boolean };
const KEY = Symbol.for("tingyuan.database");
const g = globalThis as unknown as { [KEY]?: State };

async function start(): Promise<Database> {
  const { DATABASE_URL, DATA_DIR, SEED_DEMO } = env();
  let database: Database;
  if (DATABASE_URL) {
    // a lost connection makes the next request ask the server first (see db() below)
    database = openPostgres(DATABASE_URL, { onConnectionLost: () => g[KEY] && (g[KEY].suspect = true) });
    await database.migrate();
    if (SEED_DEMO === true) await seedDemoIfEmpty(database.db);
  } else {
    database = await openPglite({ dataDir: embeddedDataDir(DATA_DIR) });
    await database.migrate();
    // The embedded default is a demo installation: first start fills it.
    if (SEED_DEMO !== false) await seedDemoIfEmpty(database.db);
  }
  registerShutdown(database);
  return database;
}

async function seedDemoIfEmpty(db: Db) {
  const { seedDemoIfEmpty: run } = await import("../../db/seed-demo");
  await run(db);
}

/** Set by server.js: a promise of the moment the last request in flight has its answer. */
const HTTP_DRAINED = Symbol.for("tingyuan.httpDrained");

function registerShutdown(database: Database) {
  // The HTTP server stops taking requests on these signals; we close the database and leave (an open
  // PGlite or postgres.js pool would keep the process alive — stack trap 3, decision 017). Under
  // server.js the requests in flight finish first; remix-serve (development) does not wait.
  const drained = () => (globalThis as { [HTTP_DRAINED]?: () => Promise<void> })[HTTP_DRAINED]?.() ?? Promise.resolve();
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      void drained()
        .then(() => database.close())
        .finally(() => process.exit(0));
    });
  }
}

/** Start (migrate, seed) once; later calls share the same promise. */
export function startDatabase(): Promise<Database> {
  if (!g[KEY]) {
    const ready = start();
    g[KEY] = { ready };
    // a failed start must not be cached forever: the next request tries again
    ready.catch(() => {
      if (g[KEY]?.ready === ready) delete g[KEY];
    });
  }
  return g[KEY]!.ready;
}

const PROBE_TIMEOUT_MS = 2000;

/** What a page answers while the database cannot be reached: 503, for the error boundary to say so. */
export function databaseUnavailable(): Response {
  return new Response("Database unavailable", {
    status: 503,
    headers: { "Retry-After": "5", "Cache-Control": "no-store" },
  });
}

/**
 * The database, or a thrown 503 response while it cannot be reached. After a connection was lost, each
 * request first asks the server (`select 1`, at most 2 s) until it answers again: the request that met
 * the cut fails, those after it get a clear "try again later" instead of a 500 each, and the first one
 * after the server is back clears the doubt. No restart needed: postgres.js opens new connections itself.
 */
export async function db(): Promise<Db> {
  let database: Database;
  try {
    database = await startDatabase();
  } catch (error) {
    console.error("[db] cannot start the database", error);
    throw databaseUnavailable();
  }
  const state = g[KEY];
  if (state?.suspect) {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        database.db.execute(sql`select 1`),
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error("probe timed out")), PROBE_TIMEOUT_MS))),
      ]);
      state.suspect = false;
    } catch (error) {
      console.error("[db] database unreachable", (error as Error).cause ?? error);
      throw databaseUnavailable();
    } finally {
      clearTimeout(timer);
    }
  }
  return database.db;
}

/** Tests inject their own database (a fresh PGlite or a PostgreSQL database copied from a template). */
export function useDatabaseForTests(database: Database) {
  g[KEY] = { ready: Promise.resolve(database) };
}
