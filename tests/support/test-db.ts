import crypto from "node:crypto";
import fs from "node:fs";
import postgres from "postgres";
import { inject, test } from "vitest";
import { openPglite, openPostgres, type Database } from "../../db/client";
import { withDatabase } from "./pg-url";

/** A fresh, migrated, empty database of this project's kind (PGlite or PostgreSQL). */
export async function freshDatabase(): Promise<Database> {
  const pg = inject("pgTemplate");
  if (pg) {
    const name = `${pg.prefix}_${crypto.randomBytes(4).toString("hex")}`;
    const admin = postgres(pg.url, { max: 1, onnotice: () => {} });
    try {
      await admin.unsafe(`create database "${name}" template "${pg.template}"`);
    } finally {
      await admin.end();
    }
    return openPostgres(withDatabase(pg.url, name), { max: 25 });
  }
  const dump = fs.readFileSync(inject("pgliteDump"));
  return openPglite({ loadDataDir: new Blob([new Uint8Array(dump)]) });
}

export const dbKind = (): "pglite" | "postgres" => (inject("pgTemplate") ? "postgres" : "pglite");

/**
 * A race test: skipped on PGlite, whose single connection runs one transaction after another, so a race
 * there passes even with the row lock it should prove removed. Its name says so in the report.
 */
export const raceTest = (name: string, fn: () => Promise<void>) =>
  test.skipIf(dbKind() === "pglite")(`${name} [race: PostgreSQL only, skipped on PGlite]`, fn);
