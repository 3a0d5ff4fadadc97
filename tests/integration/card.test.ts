// The household aid card (明白卡): one read with everything the family needs, for the people whose scope
// holds the household, and nothing for anyone else.
import { eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { memberships, users } from "../../db/schema";
import { getHouseholdCard } from "~/models/card.server";
import { scopeOf } from "~/models/scope.server";
import { db } from "~/utils/db.server";
import {
  addPlanItems,
  assignCadre,
  createAidProject,
  createBroker,
  createBuyer,
  createCooperative,
  createDelivery,
  createFundAllocation,
  createHousehold,
  createOrderAllocation,
  createPlan,
  createPurchaseOrder,
  createUser,
  createWorld,
  endAssignment,
  joinCooperative,
} from "../support/factories";

const YEAR = 2026;

test("the card of a cadre's household carries this year's plan, masked members, the cadre, funds and orders", async () => {
  const d = await db();
  const world = await createWorld(d);
  const cadre = await createUser(d, world, "cadre");
  await d.update(users).set({ phone: "13812345678" }).where(eq(users.id, cadre.id));
  const h = await createHousehold(d, world, { members: 3 });
  await assignCadre(d, world, h.id, cadre.id);

  const plan = await createPlan(d, world, h.id, {
    status: "approved",
    measures: ["种植辣椒0.15亩，与合作社签订订单", "养殖鸡30只，做好防疫"],
    incomeTargetFen: 850_000,
  });
  await addPlanItems(d, world, plan.id, {
    planting: [
      { cropCode: "chili", area: 100, expectedYieldKg: 300 },
      { cropCode: "potato", area: 50, expectedYieldKg: 400 },
    ],
    raising: [{ animalCode: "chicken", headCount: 30 }],
  });
  const lastYear = await createPlan(d, world, h.id, { year: YEAR - 1, status: "completed" });

  const seedlings = await createAidProject(d, world, { name: "种苗补贴项目" });
  const industry = await createAidProject(d, world, { name: "产业扶持项目" });
  await createFundAllocation(d, world, {
    projectId: seedlings.id,
    planId: plan.id,
    householdId: h.id,
    kind: "in_kind",
    item: "辣椒苗",
    quantity: 300,
    amountFen: 6_000,
  });
  await createFundAllocation(d, world, {
    projectId: industry.id,
    planId: plan.id,
    householdId: h.id,
    amountFen: 100_000,
    allocatedOn: "2026-05-10",
  });
  // last year's funds belong to last year's card
  await createFundAllocation(d, world, {
    projectId: industry.id,
    planId: lastYear.id,
    householdId: h.id,
    allocatedOn: "2025-05-01",
  });

  const coop = await createCooperative(d, world);
  const broker = await createBroker(d, world, coop.id);
  const membership = await joinCooperative(d, world, coop.id, h.id);
  const formerCoop = await createCooperative(d, world);
  const former = await joinCooperative(d, world, formerCoop.id, h.id, "2024-03-01");
  await d.update(memberships).set({ leftOn: "2025-01-01" }).where(eq(memberships.id, former.id));

  const buyer = await createBuyer(d, world);
  const chiliOrder = await createPurchaseOrder(d, world, {
    cooperativeId: coop.id,
    buyerId: buyer.id,
    unitPriceFen: 520,
  });
  const allocation = await createOrderAllocation(d, world, {
    orderId: chiliOrder.id,
    householdId: h.id,
    membershipId: membership.id,
    quantityKg: 250,
  });
  await createDelivery(d, world, { allocationId: allocation.id, quantityKg: 100.5 });
  await createDelivery(d, world, { allocationId: allocation.id, quantityKg: 50, deliveredOn: "2026-09-10" });
  // neither last year's order nor a cancelled one is on this year's card
  const oldOrder = await createPurchaseOrder(d, world, {
    cooperativeId: coop.id,
    buyerId: buyer.id,
    status: "fulfilled",
    deliveryStart: "2025-08-15",
    deliveryEnd: "2025-09-30",
  });
  await createOrderAllocation(d, world, {
    orderId: oldOrder.id,
    householdId: h.id,
    membershipId: membership.id,
    quantityKg: 90,
  });
  const cancelled = await createPurchaseOrder(d, world, {
    cooperativeId: coop.id,
    buyerId: buyer.id,
    cropCode: "potato",
    status: "cancelled",
  });
  await createOrderAllocation(d, world, {
    orderId: cancelled.id,
    householdId: h.id,
    membershipId: membership.id,
    quantityKg: 80,
  });

  const card = await getHouseholdCard({ id: h.id, scope: scopeOf(cadre), year: YEAR });
  expect(card).not.toBeNull();

  expect(card!.household).toMatchObject({
    id: h.id,
    code: h.code,
    headName: h.headName,
    village: world.villages[0].name,
    township: world.townships[0].name,
    povertyStatus: "registered",
    povertyCause: "illness",
  });

  // the head first, every member there, each ID number masked
  expect(card!.members[0]).toMatchObject({ name: h.headName, relation: "head" });
  expect(card!.members.map((m) => m.name).sort()).toEqual(h.members.map((m) => m.name).sort());
  for (const m of card!.members) {
    const full = h.members.find((x) => x.name === m.name)!.idNumber;
    expect(m.idNumber).toBe(`${full.slice(0, 6)}********${full.slice(-4)}`);
  }
  // the full number appears nowhere in what the card carries, nor the birth date it hides
  const everything = JSON.stringify(card);
  for (const m of h.members) {
    expect(everything).not.toContain(m.idNumber);
    expect(everything).not.toContain(m.idNumber.slice(6, 14));
    expect(everything).not.toContain(m.birthDate);
  }

  expect(card!.plan).toMatchObject({
    year: YEAR,
    status: "approved",
    courtyardArea: 600,
    livingArea: 200,
    plantingArea: 300,
    raisingArea: 100,
    measures: ["种植辣椒0.15亩，与合作社签订订单", "养殖鸡30只，做好防疫"],
    incomeTargetFen: 850_000,
  });
  expect(card!.plan!.plantingItems).toEqual([
    { cropCode: "chili", cropZh: "辣椒", cropEn: "Chili", cropRetiredAt: null, area: 100, expectedYieldKg: 300 },
    { cropCode: "potato", cropZh: "马铃薯", cropEn: "Potato", cropRetiredAt: null, area: 50, expectedYieldKg: 400 },
  ]);
  expect(card!.plan!.raisingItems).toEqual([
    { animalCode: "chicken", animalZh: "鸡", animalEn: "Chicken", animalRetiredAt: null, headCount: 30 },
  ]);

  expect(card!.cadre).toEqual({ name: cadre.displayName, phone: "13812345678" });

  expect(card!.fundAllocations.map((f) => [f.project, f.kind, f.item, f.quantity, f.amountFen])).toEqual([
    ["种苗补贴项目", "in_kind", "辣椒苗", 300, 6_000],
    ["产业扶持项目", "cash", null, null, 100_000],
  ]);

  expect(card!.cooperatives).toEqual([
    {
      id: coop.id,
      name: coop.name,
      kind: "planting",
      joinedOn: "2025-03-01",
      brokers: [{ name: broker.name, phone: broker.phone }],
    },
  ]);

  expect(card!.orders).toHaveLength(1);
  expect(card!.orders[0]).toMatchObject({
    cropCode: "chili",
    cropZh: "辣椒",
    buyer: buyer.name,
    status: "signed",
    quantityKg: 250,
    unitPriceFen: 520,
    deliveredKg: 150.5,
    deliveryStart: "2026-08-15",
    deliveryEnd: "2026-09-30",
  });
});

test("a household without this year's plan still has a card, with no plan and no plan funds", async () => {
  const d = await db();
  const world = await createWorld(d);
  const official = await createUser(d, world, "official");
  const h = await createHousehold(d, world);
  await createPlan(d, world, h.id, { year: YEAR - 1 });

  const card = await getHouseholdCard({ id: h.id, scope: scopeOf(official), year: YEAR });
  expect(card).not.toBeNull();
  expect(card!.plan).toBeNull();
  expect(card!.cadre).toBeNull();
  expect(card!.fundAllocations).toEqual([]);
  expect(card!.cooperatives).toEqual([]);
  expect(card!.orders).toEqual([]);
  expect(card!.members).toHaveLength(2);
});

test("a cadre asking for another cadre's household gets no card, nor for one handed over", async () => {
  const d = await db();
  const world = await createWorld(d);
  const me = await createUser(d, world, "cadre");
  const other = await createUser(d, world, "cadre");
  const mine = await createHousehold(d, world);
  const theirs = await createHousehold(d, world);
  const handedOver = await createHousehold(d, world);
  await assignCadre(d, world, mine.id, me.id);
  await assignCadre(d, world, theirs.id, other.id);
  const old = await assignCadre(d, world, handedOver.id, me.id);
  await endAssignment(d, old.id, "2026-06-30");
  await assignCadre(d, world, handedOver.id, other.id, "2026-07-01");

  expect(await getHouseholdCard({ id: mine.id, scope: scopeOf(me), year: YEAR })).not.toBeNull();
  expect(await getHouseholdCard({ id: theirs.id, scope: scopeOf(me), year: YEAR })).toBeNull();
  expect(await getHouseholdCard({ id: handedOver.id, scope: scopeOf(me), year: YEAR })).toBeNull();
  const theirCard = await getHouseholdCard({ id: handedOver.id, scope: scopeOf(other), year: YEAR });
  expect(theirCard?.cadre?.name).toBe(other.displayName);
});

test("an official gets the cards of their township and not of the other one", async () => {
  const d = await db();
  const world = await createWorld(d);
  const official = await createUser(d, world, "official", { townshipIndex: 1 });
  const here = await createHousehold(d, world, { villageIndex: 3 });
  const there = await createHousehold(d, world, { villageIndex: 0 });

  expect((await getHouseholdCard({ id: here.id, scope: scopeOf(official), year: YEAR }))?.household.code).toBe(
    here.code,
  );
  expect(await getHouseholdCard({ id: there.id, scope: scopeOf(official), year: YEAR })).toBeNull();
});

test("an unknown household has no card", async () => {
  const d = await db();
  const world = await createWorld(d);
  const admin = await createUser(d, world, "admin");
  expect(await getHouseholdCard({ id: crypto.randomUUID(), scope: scopeOf(admin), year: YEAR })).toBeNull();
});
