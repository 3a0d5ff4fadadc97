// What the cooperative, buyer and order pages read and write: every list and record inside the
// caller's scope — a clerk their cooperative, an official their township, an administrator the county
// (read-only), a cadre only the orders of their own households (read-only) — and out-of-scope ids not found.
import { and, eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { auditLog } from "../../db/schema";
import { ForbiddenError, NotFoundError } from "~/models/errors.server";
import {
  addBroker,
  cooperativeIsInScope,
  getCooperative,
  joinCooperative,
  leaveCooperative,
  listCooperatives,
  membershipCandidates,
} from "~/models/cooperatives.server";
import { createBuyer } from "~/models/buyers.server";
import {
  allocateOrder,
  allocationCandidates,
  orderDeliveries,
  orderFormOptions,
  orderIsInScope,
  orderSummary,
  recordDelivery,
  recordPayment,
  updateOrderStatus,
} from "~/models/orders.server";
import {
  listOrders,
  orderListFilterOptions,
  OrderListParamsSchema,
  parseOrderListParams,
} from "~/models/order-list.server";
import { scopeOf } from "~/models/scope.server";
import { can } from "~/permissions";
import { BrokerSchema, BuyerSchema, type DeliveryInput } from "~/schemas/orders";
import { makeCreditCode } from "~/utils/credit-code";
import { db } from "~/utils/db.server";
import * as f from "../support/factories";

async function setup() {
  const d = await db();
  const world = await f.createWorld(d);
  const coop = await f.createCooperative(d, world, 0);
  const otherCoop = await f.createCooperative(d, world, 0);
  const farCoop = await f.createCooperative(d, world, 1);
  const buyer = await f.createBuyer(d, world);
  const clerk = scopeOf(await f.createUser(d, world, "clerk", { cooperativeId: coop.id }));
  const otherClerk = scopeOf(await f.createUser(d, world, "clerk", { cooperativeId: otherCoop.id }));
  const official = scopeOf(await f.createUser(d, world, "official", { townshipIndex: 0 }));
  const farOfficial = scopeOf(await f.createUser(d, world, "official", { townshipIndex: 1 }));
  const admin = scopeOf(await f.createUser(d, world, "admin"));
  const cadreUser = await f.createUser(d, world, "cadre");
  const cadre = scopeOf(cadreUser);
  return {
    d,
    world,
    coop,
    otherCoop,
    farCoop,
    buyer,
    clerk,
    otherClerk,
    official,
    farOfficial,
    admin,
    cadre,
    cadreUser,
  };
}

async function rejection(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the model to refuse");
}

const delivery = (over: Partial<DeliveryInput> = {}): DeliveryInput => ({
  deliveredOn: "2026-09-01",
  quantityKg: 100,
  grade: "first",
  unitPriceFen: 500,
  paidFen: 0,
  ...over,
});

const params = (over: Record<string, string> = {}) => OrderListParamsSchema.parse(over);

test("cooperatives list: a clerk sees their own, an official the township's, an admin the county's, a cadre none", async () => {
  const { d, world, coop, otherCoop, farCoop, clerk, official, farOfficial, admin, cadre } = await setup();
  const member = await f.createHousehold(d, world);
  await f.joinCooperative(d, world, coop.id, member.id);
  const second = await f.createHousehold(d, world, { villageIndex: 1 });
  await f.joinCooperative(d, world, coop.id, second.id);
  await f.createBroker(d, world, coop.id, "13912345678");

  const mine = await listCooperatives({ scope: clerk });
  expect(mine.map((c) => c.id)).toEqual([coop.id]);
  expect(mine[0]).toMatchObject({ kind: "planting", memberCount: 2, brokers: [{ phone: "13912345678" }] });
  expect(mine[0].township).toBe(world.townships[0].name);

  expect((await listCooperatives({ scope: official })).map((c) => c.id).sort()).toEqual([coop.id, otherCoop.id].sort());
  expect((await listCooperatives({ scope: farOfficial })).map((c) => c.id)).toEqual([farCoop.id]);
  expect((await listCooperatives({ scope: admin })).map((c) => c.id).sort()).toEqual(
    [coop.id, otherCoop.id, farCoop.id].sort(),
  );
  expect(await listCooperatives({ scope: cadre })).toEqual([]);
});

test("a cooperative's page: brokers, current and past members with dates; out of scope is not found", async () => {
  const ctx = await setup();
  const { d, world, coop, clerk, otherClerk, official, farOfficial, admin, cadre } = ctx;
  const a = await f.createHousehold(d, world);
  const b = await f.createHousehold(d, world, { villageIndex: 1 });
  await f.joinCooperative(d, world, coop.id, a.id, "2026-03-01");
  const mb = await joinCooperative({
    scope: official,
    cooperativeId: coop.id,
    householdId: b.id,
    joinedOn: "2025-05-01",
  });
  await leaveCooperative({ scope: clerk, membershipId: mb.id, leftOn: "2026-06-30" });

  const page = await getCooperative({ scope: clerk, id: coop.id });
  expect(page!.current.map((m) => [m.householdId, m.joinedOn, m.leftOn])).toEqual([[a.id, "2026-03-01", null]]);
  // a former member is out of the clerk's scope: name and period stay, the way into the household does not
  expect(page!.past.map((m) => [m.householdId, m.headName, m.joinedOn, m.leftOn])).toEqual([
    [null, b.headName, "2025-05-01", "2026-06-30"],
  ]);
  const officials = await getCooperative({ scope: official, id: coop.id });
  expect(officials!.past.map((m) => m.householdId)).toEqual([b.id]);
  // an official enrols and decides; a clerk asks, since membership widens the clerk's own scope; the
  // cooperative's own details are the official's and the administrator's to set up, not the clerk's
  expect(page!.can).toEqual({ setup: false, edit: true, join: false, request: true, decide: false });
  expect((await getCooperative({ scope: official, id: coop.id }))!.can).toEqual({
    setup: true,
    edit: true,
    join: true,
    request: false,
    decide: true,
  });
  expect((await getCooperative({ scope: admin, id: coop.id }))!.can).toEqual({
    setup: true,
    edit: false,
    join: false,
    request: false,
    decide: false,
  });
  for (const scope of [otherClerk, farOfficial, cadre]) {
    expect(await getCooperative({ scope, id: coop.id })).toBeNull();
    expect(await cooperativeIsInScope({ scope, id: coop.id })).toBe(false);
  }
  expect(await cooperativeIsInScope({ scope: clerk, id: coop.id })).toBe(true);
});

test("brokers: the clerk of the cooperative or an official of its township adds one, audited; others cannot", async () => {
  const ctx = await setup();
  const { d, coop, clerk, otherClerk, official, farOfficial, admin, cadre } = ctx;
  expect(BrokerSchema.safeParse({ name: "张连发", phone: "abc" }).error!.issues[0].message).toBe("field.phone");
  const input = BrokerSchema.parse({ name: "张连发", phone: "18885605686" });
  const broker = await addBroker({ scope: clerk, cooperativeId: coop.id, input });
  await addBroker({ scope: official, cooperativeId: coop.id, input: BrokerSchema.parse({ name: "李秀英" }) });
  const page = await getCooperative({ scope: clerk, id: coop.id });
  expect(page!.brokers.map((b) => [b.name, b.phone])).toEqual([
    ["张连发", "18885605686"],
    ["李秀英", null],
  ]);
  const audit = await d
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.entity, "broker"), eq(auditLog.entityId, broker.id)));
  expect(audit.map((a) => [a.action, a.userId])).toEqual([["broker.create", clerk.userId]]);

  for (const scope of [otherClerk, farOfficial]) {
    expect(await rejection(addBroker({ scope, cooperativeId: coop.id, input }))).toBeInstanceOf(NotFoundError);
  }
  for (const scope of [admin, cadre]) {
    expect(await rejection(addBroker({ scope, cooperativeId: coop.id, input }))).toBeInstanceOf(ForbiddenError);
  }
});

test("membership candidates: households of the township that are not current members, searchable", async () => {
  const ctx = await setup();
  const { d, world, coop, clerk, official, farOfficial, admin } = ctx;
  const member = await f.createHousehold(d, world);
  await f.joinCooperative(d, world, coop.id, member.id);
  const free = await f.createHousehold(d, world, { villageIndex: 1 });
  const far = await f.createHousehold(d, world, { villageIndex: 2 });
  const former = await f.createHousehold(d, world);
  const m = await f.joinCooperative(d, world, coop.id, former.id, "2026-01-01");
  await leaveCooperative({ scope: clerk, membershipId: m.id, leftOn: "2026-02-01" });

  const ids = (await membershipCandidates({ scope: official, cooperativeId: coop.id })).map((h) => h.id);
  expect(ids).toContain(free.id);
  expect(ids).toContain(former.id); // a former member may join again
  expect(ids).not.toContain(member.id);
  expect(ids).not.toContain(far.id);
  expect(
    (await membershipCandidates({ scope: official, cooperativeId: coop.id, q: free.headName })).map((h) => h.id),
  ).toEqual([free.id]);
  expect(await membershipCandidates({ scope: official, cooperativeId: coop.id, q: "100%_" })).toEqual([]);
  // a clerk names a household to enrol instead of browsing the township's: no names for them here
  expect(await membershipCandidates({ scope: clerk, cooperativeId: coop.id })).toEqual([]);
  expect(await membershipCandidates({ scope: admin, cooperativeId: coop.id })).toEqual([]);
  for (const scope of [farOfficial]) {
    expect(await rejection(membershipCandidates({ scope, cooperativeId: coop.id }))).toBeInstanceOf(NotFoundError);
  }
});

test("orders list: scope per role, filters by status, crop and season, sort and pages, totals per order", async () => {
  const ctx = await setup();
  const {
    d,
    world,
    coop,
    otherCoop,
    farCoop,
    buyer,
    clerk,
    otherClerk,
    official,
    farOfficial,
    admin,
    cadre,
    cadreUser,
  } = ctx;
  const chili = await f.createPurchaseOrder(d, world, {
    cooperativeId: coop.id,
    buyerId: buyer.id,
    quantityKg: 1000,
    season: "2026年秋季",
  });
  const potato = await f.createPurchaseOrder(d, world, {
    cooperativeId: coop.id,
    buyerId: buyer.id,
    cropCode: "potato",
    status: "draft",
    signedOn: null,
    season: "2025年秋季",
    deliveryStart: "2025-09-01",
    deliveryEnd: "2025-10-01",
  });
  const other = await f.createPurchaseOrder(d, world, { cooperativeId: otherCoop.id, buyerId: buyer.id });
  const far = await f.createPurchaseOrder(d, world, { cooperativeId: farCoop.id, buyerId: buyer.id });
  const h = await f.createHousehold(d, world);
  const m = await f.joinCooperative(d, world, coop.id, h.id);
  const a = await f.createOrderAllocation(d, world, {
    orderId: chili.id,
    householdId: h.id,
    membershipId: m.id,
    quantityKg: 400,
  });
  await f.createDelivery(d, world, { allocationId: a.id, quantityKg: 150.5 });
  await f.assignCadre(d, world, h.id, cadreUser.id);

  const ids = async (scope: typeof clerk, p = params()) =>
    (await listOrders({ scope, params: p })).rows.map((r) => r.id).sort();
  expect(await ids(clerk)).toEqual([chili.id, potato.id].sort());
  expect(await ids(otherClerk)).toEqual([other.id]);
  expect(await ids(official)).toEqual([chili.id, potato.id, other.id].sort());
  expect(await ids(farOfficial)).toEqual([far.id]);
  expect(await ids(admin)).toEqual([chili.id, potato.id, other.id, far.id].sort());
  expect(await ids(cadre)).toEqual([chili.id]);

  const page = await listOrders({ scope: clerk, params: params({ crop: "chili" }) });
  expect(page.total).toBe(1);
  expect(page.rows[0]).toMatchObject({
    id: chili.id,
    cropZh: "辣椒",
    allocatedKg: 400,
    deliveredKg: 150.5,
    status: "signed",
  });
  expect(await ids(clerk, params({ status: "draft" }))).toEqual([potato.id]);
  expect(await ids(clerk, params({ season: "2025年秋季" }))).toEqual([potato.id]);
  expect(await ids(official, params({ cooperative: otherCoop.id }))).toEqual([other.id]);
  // a cooperative filter never widens a scope
  expect(await ids(clerk, params({ cooperative: otherCoop.id }))).toEqual([]);
  // newest delivery window first by default; ascending on request; a page past the end shows the last
  expect((await listOrders({ scope: clerk, params: params() })).rows.map((r) => r.id)).toEqual([chili.id, potato.id]);
  expect((await listOrders({ scope: clerk, params: params({ dir: "asc" }) })).rows.map((r) => r.id)).toEqual([
    potato.id,
    chili.id,
  ]);
  expect((await listOrders({ scope: clerk, params: params({ page: "9" }) })).page).toBe(1);
  // a hand-edited URL falls back to defaults instead of failing
  expect(parseOrderListParams(new URL("http://x/orders?status=lost&sort=drop&size=7&crop=%27;--"))).toMatchObject({
    status: undefined,
    crop: undefined,
    sort: "window",
    size: 20,
  });

  const options = await orderListFilterOptions({ scope: clerk });
  expect(options.crops.map((c) => c.code)).toEqual(["chili", "potato"]);
  expect(options.seasons).toEqual(["2026年秋季", "2025年秋季"]);
  expect((await orderListFilterOptions({ scope: cadre })).crops.map((c) => c.code)).toEqual(["chili"]);
  expect(options.cooperatives).toBeNull();
  expect((await orderListFilterOptions({ scope: official })).cooperatives!.map((c) => c.id).sort()).toEqual(
    [coop.id, otherCoop.id].sort(),
  );
  expect(await orderIsInScope({ scope: clerk, id: chili.id })).toBe(true);
  expect(await orderIsInScope({ scope: otherClerk, id: chili.id })).toBe(false);
  expect(await orderIsInScope({ scope: cadre, id: potato.id })).toBe(false);
});

test("new order form: a clerk gets their cooperative, an official the township's; admins and cadres may not", async () => {
  const { coop, otherCoop, clerk, official, admin, cadre, buyer } = await setup();
  const forClerk = await orderFormOptions({ scope: clerk });
  expect(forClerk.cooperatives.map((c) => c.id)).toEqual([coop.id]);
  expect(forClerk.buyers.map((b) => b.id)).toEqual([buyer.id]);
  expect(forClerk.crops.slice(0, 4).map((c) => c.nameZh)).toEqual(["辣椒", "马铃薯", "白菜", "豇豆角"]);
  expect((await orderFormOptions({ scope: official })).cooperatives.map((c) => c.id).sort()).toEqual(
    [coop.id, otherCoop.id].sort(),
  );
  expect(await rejection(orderFormOptions({ scope: admin }))).toBeInstanceOf(ForbiddenError);
  expect(await rejection(orderFormOptions({ scope: cadre }))).toBeInstanceOf(ForbiddenError);
  expect(can(clerk, "order.write") && can(official, "order.write")).toBe(true);
  expect(can(admin, "order.write") || can(cadre, "order.write")).toBe(false);
});

test("allocation candidates are current members without a share; deliveries list by order, a cadre's own only", async () => {
  const ctx = await setup();
  const { d, world, coop, otherCoop, buyer, clerk, otherClerk, farOfficial, admin, cadre, cadreUser } = ctx;
  const order = await f.createPurchaseOrder(d, world, { cooperativeId: coop.id, buyerId: buyer.id, quantityKg: 1000 });
  const otherOrder = await f.createPurchaseOrder(d, world, {
    cooperativeId: coop.id,
    buyerId: buyer.id,
    quantityKg: 1000,
  });
  const [h1, h2, h3, outsider, former] = [
    await f.createHousehold(d, world),
    await f.createHousehold(d, world),
    await f.createHousehold(d, world),
    await f.createHousehold(d, world),
    await f.createHousehold(d, world),
  ];
  for (const h of [h1, h2, h3]) await f.joinCooperative(d, world, coop.id, h.id, "2026-03-01");
  await f.joinCooperative(d, world, otherCoop.id, outsider.id);
  const fm = await f.joinCooperative(d, world, coop.id, former.id, "2026-03-01");
  await leaveCooperative({ scope: clerk, membershipId: fm.id, leftOn: "2026-04-01" });

  const a1 = await allocateOrder({ scope: clerk, orderId: order.id, householdId: h1.id, quantityKg: 300 });
  const a2 = await allocateOrder({ scope: clerk, orderId: order.id, householdId: h2.id, quantityKg: 300 });
  const left = (await allocationCandidates({ scope: clerk, orderId: order.id })).households.map((h) => h.id);
  expect(left).toEqual([h3.id]);
  expect(await allocationCandidates({ scope: admin, orderId: order.id })).toEqual({ households: [], more: false });
  for (const scope of [otherClerk, farOfficial]) {
    expect(await rejection(allocationCandidates({ scope, orderId: order.id }))).toBeInstanceOf(NotFoundError);
  }

  await recordDelivery({ scope: clerk, allocationId: a1.id, orderId: order.id, input: delivery({ quantityKg: 120 }) });
  await recordDelivery({
    scope: clerk,
    allocationId: a2.id,
    orderId: order.id,
    input: delivery({ quantityKg: 80, deliveredOn: "2026-08-30" }),
  });
  // a form on another order's page cannot record against this order's allocation
  expect(
    await rejection(recordDelivery({ scope: clerk, allocationId: a1.id, orderId: otherOrder.id, input: delivery() })),
  ).toBeInstanceOf(NotFoundError);
  const all = await orderDeliveries({ scope: clerk, orderId: order.id });
  expect(all.map((x) => [x.householdId, x.quantityKg, x.amountFen])).toEqual([
    [h2.id, 80, 40000],
    [h1.id, 120, 60000],
  ]);
  await f.assignCadre(d, world, h1.id, cadreUser.id);
  expect((await orderDeliveries({ scope: cadre, orderId: order.id })).map((x) => x.householdId)).toEqual([h1.id]);
  expect(await rejection(orderDeliveries({ scope: otherClerk, orderId: order.id }))).toBeInstanceOf(NotFoundError);
  expect(await rejection(orderDeliveries({ scope: cadre, orderId: otherOrder.id }))).toBeInstanceOf(NotFoundError);
});

test("registering a buyer leaves an audit row; admins and cadres may not register one", async () => {
  const { d, clerk, admin, cadre } = await setup();
  const code = makeCreditCode(`91230828MA${String(Date.now()).slice(-7)}`);
  const buyer = await createBuyer({
    scope: clerk,
    input: BuyerSchema.parse({ name: "汤原县鑫源食品有限公司", creditCode: code }),
  });
  const audit = await d
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.entity, "buyer"), eq(auditLog.entityId, buyer.id)));
  expect(audit.map((a) => [a.action, a.userId, (a.after as { creditCode: string }).creditCode])).toEqual([
    ["buyer.create", clerk.userId, code],
  ]);
  const input = BuyerSchema.parse({ name: "x", creditCode: makeCreditCode("91230828MA1B2C3D9") });
  for (const scope of [admin, cadre])
    expect(await rejection(createBuyer({ scope, input }))).toBeInstanceOf(ForbiddenError);
});

test("the behind flag is for open orders: a fulfilled order presses nobody", async () => {
  const { d, world, coop, buyer, clerk } = await setup();
  const order = await f.createPurchaseOrder(d, world, { cooperativeId: coop.id, buyerId: buyer.id, quantityKg: 1000 });
  const h = await f.createHousehold(d, world);
  await f.joinCooperative(d, world, coop.id, h.id, "2026-03-01");
  const a = await allocateOrder({ scope: clerk, orderId: order.id, householdId: h.id, quantityKg: 400 });
  await recordDelivery({ scope: clerk, allocationId: a.id, input: delivery({ quantityKg: 100 }) });
  const late = await orderSummary({ scope: clerk, orderId: order.id, today: "2026-10-05" });
  expect(late.order.status).toBe("delivering");
  expect([late.households[0].behind, late.totals.behindCount]).toEqual([true, 1]);
  await updateOrderStatus({
    scope: clerk,
    orderId: order.id,
    version: late.order.version,
    status: "fulfilled",
    today: "2026-10-05",
  });
  const done = await orderSummary({ scope: clerk, orderId: order.id, today: "2026-10-05" });
  expect([done.households[0].behind, done.totals.behindCount, done.can.allocate, done.can.deliver]).toEqual([
    false,
    0,
    false,
    false,
  ]);
});

test("money arrives after a delivery: the paid total grows to the amount and no further; others may not record it", async () => {
  const { d, world, coop, buyer, clerk, otherClerk, cadre } = await setup();
  const order = await f.createPurchaseOrder(d, world, { cooperativeId: coop.id, buyerId: buyer.id, quantityKg: 1000 });
  const h = await f.createHousehold(d, world);
  await f.joinCooperative(d, world, coop.id, h.id, "2026-03-01");
  const a = await allocateOrder({ scope: clerk, orderId: order.id, householdId: h.id, quantityKg: 400 });
  // 200 kg at 5.00 元 = 1000.00 元, nothing paid on the day
  const del = await recordDelivery({ scope: clerk, allocationId: a.id, input: delivery({ quantityKg: 200 }) });

  const part = await recordPayment({
    scope: clerk,
    orderId: order.id,
    input: { deliveryId: del.id, amountFen: 40_000, paidOn: "2026-09-10" },
  });
  expect([part.paidFen, part.paymentStatus]).toEqual([40_000, "partial"]);

  const over = await rejection(
    recordPayment({
      scope: clerk,
      orderId: order.id,
      input: { deliveryId: del.id, amountFen: 60_001, paidOn: "2026-09-20" },
    }),
  );
  expect(JSON.stringify(over)).toContain("orders.error.paymentOverOutstanding");
  const early = await rejection(
    recordPayment({
      scope: clerk,
      orderId: order.id,
      input: { deliveryId: del.id, amountFen: 100, paidOn: "2026-08-31" },
    }),
  );
  expect(JSON.stringify(early)).toContain("orders.error.paidBeforeDelivery");

  const full = await recordPayment({
    scope: clerk,
    orderId: order.id,
    input: { deliveryId: del.id, amountFen: 60_000, paidOn: "2026-09-20" },
  });
  expect([full.paidFen, full.paymentStatus, full.payment.paidOn]).toEqual([100_000, "paid", "2026-09-20"]);
  // each payment is a row of its own; the delivery's paid figures are derived from them
  const [ledger] = (await orderDeliveries({ scope: clerk, orderId: order.id })).filter((x) => x.id === del.id);
  expect(ledger.payments.map((p) => [p.amountFen, p.paidOn])).toEqual([
    [40_000, "2026-09-10"],
    [60_000, "2026-09-20"],
  ]);
  expect([ledger.paidFen, ledger.paymentStatus]).toEqual([100_000, "paid"]);
  const summary = await orderSummary({ scope: clerk, orderId: order.id, today: "2026-09-20" });
  expect(summary.totals.paidFen).toBe(100_000);

  // another cooperative's clerk: not found; a cadre: forbidden
  expect(
    await rejection(
      recordPayment({
        scope: otherClerk,
        orderId: order.id,
        input: { deliveryId: del.id, amountFen: 1, paidOn: "2026-09-21" },
      }),
    ),
  ).toBeInstanceOf(NotFoundError);
  expect(
    await rejection(
      recordPayment({
        scope: cadre,
        orderId: order.id,
        input: { deliveryId: del.id, amountFen: 1, paidOn: "2026-09-21" },
      }),
    ),
  ).toBeInstanceOf(ForbiddenError);
  const audits = await d
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.entity, "payment"), eq(auditLog.action, "payment.create")));
  expect(audits.map((a) => a.entityId).sort()).toEqual([part.payment.id, full.payment.id].sort());
});
