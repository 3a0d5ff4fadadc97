// Backup and restore of either database (decision 026), for `npm run db:backup` / `db:restore` and tests.
//
// A backup is ONE file: a first line of JSON (what it is, from which migration level, when, row counts of
// the key tables, the payload's size and SHA-256), then the payload as the engine's own tool wrote it — a
// `pg_dump --format=custom` archive for PostgreSQL, PGlite's data-folder tarball (gzip) for the embedded
// database. One file cannot lose its description; `head -n 1` reads it, and `tail -n +2` gives back a plain
// archive for pg_restore or a tarball for PGlite if this code is ever not at hand.
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { sql } from "drizzle-orm";
import {
  MIGRATIONS_FOLDER,
  embeddedDataDir,
  openPglite,
  openPostgres,
  queryRows,
  type Database,
  type DbOrTx,
} from "./client";

export const BACKUP_FORMAT = "tingyuan-backup/1" as const;

/** The tables whose row counts a backup records and a restore checks: the case records and their trail. */
export const KEY_TABLES = [
  "users",
  "households",
  "members",
  "plans",
  "checks",
  "purchase_orders",
  "deliveries",
  "audit_log",
] as const;

export type BackupKind = "pglite" | "postgres";
export type Target = { kind: "postgres"; url: string } | { kind: "pglite"; dataDir: string };

export type MigrationLevel = {
  /** the migration's file name in drizzle/ (null: none applied, or one this code does not know) */
  tag: string | null;
  /** drizzle's `created_at` of the latest applied migration: the journal's `when` */
  createdAt: number | null;
  applied: number;
};

export interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  kind: BackupKind;
  createdAt: string;
  database: string;
  migration: MigrationLevel;
  engine: string;
  rows: Record<string, number>;
  payload: { format: "pg_dump custom" | "pglite data folder tar.gz"; bytes: number; sha256: string };
}

export interface RestoreReport {
  header: BackupHeader;
  where: string;
  /** row counts as restored, before the migrations ran: they must equal the header's */
  rows: Record<string, number>;
  levelBefore: MigrationLevel;
  levelAfter: MigrationLevel;
  /** embedded: where the database that was replaced now lies */
  previous?: string;
  replaced: boolean;
}

/** A refusal the user can act on (the message says how); the CLI prints it without a stack. */
export class BackupRefusal extends Error {
  name = "BackupRefusal";
}

/** DATABASE_URL if set, else the embedded folder: the same choice as every other script. */
export function configuredTarget(): Target {
  const url = process.env.DATABASE_URL;
  return url ? { kind: "postgres", url } : { kind: "pglite", dataDir: embeddedDataDir() };
}

export function describeTarget(target: Target) {
  return target.kind === "postgres"
    ? `PostgreSQL database "${databaseName(target.url)}" on ${new URL(target.url).host}`
    : `PGlite in ${target.dataDir}`;
}

// ---------- migration levels ----------

type JournalEntry = { tag: string; when: number };

export function knownMigrations(folder = MIGRATIONS_FOLDER): JournalEntry[] {
  const journal = JSON.parse(fs.readFileSync(path.join(folder, "meta", "_journal.json"), "utf8")) as {
    entries: JournalEntry[];
  };
  return journal.entries.map(({ tag, when }) => ({ tag, when }));
}

export async function migrationLevel(db: DbOrTx): Promise<MigrationLevel> {
  const [exists] = await queryRows<{ t: string | null }>(
    db,
    sql`select to_regclass('drizzle.__drizzle_migrations')::text as t`,
  );
  if (!exists?.t) return { tag: null, createdAt: null, applied: 0 };
  const [row] = await queryRows<{ created_at: string | number | null; n: number }>(
    db,
    sql`select max(created_at) as created_at, count(*)::int as n from drizzle.__drizzle_migrations`,
  );
  const createdAt = row?.created_at == null ? null : Number(row.created_at);
  const tag = knownMigrations().find((m) => m.when === createdAt)?.tag ?? null;
  return { tag, createdAt, applied: Number(row?.n ?? 0) };
}

export const describeLevel = (level: MigrationLevel) =>
  level.createdAt === null ? "no migrations" : `${level.tag ?? "an unknown migration"} (${level.applied} applied)`;

/**
 * drizzle's migrator applies every journal entry newer than the database's latest `created_at`, so a
 * backup from a newer schema would be left with tables this code does not know, and none of its own
 * migrations would run. Refused before anything is touched.
 */
function assertLevelKnown(header: BackupHeader) {
  const latest = knownMigrations().at(-1);
  const level = header.migration;
  if (level.createdAt !== null && latest && level.createdAt > latest.when) {
    throw new BackupRefusal(
      "Refusing to restore: the backup's schema is newer than this code knows. It was taken at " +
        `${level.tag ?? "a migration of " + new Date(level.createdAt).toISOString()}; this code's latest is ${latest.tag}. ` +
        "Restore it with the version of Tingyuan that made it, or update this one first.",
    );
  }
}

export async function rowCounts(db: DbOrTx): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of KEY_TABLES) {
    // an older backup may predate a table
    const [exists] = await queryRows<{ t: string | null }>(
      db,
      sql`select to_regclass(${"public." + table})::text as t`,
    );
    if (!exists?.t) continue;
    const [row] = await queryRows<{ n: number }>(db, sql.raw(`select count(*)::int as n from public."${table}"`));
    counts[table] = Number(row.n);
  }
  return counts;
}

async function engineVersion(db: DbOrTx) {
  const [row] = await queryRows<{ v: string }>(db, sql`select version() as v`);
  return row.v;
}

// ---------- the file ----------

const HEADER_LIMIT = 64 * 1024;

export async function readBackupHeader(file: string): Promise<{ header: BackupHeader; payloadOffset: number }> {
  const handle = await fs.promises.open(file, "r").catch((error: NodeJS.ErrnoException) => {
    throw new BackupRefusal(`Cannot read ${file}: ${error.code === "ENOENT" ? "no such file" : error.message}`);
  });
  try {
    const buffer = Buffer.alloc(HEADER_LIMIT);
    const { bytesRead } = await handle.read(buffer, 0, HEADER_LIMIT, 0);
    const end = buffer.subarray(0, bytesRead).indexOf(0x0a);
    let header: BackupHeader | undefined;
    try {
      if (end > 0) header = JSON.parse(buffer.subarray(0, end).toString("utf8")) as BackupHeader;
    } catch {
      header = undefined;
    }
    if (header?.format !== BACKUP_FORMAT) {
      throw new BackupRefusal(
        `${file} is not a Tingyuan backup (it does not start with a "${BACKUP_FORMAT}" header line). ` +
          "Make backups with npm run db:backup.",
      );
    }
    return { header, payloadOffset: end + 1 };
  } finally {
    await handle.close();
  }
}

async function sha256Of(file: string, start = 0): Promise<{ sha256: string; bytes: number }> {
  const hash = crypto.createHash("sha256");
  let bytes = 0;
  for await (const chunk of fs.createReadStream(file, { start })) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest("hex"), bytes };
}

/** A truncated or altered file is refused before the database is touched. */
async function assertPayloadIntact(file: string, header: BackupHeader, payloadOffset: number) {
  const { sha256, bytes } = await sha256Of(file, payloadOffset);
  if (bytes !== header.payload.bytes || sha256 !== header.payload.sha256) {
    throw new BackupRefusal(
      `Refusing to restore: ${file} is damaged (payload ${bytes} bytes, expected ${header.payload.bytes}; ` +
        `checksum ${sha256 === header.payload.sha256 ? "matches" : "differs"}).`,
    );
  }
}

/** Written next to the destination and renamed at the end, so an interrupted backup leaves no plausible file. */
async function writeBackupFile(out: string, header: Omit<BackupHeader, "payload">, payload: string | Uint8Array) {
  const isFile = typeof payload === "string";
  const { sha256, bytes } = isFile
    ? await sha256Of(payload)
    : { sha256: crypto.createHash("sha256").update(payload).digest("hex"), bytes: payload.byteLength };
  const full: BackupHeader = {
    ...header,
    payload: {
      format: header.kind === "postgres" ? "pg_dump custom" : "pglite data folder tar.gz",
      bytes,
      sha256,
    },
  };
  fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  const partial = `${out}.partial`;
  const stream = fs.createWriteStream(partial, { mode: 0o600 });
  try {
    stream.write(JSON.stringify(full) + "\n");
    if (isFile) {
      await pipeline(fs.createReadStream(payload), stream);
    } else {
      stream.end(payload);
      await new Promise<void>((resolve, reject) => stream.on("finish", resolve).on("error", reject));
    }
    fs.renameSync(partial, out);
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw error;
  }
  return full;
}

// ---------- embedded (PGlite) ----------

/**
 * PGlite takes no lock (stack trap 2), but while a PGlite has the folder open it holds a `postmaster.pid`
 * there, removed on close. Its pid is a constant, so it cannot tell a running app from one that crashed.
 */
function assertPgliteClosed(dataDir: string, doing: string) {
  if (fs.existsSync(path.join(dataDir, "postmaster.pid"))) {
    throw new BackupRefusal(
      `Refusing to ${doing}: ${dataDir} is open (postmaster.pid is there). Stop the app and any db:* script ` +
        "using this folder first; PGlite serves one process, and a second one loses writes. If nothing is " +
        "running (the app was killed), open and close it once with npm run db:migrate, then try again.",
    );
  }
}

function pgliteClient(database: Database) {
  return (database.db as unknown as { $client: { dumpDataDir(c: "gzip" | "none"): Promise<Blob> } }).$client;
}

async function backupPglite(dataDir: string, out: string): Promise<BackupHeader> {
  if (!fs.existsSync(path.join(dataDir, "PG_VERSION"))) {
    throw new BackupRefusal(`Nothing to back up: ${dataDir} holds no embedded database.`);
  }
  assertPgliteClosed(dataDir, "back up");
  const database = await openPglite({ dataDir });
  try {
    const header = {
      format: BACKUP_FORMAT,
      kind: "pglite" as const,
      createdAt: new Date().toISOString(),
      database: dataDir,
      migration: await migrationLevel(database.db),
      engine: await engineVersion(database.db),
      rows: await rowCounts(database.db),
    };
    const tarball = new Uint8Array(await (await pgliteClient(database).dumpDataDir("gzip")).arrayBuffer());
    return await writeBackupFile(out, header, tarball);
  } finally {
    await database.close();
  }
}

/**
 * Loaded into a new folder beside the old one, checked and migrated there, and only then swapped in: a
 * failure on the way leaves the database as it was. The replaced folder is kept, not deleted.
 */
async function restorePglite(
  dataDir: string,
  file: string,
  header: BackupHeader,
  payloadOffset: number,
  force: boolean,
): Promise<RestoreReport> {
  assertPgliteClosed(dataDir, "restore");
  const occupied = fs.existsSync(dataDir) && fs.readdirSync(dataDir).length > 0;
  if (occupied && !force) {
    const contents = fs.existsSync(path.join(dataDir, "PG_VERSION"))
      ? `a database${await describeContents({ kind: "pglite", dataDir })}`
      : "files";
    throw new BackupRefusal(
      `Refusing to restore: ${dataDir} already holds ${contents}. ` +
        "Restoring replaces it. Run again with --force to replace it (the current folder is kept beside it), " +
        "or point DATA_DIR at an empty folder.",
    );
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const staging = `${dataDir}.restoring-${stamp}`;
  const tarball = await readPayload(file, payloadOffset);
  let database: Database | undefined;
  try {
    database = await openPglite({ dataDir: staging, loadDataDir: new Blob([new Uint8Array(tarball)]) });
    const rows = await rowCounts(database.db);
    assertRowsMatch(header, rows);
    const levelBefore = await migrationLevel(database.db);
    await database.migrate();
    const levelAfter = await migrationLevel(database.db);
    await database.close();
    database = undefined;
    let previous: string | undefined;
    if (fs.existsSync(dataDir)) {
      previous = `${dataDir}.before-restore-${stamp}`;
      fs.renameSync(dataDir, previous);
    }
    fs.renameSync(staging, dataDir);
    return { header, where: `PGlite in ${dataDir}`, rows, levelBefore, levelAfter, previous, replaced: occupied };
  } catch (error) {
    await database?.close().catch(() => {});
    fs.rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}

async function readPayload(file: string, offset: number) {
  const chunks: Buffer[] = [];
  for await (const chunk of fs.createReadStream(file, { start: offset })) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

// ---------- PostgreSQL ----------

function databaseName(url: string) {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ""));
}

/** libpq takes the URL as is, but a password in argv is visible to every user of the machine (ps). */
function libpqConnection(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (u.password) env.PGPASSWORD = decodeURIComponent(u.password);
  u.password = "";
  return { dbname: u.toString(), env };
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv, stdout?: NodeJS.WritableStream) {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ["ignore", stdout ? "pipe" : "ignore", "pipe"] });
    let stderr = "";
    child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
    if (stdout && child.stdout) child.stdout.pipe(stdout);
    child.on("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "ENOENT"
          ? new BackupRefusal(
              `${command} is not installed: install PostgreSQL's client tools (apt-get install postgresql-client).`,
            )
          : error,
      ),
    );
    child.on("close", (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} failed (exit ${code}): ${stderr.trim()}`)),
    );
  });
}

function tempFile(name: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tingyuan-backup-"));
  return { file: path.join(dir, name), cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

async function backupPostgres(url: string, out: string): Promise<BackupHeader> {
  const database = openPostgres(url, { max: 1 });
  const temp = tempFile("database.dump");
  try {
    // The header's counts and level are read in the very snapshot pg_dump dumps (an exported snapshot held
    // by this transaction), so a restore can demand the same counts even of a backup taken while busy.
    const header = await database.db.transaction(
      async (tx) => {
        const [{ snapshot }] = await queryRows<{ snapshot: string }>(tx, sql`select pg_export_snapshot() as snapshot`);
        const header = {
          format: BACKUP_FORMAT,
          kind: "postgres" as const,
          createdAt: new Date().toISOString(),
          database: databaseName(url),
          migration: await migrationLevel(tx),
          engine: await engineVersion(tx),
          rows: await rowCounts(tx),
        };
        const { dbname, env } = libpqConnection(url);
        await run(
          "pg_dump",
          ["--format=custom", `--snapshot=${snapshot}`, `--file=${temp.file}`, `--dbname=${dbname}`],
          env,
        );
        return header;
      },
      { isolationLevel: "repeatable read", accessMode: "read only" },
    );
    return await writeBackupFile(out, header, temp.file);
  } finally {
    temp.cleanup();
    await database.close();
  }
}

/** Relations outside the system schemas: a database with none is empty enough to restore into. */
async function userRelations(database: Database) {
  const [row] = await queryRows<{ n: number }>(
    database.db,
    sql`select count(*)::int as n from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg_toast%'
          and n.nspname not like 'pg_temp%'`,
  );
  return Number(row.n);
}

async function describeContents(target: Target) {
  const database = target.kind === "postgres" ? openPostgres(target.url, { max: 1 }) : await openPglite(target);
  try {
    const rows = await rowCounts(database.db);
    const parts = ["households", "users"].filter((t) => t in rows).map((t) => `${rows[t]} ${t}`);
    return parts.length ? ` (${parts.join(", ")})` : "";
  } catch {
    return "";
  } finally {
    await database.close();
  }
}

/**
 * With --force the app's two schemas are dropped first, in the same transaction as the restore: a
 * database at a newer migration level than the backup would otherwise keep that migration's tables,
 * and the migrations run after the restore would fail on them. PostgreSQL 15's own `public` is put back
 * as `createdb` makes it, since pg_dump does not record a default `public` schema.
 */
const DROP_APP_SCHEMAS = `
DROP SCHEMA IF EXISTS drizzle CASCADE;
DROP SCHEMA IF EXISTS public CASCADE;
CREATE SCHEMA public AUTHORIZATION pg_database_owner;
GRANT USAGE ON SCHEMA public TO PUBLIC;
COMMENT ON SCHEMA public IS 'standard public schema';
`;

async function restorePostgres(
  url: string,
  file: string,
  header: BackupHeader,
  payloadOffset: number,
  force: boolean,
): Promise<RestoreReport> {
  const where = describeTarget({ kind: "postgres", url });
  const database = openPostgres(url, { max: 1 });
  const temp = tempFile("database.dump");
  try {
    const occupied = (await userRelations(database)) > 0;
    if (occupied && !force) {
      throw new BackupRefusal(
        `Refusing to restore: ${where} is not empty${await describeContents({ kind: "postgres", url })}. ` +
          "Restoring replaces everything in it. Run again with --force to drop its objects first, " +
          "or restore into a new empty database (createdb) and point DATABASE_URL at it.",
      );
    }
    await pipeline(
      fs.createReadStream(file, { start: payloadOffset }),
      fs.createWriteStream(temp.file, { mode: 0o600 }),
    );
    const { dbname, env } = libpqConnection(url);
    // pg_restore writes the script and psql runs it as one transaction: a failure anywhere rolls back to
    // the database as it was. No owners or grants: the objects belong to the user of DATABASE_URL, as
    // they do when the app migrates.
    await new Promise<void>((resolve, reject) => {
      const psql = spawn(
        "psql",
        ["--no-psqlrc", "--quiet", "--single-transaction", "-v", "ON_ERROR_STOP=1", "--file=-", `--dbname=${dbname}`],
        { env, stdio: ["pipe", "ignore", "pipe"] },
      );
      let stderr = "";
      psql.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      psql.on("error", (error: NodeJS.ErrnoException) =>
        reject(
          error.code === "ENOENT"
            ? new BackupRefusal("psql is not installed: apt-get install postgresql-client")
            : error,
        ),
      );
      psql.on("close", (code) =>
        code === 0
          ? resolve()
          : reject(new Error(`restore failed, nothing changed (psql exit ${code}): ${stderr.trim()}`)),
      );
      psql.stdin.on("error", () => {});
      if (occupied) psql.stdin.write(DROP_APP_SCHEMAS);
      run(
        "pg_restore",
        ["--clean", "--if-exists", "--no-owner", "--no-privileges", "--file=-", temp.file],
        env,
        psql.stdin,
      ).catch((error) => {
        psql.kill();
        reject(error);
      });
    });
    const rows = await rowCounts(database.db);
    assertRowsMatch(header, rows);
    const levelBefore = await migrationLevel(database.db);
    await database.migrate();
    const levelAfter = await migrationLevel(database.db);
    // pg_restore loads rows but no planner statistics; without them pages run many times slower (stack trap 12)
    await database.db.execute(sql`analyze`);
    return { header, where, rows, levelBefore, levelAfter, replaced: occupied };
  } finally {
    temp.cleanup();
    await database.close();
  }
}

function assertRowsMatch(header: BackupHeader, rows: Record<string, number>) {
  const differ = Object.entries(header.rows).filter(([table, n]) => rows[table] !== n);
  if (differ.length) {
    throw new Error(
      `restored rows differ from the backup's: ${differ.map(([t, n]) => `${t} ${rows[t] ?? "missing"} ≠ ${n}`).join(", ")}`,
    );
  }
}

// ---------- entry points ----------

export async function backup(target: Target, out: string): Promise<BackupHeader> {
  return target.kind === "postgres" ? backupPostgres(target.url, out) : backupPglite(target.dataDir, out);
}

export async function restore(target: Target, file: string, opts: { force?: boolean } = {}): Promise<RestoreReport> {
  const { header, payloadOffset } = await readBackupHeader(file);
  if (header.kind !== target.kind) {
    throw new BackupRefusal(
      `Refusing to restore: ${file} is a backup of ${header.kind === "postgres" ? "a PostgreSQL" : "an embedded (PGlite)"} database ` +
        `and the target is ${describeTarget(target)}. ${header.kind === "postgres" ? "Set" : "Unset"} DATABASE_URL to restore it.`,
    );
  }
  assertLevelKnown(header);
  await assertPayloadIntact(file, header, payloadOffset);
  return target.kind === "postgres"
    ? restorePostgres(target.url, file, header, payloadOffset, opts.force ?? false)
    : restorePglite(target.dataDir, file, header, payloadOffset, opts.force ?? false);
}
