// Sign-in: argon2id-checked passwords, server-side sessions, 30 minutes idle, 12 hours absolute.
import { eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { sessions } from "../../db/schema";
import { getSessionUser, login, logout } from "~/models/sessions.server";
import { db } from "~/utils/db.server";
import { createUser, createWorld, TEST_PASSWORD } from "../support/factories";

const minutes = (n: number) => n * 60 * 1000;

test("the right password opens a session that knows the user's scope", async () => {
  const d = await db();
  const world = await createWorld(d);
  const cadre = await createUser(d, world, "cadre");
  const result = await login({ username: cadre.username, password: TEST_PASSWORD });
  expect(result).not.toBeNull();
  const user = await getSessionUser(result!.token);
  expect(user?.scope).toEqual({
    role: "cadre",
    userId: cadre.id,
    countyId: world.county.id,
    townshipId: world.townships[0].id,
  });
  expect(user?.scopeName).toBe(world.townships[0].name);
});

test("a wrong password, an unknown user or a disabled user opens nothing", async () => {
  const d = await db();
  const world = await createWorld(d);
  const official = await createUser(d, world, "official");
  expect(await login({ username: official.username, password: "wrong" })).toBeNull();
  expect(await login({ username: "nobody-at-all", password: TEST_PASSWORD })).toBeNull();
  const { users } = await import("../../db/schema");
  await d.update(users).set({ active: false }).where(eq(users.id, official.id));
  expect(await login({ username: official.username, password: TEST_PASSWORD })).toBeNull();
});

test("the username is not case-sensitive", async () => {
  const d = await db();
  const world = await createWorld(d);
  const official = await createUser(d, world, "official");
  expect(await login({ username: ` ${official.username.toUpperCase()} `, password: TEST_PASSWORD })).not.toBeNull();
});

test("the cookie token is not what the database stores", async () => {
  const d = await db();
  const world = await createWorld(d);
  const u = await createUser(d, world, "admin");
  const { token } = (await login({ username: u.username, password: TEST_PASSWORD }))!;
  const rows = await d.select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, u.id));
  expect(rows.map((r) => r.id)).not.toContain(token);
  expect(rows).toHaveLength(1);
});

test("a session idle for more than 30 minutes ends; activity keeps it alive", async () => {
  const d = await db();
  const world = await createWorld(d);
  const u = await createUser(d, world, "official");
  const start = new Date("2026-11-26T08:00:00Z");
  const { token } = (await login({ username: u.username, password: TEST_PASSWORD, now: start }))!;
  // activity every 20 minutes keeps it going past the first half hour
  expect(await getSessionUser(token, new Date(start.getTime() + minutes(20)))).not.toBeNull();
  expect(await getSessionUser(token, new Date(start.getTime() + minutes(40)))).not.toBeNull();
  // then 31 idle minutes end it, for good
  expect(await getSessionUser(token, new Date(start.getTime() + minutes(40 + 31)))).toBeNull();
  expect(await getSessionUser(token, new Date(start.getTime() + minutes(40 + 32)))).toBeNull();
});

test("no session lives longer than 12 hours, however active", async () => {
  const d = await db();
  const world = await createWorld(d);
  const u = await createUser(d, world, "cadre");
  const start = new Date("2026-11-26T00:00:00Z");
  const { token } = (await login({ username: u.username, password: TEST_PASSWORD, now: start }))!;
  for (let m = 20; m < 12 * 60; m += 20) {
    expect(await getSessionUser(token, new Date(start.getTime() + minutes(m)))).not.toBeNull();
  }
  expect(await getSessionUser(token, new Date(start.getTime() + minutes(12 * 60 + 1)))).toBeNull();
});

test("logging out ends the session", async () => {
  const d = await db();
  const world = await createWorld(d);
  const u = await createUser(d, world, "cadre");
  const { token } = (await login({ username: u.username, password: TEST_PASSWORD }))!;
  await logout(token);
  expect(await getSessionUser(token)).toBeNull();
});
