// The production server (server.js) around the built app, in-process on a free port: cross-origin
// writes refused with 403 before any action runs, the Content-Security-Policy nonce on every script,
// no caching of pages, long caching of fingerprinted assets, HSTS over HTTPS, forwarded headers only
// from a trusted proxy, and a request log without query strings. Then as its own process: a shutdown
// answers the requests in flight before the database closes.
import crypto from "node:crypto";
import fs from "node:fs";
import net, { type AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { count, eq } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, expect, test, vi } from "vitest";
import { sessions, signInFailures } from "../../db/schema";
import { db } from "~/utils/db.server";
import { createHousehold, createUser, createWorld, TEST_PASSWORD } from "../support/factories";
import { withDatabase } from "../support/pg-url";
import { startServer, waitFor } from "../support/spawn-server";
import { createApp } from "../../server.js";

process.env.DATA_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), "tingyuan-server-"));
const buildFile = path.resolve("build/index.js");
if (!fs.existsSync(buildFile)) throw new Error("server.test.ts needs the built app: run `npm run build` first");
const build = (await import(/* @vite-ignore */ pathToFileURL(buildFile).href)) as ServerBuild;

type Listening = { base: string; close: () => Promise<void> };
function listen(options: { trustProxy: boolean }): Promise<Listening> {
  const app = createApp(build, { ...options, log: true });
  return new Promise((resolve) => {
    const server = app.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({ base: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}

let direct: Listening;
let proxied: Listening;
beforeAll(async () => {
  direct = await listen({ trustProxy: false });
  proxied = await listen({ trustProxy: true });
});
afterAll(async () => {
  await direct?.close();
  await proxied?.close();
});

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const FORM = { "Content-Type": "application/x-www-form-urlencoded" };

async function signIn(username: string) {
  const res = await fetch(`${direct.base}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { ...FORM, Origin: direct.base },
    body: form({ username, password: TEST_PASSWORD }),
  });
  expect(res.status).toBe(302);
  return res.headers.get("Set-Cookie")!.split(";")[0];
}

async function failureRows() {
  const d = await db();
  const [row] = await d.select({ n: count() }).from(signInFailures);
  return row.n;
}

test("a sign-in posted from another origin is refused with 403 and writes nothing", async () => {
  const d = await db();
  const w = await createWorld(d);
  const u = await createUser(d, w, "cadre");
  const before = await failureRows();
  for (const headers of <Record<string, string>[]>[
    { Origin: "http://evil.example" },
    { Origin: "null" },
    { Referer: "http://evil.example/page" },
    {}, // neither Origin nor Referer
  ]) {
    const res = await fetch(`${direct.base}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { ...FORM, ...headers },
      body: form({ username: u.username, password: TEST_PASSWORD }),
    });
    expect(res.status, JSON.stringify(headers)).toBe(403);
    expect(res.headers.get("Set-Cookie")).toBeNull();
  }
  expect(await d.select().from(sessions).where(eq(sessions.userId, u.id))).toHaveLength(0);
  expect(await failureRows()).toBe(before);
  // and from our own origin (Origin, or only a Referer) it works
  expect(
    (
      await fetch(`${direct.base}/login`, {
        method: "POST",
        redirect: "manual",
        headers: { ...FORM, Referer: `${direct.base}/login` },
        body: form({ username: u.username, password: TEST_PASSWORD }),
      })
    ).status,
  ).toBe(302);
});

test("every action is guarded: a cross-origin sign-out leaves the session alive", async () => {
  const d = await db();
  const w = await createWorld(d);
  const u = await createUser(d, w, "cadre");
  const cookie = await signIn(u.username);
  const res = await fetch(`${direct.base}/logout`, {
    method: "POST",
    redirect: "manual",
    headers: { Cookie: cookie, Origin: "http://evil.example" },
  });
  expect(res.status).toBe(403);
  expect((await fetch(`${direct.base}/`, { redirect: "manual", headers: { Cookie: cookie } })).status).toBe(200);
});

test("an untrusted X-Forwarded-Host cannot make another origin look like ours", async () => {
  const d = await db();
  const w = await createWorld(d);
  const u = await createUser(d, w, "cadre");
  const res = await fetch(`${direct.base}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { ...FORM, Origin: "http://evil.example", "X-Forwarded-Host": "evil.example" },
    body: form({ username: u.username, password: TEST_PASSWORD }),
  });
  expect(res.status).toBe(403);
  // behind a trusted proxy its X-Forwarded-Proto/Host are the origin
  const viaProxy = await fetch(`${proxied.base}/login`, {
    method: "POST",
    redirect: "manual",
    headers: {
      ...FORM,
      Origin: "https://tingyuan.example.cn",
      "X-Forwarded-Host": "tingyuan.example.cn",
      "X-Forwarded-Proto": "https",
    },
    body: form({ username: u.username, password: TEST_PASSWORD }),
  });
  expect(viaProxy.status).toBe(302);
  expect(viaProxy.headers.get("Strict-Transport-Security")).toMatch(/max-age=\d{7,}/);
  expect(viaProxy.headers.get("Set-Cookie")).toMatch(/Secure/);
});

test("HSTS and Secure cookies only over HTTPS: a client's own X-Forwarded-Proto does not count", async () => {
  const res = await fetch(`${direct.base}/login`, { headers: { "X-Forwarded-Proto": "https" } });
  expect(res.headers.get("Strict-Transport-Security")).toBeNull();
  const d = await db();
  const u = await createUser(d, await createWorld(d), "cadre");
  const signedIn = await fetch(`${direct.base}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { ...FORM, Origin: direct.base, "X-Forwarded-Proto": "https" },
    body: form({ username: u.username, password: TEST_PASSWORD }),
  });
  expect(signedIn.status).toBe(302);
  // a Secure cookie on plain HTTP would never come back: the client could sign in and be signed out at once
  expect(signedIn.headers.get("Set-Cookie")).not.toMatch(/Secure/);
});

test("a page carries an enforced CSP whose nonce is on every script, and is not cached", async () => {
  const d = await db();
  const w = await createWorld(d);
  const u = await createUser(d, w, "official");
  const cookie = await signIn(u.username);
  const res = await fetch(`${direct.base}/households`, { headers: { Cookie: cookie } });
  expect(res.status).toBe(200);
  expect(res.headers.get("Content-Security-Policy-Report-Only")).toBeNull();
  const csp = res.headers.get("Content-Security-Policy")!;
  const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
  expect(nonce).toBeTruthy();
  for (const directive of [
    "script-src 'nonce-",
    "'strict-dynamic'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ]) {
    expect(csp).toContain(directive);
  }
  const html = await res.text();
  const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
  expect(scripts.length).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
  expect(res.headers.get("Cache-Control")).toBe("no-store");
  expect(res.headers.get("X-Frame-Options")).toBe("DENY");
  expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
  // a new nonce for every response
  const again = await fetch(`${direct.base}/households`, { headers: { Cookie: cookie } });
  expect(again.headers.get("Content-Security-Policy")).not.toBe(csp);
});

test("exports and data responses are not cached; fingerprinted assets are, for a year", async () => {
  const d = await db();
  const w = await createWorld(d);
  const u = await createUser(d, w, "official");
  await createHousehold(d, w);
  const cookie = await signIn(u.username);
  const exported = await fetch(`${direct.base}/households.export?format=csv`, { headers: { Cookie: cookie } });
  expect(exported.headers.get("Cache-Control")).toMatch(/no-store/);
  const data = await fetch(`${direct.base}/households.data`, { headers: { Cookie: cookie } });
  expect(data.headers.get("Cache-Control")).toBe("no-store");

  const asset = `/build/${fs.readdirSync("public/build").find((f) => f.startsWith("entry.client-") && f.endsWith(".js"))}`;
  const res = await fetch(`${direct.base}${asset}`);
  expect(res.status).toBe(200);
  expect(res.headers.get("Cache-Control")).toMatch(/max-age=31536000.*immutable/);
});

test("the request log shows the path without its query string", async () => {
  const log = vi.spyOn(console, "log").mockImplementation(() => {});
  try {
    const idNumber = "230828197005170012";
    await fetch(`${direct.base}/households?q=${idNumber}&page=2`, { redirect: "manual" });
    const lines = log.mock.calls.map((c) => c.join(" "));
    expect(lines.some((l) => l.includes("GET /households 302"))).toBe(true);
    expect(lines.join("\n")).not.toContain(idNumber);
  } finally {
    log.mockRestore();
  }
});

/** Resolves with what the socket has received once `done(text)` says it is enough (or the socket ends). */
function readUntil(socket: net.Socket, done: (text: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    const onData = (chunk: Buffer) => {
      text += chunk.toString("latin1");
      if (done(text)) finish();
    };
    const finish = () => {
      socket.off("data", onData).off("end", finish).off("error", reject);
      resolve(text);
    };
    socket.on("data", onData).once("end", finish).once("error", reject);
  });
}

test("SIGTERM: the request in flight gets its answer from the database, then the server exits 0", async () => {
  // PostgreSQL when the suite runs on it (postgres.js refused every query once its pool was ended), else PGlite
  const adminUrl = process.env.TEST_DB_KIND === "postgres" ? process.env.TEST_DATABASE_URL : undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tingyuan-drain-"));
  const name = `tingyuan_drain_${crypto.randomBytes(4).toString("hex")}`;
  const admin = adminUrl ? postgres(adminUrl, { max: 1, onnotice: () => {} }) : null;
  if (admin) await admin.unsafe(`create database "${name}"`);
  const env: Record<string, string> = {
    DATA_DIR: dir,
    SEED_DEMO: "false",
    SESSION_SECRET: crypto.randomBytes(32).toString("hex"),
  };
  if (adminUrl) env.DATABASE_URL = withDatabase(adminUrl, name);
  const server = await startServer(env, path.join(dir, "server.log"), { entry: "server.js" });
  const socket = new net.Socket();
  try {
    // the database is open (and the app's shutdown handler registered) once /healthz says so
    await waitFor(`${server.url}/healthz`, server, 200, 120_000);
    const { port } = new URL(server.url);
    await new Promise<void>((resolve, reject) =>
      socket.connect(Number(port), "127.0.0.1", resolve).once("error", reject),
    );
    // A sign-in whose body has not arrived yet: "100 Continue" proves the server holds the request.
    const body = "username=nobody&password=not-the-password";
    socket.write(
      `POST /login HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: ${server.url}\r\n` +
        `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\nExpect: 100-continue\r\n\r\n`,
    );
    expect(await readUntil(socket, (t) => t.includes("\r\n\r\n"))).toMatch(/^HTTP\/1\.1 100 /);

    server.child.kill("SIGTERM");
    await expect.poll(() => server.log(), { timeout: 10_000 }).toMatch(/SIGTERM: finishing the requests in flight/);
    // no new connections while it finishes
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();

    // the action runs now, after the signal: it records the failed sign-in and answers 400, not 500
    const answered = readUntil(socket, () => false);
    socket.write(body);
    const response = await answered;
    expect(response, server.log().slice(-3000)).toMatch(/^HTTP\/1\.1 400 /);
    expect(response).toMatch(/\r\nConnection: close\r\n/i);
    await new Promise((r) => (server.child.exitCode !== null ? r(null) : server.child.once("exit", r)));
    expect(server.child.exitCode, server.log().slice(-3000)).toBe(0);
    expect(server.log()).not.toMatch(/CONNECTION_ENDED|Unexpected Server Error/);
  } finally {
    socket.destroy();
    await server.stop();
    if (admin) {
      await admin.unsafe(`drop database if exists "${name}" with (force)`).catch(() => {});
      await admin.end();
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 180_000);
