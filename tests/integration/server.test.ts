// The production server (server.js) around the built app, in-process on a free port: cross-origin
// writes refused with 403 before any action runs, the Content-Security-Policy nonce on every script,
// no caching of pages, long caching of fingerprinted assets, HSTS over HTTPS, forwarded headers only
// from a trusted proxy, and a request log without query strings.
import fs from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, test, vi } from "vitest";
import { sessions, signInFailures } from "../../db/schema";
import { db } from "~/utils/db.server";
import { createHousehold, createUser, createWorld, TEST_PASSWORD } from "../support/factories";
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
    (await fetch(`${direct.base}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { ...FORM, Referer: `${direct.base}/login` },
      body: form({ username: u.username, password: TEST_PASSWORD }),
    })).status,
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
    headers: { ...FORM, Origin: "https://tingyuan.example.cn", "X-Forwarded-Host": "tingyuan.example.cn", "X-Forwarded-Proto": "https" },
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
