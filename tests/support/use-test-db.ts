// Each integration test file starts as if it ran alone: a database as freshly migrated, installed as the
// app's database, the app's modules evaluated anew, its process-wide state gone and process.env as it was.
// The projects run without isolation (one process, one module cache per worker, see vitest.config.ts), so
// what a file leaves behind is undone here, after its own afterAll hooks.
import { afterAll, vi } from "vitest";
import { databaseForFile } from "./test-db";

/** What the app keeps on globalThis across module reloads (see app/utils/db.server.ts, import-jobs, server.js). */
const APP_GLOBALS = ["tingyuan.database", "tingyuan.importRunner", "tingyuan.httpDrained"].map((k) => Symbol.for(k));

const env = { ...process.env };
const { useDatabaseForTests } = await import("~/utils/db.server");
const database = await databaseForFile();
useDatabaseForTests(database);

afterAll(async () => {
  // a background import still running would write into the next file's database
  const { importJobsIdle } = await import("~/models/import-jobs.server");
  await importJobsIdle();
  await database.close();
  for (const key of Object.keys(process.env)) if (!(key in env)) delete process.env[key];
  Object.assign(process.env, env);
  for (const key of APP_GLOBALS) delete (globalThis as Record<symbol, unknown>)[key];
  vi.resetModules();
});
