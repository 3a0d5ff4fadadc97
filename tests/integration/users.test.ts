// Accounts (domain rule 11): who manages whom, one-time passwords that must be replaced, sessions that end
// with a deactivation or a password change, and the first administrator made by a command.
import { and, eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { auditLog, regions, sessions, users } from "../../db/schema";
import { ConflictError, NotFoundError, type ValidationError } from "~/models/errors.server";
import { scopeOf } from "~/models/scope.server";
import { getSessionUser, login } from "~/models/sessions.server";
import {
  changeOwnPassword,
  createUser,
  createUserFromCommand,
  getManagedUser,
  listUsers,
  resetUserPassword,
  setUserActive,
  updateUser,
} from "~/models/users.server";
import { db } from "~/utils/db.server";
import * as f from "../support/factories";
import { raceTest } from "../support/test-db";

async function setup() {
  const d = await db();
  const world = await f.createWorld(d);
  const coop = await f.createCooperative(d, world, 0);
  const farCoop = await f.createCooperative(d, world, 1);
  const admin = scopeOf(await f.createUser(d, world, "admin"));
  const official = scopeOf(await f.createUser(d, world, "official", { townshipIndex: 0 }));
  const farOfficial = scopeOf(await f.createUser(d, world, "official", { townshipIndex: 1 }));
  return { d, world, coop, farCoop, admin, official, farOfficial };
}

async function rejection(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the model to refuse");
}

const unique = (prefix: string) => `${prefix}-${Math.random().toString(36).slice(2, 8)}`;
const cadreInput = (townshipId: string, username = unique("cadre")) => ({
  username,
  displayName: "王帮扶",
  phone: "13900000001",
  role: "cadre" as const,
  townshipId,
  cooperativeId: undefined,
});

test("an official creates a cadre of their township with a one-time password the cadre must replace", async () => {
  const { d, world, official } = await setup();
  const created = await createUser({ scope: official, input: cadreInput(world.townships[0].id) });
  expect(created.oneTimePassword).toMatch(/^[2-9a-zA-Z]{4}-[2-9a-zA-Z]{4}-[2-9a-zA-Z]{4}$/);
  const [row] = await d.select().from(users).where(eq(users.id, created.id));
  expect(row).toMatchObject({ role: "cadre", townshipId: world.townships[0].id, mustChangePassword: true });
  expect(row.passwordHash).not.toContain(created.oneTimePassword);

  const session = await login({ username: created.username.toUpperCase(), password: created.oneTimePassword });
  expect(session).not.toBeNull();
  const user = await getSessionUser(session!.token);
  expect(user?.mustChangePassword).toBe(true);

  const [audit] = await d
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.entityId, created.id)));
  expect(audit.action).toBe("user.create");
  expect(JSON.stringify(audit.after)).not.toMatch(/passwordHash|argon2/);
});

test("an official gives only cadre and clerk roles, in their own township and its cooperatives", async () => {
  const { world, official, farCoop, coop } = await setup();
  const asOfficial = (await rejection(
    createUser({ scope: official, input: { ...cadreInput(world.townships[0].id), role: "official" } }),
  )) as ValidationError;
  expect(asOfficial.fieldErrors.role).toEqual(["users.error.roleNotAllowed"]);

  const farTownship = (await rejection(
    createUser({ scope: official, input: cadreInput(world.townships[1].id) }),
  )) as ValidationError;
  expect(farTownship.fieldErrors.townshipId).toEqual(["field.choice"]);

  const farClerk = (await rejection(
    createUser({
      scope: official,
      input: { ...cadreInput(world.townships[0].id), role: "clerk", townshipId: undefined, cooperativeId: farCoop.id },
    }),
  )) as ValidationError;
  expect(farClerk.fieldErrors.cooperativeId).toEqual(["field.choice"]);

  const clerk = await createUser({
    scope: official,
    input: { ...cadreInput(world.townships[0].id), role: "clerk", cooperativeId: coop.id },
  });
  // a clerk's township field is cleared: the cooperative decides where they work
  const managed = await getManagedUser({ scope: official, id: clerk.id });
  expect(managed).toMatchObject({ role: "clerk", cooperativeId: coop.id, townshipId: null });
});

test("a username is taken whatever its case; nothing is written", async () => {
  const { d, world, admin } = await setup();
  const username = unique("Wang");
  await createUser({ scope: admin, input: cadreInput(world.townships[0].id, username) });
  const before = await d.select().from(users);
  const error = (await rejection(
    createUser({ scope: admin, input: cadreInput(world.townships[1].id, username.toLowerCase()) }),
  )) as ValidationError;
  expect(error.fieldErrors.username).toEqual(["users.error.usernameTaken"]);
  expect(await d.select().from(users)).toHaveLength(before.length);
});

test("each manager sees their own accounts: the admin the county, an official the township's cadres and clerks", async () => {
  const { d, world, admin, official, farOfficial, coop, farCoop } = await setup();
  const near = await f.createUser(d, world, "cadre", { townshipIndex: 0 });
  const far = await f.createUser(d, world, "cadre", { townshipIndex: 1 });
  const nearClerk = await f.createUser(d, world, "clerk", { cooperativeId: coop.id });
  const farClerk = await f.createUser(d, world, "clerk", { cooperativeId: farCoop.id });

  const ids = async (scope: typeof admin) =>
    (await listUsers({ scope, params: { page: 1 } })).rows.map((r) => r.id).sort();
  expect(await ids(official)).toEqual([near.id, nearClerk.id].sort());
  expect(await ids(farOfficial)).toEqual([far.id, farClerk.id].sort());
  const all = await ids(admin);
  for (const id of [near.id, far.id, nearClerk.id, farClerk.id, official.userId, farOfficial.userId, admin.userId])
    expect(all).toContain(id);

  // out of scope is not found, in reads and in writes alike
  expect(await getManagedUser({ scope: official, id: far.id })).toBeNull();
  expect(await getManagedUser({ scope: official, id: farOfficial.userId })).toBeNull();
  expect(await rejection(setUserActive({ scope: official, id: far.id, version: 1, active: false }))).toBeInstanceOf(
    NotFoundError,
  );
  expect(await rejection(resetUserPassword({ scope: official, id: admin.userId, version: 1 }))).toBeInstanceOf(
    NotFoundError,
  );

  const filtered = await listUsers({
    scope: admin,
    params: { page: 1, role: "clerk", townshipId: world.townships[1].id },
  });
  expect(filtered.rows.map((r) => r.id)).toEqual([farClerk.id]);
});

test("deactivating a user ends their sessions at once; a cadre who still holds households is refused", async () => {
  const { d, world, official } = await setup();
  const cadre = await f.createUser(d, world, "cadre", { townshipIndex: 0 });
  const session = await login({ username: cadre.username, password: f.TEST_PASSWORD });
  const household = await f.createHousehold(d, world);
  const pairing = await f.assignCadre(d, world, household.id, cadre.id);

  const held = (await rejection(
    setUserActive({ scope: official, id: cadre.id, version: 1, active: false }),
  )) as ValidationError;
  expect(held.formErrors[0]).toMatch(/^users\.error\.holdsHouseholds\|/);
  expect(await getSessionUser(session!.token)).not.toBeNull();

  await f.endAssignment(d, pairing.id);
  const done = await setUserActive({ scope: official, id: cadre.id, version: 1, active: false });
  expect(await getSessionUser(session!.token)).toBeNull();
  expect(await d.select().from(sessions).where(eq(sessions.userId, cadre.id))).toHaveLength(0);
  expect(await login({ username: cadre.username, password: f.TEST_PASSWORD })).toBeNull();

  await setUserActive({ scope: official, id: cadre.id, version: done.version, active: true });
  expect(await login({ username: cadre.username, password: f.TEST_PASSWORD })).not.toBeNull();
  const actions = (await d.select().from(auditLog).where(eq(auditLog.entityId, cadre.id))).map((a) => a.action);
  expect(actions).toEqual(expect.arrayContaining(["user.deactivate", "user.reactivate"]));
});

test("an edit from a stale page is refused; a cadre holding households is not moved to another township", async () => {
  const { d, world, admin } = await setup();
  const cadre = await f.createUser(d, world, "cadre", { townshipIndex: 0 });
  const input = { displayName: "李四", phone: null, role: "cadre" as const, townshipId: world.townships[0].id };
  const saved = await updateUser({ scope: admin, id: cadre.id, version: 1, input });
  expect(saved.version).toBe(2);
  expect(await rejection(updateUser({ scope: admin, id: cadre.id, version: 1, input }))).toBeInstanceOf(ConflictError);

  const household = await f.createHousehold(d, world);
  await f.assignCadre(d, world, household.id, cadre.id);
  const moved = (await rejection(
    updateUser({ scope: admin, id: cadre.id, version: 2, input: { ...input, townshipId: world.townships[1].id } }),
  )) as ValidationError;
  expect(moved.formErrors[0]).toMatch(/^users\.error\.holdsHouseholds\|/);
  const [row] = await d.select().from(users).where(eq(users.id, cadre.id));
  expect(row).toMatchObject({ townshipId: world.townships[0].id, version: 2, displayName: "李四" });
});

test("nobody manages their own account here: the own page offers nothing and a write is refused", async () => {
  const { admin } = await setup();
  const own = await getManagedUser({ scope: admin, id: admin.userId });
  expect(own?.can).toEqual({ edit: false, deactivate: false, reactivate: false, resetPassword: false });
  await expect(setUserActive({ scope: admin, id: admin.userId, version: 1, active: false })).rejects.toThrow();
});

test("a reset gives a new one-time password, ends the sessions, and the old password stops working", async () => {
  const { d, world, official } = await setup();
  const cadre = await f.createUser(d, world, "cadre", { townshipIndex: 0 });
  const session = await login({ username: cadre.username, password: f.TEST_PASSWORD });
  const reset = await resetUserPassword({ scope: official, id: cadre.id, version: 1 });
  expect(await getSessionUser(session!.token)).toBeNull();
  expect(await login({ username: cadre.username, password: f.TEST_PASSWORD })).toBeNull();
  const fresh = await login({ username: cadre.username, password: reset.oneTimePassword });
  expect((await getSessionUser(fresh!.token))?.mustChangePassword).toBe(true);
  const [audit] = await d
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.entityId, cadre.id), eq(auditLog.action, "user.password_reset")));
  expect(JSON.stringify(audit)).not.toContain(reset.oneTimePassword);
});

test("changing one's own password: the current one, the policy, and every session ends", async () => {
  const { d, world } = await setup();
  const cadre = await f.createUser(d, world, "cadre", { townshipIndex: 0, username: unique("zhang") });
  const first = await login({ username: cadre.username, password: f.TEST_PASSWORD });
  const second = await login({ username: cadre.username, password: f.TEST_PASSWORD });
  const change = (currentPassword: string, newPassword: string) =>
    rejection(changeOwnPassword({ userId: cadre.id, currentPassword, newPassword })) as Promise<ValidationError>;

  expect((await change("wrong password", "a-fine-new-pass")).fieldErrors).toEqual({
    currentPassword: ["account.error.currentWrong"],
  });
  expect((await change(f.TEST_PASSWORD, "password123")).fieldErrors.newPassword).toContain("password.common");
  expect((await change(f.TEST_PASSWORD, `${cadre.username}-2026`)).fieldErrors.newPassword).toContain(
    "password.containsUsername",
  );
  expect((await change(f.TEST_PASSWORD, f.TEST_PASSWORD)).fieldErrors.newPassword).toEqual(["account.error.sameAsOld"]);
  expect(await getSessionUser(first!.token)).not.toBeNull();

  await changeOwnPassword({ userId: cadre.id, currentPassword: f.TEST_PASSWORD, newPassword: "西红柿炒鸡蛋2026" });
  expect(await getSessionUser(first!.token)).toBeNull();
  expect(await getSessionUser(second!.token)).toBeNull();
  expect(await login({ username: cadre.username, password: "西红柿炒鸡蛋2026" })).not.toBeNull();
  const [row] = await d.select().from(users).where(eq(users.id, cadre.id));
  expect(row.mustChangePassword).toBe(false);
});

test("the first administrator is made by a command, with the county when the database has none", async () => {
  const d = await db();
  const code = String(600000 + Math.floor(Math.random() * 99999));
  const noName = (await rejection(
    createUserFromCommand({
      username: unique("root"),
      displayName: "管理员",
      role: "admin",
      countyCode: code,
      password: "a-long-pass-phrase",
    }),
  )) as ValidationError;
  expect(noName.fieldErrors.countyName).toEqual(["users.error.countyNameRequired"]);
  const weak = (await rejection(
    createUserFromCommand({
      username: unique("root"),
      displayName: "管理员",
      role: "admin",
      countyCode: code,
      countyName: "新县",
      password: "12345678",
    }),
  )) as ValidationError;
  expect(weak.fieldErrors.password).toContain("password.common");
  expect(await d.select().from(regions).where(eq(regions.code, code))).toHaveLength(0);

  const username = unique("root");
  const created = await createUserFromCommand({
    username,
    displayName: "管理员",
    role: "admin",
    countyCode: code,
    countyName: "新县",
    password: "a-long-pass-phrase",
  });
  const [county] = await d.select().from(regions).where(eq(regions.code, code));
  expect(county).toMatchObject({ level: "county", name: "新县", id: created.countyId });
  const session = await login({ username, password: "a-long-pass-phrase" });
  const user = await getSessionUser(session!.token);
  expect(user).toMatchObject({ role: "admin", countyId: county.id, mustChangePassword: false });
  const [audit] = await d.select().from(auditLog).where(eq(auditLog.entityId, created.id));
  expect(audit).toMatchObject({ action: "user.create_by_command", userId: null });
});

raceTest("two managers creating the same username at once: one account, one clear refusal", async () => {
  const { d, world, admin, official } = await setup();
  const username = unique("same");
  const results = await Promise.allSettled([
    createUser({ scope: admin, input: cadreInput(world.townships[0].id, username) }),
    createUser({ scope: official, input: cadreInput(world.townships[0].id, username) }),
  ]);
  expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
  expect((refused.reason as ValidationError).fieldErrors.username).toEqual(["users.error.usernameTaken"]);
  expect(await d.select().from(users).where(eq(users.username, username))).toHaveLength(1);
});
