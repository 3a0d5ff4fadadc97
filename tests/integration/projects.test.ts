// Aid projects and fund allocations: domain rule 4 held by the model layer, also under 20 racing requests.
import { getZodConstraint } from "@conform-to/zod/v4";
import { eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { auditLog, fundAllocations } from "../../db/schema";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "~/models/errors.server";
import {
  allocatableHouseholds,
  allocateFunds,
  createProject,
  getProject,
  householdFundLedger,
  listProjects,
  updateProject,
} from "~/models/projects.server";
import { scopeOf } from "~/models/scope.server";
import { AllocationSchema, ProjectSchema, type AllocationInput } from "~/schemas/project";
import { db } from "~/utils/db.server";
import {
  assignCadre,
  createAidProject,
  createFundAllocation,
  createHousehold,
  createPlan,
  createUser,
  createWorld,
} from "../support/factories";
import { raceTest } from "../support/test-db";

async function setup(budgetFen = 100_000) {
  const d = await db();
  const world = await createWorld(d);
  const officialUser = await createUser(d, world, "official");
  const otherOfficialUser = await createUser(d, world, "official", { townshipIndex: 1 });
  const cadreUser = await createUser(d, world, "cadre");
  const household = await createHousehold(d, world);
  const plan = await createPlan(d, world, household.id, { year: 2026, status: "approved" });
  await assignCadre(d, world, household.id, cadreUser.id);
  const project = await createAidProject(d, world, { budgetFen, startsOn: "2026-01-01", endsOn: "2026-12-31" });
  return {
    d,
    world,
    household,
    plan,
    project,
    official: scopeOf(officialUser),
    otherOfficial: scopeOf(otherOfficialUser),
    cadre: scopeOf(cadreUser),
  };
}

const cash = (householdId: string, amount: number, over: Partial<AllocationInput> = {}): AllocationInput => ({
  householdId,
  kind: "cash",
  item: null,
  quantity: null,
  amount,
  allocatedOn: "2026-04-01",
  note: null,
  ...over,
});

async function rejection(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the model to refuse");
}

test("the budget can be filled exactly; one fen more is refused at the amount field with what is left", async () => {
  const { d, household, project, official } = await setup(100_000);
  await allocateFunds({ scope: official, projectId: project.id, input: cash(household.id, 60_000) });
  const last = await allocateFunds({ scope: official, projectId: project.id, input: cash(household.id, 40_000) });
  expect(last.remainingFen).toBe(0);
  const error = await rejection(
    allocateFunds({ scope: official, projectId: project.id, input: cash(household.id, 1) }),
  );
  expect(error).toBeInstanceOf(ValidationError);
  expect((error as ValidationError).fieldErrors.amount).toEqual(['projects.error.overBudget|{"remaining":"0.00"}']);
  const rows = await d.select().from(fundAllocations).where(eq(fundAllocations.projectId, project.id));
  expect(rows.reduce((s, r) => s + r.amountFen, 0)).toBe(100_000);

  const shown = await getProject({ scope: official, id: project.id });
  expect(shown).toMatchObject({ budgetFen: 100_000, allocatedFen: 100_000, remainingFen: 0, householdsReached: 1 });
  expect(shown!.allocations).toHaveLength(2);
  expect(shown!.households).toEqual([
    expect.objectContaining({ householdId: household.id, amountFen: 100_000, count: 2 }),
  ]);
});

test("a partly used budget tells how much is left", async () => {
  const { household, project, official } = await setup(100_000);
  await allocateFunds({ scope: official, projectId: project.id, input: cash(household.id, 99_950) });
  const error = await rejection(
    allocateFunds({ scope: official, projectId: project.id, input: cash(household.id, 51) }),
  );
  expect((error as ValidationError).fieldErrors.amount).toEqual(['projects.error.overBudget|{"remaining":"0.50"}']);
});

raceTest("20 concurrent allocations never over-allocate; each refusal says why", async () => {
  const { d, world, project, official } = await setup(70_000); // fits 7 of 20 allocations of 100 元
  const targets: string[] = [];
  for (let i = 0; i < 4; i++) {
    const h = await createHousehold(d, world, { villageIndex: i % 2 });
    await createPlan(d, world, h.id, { year: 2026, status: "approved" });
    targets.push(h.id);
  }
  const results = await Promise.allSettled(
    Array.from({ length: 20 }, (_, i) =>
      allocateFunds({ scope: official, projectId: project.id, input: cash(targets[i % targets.length], 10_000) }),
    ),
  );
  const fulfilled = results.filter((r) => r.status === "fulfilled");
  const rejected = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
  expect(fulfilled).toHaveLength(7);
  expect(rejected).toHaveLength(13);
  for (const r of rejected) {
    expect(r.reason).toBeInstanceOf(ValidationError);
    expect((r.reason as ValidationError).fieldErrors.amount).toEqual([
      'projects.error.overBudget|{"remaining":"0.00"}',
    ]);
  }
  const rows = await d.select().from(fundAllocations).where(eq(fundAllocations.projectId, project.id));
  expect(rows).toHaveLength(7);
  expect(rows.reduce((s, r) => s + r.amountFen, 0)).toBe(70_000);
  const audit = await d.select().from(auditLog).where(eq(auditLog.entity, "allocation"));
  expect(audit.filter((a) => rows.some((r) => r.id === a.entityId))).toHaveLength(7);
});

raceTest("20 racing allocations of different sizes: the sum stays within the budget", async () => {
  const { d, household, project, official } = await setup(100_000);
  const amounts = Array.from({ length: 20 }, (_, i) => 5_000 + i * 1_000); // 5 000 … 24 000 fen
  const results = await Promise.allSettled(
    amounts.map((amount) =>
      allocateFunds({ scope: official, projectId: project.id, input: cash(household.id, amount) }),
    ),
  );
  const rows = await d.select().from(fundAllocations).where(eq(fundAllocations.projectId, project.id));
  const sum = rows.reduce((s, r) => s + r.amountFen, 0);
  expect(sum).toBeLessThanOrEqual(100_000);
  expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(rows.length);
  for (const r of results) {
    if (r.status === "rejected") {
      expect(r.reason).toBeInstanceOf(ValidationError);
      expect((r.reason as ValidationError).fieldErrors.amount[0]).toMatch(/^projects\.error\.overBudget\|/);
    }
  }
  // every refused amount really did not fit into what was left at the end
  const refused = amounts.filter((_, i) => results[i].status === "rejected");
  for (const a of refused) expect(sum + a).toBeGreaterThan(100_000);
});

test("scope: a cadre may not allocate; another township's official does not find the project", async () => {
  const { household, project, cadre, otherOfficial, official } = await setup();
  expect(
    await rejection(allocateFunds({ scope: cadre, projectId: project.id, input: cash(household.id, 100) })),
  ).toBeInstanceOf(ForbiddenError);
  expect(
    await rejection(allocateFunds({ scope: otherOfficial, projectId: project.id, input: cash(household.id, 100) })),
  ).toBeInstanceOf(NotFoundError);
  expect(await getProject({ scope: otherOfficial, id: project.id })).toBeNull();
  expect((await listProjects({ scope: otherOfficial })).map((p) => p.id)).not.toContain(project.id);

  // the cadre sees the project read-only once it reaches their household
  expect(await listProjects({ scope: cadre })).toEqual([]);
  await allocateFunds({ scope: official, projectId: project.id, input: cash(household.id, 25_000) });
  const [seen] = await listProjects({ scope: cadre });
  expect(seen).toMatchObject({
    id: project.id,
    budgetFen: 100_000,
    allocatedFen: 25_000,
    remainingFen: 75_000,
    householdsReached: 1,
  });
  expect((await getProject({ scope: cadre, id: project.id }))!.allocations).toHaveLength(1);
  expect(await householdFundLedger({ scope: cadre, householdId: household.id })).toEqual([
    expect.objectContaining({ projectId: project.id, amountFen: 25_000 }),
  ]);
});

test("an official allocates from a county-wide project only to households of their township", async () => {
  const { d, world, household, official, otherOfficial } = await setup();
  const countyWide = await createAidProject(d, world, { townshipId: null, budgetFen: 50_000 });
  expect((await listProjects({ scope: otherOfficial })).map((p) => p.id)).toContain(countyWide.id);
  expect(
    await rejection(allocateFunds({ scope: otherOfficial, projectId: countyWide.id, input: cash(household.id, 100) })),
  ).toBeInstanceOf(NotFoundError);
  await allocateFunds({ scope: official, projectId: countyWide.id, input: cash(household.id, 100) });
  // the other township's official sees the totals but not this township's household
  const seen = await getProject({ scope: otherOfficial, id: countyWide.id });
  expect(seen).toMatchObject({ allocatedFen: 100, remainingFen: 49_900 });
  expect(seen!.allocations).toEqual([]);
});

test("in-kind goods need an item and a quantity; their value counts against the budget", async () => {
  const { household, project, official } = await setup(100_000);
  const error = await rejection(
    allocateFunds({ scope: official, projectId: project.id, input: cash(household.id, 5_000, { kind: "in_kind" }) }),
  );
  expect((error as ValidationError).fieldErrors).toEqual({
    item: ["projects.error.itemRequired"],
    quantity: ["projects.error.quantityRequired"],
  });
  await allocateFunds({
    scope: official,
    projectId: project.id,
    input: cash(household.id, 60_000, { kind: "in_kind", item: "仔猪", quantity: 2 }),
  });
  const shown = await getProject({ scope: official, id: project.id });
  expect(shown!.allocations[0]).toMatchObject({ kind: "in_kind", item: "仔猪", quantity: 2, amountFen: 60_000 });
  expect(shown!.remainingFen).toBe(40_000);

  // the form schema says the same before the model is asked, and Conform can read its constraints
  expect(getZodConstraint(AllocationSchema).householdId).toMatchObject({ required: true });
  expect(getZodConstraint(ProjectSchema).name).toMatchObject({ required: true });
  const parsed = AllocationSchema.safeParse({
    householdId: household.id,
    kind: "in_kind",
    amount: 10,
    allocatedOn: "2026-04-01",
  });
  expect(parsed.success).toBe(false);
  expect(parsed.error!.issues.map((i) => [i.path.join("."), i.message])).toEqual([
    ["item", "projects.error.itemRequired"],
    ["quantity", "projects.error.quantityRequired"],
  ]);
});

test("no plan for the year, an inactive project, or a date outside the period are refused", async () => {
  const { d, world, household, project, official } = await setup();
  const noPlan = await createHousehold(d, world);
  const e1 = await rejection(allocateFunds({ scope: official, projectId: project.id, input: cash(noPlan.id, 100) }));
  expect((e1 as ValidationError).fieldErrors.householdId).toEqual(['projects.error.noPlan|{"year":2026}']);
  // the household has a 2026 plan but none for 2027
  const e2 = await rejection(
    allocateFunds({
      scope: official,
      projectId: project.id,
      input: cash(household.id, 100, { allocatedOn: "2027-01-05" }),
    }),
  );
  expect((e2 as ValidationError).fieldErrors.householdId[0]).toMatch(/^projects\.error\.noPlan\|/);
  const spring = await createAidProject(d, world, { startsOn: "2026-03-01", endsOn: "2026-06-30" });
  const e3 = await rejection(
    allocateFunds({
      scope: official,
      projectId: spring.id,
      input: cash(household.id, 100, { allocatedOn: "2026-07-01" }),
    }),
  );
  expect((e3 as ValidationError).fieldErrors.allocatedOn).toEqual([
    'projects.error.outsidePeriod|{"start":"2026-03-01","end":"2026-06-30"}',
  ]);
  const planned = await createAidProject(d, world, { status: "planned" });
  const e4 = await rejection(allocateFunds({ scope: official, projectId: planned.id, input: cash(household.id, 100) }));
  expect((e4 as ValidationError).formErrors).toEqual(["projects.error.notActive.planned"]);
  expect(await d.select().from(fundAllocations).where(eq(fundAllocations.householdId, household.id))).toHaveLength(0);
});

test("an allocation writes an audit row for the household", async () => {
  const { d, household, project, official } = await setup();
  const { id } = await allocateFunds({
    scope: official,
    projectId: project.id,
    input: cash(household.id, 12_345, { note: "春季补助" }),
  });
  const [row] = await d.select().from(auditLog).where(eq(auditLog.entityId, id));
  expect(row).toMatchObject({
    action: "allocation.create",
    entity: "allocation",
    householdId: household.id,
    userId: official.userId,
  });
  expect(row.after).toMatchObject({ amountFen: 12_345, projectId: project.id, note: "春季补助" });
});

test("officials create and edit projects; stale versions conflict; the budget cannot drop below what is allocated", async () => {
  const { d, world, household, plan, official, cadre, otherOfficial } = await setup();
  const input = ProjectSchema.parse({
    name: "庭院种植奖补",
    type: "industry",
    fundingSource: "省级衔接资金",
    budget: 2_000.5,
    startsOn: "2026-03-01",
    endsOn: "2026-12-31",
    status: "active",
  });
  expect(input.budget).toBe(200_050);
  expect(await rejection(createProject({ scope: cadre, input }))).toBeInstanceOf(ForbiddenError);
  const created = await createProject({ scope: official, input });
  const [audit] = await d.select().from(auditLog).where(eq(auditLog.entityId, created.id));
  expect(audit).toMatchObject({ action: "project.create", entity: "project" });

  await createFundAllocation(d, world, {
    projectId: created.id,
    planId: plan.id,
    householdId: household.id,
    amountFen: 150_000,
  });
  const low = await rejection(
    updateProject({ scope: official, projectId: created.id, version: 1, input: { ...input, budget: 149_999 } }),
  );
  expect((low as ValidationError).fieldErrors.budget).toEqual([
    'projects.error.budgetBelowAllocated|{"allocated":"1500.00"}',
  ]);
  const updated = await updateProject({
    scope: official,
    projectId: created.id,
    version: 1,
    input: { ...input, budget: 150_000 },
  });
  expect(updated.version).toBe(2);
  expect(await rejection(updateProject({ scope: official, projectId: created.id, version: 1, input }))).toBeInstanceOf(
    ConflictError,
  );
  expect(
    await rejection(updateProject({ scope: otherOfficial, projectId: created.id, version: 2, input })),
  ).toBeInstanceOf(NotFoundError);
  expect(
    ProjectSchema.safeParse({ ...input, budget: 1, startsOn: "2026-05-01", endsOn: "2026-04-01" }).error!.issues[0],
  ).toMatchObject({
    path: ["endsOn"],
    message: "projects.error.endsBeforeStarts",
  });
});

test("the allocation form lists the township's households with an approved plan that year, searchable by head name", async () => {
  const { d, world, household, official, cadre } = await setup();
  const other = await createHousehold(d, world, { villageIndex: 2 }); // another township
  await createPlan(d, world, other.id, { year: 2026, status: "approved" });
  await createHousehold(d, world); // no plan
  const drafted = await createHousehold(d, world);
  await createPlan(d, world, drafted.id, { year: 2026, status: "submitted" }); // not approved yet
  const list = await allocatableHouseholds({ scope: official, year: 2026 });
  expect(list.map((h) => h.id)).toEqual([household.id]);
  expect(await allocatableHouseholds({ scope: official, year: 2026, q: household.headName })).toHaveLength(1);
  expect(await allocatableHouseholds({ scope: official, year: 2026, q: "不存在%" })).toHaveLength(0);
  expect(await allocatableHouseholds({ scope: cadre, year: 2026 })).toEqual([]);
});
