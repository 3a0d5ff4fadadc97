// One way to reach the database: PGlite (embedded, the default) or PostgreSQL through postgres.js.
// Both give the same drizzle API over the same schema and the same migrations.
import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type { SQL } from "drizzle-orm";
// postgres.js 3.4.9, patched at install (patches/postgres+3.4.9.patch, decision 019) so a closed connection
// fails its queries instead of ending the process
import postgres from "postgres";
import * as schema from "./schema";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction handle has the same query API as the database. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type DbOrTx = Db | Tx;

export interface Database {
  db: Db;
  kind: "pglite" | "postgres";
  migrate(): Promise<void>;
  close(): Promise<void>;
}

export const MIGRATIONS_FOLDER = path.resolve(process.cwd(), "drizzle");

export type PgliteOptions = { dataDir?: string; loadDataDir?: Blob };

/** The embedded database's folder: `$DATA_DIR/pglite` (DATA_DIR defaults to ./data), for the app and every script. */
export function embeddedDataDir(dataDir = process.env.DATA_DIR || path.resolve(process.cwd(), "data")) {
  return path.join(dataDir, "pglite");
}

/** The database a command-line script works on: DATABASE_URL if set, else the embedded one. */
export async function openConfigured(): Promise<{ database: Database; where: string }> {
  const url = process.env.DATABASE_URL;
  if (url) return { database: openPostgres(url), where: "PostgreSQL (DATABASE_URL)" };
  const dataDir = embeddedDataDir();
  return { database: await openPglite({ dataDir }), where: `PGlite in ${dataDir}` };
}

/** Embedded PostgreSQL. `dataDir` undefined means in memory (tests). */
export async function openPglite(opts: PgliteOptions = {}): Promise<Database> {
  if (opts.dataDir) {
    // PGlite creates only the last folder of the path (stack trap 1, decision 017)
    fs.mkdirSync(path.dirname(path.resolve(opts.dataDir)), { recursive: true });
  }
  const client = await PGlite.create({ dataDir: opts.dataDir, loadDataDir: opts.loadDataDir });
  const db = drizzlePglite({ client, schema }) as unknown as Db;
  return {
    db,
    kind: "pglite",
    migrate: () => migratePglite(db as never, { migrationsFolder: MIGRATIONS_FOLDER }),
    close: async () => {
      if (!client.closed) await client.close();
    },
  };
}

/**
 * `onConnectionLost` hears of every pooled connection that closed (a terminated backend, a restarted or
 * unreachable server); postgres.js reconnects by itself on the next query, so this is news, not a fault.
 */
export function openPostgres(url: string, opts: { max?: number; onConnectionLost?: () => void } = {}): Database {
  // JIT off for every session: the app's queries are short, and the planner's estimates for the per-household
  // subqueries of domain rule 8 made it compile for longer than the queries run (docs/decisions/035-visit-state.md)
  const client = postgres(url, {
    max: opts.max ?? 10,
    connection: { jit: "off" },
    onnotice: () => {},
    onclose: () => opts.onConnectionLost?.(),
  });
  const db = drizzlePostgres({ client, schema }) as unknown as Db;
  return {
    db,
    kind: "postgres",
    migrate: () => migratePostgres(db as never, { migrationsFolder: MIGRATIONS_FOLDER }),
    close: () => client.end({ timeout: 5 }),
  };
}

/** `db.execute` returns `{ rows }` on PGlite and an array on postgres.js (stack trap 5, decision 017). */
export async function queryRows<T = Record<string, unknown>>(db: DbOrTx, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows: T[] }).rows ?? []) as T[];
}

export { schema };

type CursorClient = {
  unsafe(query: string, params: unknown[]): { values(): { cursor(rows: number): AsyncIterable<unknown[][]> } };
};

/** The postgres.js client under a drizzle database, or null on PGlite (which has no cursors). */
function cursorClientOf(db: DbOrTx): CursorClient | null {
  const client = (db as unknown as { $client?: Partial<CursorClient> & { query?: unknown } }).$client;
  return client && typeof client.unsafe === "function" && !("query" in client) ? (client as CursorClient) : null;
}

/** Whether `readInBatches` can hold a server-side cursor on this database. */
export function hasCursors(db: DbOrTx): boolean {
  return cursorClientOf(db) !== null;
}

/**
 * A drizzle select read through a PostgreSQL cursor, `size` rows at a time, each row keyed as the select
 * names its fields. Only one batch is ever held; ending the loop early (break, return, a thrown error)
 * closes the cursor, so the server stops the query. PostgreSQL only (see `hasCursors`). The fields must be
 * plain values (text, numbers, enums, sql<…> expressions): drizzle's own column decoders are not applied.
 */
export async function* readInBatches<Row extends Record<string, unknown>>(
  db: DbOrTx,
  query: { toSQL(): { sql: string; params: unknown[] } },
  /** the object the select was given: its keys, in order, name the columns */
  fields: Record<string, unknown>,
  size: number,
): AsyncGenerator<Row[]> {
  const client = cursorClientOf(db);
  if (!client) throw new Error("readInBatches needs PostgreSQL (postgres.js); PGlite has no cursors");
  const keys = Object.keys(fields);
  const { sql: text, params } = query.toSQL();
  for await (const batch of client.unsafe(text, params).values().cursor(size)) {
    yield batch.map((values) => {
      const row: Record<string, unknown> = {};
      for (let i = 0; i < keys.length; i++) row[keys[i]] = values[i];
      return row as Row;
    });
  }
}
