// Backup and restore (decision 026): a seeded database backed up and restored into a fresh one holds the
// same rows and the models read the same figures on it; a restore over data needs --force; a backup from
// a newer schema is refused; an older one is migrated. The embedded database is proven in the PGlite
// project (temp data folders), PostgreSQL in the PostgreSQL project (scratch databases on the server).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import crypto from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { afterAll, describe, expect, inject, test } from "vitest";
import { BackupRefusal, backup, knownMigrations, readBackupHeader, restore, type Target } from "../../db/backup";
import { MIGRATIONS_FOLDER, openPglite, openPostgres, queryRows, schema, type Database } from "../../db/client";
import { seed } from "../../db/seed";
import { coverageRegister, type CoverageScope } from "~/models/coverage.server";
import { listHouseholds, parseHouseholdListParams } from "~/models/household-list.server";
import { scopeOf } from "~/models/scope.server";
import { useDatabaseForTests } from "~/utils/db.server";
import { dbKind } from "../support/test-db";
import { withDatabase } from "../support/pg-url";

const SLOW = 180_000;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tingyuan-backup-test-"));
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** How each kind of database is made and opened for these tests. */
interface Kit {
  /** a migrated database, or an empty one (no schema at all) */
  create(name: string, opts: { migrated: boolean }): Promise<Target>;
  open(target: Target): Promise<Database>;
  migrateWith(database: Database, folder: string): Promise<void>;
}

const pgliteKit: Kit = {
  async create(name, { migrated }) {
    const dataDir = path.join(tmp, name, "pglite");
    if (migrated) {
      const database = await openPglite({ dataDir });
      await database.migrate();
      await database.close();
    }
    return { kind: "pglite", dataDir };
  },
  open: (target) => openPglite({ dataDir: (target as Extract<Target, { kind: "pglite" }>).dataDir }),
  migrateWith: (database, folder) => migratePglite(database.db as never, { migrationsFolder: folder }),
};

const postgresKit = (): Kit => {
  const pg = inject("pgTemplate")!;
  const admin = postgres(pg.url, { max: 1, onnotice: () => {} });
  cleanups.push(() => admin.end());
  return {
    async create(name, { migrated }) {
      const db = `${pg.prefix}_${name}_${crypto.randomBytes(3).toString("hex")}`;
      // an empty database is what `createdb` makes; the template is migrated
      await admin.unsafe(`create database "${db}"${migrated ? ` template "${pg.template}"` : ""}`);
      cleanups.push(async () => void (await admin.unsafe(`drop database if exists "${db}" with (force)`)));
      return { kind: "postgres", url: withDatabase(pg.url, db) };
    },
    open: async (target) => openPostgres((target as Extract<Target, { kind: "postgres" }>).url, { max: 2 }),
    migrateWith: (database, folder) => migratePostgres(database.db as never, { migrationsFolder: folder }),
  };
};

/** Every table's row count, and a checksum of the rows of the tables a case lives in. */
async function fingerprint(database: Database) {
  const tables = await queryRows<{ name: string }>(
    database.db,
    sql`select quote_ident(schemaname) || '.' || quote_ident(tablename) as name from pg_tables
        where schemaname in ('public', 'drizzle') order by 1`,
  );
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    const [row] = await queryRows<{ n: number }>(database.db, sql.raw(`select count(*)::int as n from ${name}`));
    counts[name] = Number(row.n);
  }
  const checksums: Record<string, string> = {};
  for (const table of ["households", "members", "checks", "audit_log"]) {
    const [row] = await queryRows<{ md5: string }>(
      database.db,
      sql.raw(`select md5(coalesce(string_agg(t::text, '|' order by t.id::text), '')) as md5 from public.${table} t`),
    );
    checksums[table] = row.md5;
  }
  return { counts, checksums };
}

/** What the app's models show an administrator: the coverage register and the first page of households. */
async function figures(database: Database) {
  useDatabaseForTests(database);
  const [admin] = await database.db.select().from(schema.users).where(eq(schema.users.username, "admin"));
  const scope = scopeOf(admin);
  const today = new Date().toISOString().slice(0, 10);
  const register = await coverageRegister({ scope: scope as CoverageScope, today });
  const list = await listHouseholds({
    scope,
    params: parseHouseholdListParams(new URL("http://localhost/households")),
    year: Number(today.slice(0, 4)),
  });
  return {
    totals: register.totals,
    villages: register.rows.length,
    total: list.total,
    ids: list.rows.map((r) => r.id),
  };
}

/** A seeded database with a few audit entries (the seed writes none), closed for its backup. */
async function seededSource(kit: Kit): Promise<Target> {
  const target = await kit.create("src", { migrated: true });
  const database = await kit.open(target);
  try {
    const { ids } = await seed(database.db, { households: 50, demo: true });
    await database.db.insert(schema.auditLog).values(
      ["create", "update", "export"].map((action) => ({
        countyId: ids.countyId,
        userId: ids.adminId,
        action,
        entity: "household",
      })),
    );
  } finally {
    await database.close();
  }
  return target;
}

async function withOpen<T>(kit: Kit, target: Target, fn: (database: Database) => Promise<T>) {
  const database = await kit.open(target);
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}

function suite(kind: "pglite" | "postgres", label: string, makeKit: () => Kit) {
  const it = (name: string, fn: () => Promise<void>) => test.skipIf(dbKind() !== kind)(name, fn, SLOW);

  describe(label, () => {
    let kit: Kit;
    let source: Target;
    let file: string;

    it("a backup of a seeded database, restored into a fresh one, holds the same rows and figures", async () => {
      kit = makeKit();
      source = await seededSource(kit);
      file = path.join(tmp, `${kind}.backup`);
      const header = await backup(source, file);
      expect(header).toMatchObject({ kind, migration: { tag: knownMigrations().at(-1)!.tag } });
      expect(header.rows).toMatchObject({ households: 50, audit_log: 3 });
      expect((await readBackupHeader(file)).header).toEqual(header);

      const target = await kit.create("dst", { migrated: false });
      const report = await restore(target, file);
      expect(report.rows).toEqual(header.rows);
      expect(report.replaced).toBe(false);
      expect(report.levelAfter).toEqual(header.migration);

      const before = await withOpen(kit, source, async (d) => ({
        print: await fingerprint(d),
        shown: await figures(d),
      }));
      const after = await withOpen(kit, target, async (d) => ({
        print: await fingerprint(d),
        shown: await figures(d),
      }));
      expect(after.print).toEqual(before.print);
      expect(after.print.counts["public.households"]).toBe(50);
      expect(after.shown).toEqual(before.shown);
      expect(after.shown.total).toBe(50);
      expect(after.shown.totals.households).toBe(50);
    });

    it("refuses to restore over data without --force, and replaces it with --force", async () => {
      const target = await kit.create("occupied", { migrated: true });
      await withOpen(kit, target, (d) => seed(d.db, { households: 3, demo: false }));
      const error = await restore(target, file).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BackupRefusal);
      expect((error as Error).message).toMatch(/Refusing to restore: .* (already holds|is not empty).*--force/);
      expect(await withOpen(kit, target, async (d) => (await fingerprint(d)).counts["public.households"])).toBe(3);

      const report = await restore(target, file, { force: true });
      expect(report.replaced).toBe(true);
      expect(report.rows.households).toBe(50);
      const restored = await withOpen(kit, target, fingerprint);
      expect(restored).toEqual(await withOpen(kit, source, fingerprint));
      if (kind === "pglite") expect(report.previous && fs.existsSync(report.previous)).toBeTruthy();
    });

    it("refuses a backup from a newer migration level than the code knows, touching nothing", async () => {
      const future = await kit.create("future", { migrated: true });
      await withOpen(kit, future, (d) =>
        d.db.execute(
          sql`insert into drizzle.__drizzle_migrations (hash, created_at) values ('from-the-future', ${knownMigrations().at(-1)!.when + 1})`,
        ),
      );
      const futureFile = path.join(tmp, `${kind}-future.backup`);
      expect((await backup(future, futureFile)).migration.tag).toBeNull();

      const target = await kit.create("for-future", { migrated: false });
      await expect(restore(target, futureFile)).rejects.toThrow(/schema is newer than this code knows/);
      if (target.kind === "pglite") expect(fs.existsSync(target.dataDir)).toBe(false);
      else {
        const tables = await withOpen(kit, target, (d) =>
          queryRows(d.db, sql`select tablename from pg_tables where schemaname in ('public', 'drizzle')`),
        );
        expect(tables).toEqual([]);
      }
    });

    it("migrates a backup from an older migration level up to the code's", async () => {
      const journal = knownMigrations();
      const folder = path.join(tmp, `${kind}-older-migrations`);
      fs.cpSync(MIGRATIONS_FOLDER, folder, { recursive: true });
      const journalFile = path.join(folder, "meta", "_journal.json");
      const full = JSON.parse(fs.readFileSync(journalFile, "utf8")) as { entries: unknown[] };
      fs.writeFileSync(journalFile, JSON.stringify({ ...full, entries: full.entries.slice(0, -1) }));

      const older = await kit.create("older", { migrated: false });
      await withOpen(kit, older, (d) => kit.migrateWith(d, folder));
      const olderFile = path.join(tmp, `${kind}-older.backup`);
      expect((await backup(older, olderFile)).migration.tag).toBe(journal.at(-2)!.tag);

      const report = await restore(await kit.create("from-older", { migrated: false }), olderFile);
      expect(report.levelBefore.tag).toBe(journal.at(-2)!.tag);
      expect(report.levelAfter).toMatchObject({ tag: journal.at(-1)!.tag, applied: journal.length });
    });

    if (kind === "pglite") {
      it("refuses to back up or restore a folder a process has open", async () => {
        const open = await kit.open(source);
        try {
          await expect(backup(source, path.join(tmp, "never.backup"))).rejects.toThrow(/is open \(postmaster\.pid/);
          await expect(restore(source, file, { force: true })).rejects.toThrow(/is open \(postmaster\.pid/);
        } finally {
          await open.close();
        }
        expect(fs.existsSync(path.join(tmp, "never.backup"))).toBe(false);
      });
    }

    it("refuses a backup of the other kind of database", async () => {
      const other: Target =
        kind === "pglite"
          ? { kind: "postgres", url: "postgres://nobody@127.0.0.1:1/none" }
          : { kind: "pglite", dataDir: path.join(tmp, "nowhere", "pglite") };
      await expect(restore(other, file)).rejects.toThrow(/Refusing to restore: .* is a backup of/);
    });
  });
}

suite("pglite", "embedded (PGlite) [runs in integration-pglite, skipped in the PostgreSQL project]", () => pgliteKit);
suite(
  "postgres",
  "PostgreSQL [pg_dump/pg_restore on the server: runs in integration-postgres, skipped on PGlite]",
  postgresKit,
);
