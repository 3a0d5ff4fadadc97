// Faults without loss: the server outlives its database connections being cut, says so with a 503 page
// while the database is gone, answers again by itself when it is back; the embedded database survives
// kill -9 of the server with its data.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { describe, expect, test } from "vitest";
import { withDatabase } from "../support/pg-url";
import { signInOver, startServer, waitFor } from "../support/spawn-server";

const adminUrl = process.env.TEST_DATABASE_URL;
const onPostgres = process.env.TEST_DB_KIND === "postgres" && !!adminUrl;
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "tingyuan-faults-"));

describe.skipIf(!onPostgres)("on PostgreSQL (skipped on PGlite)", () => {
  test("terminated connections: the server lives, answers 503 while the database is gone, 200 once it is back", async () => {
    const name = `tingyuan_faults_${crypto.randomBytes(4).toString("hex")}`;
    const admin = postgres(adminUrl!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${name}"`);
    const dir = tmp();
    const server = await startServer(
      {
        DATABASE_URL: withDatabase(adminUrl!, name),
        SEED_DEMO: "true",
        DATA_DIR: dir,
        SESSION_SECRET: crypto.randomBytes(32).toString("hex"),
      },
      path.join(dir, "server.log"),
    );
    const terminate = () =>
      admin`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${name} and pid <> pg_backend_pid()`;
    try {
      await waitFor(`${server.url}/healthz`, server, 200, 120_000);
      const cookie = await signInOver(server.url, "admin", "tingyuan-demo");
      const page = (p = "/households") =>
        fetch(`${server.url}${p}`, { headers: { Cookie: cookie }, signal: AbortSignal.timeout(10_000) });
      expect((await page()).status).toBe(200);
      // a request that met a connection as it was cut may fail; the next ones must not
      const waitForPage = async (status: number) => {
        const statuses: number[] = [];
        for (let i = 0; i < 5; i++) {
          statuses.push((await page()).status);
          if (statuses.at(-1) === status) return;
        }
        throw new Error(`/households answered ${statuses.join(", ")}`);
      };

      // connections cut again and again while requests are in flight
      for (let round = 0; round < 5; round++) {
        const inFlight = Array.from({ length: 6 }, (_, i) =>
          page(i % 2 ? "/households" : "/healthz").then(
            (r) => r.status,
            () => 0,
          ),
        );
        await new Promise((r) => setTimeout(r, 30 * round));
        await terminate();
        await Promise.all(inFlight);
      }
      await new Promise((r) => setTimeout(r, 500));
      expect(server.child.exitCode, server.log().slice(-3000)).toBeNull();
      await waitFor(`${server.url}/healthz`, server, 200, 15_000);
      await waitForPage(200);

      // the database refuses connections: a 503 page in Chinese, not a 500
      await admin.unsafe(`alter database "${name}" allow_connections false`);
      await terminate();
      // a request that meets the cut connection itself may still fail as a 500; the ones after it know
      expect([500, 503]).toContain((await page()).status);
      const down = await page();
      expect(down.status).toBe(503);
      expect(await down.text()).toContain("数据库暂时不可用");
      expect((await fetch(`${server.url}/healthz`)).status).toBe(503);

      // and back, without a restart
      await admin.unsafe(`alter database "${name}" allow_connections true`);
      await waitFor(`${server.url}/healthz`, server, 200, 15_000);
      await waitForPage(200);
      expect(server.child.exitCode).toBeNull();
    } finally {
      await server.stop();
      await admin.unsafe(`alter database "${name}" allow_connections true`).catch(() => {});
      await terminate().catch(() => {});
      await admin.unsafe(`drop database if exists "${name}"`).catch(() => {});
      await admin.end();
      // KEEP_LOGS=1 keeps the server's log for a failure to be read
      if (process.env.KEEP_LOGS) console.log(`server log kept in ${dir}`);
      else fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});

describe.skipIf(onPostgres)("on the embedded database (PGlite; skipped on PostgreSQL)", () => {
  test("kill -9 of the server in the middle of writes: it starts again on the same folder, with its data", async () => {
    const dir = tmp();
    const env = { DATA_DIR: dir };
    const log = path.join(dir, "server.log");
    let server = await startServer(env, log);
    try {
      await waitFor(`${server.url}/healthz`, server, 200, 120_000);
      // a session row written by a POST, and kept: the proof that data survives
      const cookie = await signInOver(server.url, "admin", "tingyuan-demo");
      const households = (url: string) => fetch(`${url}/households`, { headers: { Cookie: cookie } });
      expect((await households(server.url)).status).toBe(200);

      // more sign-ins (each one writes) in flight when the process is killed
      const writes = Array.from({ length: 8 }, () =>
        signInOver(server.url, "official", "tingyuan-demo").catch(() => null),
      );
      await new Promise((r) => setTimeout(r, 150));
      server.child.kill("SIGKILL");
      await Promise.all(writes);
      await new Promise((r) =>
        server.child.exitCode !== null || server.child.signalCode !== null ? r(null) : server.child.once("exit", r),
      );

      server = await startServer(env, log);
      await waitFor(`${server.url}/healthz`, server, 200, 120_000);
      const again = await households(server.url);
      expect(again.status).toBe(200);
      // the seeded register is still there, not seeded a second time
      expect(server.log().match(/demo data seeded/g)?.length).toBe(1);
    } finally {
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
