// The plan (一户一策): domain rules 3, 5 and 6 held by the model layer, with an audit row per change.
import { and, eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { auditLog, planEvents, plans } from "../../db/schema";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "~/models/errors.server";
import { createPlan, getHouseholdPlans, transitionPlan, updatePlan } from "~/models/plans.server";
import { scopeOf } from "~/models/scope.server";
import type { PlanContent } from "~/schemas/plan";
import { db } from "~/utils/db.server";
import { assignCadre, createHousehold, createUser, createWorld } from "../support/factories";
import { raceTest } from "../support/test-db";

const content = (over: Partial<PlanContent> = {}): PlanContent => ({
  courtyardArea: 600,
  livingArea: 200,
  plantingArea: 300,
  raisingArea: 80,
  plantingItems: [
    { cropCode: "chili", area: 150, expectedYieldKg: 450 },
    { cropCode: "cowpea", area: 100, expectedYieldKg: 250 },
  ],
  raisingItems: [{ animalCode: "chicken", headCount: 30 }],
  measures: ["种植辣椒0.2亩，签订订单", "养鸡30只"],
  incomeTargetFen: 1_200_000,
  ...over,
});

async function setup() {
  const d = await db();
  const world = await createWorld(d);
  const cadreUser = await createUser(d, world, "cadre");
  const officialUser = await createUser(d, world, "official");
  const household = await createHousehold(d, world);
  await assignCadre(d, world, household.id, cadreUser.id);
  return { d, world, household, cadre: scopeOf(cadreUser), official: scopeOf(officialUser) };
}

async function rejection(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the model to refuse");
}

test("a cadre creates a draft plan for their household; items, first event and audit row are written", async () => {
  const { d, household, cadre } = await setup();
  const plan = await createPlan({ scope: cadre, householdId: household.id, year: 2026, content: content() });
  const [saved] = await getHouseholdPlans({ scope: cadre, householdId: household.id });
  expect(saved.id).toBe(plan.id);
  expect(saved.status).toBe("draft");
  expect(saved.plantingItems.map((i) => [i.cropZh, i.area])).toEqual([
    ["辣椒", 150],
    ["豇豆角", 100],
  ]);
  expect(saved.raisingItems.map((i) => [i.animalCode, i.headCount])).toEqual([["chicken", 30]]);
  expect(saved.measures).toEqual(["种植辣椒0.2亩，签订订单", "养鸡30只"]);
  expect(saved.events.map((e) => e.toStatus)).toEqual(["draft"]);
  const audit = await d.select().from(auditLog).where(eq(auditLog.entityId, plan.id));
  expect(audit).toHaveLength(1);
  expect(audit[0]).toMatchObject({ action: "plan.create", householdId: household.id, userId: cadre.userId });
  expect((audit[0].after as { plantingItems: unknown[] }).plantingItems).toHaveLength(2);
});

test("zones larger than the courtyard are refused at the courtyard field, and nothing is written", async () => {
  const { d, household, cadre } = await setup();
  const error = await rejection(
    createPlan({
      scope: cadre,
      householdId: household.id,
      year: 2026,
      content: content({ livingArea: 300, plantingArea: 250, raisingArea: 80 }),
    }),
  );
  expect(error).toBeInstanceOf(ValidationError);
  expect((error as ValidationError).fieldErrors.courtyardArea[0]).toMatch(/^plan\.error\.zonesExceedCourtyard\|/);
  expect(await d.select().from(plans).where(eq(plans.householdId, household.id))).toHaveLength(0);
  expect(await d.select().from(auditLog).where(eq(auditLog.householdId, household.id))).toHaveLength(0);
});

test("crops larger than the planting zone are refused", async () => {
  const { household, cadre } = await setup();
  const error = await rejection(
    createPlan({
      scope: cadre,
      householdId: household.id,
      year: 2026,
      content: content({ plantingArea: 200 }), // items total 250
    }),
  );
  expect((error as ValidationError).fieldErrors.plantingItems[0]).toMatch(/^plan\.error\.cropsExceedPlantingZone\|/);
});

test("animals need a raising zone", async () => {
  const { household, cadre } = await setup();
  const error = await rejection(
    createPlan({ scope: cadre, householdId: household.id, year: 2026, content: content({ raisingArea: 0 }) }),
  );
  expect((error as ValidationError).fieldErrors.raisingItems).toEqual(["plan.error.raisingNeedsZone"]);
  // without animals, no raising zone is fine
  await createPlan({
    scope: cadre,
    householdId: household.id,
    year: 2026,
    content: content({ raisingArea: 0, raisingItems: [] }),
  });
});

test("an unknown crop is refused at its row", async () => {
  const { household, cadre } = await setup();
  const error = await rejection(
    createPlan({
      scope: cadre,
      householdId: household.id,
      year: 2026,
      content: content({ plantingItems: [{ cropCode: "durian", area: 10, expectedYieldKg: 1 }] }),
    }),
  );
  expect((error as ValidationError).fieldErrors["plantingItems[0].cropCode"]).toEqual(["plan.error.unknownCrop"]);
});

test("one plan per household per year: a second is refused with a message", async () => {
  const { d, household, cadre, official } = await setup();
  await createPlan({ scope: cadre, householdId: household.id, year: 2026, content: content() });
  const error = await rejection(
    createPlan({ scope: official, householdId: household.id, year: 2026, content: content() }),
  );
  expect((error as ValidationError).formErrors).toEqual(["plan.error.exists"]);
  expect(await d.select().from(plans).where(eq(plans.householdId, household.id))).toHaveLength(1);
});

raceTest("one plan per household per year, also when two requests race", async () => {
  const { d, household, cadre, official } = await setup();
  const results = await Promise.allSettled([
    createPlan({ scope: cadre, householdId: household.id, year: 2026, content: content() }),
    createPlan({ scope: official, householdId: household.id, year: 2026, content: content() }),
  ]);
  expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
  expect(refused.reason).toBeInstanceOf(ValidationError);
  expect((refused.reason as ValidationError).formErrors).toEqual(["plan.error.exists"]);
  expect(await d.select().from(plans).where(eq(plans.householdId, household.id))).toHaveLength(1);
});

test("a cadre cannot plan for a household that is not theirs (404), a clerk cannot plan at all", async () => {
  const { d, world, household } = await setup();
  const stranger = scopeOf(await createUser(d, world, "cadre"));
  expect(
    await rejection(createPlan({ scope: stranger, householdId: household.id, year: 2026, content: content() })),
  ).toBeInstanceOf(NotFoundError);
  const otherOfficial = scopeOf(await createUser(d, world, "official", { townshipIndex: 1 }));
  expect(
    await rejection(createPlan({ scope: otherOfficial, householdId: household.id, year: 2026, content: content() })),
  ).toBeInstanceOf(NotFoundError);
  const clerk = {
    role: "clerk" as const,
    userId: stranger.userId,
    countyId: world.county.id,
    cooperativeId: household.id,
  };
  expect(
    await rejection(createPlan({ scope: clerk, householdId: household.id, year: 2026, content: content() })),
  ).toBeInstanceOf(ForbiddenError);
});

test("the workflow: submit, return with a reason, fix, resubmit, approve, start, complete — each step recorded", async () => {
  const { d, household, cadre, official } = await setup();
  const plan = await createPlan({ scope: cadre, householdId: household.id, year: 2026, content: content() });
  let v = 1;
  v = (await transitionPlan({ scope: cadre, planId: plan.id, transition: { intent: "submit", version: v } })).version;
  // a cadre may not approve
  expect(
    await rejection(transitionPlan({ scope: cadre, planId: plan.id, transition: { intent: "approve", version: v } })),
  ).toBeInstanceOf(ForbiddenError);
  // submitted plans are not edited
  expect(await rejection(updatePlan({ scope: cadre, planId: plan.id, version: v, content: content() }))).toBeInstanceOf(
    ForbiddenError,
  );
  v = (
    await transitionPlan({
      scope: official,
      planId: plan.id,
      transition: { intent: "return", version: v, reason: "辣椒面积偏大，请核实" },
    })
  ).version;
  v = (await updatePlan({ scope: cadre, planId: plan.id, version: v, content: content({ plantingItems: [] }) }))
    .version;
  v = (await transitionPlan({ scope: cadre, planId: plan.id, transition: { intent: "submit", version: v } })).version;
  v = (await transitionPlan({ scope: official, planId: plan.id, transition: { intent: "approve", version: v } }))
    .version;
  v = (await transitionPlan({ scope: cadre, planId: plan.id, transition: { intent: "start", version: v } })).version;
  expect(
    await rejection(transitionPlan({ scope: cadre, planId: plan.id, transition: { intent: "complete", version: v } })),
  ).toBeInstanceOf(ForbiddenError);
  await transitionPlan({ scope: official, planId: plan.id, transition: { intent: "complete", version: v } });

  const events = await d.select().from(planEvents).where(eq(planEvents.planId, plan.id)).orderBy(planEvents.at);
  expect(events.map((e) => `${e.fromStatus ?? ""}>${e.toStatus}`)).toEqual([
    ">draft",
    "draft>submitted",
    "submitted>returned",
    "returned>submitted",
    "submitted>approved",
    "approved>in_progress",
    "in_progress>completed",
  ]);
  expect(events.find((e) => e.toStatus === "returned")?.reason).toBe("辣椒面积偏大，请核实");
  expect(events.find((e) => e.toStatus === "approved")?.userId).toBe(official.userId);
  const actions = (await d.select().from(auditLog).where(eq(auditLog.entityId, plan.id)).orderBy(auditLog.id)).map(
    (a) => a.action,
  );
  expect(actions).toEqual([
    "plan.create",
    "plan.submit",
    "plan.return",
    "plan.update",
    "plan.submit",
    "plan.approve",
    "plan.start",
    "plan.complete",
  ]);
});

test("a step from the wrong state is refused with a message", async () => {
  const { household, cadre, official } = await setup();
  const plan = await createPlan({ scope: cadre, householdId: household.id, year: 2026, content: content() });
  const error = await rejection(
    transitionPlan({ scope: official, planId: plan.id, transition: { intent: "approve", version: 1 } }),
  );
  expect((error as ValidationError).formErrors).toEqual(["plan.error.cannot.approve"]);
});

test("the second of two saves from the same version is refused and the first stands", async () => {
  const { d, household, cadre, official } = await setup();
  const plan = await createPlan({ scope: cadre, householdId: household.id, year: 2026, content: content() });
  await updatePlan({ scope: cadre, planId: plan.id, version: 1, content: content({ incomeTargetFen: 1_500_000 }) });
  const second = await rejection(
    updatePlan({ scope: official, planId: plan.id, version: 1, content: content({ incomeTargetFen: 900_000 }) }),
  );
  expect(second).toBeInstanceOf(ConflictError);
  const [row] = await d.select().from(plans).where(eq(plans.id, plan.id));
  expect(row.incomeTargetFen).toBe(1_500_000);
  expect(row.version).toBe(2);
});

raceTest("concurrent saves from one version: exactly one wins", async () => {
  const { d, household, cadre, official } = await setup();
  const plan = await createPlan({ scope: cadre, householdId: household.id, year: 2026, content: content() });
  const results = await Promise.allSettled(
    [1_000_000, 2_000_000, 3_000_000, 4_000_000].map((fen, i) =>
      updatePlan({
        scope: i % 2 ? official : cadre,
        planId: plan.id,
        version: 1,
        content: content({ incomeTargetFen: fen }),
      }),
    ),
  );
  expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  for (const r of results.filter((r) => r.status === "rejected")) {
    expect((r as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError);
  }
  const audits = await d
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.entityId, plan.id), eq(auditLog.action, "plan.update")));
  expect(audits).toHaveLength(1);
});

test("the audit row of an update holds the plan before and after", async () => {
  const { d, household, cadre } = await setup();
  const plan = await createPlan({ scope: cadre, householdId: household.id, year: 2026, content: content() });
  await updatePlan({ scope: cadre, planId: plan.id, version: 1, content: content({ livingArea: 150 }) });
  const [row] = await d
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.entityId, plan.id), eq(auditLog.action, "plan.update")));
  expect((row.before as { livingArea: number }).livingArea).toBe(200);
  expect((row.after as { livingArea: number }).livingArea).toBe(150);
  expect((row.after as { version: number }).version).toBe(2);
});

test("a step names the household: a plan of another household in scope is not found through it", async () => {
  const { d, world, household, cadre } = await setup();
  const other = await createHousehold(d, world);
  await assignCadre(d, world, other.id, cadre.userId);
  const plan = await createPlan({ scope: cadre, householdId: other.id, year: 2026, content: content() });
  expect(
    await rejection(
      transitionPlan({
        scope: cadre,
        planId: plan.id,
        householdId: household.id,
        transition: { intent: "submit", version: 1 },
      }),
    ),
  ).toBeInstanceOf(NotFoundError);
});
