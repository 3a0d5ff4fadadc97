// Migrate once per run, then give every test file a copy: PGlite from a dumped data folder, PostgreSQL
// from a template database. Each run makes its own databases and drops them at the end.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import crypto from "node:crypto";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { openPglite, openPostgres } from "../../db/client";
import { withDatabase } from "./pg-url";

declare module "vitest" {
  export interface ProvidedContext {
    pgliteDump: string;
    pgTemplate: { url: string; template: string; prefix: string } | null;
  }
}

export default async function setup(project: TestProject) {
  const kind = project.config.env?.TEST_DB_KIND ?? "pglite";
  if (kind === "postgres") {
    const adminUrl = process.env.TEST_DATABASE_URL!;
    const prefix = `ty_test_${Date.now().toString(36)}_${crypto.randomBytes(3).toString("hex")}`;
    const template = `${prefix}_tpl`;
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${template}"`);
    const database = openPostgres(withDatabase(adminUrl, template), { max: 1 });
    await database.migrate();
    await database.close();
    project.provide("pgTemplate", { url: adminUrl, template, prefix });
    project.provide("pgliteDump", "");
    return async () => {
      const rows = await admin<
        { datname: string }[]
      >`select datname from pg_database where datname like ${prefix + "%"}`;
      for (const { datname } of rows) {
        await admin.unsafe(`drop database if exists "${datname}" with (force)`);
      }
      await admin.end();
    };
  }

  if (!process.env.TEST_DATABASE_URL) {
    // race tests need real concurrent connections; PGlite's one connection would prove nothing
    console.log("race tests skipped: set TEST_DATABASE_URL to prove concurrency on PostgreSQL");
  }
  const database = await openPglite();
  await database.migrate();
  const dump = await (
    database.db as unknown as { $client: { dumpDataDir(c: string): Promise<Blob> } }
  ).$client.dumpDataDir("none");
  const file = path.join(os.tmpdir(), `tingyuan-pglite-${process.pid}-${Date.now()}.tar`);
  fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  await database.close();
  project.provide("pgliteDump", file);
  project.provide("pgTemplate", null);
  return () => fs.rmSync(file, { force: true });
}
