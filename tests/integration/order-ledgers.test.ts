// Domain rule 9 for purchase orders: payments are a ledger of their own (a wrong one is reversed by a
// counter-entry), an allocation's kilograms change or are withdrawn by a change row with the reason, and an
// order's terms change at the version shown while nothing recorded contradicts them. Races on PostgreSQL.
import { and, eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { auditLog, orderAllocationChanges, payments, purchaseOrders } from "../../db/schema";
import { getHouseholdCard } from "~/models/card.server";
import { orderFulfilmentByCrop } from "~/models/dashboard.server";
import { ConflictError, ForbiddenError, NotFoundError, type ValidationError } from "~/models/errors.server";
import { householdIncome } from "~/models/household-income.server";
import { getHouseholdLinks } from "~/models/households.server";
import { orderList } from "~/models/order-list.server";
import {
  changeAllocation,
  correctDelivery,
  orderDeliveries,
  orderSummary,
  recordDelivery,
  recordPayment,
  reversePayment,
  updateOrderTerms,
} from "~/models/orders.server";
import { scopeOf, type Scope } from "~/models/scope.server";
import {
  AllocationChangeSchema,
  PaymentReversalSchema,
  type AllocationChangeInput,
  type DeliveryInput,
  type OrderTermsInput,
} from "~/schemas/orders";
import { orderListParams } from "~/utils/lists";
import { db } from "~/utils/db.server";
import * as f from "../support/factories";
import { ORIGIN, get, handle, signIn } from "../support/built-app";
import { raceTest } from "../support/test-db";

const TODAY = "2026-09-10";

async function setup() {
  const d = await db();
  const world = await f.createWorld(d);
  const coop = await f.createCooperative(d, world, 0);
  const otherCoop = await f.createCooperative(d, world, 0);
  const buyer = await f.createBuyer(d, world);
  const clerkUser = await f.createUser(d, world, "clerk", { cooperativeId: coop.id });
  const clerk = scopeOf(clerkUser);
  const otherClerk = scopeOf(await f.createUser(d, world, "clerk", { cooperativeId: otherCoop.id }));
  const official = scopeOf(await f.createUser(d, world, "official", { townshipIndex: 0 })) as Extract<
    Scope,
    { role: "official" }
  >;
  const cadre = scopeOf(await f.createUser(d, world, "cadre", { townshipIndex: 0 }));
  const order = await f.createPurchaseOrder(d, world, { cooperativeId: coop.id, buyerId: buyer.id, quantityKg: 1000 });
  const h = await f.createHousehold(d, world);
  const membership = await f.joinCooperative(d, world, coop.id, h.id, "2026-03-01");
  const allocation = await f.createOrderAllocation(d, world, {
    orderId: order.id,
    householdId: h.id,
    membershipId: membership.id,
    quantityKg: 500,
  });
  const h2 = await f.createHousehold(d, world);
  const membership2 = await f.joinCooperative(d, world, coop.id, h2.id, "2026-03-01");
  const allocation2 = await f.createOrderAllocation(d, world, {
    orderId: order.id,
    householdId: h2.id,
    membershipId: membership2.id,
    quantityKg: 300,
  });
  return { d, world, coop, clerkUser, clerk, otherClerk, official, cadre, order, h, h2, allocation, allocation2 };
}
type Ctx = Awaited<ReturnType<typeof setup>>;

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
  quantityKg: 200,
  grade: "first",
  unitPriceFen: 500,
  paidFen: 0,
  ...over,
});

const pay = (ctx: Ctx, deliveryId: string, amountFen: number, paidOn = "2026-09-05") =>
  recordPayment({ scope: ctx.clerk, orderId: ctx.order.id, input: { deliveryId, amountFen, paidOn } });

const change = (ctx: Ctx, over: Partial<AllocationChangeInput> = {}) =>
  changeAllocation({
    scope: ctx.clerk,
    orderId: ctx.order.id,
    input: { allocationId: ctx.allocation.id, version: 1, quantityKg: 400, reason: "该户少种了两亩", ...over },
  });

const versionOf = async (ctx: Ctx) =>
  (await ctx.d.select().from(purchaseOrders).where(eq(purchaseOrders.id, ctx.order.id)))[0].version;

const terms = (ctx: Ctx, over: Partial<OrderTermsInput> = {}): OrderTermsInput => ({
  version: 1,
  quantityKg: ctx.order.quantityKg,
  unitPriceFen: ctx.order.unitPriceFen,
  season: ctx.order.season,
  deliveryStart: ctx.order.deliveryStart,
  deliveryEnd: ctx.order.deliveryEnd,
  ...over,
});

const ledgerOf = async (ctx: Ctx, deliveryId: string) =>
  (await orderDeliveries({ scope: ctx.clerk, orderId: ctx.order.id })).find((x) => x.id === deliveryId)!;

// ---------- payments ----------

test("payments: each is a row; paid and status are derived; a reversal nets it, with reason, and the ledger shows both", async () => {
  const ctx = await setup();
  // 200 kg at 5.00 元 = 1000.00 元
  const del = await recordDelivery({ scope: ctx.clerk, allocationId: ctx.allocation.id, input: delivery() });
  expect((await ledgerOf(ctx, del.id)).paymentStatus).toBe("unpaid");
  const first = await pay(ctx, del.id, 40_000);
  expect([first.paidFen, first.paymentStatus]).toEqual([40_000, "partial"]);
  const second = await pay(ctx, del.id, 60_000, "2026-09-06");
  expect([second.paidFen, second.paymentStatus]).toEqual([100_000, "paid"]);

  // the second was typed wrong: reversed, never edited
  const parsed = PaymentReversalSchema.safeParse({ paymentId: second.payment.id, reason: " " });
  expect(parsed.error?.issues.map((i) => i.message)).toEqual(["orders.error.correctionReason"]);
  const reversal = await reversePayment({
    scope: ctx.official,
    orderId: ctx.order.id,
    input: { paymentId: second.payment.id, reason: "银行退回，未到账" },
  });
  expect(reversal).toMatchObject({ amountFen: -60_000, correctsPaymentId: second.payment.id, paidOn: "2026-09-06" });
  const ledger = await ledgerOf(ctx, del.id);
  expect([ledger.paidFen, ledger.paymentStatus]).toEqual([40_000, "partial"]);
  expect(ledger.payments.map((p) => [p.amountFen, p.reversedBy !== null, p.reason])).toEqual([
    [40_000, false, null],
    [60_000, true, null],
    [-60_000, false, "银行退回，未到账"],
  ]);
  // every figure that reads what was paid nets it
  const summary = await orderSummary({ scope: ctx.clerk, orderId: ctx.order.id, today: TODAY });
  expect([summary.totals.paidFen, summary.totals.unpaidFen]).toEqual([40_000, 60_000]);
  expect((await householdIncome({ scope: ctx.clerk, householdId: ctx.h.id, year: 2026 })).actual.paidFen).toBe(40_000);
  const record = await getHouseholdLinks({ scope: ctx.official, householdId: ctx.h.id });
  expect(record!.orders.find((o) => o.id === ctx.allocation.id)?.paidFen).toBe(40_000);

  // at most once; a reversal is not reversed
  const again = await rejection(
    reversePayment({
      scope: ctx.clerk,
      orderId: ctx.order.id,
      input: { paymentId: second.payment.id, reason: "再冲" },
    }),
  );
  expect((again as ValidationError).formErrors).toEqual(["orders.error.paymentAlreadyReversed"]);
  const ofReversal = await rejection(
    reversePayment({ scope: ctx.clerk, orderId: ctx.order.id, input: { paymentId: reversal.id, reason: "冲销冲销" } }),
  );
  expect((ofReversal as ValidationError).formErrors).toEqual(["orders.error.reversePaymentReversal"]);
  // what was reversed may be paid again, never past the amount
  const over = await rejection(pay(ctx, del.id, 60_001));
  expect((over as ValidationError).fieldErrors.amountFen).toEqual([
    'orders.error.paymentOverOutstanding|{"outstanding":"600.00"}',
  ]);
  expect((await pay(ctx, del.id, 60_000)).paymentStatus).toBe("paid");

  // out of scope: not found; a cadre: forbidden; audited
  expect(
    await rejection(
      reversePayment({
        scope: ctx.otherClerk,
        orderId: ctx.order.id,
        input: { paymentId: first.payment.id, reason: "越权" },
      }),
    ),
  ).toBeInstanceOf(NotFoundError);
  expect(
    await rejection(
      reversePayment({
        scope: ctx.cadre,
        orderId: ctx.order.id,
        input: { paymentId: first.payment.id, reason: "越权" },
      }),
    ),
  ).toBeInstanceOf(ForbiddenError);
  const audits = await ctx.d
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, "payment.reverse"), eq(auditLog.entityId, second.payment.id)));
  expect(audits).toHaveLength(1);
  expect(audits[0].before).toMatchObject({ amountFen: 60_000 });
});

test("a delivery with money standing is not reversed alone; once its payments are reversed it is, and takes no new money", async () => {
  const ctx = await setup();
  const del = await recordDelivery({
    scope: ctx.clerk,
    allocationId: ctx.allocation.id,
    input: delivery({ paidFen: 30_000 }),
  });
  const [paid] = await ctx.d.select().from(payments).where(eq(payments.deliveryId, del.id));
  const reverseOnly = { deliveryId: del.id, mode: "reverse" as const, reason: "记错了户", grade: "first" as const };
  const refused = await rejection(correctDelivery({ scope: ctx.clerk, orderId: ctx.order.id, input: reverseOnly }));
  expect((refused as ValidationError).fieldErrors.mode).toEqual(['orders.error.reversePaid|{"paid":"300.00"}']);
  expect(await ctx.d.select().from(payments).where(eq(payments.deliveryId, del.id))).toHaveLength(1);

  await reversePayment({ scope: ctx.clerk, orderId: ctx.order.id, input: { paymentId: paid.id, reason: "记错了户" } });
  await correctDelivery({ scope: ctx.clerk, orderId: ctx.order.id, input: reverseOnly });
  const late = await rejection(pay(ctx, del.id, 100));
  expect((late as ValidationError).formErrors).toEqual(["orders.error.paymentOnCorrected"]);
  const summary = await orderSummary({ scope: ctx.clerk, orderId: ctx.order.id, today: TODAY });
  expect([summary.totals.deliveredKg, summary.totals.paidFen]).toEqual([0, 0]);
});

// ---------- allocation changes ----------

test("an allocation changes by a row with the difference and the reason; every sum reads the net; withdrawn it counts for nothing", async () => {
  const ctx = await setup();
  await recordDelivery({ scope: ctx.clerk, allocationId: ctx.allocation.id, input: delivery({ quantityKg: 150 }) });
  const reason = AllocationChangeSchema.safeParse({
    allocationId: ctx.allocation.id,
    version: 1,
    quantityKg: 1,
    reason: "",
  });
  expect(reason.error?.issues.map((i) => i.message)).toEqual(["orders.error.correctionReason"]);

  // more than the order holds (1000 − 300 for the other household) is refused, and so is less than delivered
  const over = await rejection(change(ctx, { quantityKg: 700.01 }));
  expect((over as ValidationError).fieldErrors.quantityKg).toEqual(['orders.error.overQuantity|{"remaining":700}']);
  const below = await rejection(change(ctx, { quantityKg: 149 }));
  expect((below as ValidationError).fieldErrors.quantityKg).toEqual(['orders.error.belowDelivered|{"delivered":150}']);
  const same = await rejection(change(ctx, { quantityKg: 500 }));
  expect((same as ValidationError).fieldErrors.quantityKg).toEqual(["orders.error.allocationUnchanged"]);

  const changed = await change(ctx, { quantityKg: 700 });
  expect(changed).toMatchObject({ quantityKg: 700, version: 2 });
  expect(changed.change).toMatchObject({ deltaKg: 200, reason: "该户少种了两亩" });
  // the page drawn before that change is refused, not silently applied twice
  expect(await rejection(change(ctx, { quantityKg: 600 }))).toBeInstanceOf(ConflictError);
  const back = await change(ctx, { version: 2, quantityKg: 150, reason: "按实际产量调减" });
  expect(back.change.deltaKg).toBe(-550);

  let summary = await orderSummary({ scope: ctx.clerk, orderId: ctx.order.id, today: TODAY });
  const row = summary.households.find((x) => x.allocationId === ctx.allocation.id)!;
  expect([row.recordedKg, row.allocatedKg, row.remainingKg]).toEqual([500, 150, 0]);
  expect(row.changes.map((c) => [c.deltaKg, c.reason])).toEqual([
    [200, "该户少种了两亩"],
    [-550, "按实际产量调减"],
  ]);
  expect([summary.totals.allocatedKg, summary.totals.unallocatedKg]).toEqual([450, 550]);
  const list = await orderList(ctx.clerk, orderListParams.parse(new URLSearchParams("")));
  expect(list.rows.find((r) => r.id === ctx.order.id)?.allocatedKg).toBe(450);
  const dash = await orderFulfilmentByCrop(ctx.official, 2026);
  expect(dash.find((c) => c.cropCode === "chili")?.allocatedKg).toBe(450);
  const record = await getHouseholdLinks({ scope: ctx.official, householdId: ctx.h.id });
  expect(record!.orders.find((o) => o.id === ctx.allocation.id)?.quantityKg).toBe(150);

  // the other household's share is withdrawn: 0, no longer on its aid card, audited
  await changeAllocation({
    scope: ctx.official,
    orderId: ctx.order.id,
    input: { allocationId: ctx.allocation2.id, version: 1, quantityKg: 0, reason: "该户退出种植" },
  });
  summary = await orderSummary({ scope: ctx.clerk, orderId: ctx.order.id, today: TODAY });
  expect(summary.households.find((x) => x.allocationId === ctx.allocation2.id)?.allocatedKg).toBe(0);
  expect(summary.totals.allocatedKg).toBe(150);
  const card = await getHouseholdCard({ id: ctx.h2.id, scope: ctx.official, year: 2026 });
  expect(card!.orders).toHaveLength(0);
  const audits = await ctx.d
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, "order.allocation_withdraw"), eq(auditLog.entityId, ctx.allocation2.id)));
  expect(audits.map((a) => [a.before, (a.after as { quantityKg: number }).quantityKg])).toEqual([
    [{ quantityKg: 300, version: 1 }, 0],
  ]);
  // the recorded kilograms are untouched; the changes are their own rows
  const rows = await ctx.d.select().from(orderAllocationChanges);
  const mine: string[] = [ctx.allocation.id, ctx.allocation2.id];
  expect(rows.filter((r) => mine.includes(r.allocationId))).toHaveLength(3);
});

test("allocation changes: scope, roles, closed orders and a former member's rise are refused, nothing written", async () => {
  const ctx = await setup();
  expect(await rejection(change({ ...ctx, clerk: ctx.otherClerk }))).toBeInstanceOf(NotFoundError);
  expect(await rejection(change({ ...ctx, clerk: ctx.cadre }))).toBeInstanceOf(ForbiddenError);
  await ctx.d.update(purchaseOrders).set({ status: "fulfilled" }).where(eq(purchaseOrders.id, ctx.order.id));
  const closed = await rejection(change(ctx));
  expect((closed as ValidationError).formErrors).toEqual(['orders.error.orderClosed|{"status":"fulfilled"}']);
  await ctx.d.update(purchaseOrders).set({ status: "signed" }).where(eq(purchaseOrders.id, ctx.order.id));
  const { memberships } = await import("../../db/schema");
  await ctx.d.update(memberships).set({ leftOn: "2026-08-01" }).where(eq(memberships.householdId, ctx.h.id));
  const rise = await rejection(change(ctx, { quantityKg: 600 }));
  expect((rise as ValidationError).fieldErrors.quantityKg).toEqual(["orders.error.notMember"]);
  // a former member's share may still go down
  expect((await change(ctx, { quantityKg: 100 })).quantityKg).toBe(100);
  const rows = await ctx.d
    .select()
    .from(orderAllocationChanges)
    .where(eq(orderAllocationChanges.allocationId, ctx.allocation.id));
  expect(rows).toHaveLength(1);
});

// ---------- an order's terms ----------

test("an order's terms change at the version shown while no allocation or delivery contradicts them, audited before and after", async () => {
  const ctx = await setup();
  const del = await recordDelivery({
    scope: ctx.clerk,
    allocationId: ctx.allocation.id,
    input: delivery({ deliveredOn: "2026-09-01" }),
  });
  // the first delivery moved the order to delivering, a new version
  const version = await versionOf(ctx);
  const refused = await rejection(
    updateOrderTerms({
      scope: ctx.clerk,
      orderId: ctx.order.id,
      input: terms(ctx, {
        version,
        quantityKg: 799,
        unitPriceFen: 600,
        deliveryStart: "2026-09-20",
        deliveryEnd: "2026-10-20",
      }),
    }),
  );
  expect((refused as ValidationError).fieldErrors).toEqual({
    quantityKg: ['orders.error.quantityBelowAllocated|{"allocated":800}'],
    unitPriceFen: ["orders.error.priceAfterDelivery"],
    deliveryEnd: ['orders.error.windowExcludesDelivery|{"first":"2026-09-01","last":"2026-09-01"}'],
  });
  // within the early days a window may move; quantity down to what is allocated; the season renamed
  const saved = await updateOrderTerms({
    scope: ctx.official,
    orderId: ctx.order.id,
    input: terms(ctx, {
      version,
      quantityKg: 800,
      season: "2026年秋季",
      deliveryStart: "2026-09-05",
      deliveryEnd: "2026-10-15",
    }),
  });
  expect(saved).toMatchObject({
    quantityKg: 800,
    season: "2026年秋季",
    deliveryStart: "2026-09-05",
    version: version + 1,
  });
  expect(
    await rejection(
      updateOrderTerms({ scope: ctx.clerk, orderId: ctx.order.id, input: terms(ctx, { version, season: "晚" }) }),
    ),
  ).toBeInstanceOf(ConflictError);
  const [audit] = await ctx.d
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, "order.terms"), eq(auditLog.entityId, ctx.order.id)));
  expect(audit.before).toMatchObject({ quantityKg: 1000, deliveryStart: "2026-08-15", version });
  expect(audit.after).toMatchObject({ quantityKg: 800, deliveryStart: "2026-09-05", version: version + 1 });

  // once the delivery is reversed, nothing holds the price any more
  await correctDelivery({
    scope: ctx.clerk,
    orderId: ctx.order.id,
    input: { deliveryId: del.id, mode: "reverse", reason: "记错了户", grade: "first" },
  });
  const repriced = await updateOrderTerms({
    scope: ctx.clerk,
    orderId: ctx.order.id,
    input: terms(ctx, {
      version: await versionOf(ctx),
      quantityKg: 800,
      unitPriceFen: 600,
      deliveryStart: "2026-09-05",
      deliveryEnd: "2026-10-15",
    }),
  });
  expect(repriced.unitPriceFen).toBe(600);
  // out of scope: not found; a cadre: forbidden
  expect(
    await rejection(
      updateOrderTerms({ scope: ctx.otherClerk, orderId: ctx.order.id, input: terms(ctx, { version: 3 }) }),
    ),
  ).toBeInstanceOf(NotFoundError);
  expect(
    await rejection(updateOrderTerms({ scope: ctx.cadre, orderId: ctx.order.id, input: terms(ctx, { version: 3 }) })),
  ).toBeInstanceOf(ForbiddenError);
});

// ---------- races (PostgreSQL) ----------

raceTest("two concurrent allocation changes cannot take the order past its quantity", async () => {
  const ctx = await setup();
  // 1000 kg; 500 + 300 allocated: each change alone fits (+200), both together would not
  const results = await Promise.allSettled([
    change(ctx, { quantityKg: 700 }),
    changeAllocation({
      scope: ctx.official,
      orderId: ctx.order.id,
      input: { allocationId: ctx.allocation2.id, version: 1, quantityKg: 500, reason: "多种了" },
    }),
  ]);
  expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  const refused = results.find((r): r is PromiseRejectedResult => r.status === "rejected")!;
  expect((refused.reason as ValidationError).fieldErrors.quantityKg[0]).toMatch(/^orders\.error\.overQuantity/);
  const summary = await orderSummary({ scope: ctx.clerk, orderId: ctx.order.id, today: TODAY });
  expect(summary.totals.allocatedKg).toBe(1000);
});

raceTest("concurrent payments cannot add up past the delivery's amount", async () => {
  const ctx = await setup();
  const del = await recordDelivery({ scope: ctx.clerk, allocationId: ctx.allocation.id, input: delivery() });
  const results = await Promise.allSettled([pay(ctx, del.id, 70_000), pay(ctx, del.id, 70_000)]);
  expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  expect((await ledgerOf(ctx, del.id)).paidFen).toBe(70_000);
});

raceTest("two concurrent reversals of one payment: one is written, the other refused", async () => {
  const ctx = await setup();
  const del = await recordDelivery({ scope: ctx.clerk, allocationId: ctx.allocation.id, input: delivery() });
  const { payment } = await pay(ctx, del.id, 50_000);
  const results = await Promise.allSettled([
    reversePayment({ scope: ctx.clerk, orderId: ctx.order.id, input: { paymentId: payment.id, reason: "未到账" } }),
    reversePayment({ scope: ctx.official, orderId: ctx.order.id, input: { paymentId: payment.id, reason: "退回" } }),
  ]);
  expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  const refused = results.find((r): r is PromiseRejectedResult => r.status === "rejected")!;
  expect((refused.reason as ValidationError).formErrors).toEqual(["orders.error.paymentAlreadyReversed"]);
  expect((await ledgerOf(ctx, del.id)).paidFen).toBe(0);
});

// ---------- the order page, without JavaScript ----------

async function postPage(url: string, cookie: string, fields: Record<string, string>) {
  const res = await handle(
    new Request(`${ORIGIN}${url}`, {
      method: "POST",
      headers: {
        Cookie: cookie,
        Origin: ORIGIN,
        Host: "localhost",
        "Accept-Language": "zh-CN",
        "Content-Type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams(fields),
    }),
  );
  return { status: res.status, location: res.headers.get("Location"), text: await res.text() };
}

test("the order page without JavaScript: a payment reversed, an allocation changed, the terms edited; refusals keep the input", async () => {
  const ctx = await setup();
  const del = await recordDelivery({
    scope: ctx.clerk,
    allocationId: ctx.allocation.id,
    input: delivery({ paidFen: 20_000 }),
  });
  const [paid] = await ctx.d.select().from(payments).where(eq(payments.deliveryId, del.id));
  const cookie = await signIn(ctx.clerkUser.username);
  const url = `/orders/${ctx.order.id}`;
  const page = (await get(url, cookie)).text();
  expect(page).toContain(`id="reverse-payment-${paid.id}"`);
  expect(page).toContain(`id="change-allocation-${ctx.allocation.id}"`);
  expect(page).toContain("修改订单条款");

  // payment reversal: reason required, then both rows
  const noReason = await postPage(url, cookie, { intent: "reverse-payment", paymentId: paid.id, reason: "" });
  expect(noReason.status).toBe(400);
  expect(noReason.text).toContain("请写明更正原因");
  const reversed = await postPage(url, cookie, { intent: "reverse-payment", paymentId: paid.id, reason: "现金未收到" });
  // back to the page the household's row sorts onto now: the first, the order has one household
  expect([reversed.status, reversed.location]).toEqual([302, `${url}?saved=paymentReversal#payment-${paid.id}`]);
  const afterReversal = (await get(reversed.location!, cookie)).text();
  expect(afterReversal).toContain("到账已冲销");
  expect(afterReversal).toContain("现金未收到");
  expect(afterReversal).not.toContain(`id="reverse-payment-${paid.id}"`);

  // allocation change: over the order is refused with the input kept, then saved with its history
  const fields = {
    intent: "change-allocation",
    allocationId: ctx.allocation.id,
    version: "1",
    quantityKg: "900",
    reason: "多种了",
  };
  const tooMuch = await postPage(url, cookie, fields);
  expect(tooMuch.status).toBe(400);
  expect(tooMuch.text).toContain("超过订单剩余可分配数量");
  expect(tooMuch.text).toContain('value="900"');
  const changed = await postPage(url, cookie, { ...fields, quantityKg: "600" });
  expect(changed.status).toBe(302);
  const afterChange = (await get(changed.location!, cookie)).text();
  expect(afterChange).toContain("分配数量已调整");
  expect(afterChange).toContain("多种了");
  const stale = await postPage(url, cookie, { ...fields, quantityKg: "650" });
  expect(stale.status).toBe(409);
  expect(stale.text).toContain("别人刚刚修改了这条记录");

  // terms: the quantity below what is allocated is refused next to the field, then a valid change saves
  const termFields = {
    intent: "terms",
    version: String(await versionOf(ctx)),
    quantityKg: "800",
    unitPriceFen: "5.00",
    season: "秋季",
    deliveryStart: "2026-08-15",
    deliveryEnd: "2026-09-30",
  };
  const small = await postPage(url, cookie, termFields);
  expect(small.status).toBe(400);
  expect(small.text).toContain("订单数量不能少于已分配数量");
  expect(small.text).toContain('value="800"');
  const saved = await postPage(url, cookie, { ...termFields, quantityKg: "1200" });
  expect([saved.status, saved.location]).toEqual([302, `${url}?saved=terms#terms`]);
  expect((await get(saved.location!, cookie)).text()).toContain("订单条款已修改");
});
