// The database itself refuses rows that break the rules of docs/domain.md, whatever code writes them.
import crypto from "node:crypto";
import { eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { schema } from "../../db/client";
import { db } from "~/utils/db.server";
import {
  assignCadre,
  createCooperative,
  createHousehold,
  createPlan,
  createUser,
  createWorld,
  creditCode,
  joinCooperative,
  newIdNumber,
} from "../support/factories";

const uid = () => crypto.randomUUID();

/** drizzle wraps the driver's error; the constraint name is on the cause. */
async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    const e = error as { cause?: { constraint?: string; constraint_name?: string; message?: string }; message: string };
    return e.cause?.constraint ?? e.cause?.constraint_name ?? e.cause?.message ?? e.message;
  }
  throw new Error("the database accepted a row that breaks a rule");
}

test("one plan per household per year", async () => {
  const d = await db();
  const world = await createWorld(d);
  const h = await createHousehold(d, world);
  await createPlan(d, world, h.id, { year: 2026 });
  expect(await refusal(createPlan(d, world, h.id, { year: 2026 }))).toMatch(/plans_household_year_uq/);
  // another year is fine
  await createPlan(d, world, h.id, { year: 2025 });
});

test("a person (ID number) is in one household only", async () => {
  const d = await db();
  const world = await createWorld(d);
  const a = await createHousehold(d, world);
  const b = await createHousehold(d, world);
  const taken = a.members[0];
  const duplicate = d.insert(schema.members).values({
    countyId: world.county.id,
    householdId: b.id,
    name: "重复",
    idNumber: taken.idNumber,
    relation: "other",
    sex: "male",
    birthDate: taken.birthDate,
  });
  expect(await refusal(duplicate)).toMatch(/members_id_number_uq/);
});

test("an ID number must have 17 digits and a digit or X", async () => {
  const d = await db();
  const world = await createWorld(d);
  const h = await createHousehold(d, world);
  const bad = d.insert(schema.members).values({
    countyId: world.county.id,
    householdId: h.id,
    name: "格式",
    idNumber: "23082819700517123",
    relation: "other",
    sex: "male",
    birthDate: "1970-05-17",
  });
  expect(await refusal(bad)).toMatch(/members_id_number_format/);
});

test("a household has one head", async () => {
  const d = await db();
  const world = await createWorld(d);
  const h = await createHousehold(d, world);
  const secondHead = d.insert(schema.members).values({
    countyId: world.county.id,
    householdId: h.id,
    name: "第二户主",
    idNumber: newIdNumber("male"),
    relation: "head",
    sex: "male",
    birthDate: "1970-05-17",
  });
  expect(await refusal(secondHead)).toMatch(/members_one_head_uq/);
});

test("zones fit in the courtyard and no area is negative", async () => {
  const d = await db();
  const world = await createWorld(d);
  const h = await createHousehold(d, world, { courtyardArea: 500 });
  expect(
    await refusal(
      createPlan(d, world, h.id, { courtyardArea: 500, livingArea: 200, plantingArea: 250, raisingArea: 100 }),
    ),
  ).toMatch(/plans_zones_fit_courtyard/);
  expect(await refusal(createPlan(d, world, h.id, { livingArea: -1 }))).toMatch(/plans_areas_nonneg/);
  expect(await refusal(createPlan(d, world, h.id, { incomeTargetFen: -100 }))).toMatch(/plans_income_target_nonneg/);
  // exactly full is allowed
  await createPlan(d, world, h.id, { courtyardArea: 500, livingArea: 200, plantingArea: 200, raisingArea: 100 });
});

test("planting items need a positive area and raising items a positive head count", async () => {
  const d = await db();
  const world = await createWorld(d);
  const h = await createHousehold(d, world);
  const plan = await createPlan(d, world, h.id);
  const planting = d
    .insert(schema.plantingItems)
    .values({ countyId: world.county.id, planId: plan.id, cropCode: "chili", area: 0, expectedYieldKg: 10 });
  expect(await refusal(planting)).toMatch(/planting_items_nonneg/);
  const raising = d
    .insert(schema.raisingItems)
    .values({ countyId: world.county.id, planId: plan.id, animalCode: "pig", headCount: 0 });
  expect(await refusal(raising)).toMatch(/raising_items_positive/);
  const unknownCrop = d
    .insert(schema.plantingItems)
    .values({ countyId: world.county.id, planId: plan.id, cropCode: "durian", area: 10 });
  expect(await refusal(unknownCrop)).toMatch(/foreign key|crop_code/i);
});

test("money and quantities are never negative", async () => {
  const d = await db();
  const world = await createWorld(d);
  const project = d.insert(schema.aidProjects).values({
    countyId: world.county.id,
    name: "负预算",
    type: "industry",
    fundingSource: "测试",
    budgetFen: -1,
    startsOn: "2026-01-01",
  });
  expect(await refusal(project)).toMatch(/aid_projects_budget_nonneg/);

  const coop = await createCooperative(d, world);
  const buyerId = uid();
  await d
    .insert(schema.buyers)
    .values({ id: buyerId, countyId: world.county.id, name: "收购企业", creditCode: creditCode() });
  const order = (values: Partial<typeof schema.purchaseOrders.$inferInsert>) =>
    d.insert(schema.purchaseOrders).values({
      countyId: world.county.id,
      cooperativeId: coop.id,
      buyerId,
      cropCode: "chili",
      quantityKg: 1000,
      unitPriceFen: 500,
      season: "2026年秋季",
      deliveryStart: "2026-08-01",
      deliveryEnd: "2026-09-30",
      ...values,
    });
  expect(await refusal(order({ quantityKg: 0 }))).toMatch(/purchase_orders_quantity_positive/);
  expect(await refusal(order({ unitPriceFen: -5 }))).toMatch(/purchase_orders_price_nonneg/);
  expect(await refusal(order({ deliveryEnd: "2026-07-01" }))).toMatch(/purchase_orders_window/);

  const orderId = uid();
  await order({ id: orderId } as never);
  const h = await createHousehold(d, world);
  const m = await joinCooperative(d, world, coop.id, h.id);
  const allocation = (kg: number) =>
    d.insert(schema.orderAllocations).values({
      countyId: world.county.id,
      orderId,
      householdId: h.id,
      membershipId: m.id,
      quantityKg: kg,
    });
  expect(await refusal(allocation(-10))).toMatch(/order_allocations_positive/);
  const allocationId = uid();
  await d.insert(schema.orderAllocations).values({
    id: allocationId,
    countyId: world.county.id,
    orderId,
    householdId: h.id,
    membershipId: m.id,
    quantityKg: 100,
  });
  expect(
    await refusal(
      d.insert(schema.deliveries).values({
        countyId: world.county.id,
        allocationId,
        deliveredOn: "2026-08-10",
        quantityKg: 50,
        unitPriceFen: 500,
        amountFen: -1,
      }),
    ),
  ).toMatch(/deliveries_money_sign/);
  // what is paid is a ledger of payments that never adds up past the delivery's amount
  const deliveryId = uid();
  await d.insert(schema.deliveries).values({
    id: deliveryId,
    countyId: world.county.id,
    allocationId,
    deliveredOn: "2026-08-10",
    quantityKg: 50,
    unitPriceFen: 500,
    amountFen: 25000,
  });
  const payment = (amountFen: number) =>
    d.insert(schema.payments).values({ countyId: world.county.id, deliveryId, amountFen, paidOn: "2026-08-12" });
  expect(await refusal(payment(0))).toMatch(/payments_amount_sign/);
  await payment(20000);
  expect(await refusal(payment(5001))).toMatch(/payments_within_amount/);
  // and an allocation's recorded kilograms are not edited in place
  expect(
    await refusal(
      d.update(schema.orderAllocations).set({ quantityKg: 90 }).where(eq(schema.orderAllocations.id, allocationId)),
    ),
  ).toMatch(/order_allocations_frozen/);
});

test("a buyer's credit code must have the GB 32100 shape and be unique", async () => {
  const d = await db();
  const world = await createWorld(d);
  const bad = d
    .insert(schema.buyers)
    .values({ countyId: world.county.id, name: "坏", creditCode: "91230828IOSZV12345" });
  expect(await refusal(bad)).toMatch(/buyers_credit_code_format/);
  const code = creditCode();
  await d.insert(schema.buyers).values({ countyId: world.county.id, name: "甲", creditCode: code });
  const dup = d.insert(schema.buyers).values({ countyId: world.county.id, name: "乙", creditCode: code });
  expect(await refusal(dup)).toMatch(/buyers_credit_code_uq/);
});

test("a household has at most one cadre in charge at a time; history is kept", async () => {
  const d = await db();
  const world = await createWorld(d);
  const h = await createHousehold(d, world);
  const first = await createUser(d, world, "cadre");
  const second = await createUser(d, world, "cadre");
  const a = await assignCadre(d, world, h.id, first.id);
  expect(await refusal(assignCadre(d, world, h.id, second.id))).toMatch(/cadre_assignments_one_active_uq/);
  // ending the first lets the second take over, and both rows stay
  const { eq } = await import("drizzle-orm");
  await d.update(schema.cadreAssignments).set({ endsOn: "2026-06-30" }).where(eq(schema.cadreAssignments.id, a.id));
  await assignCadre(d, world, h.id, second.id, "2026-07-01");
  const rows = await d.select().from(schema.cadreAssignments).where(eq(schema.cadreAssignments.householdId, h.id));
  expect(rows).toHaveLength(2);
  // an assignment cannot end before it starts
  const backwards = d.insert(schema.cadreAssignments).values({
    countyId: world.county.id,
    householdId: (await createHousehold(d, world)).id,
    cadreId: first.id,
    startsOn: "2026-05-01",
    endsOn: "2026-04-01",
  });
  expect(await refusal(backwards)).toMatch(/cadre_assignments_period/);
});

test("a household is a current member of a cooperative once; leaving cannot precede joining", async () => {
  const d = await db();
  const world = await createWorld(d);
  const coop = await createCooperative(d, world);
  const h = await createHousehold(d, world);
  await joinCooperative(d, world, coop.id, h.id);
  expect(await refusal(joinCooperative(d, world, coop.id, h.id))).toMatch(/memberships_current_uq/);
  const backwards = d.insert(schema.memberships).values({
    countyId: world.county.id,
    cooperativeId: coop.id,
    householdId: (await createHousehold(d, world)).id,
    joinedOn: "2026-05-01",
    leftOn: "2026-04-01",
  });
  expect(await refusal(backwards)).toMatch(/memberships_period/);
});

test("a user's role carries the scope it needs", async () => {
  const d = await db();
  const world = await createWorld(d);
  const cadreWithoutTownship = d.insert(schema.users).values({
    username: `nowhere-${uid()}`,
    passwordHash: "x",
    displayName: "无乡镇",
    role: "cadre",
    countyId: world.county.id,
  });
  expect(await refusal(cadreWithoutTownship)).toMatch(/users_scope_by_role/);
  const clerkWithoutCoop = d.insert(schema.users).values({
    username: `nocoop-${uid()}`,
    passwordHash: "x",
    displayName: "无合作社",
    role: "clerk",
    countyId: world.county.id,
  });
  expect(await refusal(clerkWithoutCoop)).toMatch(/users_scope_by_role/);
  const user = await createUser(d, world, "official");
  const sameNameOtherCase = d.insert(schema.users).values({
    username: user.username.toUpperCase(),
    passwordHash: "x",
    displayName: "重名",
    role: "admin",
    countyId: world.county.id,
  });
  expect(await refusal(sameNameOtherCase)).toMatch(/users_username_uq/);
});

test("a check's next due date cannot precede the visit, and a photo must be an image", async () => {
  const d = await db();
  const world = await createWorld(d);
  const h = await createHousehold(d, world);
  const cadre = await createUser(d, world, "cadre");
  const check = (values: Partial<typeof schema.checks.$inferInsert>) =>
    d.insert(schema.checks).values({
      countyId: world.county.id,
      householdId: h.id,
      cadreId: cadre.id,
      visitedOn: "2026-10-10",
      livingStatus: "on_track",
      plantingStatus: "on_track",
      raisingStatus: "behind",
      ...values,
    });
  expect(await refusal(check({ nextDueOn: "2026-10-01" }))).toMatch(/checks_next_due_after_visit/);
  const checkId = uid();
  await check({ id: checkId } as never);
  const photo = d.insert(schema.checkPhotos).values({
    countyId: world.county.id,
    checkId,
    storagePath: "x.exe",
    mimeType: "application/x-msdownload",
    sizeBytes: 10,
  });
  expect(await refusal(photo)).toMatch(/check_photos_mime/);
});

test("fund allocations are positive and point at a real project and plan", async () => {
  const d = await db();
  const world = await createWorld(d);
  const h = await createHousehold(d, world);
  const plan = await createPlan(d, world, h.id, { status: "approved" });
  const projectId = uid();
  await d.insert(schema.aidProjects).values({
    id: projectId,
    countyId: world.county.id,
    name: "庭院种植补贴",
    type: "industry",
    fundingSource: "衔接资金",
    budgetFen: 100000,
    startsOn: "2026-01-01",
  });
  const allocation = (values: Partial<typeof schema.fundAllocations.$inferInsert>) =>
    d.insert(schema.fundAllocations).values({
      countyId: world.county.id,
      projectId,
      planId: plan.id,
      householdId: h.id,
      amountFen: 1000,
      allocatedOn: "2026-04-01",
      ...values,
    });
  expect(await refusal(allocation({ amountFen: 0 }))).toMatch(/fund_allocations_sign/);
  expect(await refusal(allocation({ projectId: uid() }))).toMatch(/foreign key|project_id/i);
});
