// Sign-in to ASVS 5.0 level 2, through the built app's request handler: account lockout and the
// per-address limit (the same answer for unknown usernames), a new session id at every sign-in, and
// sessions that end at sign-out.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler, type AppLoadContext, type ServerBuild } from "@remix-run/node";
import { and, eq, like } from "drizzle-orm";
import { expect, test } from "vitest";
import { auditLog, sessions } from "../../db/schema";
import { attemptSignIn } from "~/models/sign-in.server";
import { db } from "~/utils/db.server";
import { createUser, createWorld, TEST_PASSWORD } from "../support/factories";

process.env.DATA_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), "tingyuan-sign-in-"));
const buildFile = path.resolve("build/index.js");
if (!fs.existsSync(buildFile)) throw new Error("sign-in.test.ts needs the built app: run `npm run build` first");
const build = (await import(/* @vite-ignore */ pathToFileURL(buildFile).href)) as ServerBuild;
const handle = createRequestHandler(build, "production");
const ORIGIN = "http://localhost";

let addressSeq = 0;
/** Each test signs in from its own address, so the per-address limit of one test leaves the others alone. */
const newAddress = () => `198.51.100.${++addressSeq}`;

async function postLogin(username: string, password: string, address: string, cookie?: string) {
  const res = await handle(
    new Request(`${ORIGIN}/login`, {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Origin: ORIGIN,
        Host: "localhost",
        "Accept-Language": "zh-CN",
        ...(cookie ? { Cookie: cookie } : {}),
      },
      body: new URLSearchParams({ username, password }),
    }),
    { clientAddress: address } as AppLoadContext,
  );
  const text = res.status === 302 ? "" : await res.text();
  return { status: res.status, text, cookie: res.headers.get("Set-Cookie")?.split(";")[0] ?? null };
}

const LOCKED = "登录失败次数过多";
const FAILED = "用户名或密码不正确";

async function world() {
  const d = await db();
  return { d, w: await createWorld(d) };
}

test("20 wrong passwords, then the right one: the account stays locked", async () => {
  const { d, w } = await world();
  const u = await createUser(d, w, "cadre");
  const address = newAddress();
  for (let i = 0; i < 20; i++) await postLogin(u.username, `wrong-${i}`, address);
  const res = await postLogin(u.username, TEST_PASSWORD, address);
  expect(res.status).not.toBe(302);
  expect(res.text).toContain(LOCKED);
});

test("5 failures lock the account; the 4th still says only that the password is wrong", async () => {
  const { d, w } = await world();
  const u = await createUser(d, w, "official");
  const address = newAddress();
  for (let i = 0; i < 4; i++) {
    const res = await postLogin(u.username, `wrong-${i}`, address);
    expect(res.text).toContain(FAILED);
  }
  const fifth = await postLogin(u.username, "wrong-5", address);
  expect(fifth.text).toContain(LOCKED);
  // from anywhere else too: the lock is the account's
  expect((await postLogin(u.username, TEST_PASSWORD, newAddress())).text).toContain(LOCKED);
});

test("an unknown username gets the same answers as a real one, in the same order", async () => {
  const { d, w } = await world();
  const u = await createUser(d, w, "cadre");
  const real: number[] = [];
  const unknown: number[] = [];
  const realTexts: boolean[] = [];
  const unknownTexts: boolean[] = [];
  for (let i = 0; i < 7; i++) {
    const a = await postLogin(u.username, `wrong-${i}`, newAddress());
    const b = await postLogin(`no-such-user-${u.username}`, `wrong-${i}`, newAddress());
    real.push(a.status);
    unknown.push(b.status);
    realTexts.push(a.text.includes(LOCKED));
    unknownTexts.push(b.text.includes(LOCKED));
  }
  expect(unknown).toEqual(real);
  expect(unknownTexts).toEqual(realTexts);
  expect(realTexts).toEqual([false, false, false, false, true, true, true]);
});

test("the lock lasts 15 minutes, then the right password works and clears the count", async () => {
  const { d, w } = await world();
  const user = await createUser(d, w, "admin");
  const t0 = new Date("2026-03-02T08:00:00Z");
  const at = (min: number) => new Date(t0.getTime() + min * 60_000);
  for (let i = 0; i < 5; i++) {
    await attemptSignIn({ username: user.username, password: "nope", now: at(i) });
  }
  expect((await attemptSignIn({ username: user.username, password: TEST_PASSWORD, now: at(10) })).status).toBe(
    "locked",
  );
  expect((await attemptSignIn({ username: user.username, password: TEST_PASSWORD, now: at(18) })).status).toBe(
    "locked",
  );
  expect((await attemptSignIn({ username: user.username, password: TEST_PASSWORD, now: at(20) })).status).toBe("ok");
  // a fresh count after success: four more failures do not lock
  for (let i = 0; i < 4; i++) await attemptSignIn({ username: user.username, password: "nope", now: at(21 + i) });
  expect((await attemptSignIn({ username: user.username, password: TEST_PASSWORD, now: at(26) })).status).toBe("ok");
});

test("failures spread wider than 15 minutes do not lock", async () => {
  const { d, w } = await world();
  const u = await createUser(d, w, "admin");
  const t0 = new Date("2026-03-03T08:00:00Z");
  for (let i = 0; i < 8; i++) {
    const r = await attemptSignIn({
      username: u.username,
      password: "nope",
      now: new Date(t0.getTime() + i * 4 * 60_000),
    });
    expect(r.status).toBe("failed");
  }
});

test("20 failures from one address lock that address for every account, not other addresses", async () => {
  const { d, w } = await world();
  const victim = await createUser(d, w, "cadre");
  const address = newAddress();
  for (let i = 0; i < 20; i++) await postLogin(`sprayed-${i}-${victim.username}`, "123456", address);
  expect((await postLogin(victim.username, TEST_PASSWORD, address)).text).toContain(LOCKED);
  expect((await postLogin(victim.username, TEST_PASSWORD, newAddress())).status).toBe(302);
});

test("a lockout is audited, without the typed username when no such account exists", async () => {
  const { d, w } = await world();
  const u = await createUser(d, w, "official");
  for (let i = 0; i < 5; i++) await postLogin(u.username, "nope", newAddress());
  const rows = await d
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, "sign-in.locked-account"), eq(auditLog.entityId, u.id)));
  expect(rows).toHaveLength(1);
  expect(rows[0].countyId).toBe(w.county.id);

  const ghost = `ghost-${u.username}`;
  for (let i = 0; i < 5; i++) await postLogin(ghost, "nope", newAddress());
  const all = await d.select().from(auditLog).where(like(auditLog.action, "sign-in.%"));
  expect(JSON.stringify(all)).not.toContain(ghost);
});

test("signing in over an existing session ends it and issues a new session id", async () => {
  const { d, w } = await world();
  const u = await createUser(d, w, "cadre");
  const first = await postLogin(u.username, TEST_PASSWORD, newAddress());
  expect(first.status).toBe(302);
  const second = await postLogin(u.username, TEST_PASSWORD, newAddress(), first.cookie!);
  expect(second.status).toBe(302);
  expect(second.cookie).not.toBe(first.cookie);
  const home = (cookie: string) => handle(new Request(`${ORIGIN}/`, { headers: { Cookie: cookie } }));
  expect((await home(first.cookie!)).status).toBe(302); // back to /login
  expect((await home(second.cookie!)).status).toBe(200);
  expect(await d.select().from(sessions).where(eq(sessions.userId, u.id))).toHaveLength(1);
});

test("sign-out ends the session on the server, not only in the browser", async () => {
  const { d, w } = await world();
  const u = await createUser(d, w, "cadre");
  const { cookie } = await postLogin(u.username, TEST_PASSWORD, newAddress());
  const out = await handle(
    new Request(`${ORIGIN}/logout`, {
      method: "POST",
      headers: { Cookie: cookie!, Origin: ORIGIN, Host: "localhost" },
    }),
  );
  expect(out.status).toBe(302);
  expect(out.headers.get("Set-Cookie")).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/i);
  const again = await handle(new Request(`${ORIGIN}/`, { headers: { Cookie: cookie! } }));
  expect(again.status).toBe(302);
  expect(again.headers.get("Location")).toMatch(/^\/login/);
});
