// The phone's outbox sends a kept visit to /households/:id/checks/upload and files the answer: saved
// (also for a visit sent again), the plan changed (409, until the cadre acknowledges it), refused with the
// messages (400), or 404 when the household is no longer the cadre's. Signing out clears the phone.
import { asc, eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { checks, plans } from "../../db/schema";
import { todayISO } from "~/utils/dates";
import { db } from "~/utils/db.server";
import { handle, ORIGIN, signIn } from "../support/built-app";
import * as f from "../support/factories";

async function upload(cookie: string, householdId: string, fields: Record<string, string>) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  const res = await handle(
    new Request(`${ORIGIN}/households/${householdId}/checks/upload`, {
      method: "POST",
      headers: { Cookie: cookie, Origin: ORIGIN, Host: "localhost", "X-Outbox-Check": fields.clientId ?? "" },
      body: form,
    }),
  );
  const text = await res.text();
  return { status: res.status, answer: res.headers.get("Content-Type")?.includes("json") ? JSON.parse(text) : text };
}

const visit = (over: Record<string, string> = {}) => ({
  clientId: crypto.randomUUID(),
  visitedOn: todayISO(),
  livingStatus: "on_track",
  plantingStatus: "on_track",
  raisingStatus: "behind",
  problems: "鸡舍漏雨",
  ...over,
});

async function setup() {
  const d = await db();
  const world = await f.createWorld(d);
  const cadre = await f.createUser(d, world, "cadre");
  const household = await f.createHousehold(d, world);
  const assignment = await f.assignCadre(d, world, household.id, cadre.id, "2025-01-01");
  return { d, world, cadre, household, assignment, cookie: await signIn(cadre.username) };
}

const checksOf = async (householdId: string) =>
  (await db())
    .select({ id: checks.id, clientId: checks.clientId })
    .from(checks)
    .where(eq(checks.householdId, householdId))
    .orderBy(asc(checks.createdAt));

test("a kept visit is saved once however often it is sent", async () => {
  const { household, cookie } = await setup();
  const fields = visit();
  const first = await upload(cookie, household.id, fields);
  expect(first).toMatchObject({ status: 200, answer: { outcome: "saved" } });
  const again = await upload(cookie, household.id, fields);
  expect(again).toEqual(first);
  expect(await checksOf(household.id)).toEqual([{ id: first.answer.checkId, clientId: fields.clientId }]);
});

test("a visit filled against an older plan waits for the cadre; sent acknowledging the new plan, it is saved", async () => {
  const { d, world, household, cookie } = await setup();
  const plan = await f.createPlan(d, world, household.id, { year: Number(todayISO().slice(0, 4)) });
  await d.update(plans).set({ version: 3 }).where(eq(plans.id, plan.id));
  const fields = visit({ planVersion: "1" });
  expect(await upload(cookie, household.id, fields)).toEqual({ status: 409, answer: { outcome: "planChanged" } });
  expect(await checksOf(household.id)).toEqual([]);
  const acknowledged = await upload(cookie, household.id, { ...fields, planAcknowledged: "on" });
  expect(acknowledged).toMatchObject({ status: 200, answer: { outcome: "saved" } });
});

test("a visit the rules refuse comes back with the messages, and nothing is written", async () => {
  const { household, cookie } = await setup();
  const answer = await upload(cookie, household.id, visit({ visitedOn: "2099-01-01" }));
  expect(answer).toEqual({ status: 400, answer: { outcome: "refused", errors: ["check.error.visitInFuture"] } });
  expect(await checksOf(household.id)).toEqual([]);
});

test("a household handed to another cadre answers 404, except to a visit it already recorded", async () => {
  const { d, world, household, assignment, cookie } = await setup();
  const recorded = visit();
  const saved = await upload(cookie, household.id, recorded);
  await f.endAssignment(d, assignment.id, todayISO());
  await f.assignCadre(d, world, household.id, (await f.createUser(d, world, "cadre")).id, todayISO());
  expect((await upload(cookie, household.id, visit())).status).toBe(404);
  // the answer to the first post was lost on the way: sent again, it is the same check
  expect(await upload(cookie, household.id, recorded)).toEqual(saved);
  expect(await checksOf(household.id)).toHaveLength(1);
});

test("signing out tells the browser to clear the phone's copies and storage", async () => {
  const { cookie } = await setup();
  const res = await handle(
    new Request(`${ORIGIN}/logout`, { method: "POST", headers: { Cookie: cookie, Origin: ORIGIN, Host: "localhost" } }),
  );
  expect(res.status).toBe(302);
  expect(res.headers.get("Clear-Site-Data")).toBe('"cache", "storage"');
});
