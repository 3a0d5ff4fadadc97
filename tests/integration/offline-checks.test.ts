// A visit saved on a phone and sent later: a post sent twice (a sync retried after its answer was lost,
// or two at once) records one check; a plan changed since the form was filled is not silently applied;
// a household handed to another cadre refuses the visit — unless the visit was already recorded.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { asc, eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { checks, plans } from "../../db/schema";
import { findCheckByClientId, recordCheck } from "~/models/checks.server";
import { NotFoundError, ValidationError } from "~/models/errors.server";
import { scopeOf } from "~/models/scope.server";
import type { CheckInput } from "~/schemas/check";
import { db } from "~/utils/db.server";
import { assignCadre, createHousehold, createPlan, createUser, createWorld, endAssignment } from "../support/factories";

process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "tingyuan-offline-checks-"));

const TODAY = "2026-11-26";
const input = (over: Partial<CheckInput> = {}): CheckInput => ({
  visitedOn: "2026-11-20",
  livingStatus: "on_track",
  plantingStatus: "behind",
  raisingStatus: "on_track",
  seen: "辣椒长势好",
  ...over,
});

async function setup() {
  const d = await db();
  const world = await createWorld(d);
  const cadreUser = await createUser(d, world, "cadre");
  const household = await createHousehold(d, world);
  const assignment = await assignCadre(d, world, household.id, cadreUser.id);
  return { d, world, household, assignment, cadre: scopeOf(cadreUser) };
}

async function rejection(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the model to refuse");
}

const checksOf = async (householdId: string) =>
  (await db()).select().from(checks).where(eq(checks.householdId, householdId)).orderBy(asc(checks.createdAt));

test("the same visit sent again answers with the check its first post recorded", async () => {
  const { household, cadre } = await setup();
  const clientId = crypto.randomUUID();
  const first = await recordCheck({
    scope: cadre,
    householdId: household.id,
    input: input({ clientId }),
    today: TODAY,
  });
  expect(first.duplicate).toBe(false);
  const again = await recordCheck({
    scope: cadre,
    householdId: household.id,
    input: input({ clientId }),
    today: TODAY,
  });
  expect(again).toMatchObject({ id: first.id, duplicate: true });
  const rows = await checksOf(household.id);
  expect(rows.map((r) => [r.id, r.clientId])).toEqual([[first.id, clientId]]);
  // another visit of the same household is another check
  await recordCheck({
    scope: cadre,
    householdId: household.id,
    input: input({ clientId: crypto.randomUUID() }),
    today: TODAY,
  });
  expect(await checksOf(household.id)).toHaveLength(2);
});

test("two posts of the same visit at once record it once, and both answer with that check", async () => {
  const { household, cadre } = await setup();
  const clientId = crypto.randomUUID();
  const send = () => recordCheck({ scope: cadre, householdId: household.id, input: input({ clientId }), today: TODAY });
  const answers = await Promise.all([send(), send(), send()]);
  const rows = await checksOf(household.id);
  expect(rows).toHaveLength(1);
  expect(answers.map((a) => a.id)).toEqual([rows[0].id, rows[0].id, rows[0].id]);
  expect(answers.filter((a) => !a.duplicate)).toHaveLength(1);
});

test("a visit filled against an older plan is refused unless the cadre acknowledges the new one", async () => {
  const { d, world, household, cadre } = await setup();
  const plan = await createPlan(d, world, household.id);
  // the form showed version 1; the plan has been changed since
  await d.update(plans).set({ version: 2 }).where(eq(plans.id, plan.id));
  const stale = await rejection(
    recordCheck({ scope: cadre, householdId: household.id, input: input({ planVersion: 1 }), today: TODAY }),
  );
  expect(stale).toBeInstanceOf(ValidationError);
  expect((stale as ValidationError).formErrors).toEqual(["check.error.planChanged"]);
  expect(await checksOf(household.id)).toHaveLength(0);

  const acknowledged = await recordCheck({
    scope: cadre,
    householdId: household.id,
    input: input({ planVersion: 1, planAcknowledged: "on" }),
    today: TODAY,
  });
  expect(acknowledged.planId).toBe(plan.id);
  // filled against the plan as it is: no question asked
  await recordCheck({ scope: cadre, householdId: household.id, input: input({ planVersion: 2 }), today: TODAY });
  expect(await checksOf(household.id)).toHaveLength(2);
});

test("a form that showed no plan conflicts with a plan made since; a visit of another year is not compared", async () => {
  const { d, world, household, cadre } = await setup();
  await createPlan(d, world, household.id);
  expect(
    await rejection(
      recordCheck({ scope: cadre, householdId: household.id, input: input({ planVersion: 0 }), today: TODAY }),
    ),
  ).toBeInstanceOf(ValidationError);
  // visited last December, saved in January: this year's plan is not the one the visit was about
  const lastYear = await recordCheck({
    scope: cadre,
    householdId: household.id,
    input: input({ visitedOn: "2025-12-30", planVersion: 0 }),
    today: "2026-01-03",
  });
  expect(lastYear.planId).toBeNull();
});

test("a household handed to another cadre refuses the visit, but a visit it already recorded is still found", async () => {
  const { d, world, household, assignment, cadre } = await setup();
  const recordedId = crypto.randomUUID();
  const recorded = await recordCheck({
    scope: cadre,
    householdId: household.id,
    input: input({ clientId: recordedId }),
    today: TODAY,
  });
  await endAssignment(d, assignment.id, "2026-11-21");
  const next = await createUser(d, world, "cadre");
  await assignCadre(d, world, household.id, next.id, "2026-11-22");

  const refused = await rejection(
    recordCheck({
      scope: cadre,
      householdId: household.id,
      input: input({ clientId: crypto.randomUUID() }),
      today: TODAY,
    }),
  );
  expect(refused).toBeInstanceOf(NotFoundError);
  // the answer to the first post was lost: the retry finds it, though the household is no longer theirs
  const retried = await recordCheck({
    scope: cadre,
    householdId: household.id,
    input: input({ clientId: recordedId }),
    today: TODAY,
  });
  expect(retried).toMatchObject({ id: recorded.id, duplicate: true });
  expect((await findCheckByClientId(cadre, recordedId))?.id).toBe(recorded.id);
  // another cadre cannot find it by its client id, nor record under it
  const nextScope = scopeOf(next);
  expect(await findCheckByClientId(nextScope, recordedId)).toBeUndefined();
  expect(
    await rejection(
      recordCheck({
        scope: nextScope,
        householdId: household.id,
        input: input({ clientId: recordedId }),
        today: TODAY,
      }),
    ),
  ).toBeInstanceOf(ValidationError);
  expect(await checksOf(household.id)).toHaveLength(1);
});
