// Amendments of an approved or running plan (domain rule 10): proposed by the household's cadre, decided by an
// official of the township, written into the plan on approval with its audit, told field by field.
import { and, eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { auditLog, planAmendments, plans } from "../../db/schema";
import { amendmentQueue, pendingApprovalCount } from "~/models/approvals.server";
import { decideAmendment, getPlanAmendments, proposeAmendment, reviseAmendment } from "~/models/amendments.server";
import { ConflictError, ForbiddenError, NotFoundError, type ValidationError } from "~/models/errors.server";
import { createPlan, getHouseholdPlans, transitionPlan } from "~/models/plans.server";
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

/** The chili failed: potato instead, a larger planting zone, a lower target. */
const changed = () =>
  content({
    livingArea: 150,
    plantingArea: 350,
    plantingItems: [
      { cropCode: "cowpea", area: 100, expectedYieldKg: 250 },
      { cropCode: "potato", area: 200, expectedYieldKg: 600 },
    ],
    incomeTargetFen: 1_000_000,
  });

async function setup(status: "approve" | "start" | "draft" = "approve") {
  const d = await db();
  const world = await createWorld(d);
  const cadreUser = await createUser(d, world, "cadre");
  const officialUser = await createUser(d, world, "official");
  const household = await createHousehold(d, world);
  await assignCadre(d, world, household.id, cadreUser.id);
  const cadre = scopeOf(cadreUser);
  const official = scopeOf(officialUser);
  const plan = await createPlanIn(household.id, cadre, official, status);
  return { d, world, household, cadre, official, plan };
}

async function createPlanIn(
  householdId: string,
  cadre: ReturnType<typeof scopeOf>,
  official: ReturnType<typeof scopeOf>,
  status: "approve" | "start" | "draft",
) {
  const plan = await createPlan({ scope: cadre, householdId, year: 2026, content: content() });
  if (status === "draft") return plan;
  let v = (await transitionPlan({ scope: cadre, planId: plan.id, transition: { intent: "submit", version: 1 } }))
    .version;
  v = (await transitionPlan({ scope: official, planId: plan.id, transition: { intent: "approve", version: v } }))
    .version;
  if (status === "start")
    await transitionPlan({ scope: cadre, planId: plan.id, transition: { intent: "start", version: v } });
  return plan;
}

async function rejection(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the model to refuse");
}

const formErrors = (error: unknown) => (error as ValidationError).formErrors;

test("a cadre proposes a change to a running plan; the official approves it: the plan holds the new content, keeps its status, and the history tells each field", async () => {
  const { d, household, cadre, official, plan } = await setup("start");
  const amendment = await proposeAmendment({
    scope: cadre,
    householdId: household.id,
    planId: plan.id,
    content: changed(),
    reason: "辣椒遭霜冻，改种马铃薯",
  });
  expect(amendment.status).toBe("submitted");
  // the plan runs on as approved meanwhile
  let [row] = await d.select().from(plans).where(eq(plans.id, plan.id));
  expect(row.livingArea).toBe(200);
  expect(await pendingApprovalCount({ scope: official })).toBe(1);

  const open = (await getPlanAmendments({ scope: official, planId: plan.id }))!.open!;
  expect(open.can).toMatchObject({ approve: true, return: true });
  expect(open.changes).toEqual([
    { kind: "zone", field: "livingArea", from: 200, to: 150 },
    { kind: "zone", field: "plantingArea", from: 300, to: 350 },
    {
      kind: "crop",
      crop: expect.objectContaining({ code: "chili", zh: "辣椒" }),
      from: { area: 150, expectedYieldKg: 450 },
      to: null,
    },
    {
      kind: "crop",
      crop: expect.objectContaining({ code: "potato", zh: "马铃薯" }),
      from: null,
      to: { area: 200, expectedYieldKg: 600 },
    },
    { kind: "incomeTarget", from: 1_200_000, to: 1_000_000 },
  ]);

  await decideAmendment({
    scope: official,
    householdId: household.id,
    decision: { intent: "amendment-approve", amendmentId: amendment.id, version: amendment.version },
  });
  [row] = await d.select().from(plans).where(eq(plans.id, plan.id));
  expect(row.status).toBe("in_progress");
  expect(row.livingArea).toBe(150);
  expect(row.incomeTargetFen).toBe(1_000_000);
  const [saved] = await getHouseholdPlans({ scope: cadre, householdId: household.id });
  expect(saved.plantingItems.map((i) => [i.cropCode, i.area])).toEqual([
    ["cowpea", 100],
    ["potato", 200],
  ]);
  expect(await pendingApprovalCount({ scope: official })).toBe(0);

  const audit = await d
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.entityId, plan.id), eq(auditLog.action, "plan.amend")));
  expect(audit).toHaveLength(1);
  expect(audit[0].userId).toBe(official.userId);
  expect((audit[0].before as { livingArea: number }).livingArea).toBe(200);
  expect((audit[0].after as { livingArea: number }).livingArea).toBe(150);

  const history = (await getPlanAmendments({ scope: cadre, planId: plan.id }))!;
  expect(history.open).toBeNull();
  expect(history.can.propose).toBe(true);
  expect(history.past).toHaveLength(1);
  expect(history.past[0]).toMatchObject({
    status: "approved",
    reason: "辣椒遭霜冻，改种马铃薯",
    proposedByName: expect.stringMatching(/^cadre/),
    decidedByName: expect.stringMatching(/^official/),
  });
  expect(history.past[0].changes.map((c) => c.kind)).toEqual(["zone", "zone", "crop", "crop", "incomeTarget"]);
});

test("only an approved or running plan is amended: a draft, a submitted or a completed plan is refused", async () => {
  const { d, world, household, cadre, official, plan: draft } = await setup("draft");
  const propose = (planId: string, householdId = household.id) =>
    proposeAmendment({ scope: cadre, householdId, planId, content: changed(), reason: "改种" });
  expect(formErrors(await rejection(propose(draft.id)))).toEqual(["amendment.error.planNotRunning"]);
  await transitionPlan({ scope: cadre, planId: draft.id, transition: { intent: "submit", version: 1 } });
  expect(formErrors(await rejection(propose(draft.id)))).toEqual(["amendment.error.planNotRunning"]);

  const other = await createHousehold(d, world);
  await assignCadre(d, world, other.id, cadre.userId);
  const running = await createPlanIn(other.id, cadre, official, "start");
  const [row] = await d.select().from(plans).where(eq(plans.id, running.id));
  await transitionPlan({
    scope: official,
    planId: running.id,
    transition: { intent: "complete", version: row.version },
  });
  expect(formErrors(await rejection(propose(running.id, other.id)))).toEqual(["amendment.error.planNotRunning"]);
  expect((await getPlanAmendments({ scope: cadre, planId: running.id }))!.can.propose).toBe(false);
});

test("one open amendment per plan: a second proposal is refused while the first is submitted or returned", async () => {
  const { household, cadre, official, plan } = await setup();
  const first = await proposeAmendment({
    scope: cadre,
    householdId: household.id,
    planId: plan.id,
    content: changed(),
    reason: "改种马铃薯",
  });
  const again = () =>
    proposeAmendment({
      scope: official,
      householdId: household.id,
      planId: plan.id,
      content: content({ incomeTargetFen: 900_000 }),
      reason: "调低目标",
    });
  expect(formErrors(await rejection(again()))).toEqual(["amendment.error.open"]);
  await decideAmendment({
    scope: official,
    householdId: household.id,
    decision: { intent: "amendment-return", amendmentId: first.id, version: first.version, reason: "面积请核实" },
  });
  expect(formErrors(await rejection(again()))).toEqual(["amendment.error.open"]);
  await decideAmendment({
    scope: cadre,
    householdId: household.id,
    decision: { intent: "amendment-withdraw", amendmentId: first.id, version: first.version + 1 },
  });
  expect((await again()).status).toBe("submitted");
});

raceTest("two proposals for one plan at once: one stands", async () => {
  const { d, household, cadre, official, plan } = await setup();
  const results = await Promise.allSettled(
    [cadre, official].map((scope, i) =>
      proposeAmendment({
        scope,
        householdId: household.id,
        planId: plan.id,
        content: content({ incomeTargetFen: 900_000 + i }),
        reason: "调低目标",
      }),
    ),
  );
  expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
  expect(formErrors(refused.reason)).toEqual(["amendment.error.open"]);
  expect(await d.select().from(planAmendments).where(eq(planAmendments.planId, plan.id))).toHaveLength(1);
});

test("a cadre amends only their households' plans (404); a clerk not at all; an official only in their township", async () => {
  const { d, world, household, cadre, plan } = await setup();
  const stranger = scopeOf(await createUser(d, world, "cadre"));
  const proposal = (scope: ReturnType<typeof scopeOf>) =>
    proposeAmendment({ scope, householdId: household.id, planId: plan.id, content: changed(), reason: "改种" });
  expect(await rejection(proposal(stranger))).toBeInstanceOf(NotFoundError);
  expect(await getPlanAmendments({ scope: stranger, planId: plan.id })).toBeNull();
  const clerk = { role: "clerk" as const, userId: cadre.userId, countyId: world.county.id, cooperativeId: plan.id };
  expect(await rejection(proposal(clerk))).toBeInstanceOf(ForbiddenError);

  const amendment = await proposal(cadre);
  const farOfficial = scopeOf(await createUser(d, world, "official", { townshipIndex: 1 }));
  const approve = (scope: ReturnType<typeof scopeOf>) =>
    decideAmendment({
      scope,
      householdId: household.id,
      decision: { intent: "amendment-approve", amendmentId: amendment.id, version: amendment.version },
    });
  expect(await rejection(approve(farOfficial))).toBeInstanceOf(NotFoundError);
  expect(await amendmentQueue({ scope: farOfficial })).toEqual([]);
  expect(await pendingApprovalCount({ scope: farOfficial })).toBe(0);
  // the cadre cannot approve what they proposed
  expect(await rejection(approve(cadre))).toBeInstanceOf(ForbiddenError);
  // through another household's URL the amendment is not found
  const other = await createHousehold(d, world);
  await assignCadre(d, world, other.id, cadre.userId);
  expect(
    await rejection(
      decideAmendment({
        scope: cadre,
        householdId: other.id,
        decision: { intent: "amendment-withdraw", amendmentId: amendment.id, version: amendment.version },
      }),
    ),
  ).toBeInstanceOf(NotFoundError);
  const [row] = await d.select().from(planAmendments).where(eq(planAmendments.id, amendment.id));
  expect(row.status).toBe("submitted");
});

test("the proposed content keeps domain rule 3 like the plan: zones fit the courtyard, crops the planting zone, animals need a raising zone", async () => {
  const { d, household, cadre, plan } = await setup();
  const propose = (c: PlanContent) =>
    proposeAmendment({ scope: cadre, householdId: household.id, planId: plan.id, content: c, reason: "调整" });
  const tooBig = (await rejection(propose(content({ livingArea: 400 })))) as ValidationError;
  expect(tooBig.fieldErrors.courtyardArea?.[0]).toMatch(/^plan\.error\.zonesExceedCourtyard/);
  const crops = (await rejection(
    propose(content({ plantingItems: [{ cropCode: "chili", area: 400, expectedYieldKg: 1 }] })),
  )) as ValidationError;
  expect(crops.fieldErrors.plantingItems?.[0]).toMatch(/^plan\.error\.cropsExceedPlantingZone/);
  const animals = (await rejection(propose(content({ livingArea: 280, raisingArea: 0 })))) as ValidationError;
  expect(animals.fieldErrors.raisingItems).toEqual(["plan.error.raisingNeedsZone"]);
  const courtyard = (await rejection(propose(content({ courtyardArea: 700 })))) as ValidationError;
  expect(courtyard.fieldErrors.courtyardArea?.[0]).toMatch(/^plan\.error\.courtyardNotHouseholds/);
  expect(formErrors(await rejection(propose(content())))).toEqual(["amendment.error.noChange"]);
  expect(await d.select().from(planAmendments).where(eq(planAmendments.planId, plan.id))).toEqual([]);
});

test("a return needs a reason; the cadre edits and resubmits; the queue shows what changed since the return", async () => {
  const { d, household, cadre, official, plan } = await setup();
  const amendment = await proposeAmendment({
    scope: cadre,
    householdId: household.id,
    planId: plan.id,
    content: changed(),
    reason: "改种马铃薯",
  });
  const returnWith = (reason: string) =>
    decideAmendment({
      scope: official,
      householdId: household.id,
      decision: { intent: "amendment-return", amendmentId: amendment.id, version: amendment.version, reason },
    });
  // the form's schema asks for two characters; the database refuses a shorter one too
  await expect(returnWith(" ")).rejects.toThrow();
  const returned = await returnWith("马铃薯产量偏高");
  expect(returned).toMatchObject({ status: "returned", returnReason: "马铃薯产量偏高" });
  expect(await pendingApprovalCount({ scope: official })).toBe(0);
  // a returned amendment is not approved
  expect(
    formErrors(
      await rejection(
        decideAmendment({
          scope: official,
          householdId: household.id,
          decision: { intent: "amendment-approve", amendmentId: amendment.id, version: returned.version },
        }),
      ),
    ),
  ).toEqual(["amendment.error.already.returned"]);

  const lower = changed();
  lower.plantingItems[1].expectedYieldKg = 500;
  await reviseAmendment({
    scope: cadre,
    householdId: household.id,
    amendmentId: amendment.id,
    version: returned.version,
    content: lower,
    reason: "改种马铃薯，产量按 500 kg",
  });
  const [queued] = await amendmentQueue({ scope: official });
  expect(queued.amendmentId).toBe(amendment.id);
  expect(queued.sinceReturn?.reason).toBe("马铃薯产量偏高");
  expect(queued.sinceReturn?.changes).toEqual([
    {
      kind: "crop",
      crop: expect.objectContaining({ code: "potato" }),
      from: { area: 200, expectedYieldKg: 600 },
      to: { area: 200, expectedYieldKg: 500 },
    },
  ]);
  expect(queued.changes.length).toBeGreaterThan(1);
  const [row] = await d.select().from(planAmendments).where(eq(planAmendments.id, amendment.id));
  expect(row.status).toBe("submitted");
});

test("an approval from a page read before the cadre's edit is refused as a conflict, and the plan is untouched", async () => {
  const { d, household, cadre, official, plan } = await setup();
  const amendment = await proposeAmendment({
    scope: cadre,
    householdId: household.id,
    planId: plan.id,
    content: changed(),
    reason: "改种马铃薯",
  });
  await reviseAmendment({
    scope: cadre,
    householdId: household.id,
    amendmentId: amendment.id,
    version: amendment.version,
    content: content({ incomeTargetFen: 800_000 }),
    reason: "只调低目标",
  });
  const error = await rejection(
    decideAmendment({
      scope: official,
      householdId: household.id,
      decision: { intent: "amendment-approve", amendmentId: amendment.id, version: amendment.version },
    }),
  );
  expect(error).toBeInstanceOf(ConflictError);
  const [row] = await d.select().from(plans).where(eq(plans.id, plan.id));
  expect(row.incomeTargetFen).toBe(1_200_000);
});

test("a plan whose content changed since the proposal was drawn is not overwritten; a step of the workflow alone does not count", async () => {
  const { d, household, cadre, official, plan } = await setup("approve");
  const amendment = await proposeAmendment({
    scope: cadre,
    householdId: household.id,
    planId: plan.id,
    content: changed(),
    reason: "改种马铃薯",
  });
  // the cadre starts the plan meanwhile: its version moves, its content does not
  const [approved] = await d.select().from(plans).where(eq(plans.id, plan.id));
  await transitionPlan({ scope: cadre, planId: plan.id, transition: { intent: "start", version: approved.version } });
  // and the content changes under the proposal by another way than this amendment (written here directly)
  await d
    .update(plans)
    .set({ incomeTargetFen: 1_300_000, version: approved.version + 2 })
    .where(eq(plans.id, plan.id));
  const error = await rejection(
    decideAmendment({
      scope: official,
      householdId: household.id,
      decision: { intent: "amendment-approve", amendmentId: amendment.id, version: amendment.version },
    }),
  );
  expect(formErrors(error)).toEqual(["amendment.error.planChanged"]);
  const [row] = await d.select().from(plans).where(eq(plans.id, plan.id));
  expect(row.incomeTargetFen).toBe(1_300_000);
  expect(row.livingArea).toBe(200);
  const [a] = await d.select().from(planAmendments).where(eq(planAmendments.id, amendment.id));
  expect(a.status).toBe("submitted");
});

test("started after the proposal, the plan still takes the approved change", async () => {
  const { d, household, cadre, official, plan } = await setup("approve");
  const amendment = await proposeAmendment({
    scope: cadre,
    householdId: household.id,
    planId: plan.id,
    content: changed(),
    reason: "改种马铃薯",
  });
  const [approved] = await d.select().from(plans).where(eq(plans.id, plan.id));
  await transitionPlan({ scope: cadre, planId: plan.id, transition: { intent: "start", version: approved.version } });
  await decideAmendment({
    scope: official,
    householdId: household.id,
    decision: { intent: "amendment-approve", amendmentId: amendment.id, version: amendment.version },
  });
  const [row] = await d.select().from(plans).where(eq(plans.id, plan.id));
  expect(row).toMatchObject({ status: "in_progress", livingArea: 150 });
});

raceTest(
  "two officials approve one amendment at once: one approval, one audit row, the other told it is decided",
  async () => {
    const { d, world, household, cadre, official, plan } = await setup("start");
    const second = scopeOf(await createUser(d, world, "official"));
    const amendment = await proposeAmendment({
      scope: cadre,
      householdId: household.id,
      planId: plan.id,
      content: changed(),
      reason: "改种马铃薯",
    });
    const results = await Promise.allSettled(
      [official, second].map((scope) =>
        decideAmendment({
          scope,
          householdId: household.id,
          decision: { intent: "amendment-approve", amendmentId: amendment.id, version: amendment.version },
        }),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(formErrors(refused.reason)).toEqual(["amendment.error.already.approved"]);
    const audits = await d
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, plan.id), eq(auditLog.action, "plan.amend")));
    expect(audits).toHaveLength(1);
  },
);

raceTest("an approval racing the cadre's edit: either the edit is refused or the approval is", async () => {
  const { d, household, cadre, official, plan } = await setup("start");
  const amendment = await proposeAmendment({
    scope: cadre,
    householdId: household.id,
    planId: plan.id,
    content: changed(),
    reason: "改种马铃薯",
  });
  const results = await Promise.allSettled([
    decideAmendment({
      scope: official,
      householdId: household.id,
      decision: { intent: "amendment-approve", amendmentId: amendment.id, version: amendment.version },
    }),
    reviseAmendment({
      scope: cadre,
      householdId: household.id,
      amendmentId: amendment.id,
      version: amendment.version,
      content: content({ incomeTargetFen: 800_000 }),
      reason: "只调低目标",
    }),
  ]);
  expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  const [row] = await d.select().from(plans).where(eq(plans.id, plan.id));
  const [a] = await d.select().from(planAmendments).where(eq(planAmendments.id, amendment.id));
  if (results[0].status === "fulfilled") {
    // approved what the official read; the cadre's edit is refused
    expect(a.status).toBe("approved");
    expect(row.livingArea).toBe(150);
    expect(formErrors((results[1] as PromiseRejectedResult).reason)).toEqual(["amendment.error.already.approved"]);
  } else {
    // the edit came first: the plan is untouched, the official must read the new content
    expect((results[0] as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError);
    expect(a.status).toBe("submitted");
    expect(row.livingArea).toBe(200);
  }
});
