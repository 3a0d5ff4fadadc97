// Purchase orders (订单): domain rule 4 held by the model layer — membership, order quantity under
// concurrency, deliveries — plus totals, the behind flag, expected vs actual income and scope per role.
import { and, asc, eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { auditLog, memberships, orderAllocations, payments, purchaseOrders } from "../../db/schema";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "~/models/errors.server";
import { joinCooperative, leaveCooperative } from "~/models/cooperatives.server";
import { createBuyer } from "~/models/buyers.server";
import {
  allocateOrder,
  createOrder,
  orderSummary,
  recordDelivery,
  recordPayment,
  updateOrderStatus,
} from "~/models/orders.server";
import { householdIncome } from "~/models/household-income.server";
import { scopeOf } from "~/models/scope.server";
import { BuyerSchema, DeliverySchema, OrderSchema, type DeliveryInput } from "~/schemas/orders";
import { makeCreditCode } from "~/utils/credit-code";
import { db } from "~/utils/db.server";
import * as f from "../support/factories";
import { raceTest } from "../support/test-db";

async function setup() {
  const d = await db();
  const world = await f.createWorld(d);
  const coop = await f.createCooperative(d, world, 0);
  const otherCoop = await f.createCooperative(d, world, 0);
  const buyer = await f.createBuyer(d, world);
  const clerk = scopeOf(await f.createUser(d, world, "clerk", { cooperativeId: coop.id }));
  const otherClerk = scopeOf(await f.createUser(d, world, "clerk", { cooperativeId: otherCoop.id }));
  const official = scopeOf(await f.createUser(d, world, "official", { townshipIndex: 0 }));
  const farOfficial = scopeOf(await f.createUser(d, world, "official", { townshipIndex: 1 }));
  const order = await f.createPurchaseOrder(d, world, { cooperativeId: coop.id, buyerId: buyer.id, quantityKg: 1000 });
  return { d, world, coop, otherCoop, buyer, clerk, otherClerk, official, farOfficial, order };
}

async function rejection(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the model to refuse");
}

async function member(ctx: Awaited<ReturnType<typeof setup>>) {
  const h = await f.createHousehold(ctx.d, ctx.world);
  await f.joinCooperative(ctx.d, ctx.world, ctx.coop.id, h.id, "2026-03-01");
  return h;
}

const delivery = (over: Partial<DeliveryInput> = {}): DeliveryInput => ({
  deliveredOn: "2026-09-01",
  quantityKg: 100,
  grade: "first",
  unitPriceFen: 500,
  paidFen: 0,
  ...over,
});

test("buyers: the credit code checksum is checked with a clear message, and a code is registered once", async () => {
  const { clerk } = await setup();
  const good = makeCreditCode("91230828MA1B2C3D4");
  const bad = good.slice(0, 17) + (good[17] === "0" ? "1" : "0");
  const parsed = BuyerSchema.safeParse({ name: "汤原县绿源农产品有限公司", creditCode: bad });
  expect(parsed.success).toBe(false);
  expect(parsed.error!.issues.map((i) => [i.path.join("."), i.message])).toEqual([
    ["creditCode", "orders.error.creditCode.checksum"],
  ]);
  expect(BuyerSchema.safeParse({ name: "x", creditCode: "91230828" }).error!.issues[0].message).toBe(
    "orders.error.creditCode.length",
  );

  const input = BuyerSchema.parse({
    name: "汤原县绿源农产品有限公司",
    creditCode: good.toLowerCase(),
    contactName: "王经理",
  });
  const buyer = await createBuyer({ scope: clerk, input });
  expect(buyer.creditCode).toBe(good);
  const error = await rejection(createBuyer({ scope: clerk, input }));
  expect((error as ValidationError).fieldErrors.creditCode).toEqual(["orders.error.creditCode.duplicate"]);
});

test("membership rule: non-members and former members are refused; current members get their share", async () => {
  const ctx = await setup();
  const { d, world, clerk, order } = ctx;
  const outsider = await f.createHousehold(d, world);
  const former = await member(ctx);
  const current = await member(ctx);
  const [m] = await d.select().from(memberships).where(eq(memberships.householdId, former.id));
  await leaveCooperative({ scope: clerk, membershipId: m.id, leftOn: "2026-04-01" });

  for (const h of [outsider, former]) {
    const error = await rejection(
      allocateOrder({ scope: clerk, orderId: order.id, householdId: h.id, quantityKg: 100 }),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).fieldErrors.householdId).toEqual(["orders.error.notMember"]);
  }
  // a member of another cooperative is not a member of this one
  const elsewhere = await f.createHousehold(d, world);
  await f.joinCooperative(d, world, ctx.otherCoop.id, elsewhere.id);
  const error = await rejection(
    allocateOrder({ scope: clerk, orderId: order.id, householdId: elsewhere.id, quantityKg: 1 }),
  );
  expect((error as ValidationError).fieldErrors.householdId).toEqual(["orders.error.notMember"]);

  const a = await allocateOrder({ scope: clerk, orderId: order.id, householdId: current.id, quantityKg: 300 });
  expect(a.quantityKg).toBe(300);
  const again = await rejection(
    allocateOrder({ scope: clerk, orderId: order.id, householdId: current.id, quantityKg: 1 }),
  );
  expect((again as ValidationError).fieldErrors.householdId).toEqual(["orders.error.alreadyAllocated"]);
  // joining twice is refused; the household must be in the cooperative's township
  const twice = await rejection(
    joinCooperative({
      scope: ctx.official,
      cooperativeId: ctx.coop.id,
      householdId: current.id,
      joinedOn: "2026-05-01",
    }),
  );
  expect((twice as ValidationError).fieldErrors.householdId).toEqual(["orders.error.alreadyMember"]);
  const far = await f.createHousehold(d, world, { villageIndex: 2 });
  expect(
    await rejection(
      joinCooperative({ scope: ctx.official, cooperativeId: ctx.coop.id, householdId: far.id, joinedOn: "2026-05-01" }),
    ),
  ).toBeInstanceOf(NotFoundError);
  const audit = await d
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.entity, "allocation"), eq(auditLog.entityId, a.id)));
  expect(audit).toHaveLength(1);
});

raceTest("20 concurrent allocations never exceed the order quantity; every refusal says what is left", async () => {
  const ctx = await setup();
  const { d, clerk, order } = ctx;
  const hs = [];
  for (let i = 0; i < 20; i++) hs.push(await member(ctx));
  // 1000 kg; 20 requests of 150 kg: six fit (900), the rest are refused
  const results = await Promise.allSettled(
    hs.map((h) => allocateOrder({ scope: clerk, orderId: order.id, householdId: h.id, quantityKg: 150 })),
  );
  const ok = results.filter((r) => r.status === "fulfilled");
  const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
  expect(ok).toHaveLength(6);
  expect(refused).toHaveLength(14);
  for (const r of refused) {
    expect(r.reason).toBeInstanceOf(ValidationError);
    expect((r.reason as ValidationError).fieldErrors.quantityKg).toEqual([
      'orders.error.overQuantity|{"remaining":100}',
    ]);
  }
  const rows = await d.select().from(orderAllocations).where(eq(orderAllocations.orderId, order.id));
  expect(rows.reduce((s, r) => s + r.quantityKg, 0)).toBe(900);
});

test("deliveries: totals, the 10 % tolerance, payment consistency and status progression to fulfilled", async () => {
  const ctx = await setup();
  const { d, clerk, official, order } = ctx;
  const [h1, h2] = [await member(ctx), await member(ctx)];
  const a1 = await allocateOrder({ scope: clerk, orderId: order.id, householdId: h1.id, quantityKg: 600 });
  const a2 = await allocateOrder({ scope: official, orderId: order.id, householdId: h2.id, quantityKg: 400 });

  // the form refuses money beyond what the goods are worth (100 kg at 5.00 元 = 500.00 元)
  const form = DeliverySchema.safeParse({
    deliveredOn: "2026-09-01",
    quantityKg: 100,
    unitPriceFen: 5,
    paidFen: 600,
  });
  expect(form.error!.issues.map((i) => [i.path.join("."), i.message])).toEqual([
    ["paidFen", 'orders.error.paidOverAmount|{"amount":500}'],
  ]);

  const first = await recordDelivery({
    scope: clerk,
    allocationId: a1.id,
    input: delivery({ quantityKg: 333.33, unitPriceFen: 520, paidFen: 100_000 }),
  });
  expect(first.amountFen).toBe(Math.round(333.33 * 520));
  let [o] = await d.select().from(purchaseOrders).where(eq(purchaseOrders.id, order.id));
  expect(o.status).toBe("delivering");

  const over = await rejection(
    recordDelivery({ scope: clerk, allocationId: a1.id, input: delivery({ quantityKg: 400 }) }),
  );
  expect((over as ValidationError).fieldErrors.quantityKg[0]).toBe(
    'orders.error.overDelivery|{"allocated":600,"delivered":333.33,"allowed":326.67}',
  );
  // the money handed over with the goods is the delivery's first payment
  const [firstPaid] = await d.select().from(payments).where(eq(payments.deliveryId, first.id));
  expect(firstPaid).toMatchObject({ amountFen: 100_000, paidOn: "2026-09-01", correctsPaymentId: null });

  await recordDelivery({
    scope: clerk,
    allocationId: a1.id,
    input: delivery({ quantityKg: 266.67, paidFen: 133_335 }),
  });
  await recordDelivery({ scope: clerk, allocationId: a2.id, input: delivery({ quantityKg: 300 }) });
  let summary = await orderSummary({ scope: clerk, orderId: order.id, today: "2026-09-10" });
  expect(summary.totals).toMatchObject({
    quantityKg: 1000,
    allocatedKg: 1000,
    unallocatedKg: 0,
    deliveredKg: 900,
    remainingKg: 100,
    amountFen: 173_332 + 133_335 + 150_000,
    paidFen: 233_335,
  });
  expect(summary.households.find((h) => h.householdId === h2.id)).toMatchObject({
    deliveredKg: 300,
    remainingKg: 100,
    paidFen: 0,
  });
  expect(summary.order.status).toBe("delivering");

  await recordDelivery({
    scope: clerk,
    allocationId: a2.id,
    input: delivery({ quantityKg: 100, deliveredOn: "2026-09-20" }),
  });
  [o] = await d.select().from(purchaseOrders).where(eq(purchaseOrders.id, order.id));
  expect(o.status).toBe("fulfilled");
  summary = await orderSummary({ scope: clerk, orderId: order.id, today: "2026-09-25" });
  expect(summary.totals.remainingKg).toBe(0);
  const audit = await d.select().from(auditLog).where(eq(auditLog.entityId, order.id));
  expect(audit.map((a) => a.action).sort()).toEqual(["order.delivering", "order.fulfilled"]);
  expect(await d.select().from(auditLog).where(eq(auditLog.entity, "delivery"))).not.toHaveLength(0);
});

test("a fulfilled order takes no more deliveries, however it got there; money for its deliveries still comes in", async () => {
  const ctx = await setup();
  const { clerk, official, order } = ctx;
  const [h1, h2] = [await member(ctx), await member(ctx)];
  const a1 = await allocateOrder({ scope: clerk, orderId: order.id, householdId: h1.id, quantityKg: 600 });
  const a2 = await allocateOrder({ scope: clerk, orderId: order.id, householdId: h2.id, quantityKg: 400 });
  // the first household's heavy last load makes up the order's 1000 kg while the second still owes 60 kg
  await recordDelivery({ scope: clerk, allocationId: a1.id, input: delivery({ quantityKg: 660 }) });
  const last = await recordDelivery({ scope: clerk, allocationId: a2.id, input: delivery({ quantityKg: 340 }) });
  const done = await orderSummary({ scope: clerk, orderId: order.id, today: "2026-09-02" });
  expect(done.order.status).toBe("fulfilled");
  expect(done.households.find((h) => h.householdId === h2.id)!.remainingKg).toBe(60);
  // the page offers what the model takes
  expect(done.can).toEqual({
    write: true,
    transitions: [],
    allocate: false,
    changeAllocation: false,
    editTerms: false,
    deliver: false,
    pay: true,
    reversePayment: true,
    correct: true,
  });

  const late = await rejection(
    recordDelivery({
      scope: clerk,
      allocationId: a2.id,
      input: delivery({ quantityKg: 60, deliveredOn: "2026-09-05" }),
    }),
  );
  expect((late as ValidationError).formErrors).toEqual(['orders.error.cannotDeliver|{"status":"fulfilled"}']);
  const paid = await recordPayment({
    scope: clerk,
    orderId: order.id,
    input: { deliveryId: last.id, amountFen: last.amountFen, paidOn: "2026-09-10" },
  });
  expect(paid.paymentStatus).toBe("paid");

  // an order closed short by hand is just as closed
  const short = await f.createPurchaseOrder(ctx.d, ctx.world, {
    cooperativeId: ctx.coop.id,
    buyerId: ctx.buyer.id,
    quantityKg: 1000,
  });
  const a3 = await allocateOrder({ scope: clerk, orderId: short.id, householdId: h1.id, quantityKg: 500 });
  await recordDelivery({ scope: clerk, allocationId: a3.id, input: delivery({ quantityKg: 200 }) });
  const open = await orderSummary({ scope: official, orderId: short.id, today: "2026-09-02" });
  expect(open.can).toEqual({
    write: true,
    transitions: ["fulfilled"],
    allocate: true,
    changeAllocation: true,
    editTerms: true,
    deliver: true,
    pay: true,
    reversePayment: true,
    correct: true,
  });
  await updateOrderStatus({
    scope: official,
    orderId: short.id,
    version: open.order.version,
    status: "fulfilled",
    today: "2026-09-02",
  });
  const closed = await rejection(
    recordDelivery({ scope: official, allocationId: a3.id, input: delivery({ quantityKg: 100 }) }),
  );
  expect((closed as ValidationError).formErrors).toEqual(['orders.error.cannotDeliver|{"status":"fulfilled"}']);
});

test("the behind flag: households short of their allocation as the window closes", async () => {
  const ctx = await setup();
  const { clerk, order } = ctx; // window 2026-08-15 … 2026-09-30
  const [h1, h2] = [await member(ctx), await member(ctx)];
  const a1 = await allocateOrder({ scope: clerk, orderId: order.id, householdId: h1.id, quantityKg: 200 });
  const a2 = await allocateOrder({ scope: clerk, orderId: order.id, householdId: h2.id, quantityKg: 200 });
  await recordDelivery({ scope: clerk, allocationId: a1.id, input: delivery({ quantityKg: 200 }) });
  await recordDelivery({ scope: clerk, allocationId: a2.id, input: delivery({ quantityKg: 50 }) });
  const behind = async (today: string) =>
    Object.fromEntries(
      (await orderSummary({ scope: clerk, orderId: order.id, today })).households.map((h) => [h.householdId, h.behind]),
    );
  expect(await behind("2026-09-01")).toEqual({ [h1.id]: false, [h2.id]: false });
  expect(await behind("2026-09-23")).toEqual({ [h1.id]: false, [h2.id]: true });
  expect(await behind("2026-10-05")).toEqual({ [h1.id]: false, [h2.id]: true });
});

test("expected income from the plan beside actual income from deliveries", async () => {
  const ctx = await setup();
  const { d, world, clerk, buyer, coop } = ctx;
  const h = await member(ctx);
  const plan = await f.createPlan(d, world, h.id, { year: 2026 });
  await f.addPlanItems(d, world, plan.id, {
    planting: [
      { cropCode: "chili", area: 150, expectedYieldKg: 450 },
      { cropCode: "potato", area: 100, expectedYieldKg: 800 },
      { cropCode: "cowpea", area: 50, expectedYieldKg: 100 },
    ],
  });
  // chili: the household's own allocation (5.00 元/kg) wins over a cheaper cooperative order
  const chili = ctx.order; // 500 fen, delivery 2026
  await f.createPurchaseOrder(d, world, { cooperativeId: coop.id, buyerId: buyer.id, unitPriceFen: 450 });
  // potato: only a cooperative order (1.20 元/kg); a cancelled one and one of another year do not count
  await f.createPurchaseOrder(d, world, {
    cooperativeId: coop.id,
    buyerId: buyer.id,
    cropCode: "potato",
    unitPriceFen: 120,
  });
  await f.createPurchaseOrder(d, world, {
    cooperativeId: coop.id,
    buyerId: buyer.id,
    cropCode: "potato",
    unitPriceFen: 50,
    status: "cancelled",
  });
  await f.createPurchaseOrder(d, world, {
    cooperativeId: coop.id,
    buyerId: buyer.id,
    cropCode: "potato",
    unitPriceFen: 60,
    deliveryStart: "2025-08-01",
    deliveryEnd: "2025-09-01",
  });
  const a = await allocateOrder({ scope: clerk, orderId: chili.id, householdId: h.id, quantityKg: 400 });
  await recordDelivery({
    scope: clerk,
    allocationId: a.id,
    input: delivery({ quantityKg: 200, unitPriceFen: 480, paidFen: 96_000 }),
  });
  await recordDelivery({ scope: clerk, allocationId: a.id, input: delivery({ quantityKg: 150, unitPriceFen: 500 }) });

  const income = await householdIncome({ scope: clerk, householdId: h.id, year: 2026 });
  const byCrop = (code: string) => income.items.find((i) => i.cropCode === code)!;
  expect(income.items).toHaveLength(3);
  expect(byCrop("chili")).toMatchObject({ source: "allocation", unitPriceFen: 500, expectedFen: 225_000 });
  expect(byCrop("potato")).toMatchObject({ source: "cooperative", unitPriceFen: 120, expectedFen: 96_000 });
  expect(byCrop("cowpea")).toMatchObject({ source: null, unitPriceFen: null, expectedFen: 0 });
  expect(income.expectedFen).toBe(321_000);
  expect(income.actual).toEqual({ deliveredKg: 350, amountFen: 96_000 + 75_000, paidFen: 96_000 });
  const lastYear = await householdIncome({ scope: clerk, householdId: h.id, year: 2025 });
  expect(lastYear).toMatchObject({ plan: null, expectedFen: 0, actual: { deliveredKg: 0, amountFen: 0, paidFen: 0 } });
});

test("scope: other clerks and officials of other townships do not find the order; cadres read, never write", async () => {
  const ctx = await setup();
  const { d, world, clerk, otherClerk, official, farOfficial, order } = ctx;
  const h = await member(ctx);
  const a = await allocateOrder({ scope: clerk, orderId: order.id, householdId: h.id, quantityKg: 100 });
  const other = await member(ctx);
  await allocateOrder({ scope: clerk, orderId: order.id, householdId: other.id, quantityKg: 100 });
  const cadreUser = await f.createUser(d, world, "cadre");
  await f.assignCadre(d, world, h.id, cadreUser.id);
  const cadre = scopeOf(cadreUser);
  const admin = scopeOf(await f.createUser(d, world, "admin"));

  for (const scope of [otherClerk, farOfficial]) {
    expect(await rejection(orderSummary({ scope, orderId: order.id, today: "2026-09-01" }))).toBeInstanceOf(
      NotFoundError,
    );
    expect(
      await rejection(allocateOrder({ scope, orderId: order.id, householdId: h.id, quantityKg: 1 })),
    ).toBeInstanceOf(NotFoundError);
    expect(await rejection(recordDelivery({ scope, allocationId: a.id, input: delivery() }))).toBeInstanceOf(
      NotFoundError,
    );
    expect(
      await rejection(
        updateOrderStatus({ scope, orderId: order.id, version: 1, status: "cancelled", today: "2026-09-01" }),
      ),
    ).toBeInstanceOf(NotFoundError);
  }
  expect(await rejection(householdIncome({ scope: otherClerk, householdId: h.id, year: 2026 }))).toBeInstanceOf(
    NotFoundError,
  );
  expect(
    await rejection(
      joinCooperative({ scope: farOfficial, cooperativeId: ctx.coop.id, householdId: h.id, joinedOn: "2026-05-01" }),
    ),
  ).toBeInstanceOf(NotFoundError);

  // the township's official and the county admin read it
  expect((await orderSummary({ scope: official, orderId: order.id, today: "2026-09-01" })).households).toHaveLength(2);
  const readOnly = {
    write: false,
    transitions: [],
    allocate: false,
    changeAllocation: false,
    editTerms: false,
    deliver: false,
    pay: false,
    reversePayment: false,
    correct: false,
  };
  expect((await orderSummary({ scope: admin, orderId: order.id, today: "2026-09-01" })).can).toEqual(readOnly);

  // a cadre reads the order of their own household (only that household's row) and its income, read-only
  const seen = await orderSummary({ scope: cadre, orderId: order.id, today: "2026-09-01" });
  expect(seen.households.map((r) => r.householdId)).toEqual([h.id]);
  expect(seen.totals.allocatedKg).toBe(200);
  expect(seen.can).toEqual(readOnly);
  expect((await householdIncome({ scope: cadre, householdId: h.id, year: 2026 })).household.id).toBe(h.id);
  expect(
    await rejection(allocateOrder({ scope: cadre, orderId: order.id, householdId: h.id, quantityKg: 1 })),
  ).toBeInstanceOf(ForbiddenError);
  expect(await rejection(recordDelivery({ scope: cadre, allocationId: a.id, input: delivery() }))).toBeInstanceOf(
    ForbiddenError,
  );
  expect(
    await rejection(allocateOrder({ scope: admin, orderId: order.id, householdId: h.id, quantityKg: 1 })),
  ).toBeInstanceOf(ForbiddenError);
  // an order without their households is not found for the cadre
  const unrelated = await f.createPurchaseOrder(d, world, { cooperativeId: ctx.coop.id, buyerId: ctx.buyer.id });
  expect(await rejection(orderSummary({ scope: cadre, orderId: unrelated.id, today: "2026-09-01" }))).toBeInstanceOf(
    NotFoundError,
  );
});

test("orders: created as drafts, signed and cancelled with a version check; closed orders refuse allocations", async () => {
  const ctx = await setup();
  const { d, clerk, official, buyer, coop } = ctx;
  const input = OrderSchema.parse({
    buyerId: buyer.id,
    cropCode: "potato",
    quantityKg: 2000,
    unitPriceFen: 1.2,
    season: "2026年秋季",
    deliveryStart: "2026-09-01",
    deliveryEnd: "2026-10-15",
  });
  expect(input.unitPriceFen).toBe(120);
  const window = OrderSchema.safeParse({ ...input, unitPriceFen: 1, deliveryEnd: "2026-08-01" });
  expect(window.error!.issues.map((i) => [i.path.join("."), i.message])).toEqual([
    ["deliveryEnd", "orders.error.windowOrder"],
  ]);

  const order = await createOrder({ scope: clerk, cooperativeId: coop.id, input });
  expect(order).toMatchObject({ status: "draft", version: 1, signedOn: null });
  expect(await rejection(createOrder({ scope: clerk, cooperativeId: ctx.otherCoop.id, input }))).toBeInstanceOf(
    NotFoundError,
  );
  const unknown = await rejection(
    createOrder({ scope: clerk, cooperativeId: coop.id, input: { ...input, cropCode: "durian" } }),
  );
  expect((unknown as ValidationError).fieldErrors.cropCode).toEqual(["orders.error.unknownCrop"]);

  const signed = await updateOrderStatus({
    scope: official,
    orderId: order.id,
    version: 1,
    status: "signed",
    today: "2026-04-02",
  });
  expect(signed).toMatchObject({ status: "signed", version: 2, signedOn: "2026-04-02" });
  expect(
    await rejection(
      updateOrderStatus({ scope: clerk, orderId: order.id, version: 1, status: "cancelled", today: "2026-04-03" }),
    ),
  ).toBeInstanceOf(ConflictError);
  const jump = await rejection(
    updateOrderStatus({ scope: clerk, orderId: order.id, version: 2, status: "fulfilled", today: "2026-04-03" }),
  );
  expect((jump as ValidationError).fieldErrors.status).toEqual([
    'orders.error.transition|{"from":"signed","to":"fulfilled"}',
  ]);
  await updateOrderStatus({ scope: clerk, orderId: order.id, version: 2, status: "cancelled", today: "2026-04-03" });

  const h = await member(ctx);
  const closed = await rejection(allocateOrder({ scope: clerk, orderId: order.id, householdId: h.id, quantityKg: 10 }));
  expect((closed as ValidationError).formErrors).toEqual(['orders.error.orderClosed|{"status":"cancelled"}']);
  const audit = await d.select().from(auditLog).where(eq(auditLog.entityId, order.id)).orderBy(asc(auditLog.id));
  expect(audit.map((a) => a.action)).toEqual(["order.create", "order.signed", "order.cancelled"]);
});
