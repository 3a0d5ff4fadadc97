// The app's one database per process. Remix rebuilds in dev re-import modules, so the instance lives on
// globalThis (indie-stack's singleton pattern): one PGlite per data folder, never two (stack trap 2, decision 017).
import { embeddedDataDir, openPglite, openPostgres, type Database, type Db } from "../../db/client";
import { env } from "./env.server";

type State = { ready: Promise<Database> };
const KEY = Symbol.for("tingyuan.database");
const g = globalThis as unknown as { [KEY]?: State };

async function start(): Promise<Database> {
  const { DATABASE_URL, DATA_DIR, SEED_DEMO } = env();
  let database: Database;
  if (DATABASE_URL) {
    database = openPostgres(DATABASE_URL);
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

function registerShutdown(database: Database) {
  // remix-serve closes its HTTP server on these signals; we close the database and leave
  // (an open PGlite or postgres.js pool would keep the process alive — stack trap 3, decision 017).
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      database.close().finally(() => process.exit(0));
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

export async function db(): Promise<Db> {
  return (await startDatabase()).db;
}

/** Tests inject their own database (a fresh PGlite or a PostgreSQL database copied from a template). */
export function useDatabaseForTests(database: Database) {
  g[KEY] = { ready: Promise.resolve(database) };
}
