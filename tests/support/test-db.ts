import crypto from "node:crypto";
import fs from "node:fs";
import type { PGlite } from "@electric-sql/pglite";
import postgres from "postgres";
import { inject, test } from "vitest";
import { openPglite, openPostgres, type Database } from "../../db/client";
import { withDatabase } from "./pg-url";

/**
 * One database per worker, emptied between test files (the integration projects run without isolation,
 * see vitest.config.ts): every row of every app table deleted, the rows the migrations seed put back,
 * every sequence set where the migrations left it. A file that changed the schema itself (a trigger, a
 * table, a renamed table left behind) gets a new copy instead, found by a fingerprint of the catalogue.
 * Either way each file starts from what a freshly migrated database holds.
 */
type Baseline = { fingerprint: string; rows: { table: string; json: string }[]; sequences: SequenceState[] };
type SequenceState = { name: string; value: string; called: boolean };
type WorkerDb =
  | { kind: "pglite"; client: PGlite; database: Database; baseline: Baseline }
  | { kind: "postgres"; url: string; name: string; baseline: Baseline };

const WORKER_DB = Symbol.for("tingyuan.test.workerDatabase");
const g = globalThis as unknown as { [WORKER_DB]?: Promise<WorkerDb> };

/** The catalogue as tests can change it: relations, columns, constraints, indexes, triggers, functions, types. */
const FINGERPRINT = `
  select md5(coalesce(string_agg(x, E'\\n' order by x), '')) as fp from (
    select 'r ' || n.nspname || '.' || c.relname || ' ' || c.relkind::text || ' ' || c.relrowsecurity::text as x
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_%'
    union all
    select 'c ' || table_schema || '.' || table_name || '.' || column_name || ' ' || data_type || ' '
        || coalesce(column_default, '') || ' ' || is_nullable
      from information_schema.columns where table_schema not in ('pg_catalog', 'information_schema')
    union all
    select 'k ' || conrelid::regclass::text || '.' || conname || ' ' || pg_get_constraintdef(oid)
      from pg_constraint where connamespace not in ('pg_catalog'::regnamespace, 'information_schema'::regnamespace)
    union all
    select 'i ' || schemaname || '.' || indexname || ' ' || indexdef
      from pg_indexes where schemaname not in ('pg_catalog', 'information_schema')
    union all
    select 't ' || tgrelid::regclass::text || '.' || tgname || ' ' || tgenabled::text from pg_trigger where not tgisinternal
    union all
    select 'f ' || p.oid::regprocedure::text || ' ' || md5(p.prosrc)
      from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname not in ('pg_catalog', 'information_schema')
    union all
    select 'e ' || enumtypid::regtype::text || ' ' || enumlabel || ' ' || enumsortorder::text from pg_enum
    union all
    select 'p ' || schemaname || '.' || tablename || '.' || policyname from pg_policies
  ) s`;

const TABLES = `select table_name as name from information_schema.tables
  where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`;
const SEQUENCES = `select quote_ident(schemaname) || '.' || quote_ident(sequencename) as name,
  coalesce(last_value, start_value)::text as value, last_value is not null as called
  from pg_sequences where schemaname = 'public'`;

type Run = <T>(query: string, params?: unknown[]) => Promise<T[]>;
const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

async function readBaseline(run: Run): Promise<Baseline> {
  const [{ fp }] = await run<{ fp: string }>(FINGERPRINT);
  const rows: Baseline["rows"] = [];
  for (const { name } of await run<{ name: string }>(TABLES)) {
    const [{ json, n }] = await run<{ json: string; n: number }>(
      `select coalesce(json_agg(t), '[]')::text as json, count(*)::int as n from ${ident(name)} t`,
    );
    if (n > 0) rows.push({ table: name, json });
  }
  return { fingerprint: fp, rows, sequences: await run<SequenceState>(SEQUENCES) };
}

/** Back to the baseline; false when the schema no longer is the baseline's (then only a new copy will do). */
async function resetTo(run: Run, baseline: Baseline): Promise<boolean> {
  const [{ fp }] = await run<{ fp: string }>(FINGERPRINT);
  if (fp !== baseline.fingerprint) return false;
  // DELETE with foreign keys and triggers off (replica role), not TRUNCATE: on PostgreSQL a TRUNCATE of
  // every table takes 0.2-0.4 s (new files for each, flushed to disk), these DELETEs ~50 ms
  await run(`set session_replication_role = replica`);
  for (const { name } of await run<{ name: string }>(TABLES)) await run(`delete from ${ident(name)}`);
  await run(`set session_replication_role = default`);
  for (const { table, json } of baseline.rows) {
    await run(
      `insert into ${ident(table)} select * from json_populate_recordset(null::${ident(table)}, $1::text::json)`,
      [json],
    );
  }
  for (const s of baseline.sequences)
    await run(`select setval($1::regclass, $2::bigint, $3)`, [s.name, s.value, s.called]);
  return true;
}

// ---------- PGlite ----------

const pgliteRun =
  (client: PGlite): Run =>
  async <T>(query: string, params?: unknown[]) =>
    (await client.query<T>(query, params)).rows;

async function loadPglite(): Promise<{ client: PGlite; database: Database }> {
  const dump = fs.readFileSync(inject("pgliteDump"));
  const database = await openPglite({ loadDataDir: new Blob([new Uint8Array(dump)]) });
  const client = (database.db as unknown as { $client: PGlite }).$client;
  // one instance for every file of the worker: a file may not close it
  return { client, database: { ...database, close: async () => {} } };
}

async function pgliteForFile(current: WorkerDb | undefined): Promise<WorkerDb> {
  if (current?.kind === "pglite" && !current.client.closed) {
    const run = pgliteRun(current.client);
    // a file may end inside a transaction or with session settings of its own
    await current.client.exec("rollback").catch(() => {});
    await current.client.exec("discard all");
    if (await resetTo(run, current.baseline)) return current;
    await current.client.close();
  }
  const { client, database } = await loadPglite();
  const baseline = current?.baseline ?? (await readBaseline(pgliteRun(client)));
  return { kind: "pglite", client, database, baseline };
}

// ---------- PostgreSQL ----------

async function pgAdmin<T>(url: string, work: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return await work(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

const pgRun =
  (sql: postgres.Sql): Run =>
  async <T>(query: string, params?: unknown[]) =>
    (await sql.unsafe(query, params as never[])) as unknown as T[];

async function postgresForFile(current: WorkerDb | undefined): Promise<WorkerDb> {
  const pg = inject("pgTemplate")!;
  if (current?.kind === "postgres") {
    const reset = await pgAdmin(current.url, async (sql) => {
      // connections a file left open (a pool it made, a server it started) hold locks and session state
      await sql`select pg_terminate_backend(pid) from pg_stat_activity
                where datname = current_database() and pid <> pg_backend_pid()`;
      return resetTo(pgRun(sql), current.baseline);
    });
    if (reset) return current;
    await pgAdmin(pg.url, (sql) => sql.unsafe(`drop database if exists "${current.name}" with (force)`));
  }
  const name = `${pg.prefix}_${crypto.randomBytes(4).toString("hex")}`;
  await pgAdmin(pg.url, (sql) => sql.unsafe(`create database "${name}" template "${pg.template}"`));
  const url = withDatabase(pg.url, name);
  const baseline = current?.baseline ?? (await pgAdmin(url, (sql) => readBaseline(pgRun(sql))));
  return { kind: "postgres", url, name, baseline };
}

/**
 * This file's database, as a fresh migrated one holds it. PGlite: the worker's one instance. PostgreSQL:
 * the worker's database through a pool of this file's own, which `close()` ends.
 */
export async function databaseForFile(): Promise<Database> {
  const previous = await g[WORKER_DB]?.catch(() => undefined);
  const next = inject("pgTemplate") ? postgresForFile(previous) : pgliteForFile(previous);
  g[WORKER_DB] = next;
  const current = await next;
  return current.kind === "pglite" ? current.database : openPostgres(current.url, { max: 25 });
}

export const dbKind = (): "pglite" | "postgres" => (inject("pgTemplate") ? "postgres" : "pglite");

/**
 * A race test: skipped on PGlite, whose single connection runs one transaction after another, so a race
 * there passes even with the row lock it should prove removed. Its name says so in the report.
 */
export const raceTest = (name: string, fn: () => Promise<void>) =>
  test.skipIf(dbKind() === "pglite")(`${name} [race: PostgreSQL only, skipped on PGlite]`, fn);
