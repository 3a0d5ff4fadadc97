// Domain rule 9: a recorded delivery or fund allocation is corrected by a counter-entry that references it,
// with a reason, at most once; every figure that reads the ledger nets the reversal.
import { and, eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { auditLog, deliveries, fundAllocations, purchaseOrders } from "../../db/schema";
import { getHouseholdCard } from "~/models/card.server";
import { fundsByProjectType, orderFulfilmentByCrop } from "~/models/dashboard.server";
import { ForbiddenError, NotFoundError, ValidationError } from "~/models/errors.server";
import { householdIncome } from "~/models/household-income.server";
import { orderList } from "~/models/order-list.server";
import { allocateFunds, getProject, listProjects, reverseFundAllocation } from "~/models/projects.server";
import { correctDelivery, orderDeliveries, orderSummary, recordDelivery, recordPayment } from "~/models/orders.server";
import { scopeOf, type Scope } from "~/models/scope.server";
import { AllocationReversalSchema } from "~/schemas/project";
import { DeliveryCorrectionSchema, type DeliveryCorrectionInput, type DeliveryInput } from "~/schemas/orders";
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
  const farOfficial = scopeOf(await f.createUser(d, world, "official", { townshipIndex: 1 }));
  const cadreUser = await f.createUser(d, world, "cadre", { townshipIndex: 0 });
  const cadre = scopeOf(cadreUser);
  const order = await f.createPurchaseOrder(d, world, { cooperativeId: coop.id, buyerId: buyer.id, quantityKg: 1000 });
  const h = await f.createHousehold(d, world);
  await f.assignCadre(d, world, h.id, cadreUser.id);
  const membership = await f.joinCooperative(d, world, coop.id, h.id, "2026-03-01");
  const allocation = await f.createOrderAllocation(d, world, {
    orderId: order.id,
    householdId: h.id,
    membershipId: membership.id,
    quantityKg: 500,
  });
  return { d, world, coop, buyer, clerkUser, clerk, otherClerk, official, farOfficial, cadre, order, h, allocation };
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
  quantityKg: 200,
  grade: "first",
  unitPriceFen: 500,
  paidFen: 0,
  ...over,
});

const correction = (deliveryId: string, over: Partial<DeliveryCorrectionInput> = {}): DeliveryCorrectionInput => ({
  deliveryId,
  mode: "replace",
  reason: "过磅时多记了一位",
  deliveredOn: "2026-09-01",
  quantityKg: 120,
  grade: "first",
  unitPriceFen: 500,
  ...over,
});

/** Every figure that reads the deliveries, for one household and its order. */
async function figures(ctx: Awaited<ReturnType<typeof setup>>) {
  const summary = await orderSummary({ scope: ctx.clerk, orderId: ctx.order.id, today: TODAY });
  const income = await householdIncome({ scope: ctx.clerk, householdId: ctx.h.id, year: 2026 });
  const card = await getHouseholdCard({ id: ctx.h.id, scope: ctx.official, year: 2026 });
  const dash = await orderFulfilmentByCrop(ctx.official, 2026);
  const list = await orderList(ctx.clerk, orderListParams.parse(new URLSearchParams("")));
  return {
    orderDeliveredKg: summary.totals.deliveredKg,
    orderAmountFen: summary.totals.amountFen,
    orderPaidFen: summary.totals.paidFen,
    rowDeliveredKg: summary.households[0].deliveredKg,
    incomeKg: income.actual.deliveredKg,
    incomeAmountFen: income.actual.amountFen,
    incomePaidFen: income.actual.paidFen,
    cardKg: card!.orders[0]?.deliveredKg,
    dashboardKg: dash.find((c) => c.cropCode === "chili")?.deliveredKg,
    listKg: list.rows.find((r) => r.id === ctx.order.id)?.deliveredKg,
  };
}

test("a reversal alone nets every figure to nothing; the ledger shows both rows, reason, who and when", async () => {
  const ctx = await setup();
  const recorded = await recordDelivery({ scope: ctx.clerk, allocationId: ctx.allocation.id, input: delivery() });
  expect(await figures(ctx)).toMatchObject({ orderDeliveredKg: 200, incomeKg: 200, cardKg: 200, dashboardKg: 200 });

  const { reversal, corrected } = await correctDelivery({
    scope: ctx.clerk,
    orderId: ctx.order.id,
    input: correction(recorded.id, { mode: "reverse", reason: "记错了户" }),
  });
  expect(corrected).toBeNull();
  expect(reversal).toMatchObject({ correctsDeliveryId: recorded.id, quantityKg: -200, amountFen: -100_000 });
  expect(await figures(ctx)).toEqual({
    orderDeliveredKg: 0,
    orderAmountFen: 0,
    orderPaidFen: 0,
    rowDeliveredKg: 0,
    incomeKg: 0,
    incomeAmountFen: 0,
    incomePaidFen: 0,
    cardKg: 0,
    dashboardKg: 0,
    listKg: 0,
  });
  const ledger = await orderDeliveries({ scope: ctx.clerk, orderId: ctx.order.id });
  expect(ledger.map((r) => [r.id, r.reversedBy, r.correctsDeliveryId, r.reason])).toEqual([
    [recorded.id, reversal.id, null, null],
    [reversal.id, null, recorded.id, "记错了户"],
  ]);
  expect(ledger[1].createdByName).toBeTruthy();
  // the original row is untouched
  const [original] = await ctx.d.select().from(deliveries).where(eq(deliveries.id, recorded.id));
  expect(original).toMatchObject({ quantityKg: 200, amountFen: 100_000 });
  const audits = await ctx.d
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, "delivery.correct"), eq(auditLog.entityId, recorded.id)));
  expect(audits).toHaveLength(1);
  expect(audits[0]).toMatchObject({ entityId: recorded.id, userId: ctx.clerk.userId });
});

test("reverse and re-enter: the right values replace the wrong ones in every figure; the money carries across", async () => {
  const ctx = await setup();
  const recorded = await recordDelivery({
    scope: ctx.clerk,
    allocationId: ctx.allocation.id,
    input: delivery({ paidFen: 30_000 }),
  });
  const { reversal, corrected } = await correctDelivery({
    scope: ctx.official,
    orderId: ctx.order.id,
    input: correction(recorded.id),
  });
  expect(reversal).toMatchObject({ quantityKg: -200, amountFen: -100_000 });
  expect(corrected).toMatchObject({ quantityKg: 120, amountFen: 60_000 });
  // the payment is reversed on the original and recorded again on the corrected entry: both ledgers show it
  const ledger = await orderDeliveries({ scope: ctx.clerk, orderId: ctx.order.id });
  const original = ledger.find((x) => x.id === recorded.id)!;
  expect(original.payments.map((p) => [p.amountFen, p.correctsPaymentId !== null])).toEqual([
    [30_000, false],
    [-30_000, true],
  ]);
  expect(original.paidFen).toBe(0);
  const re = ledger.find((x) => x.id === corrected!.id)!;
  expect([re.paidFen, re.paymentStatus, re.payments.length]).toEqual([30_000, "partial", 1]);
  expect(await figures(ctx)).toEqual({
    orderDeliveredKg: 120,
    orderAmountFen: 60_000,
    orderPaidFen: 30_000,
    rowDeliveredKg: 120,
    incomeKg: 120,
    incomeAmountFen: 60_000,
    incomePaidFen: 30_000,
    cardKg: 120,
    dashboardKg: 120,
    listKg: 120,
  });
  // money goes to the corrected entry, never to the reversed one
  const onOriginal = await rejection(
    recordPayment({
      scope: ctx.clerk,
      orderId: ctx.order.id,
      input: { deliveryId: recorded.id, amountFen: 100, paidOn: TODAY },
    }),
  );
  expect((onOriginal as ValidationError).formErrors).toEqual(["orders.error.paymentOnCorrected"]);
  await recordPayment({
    scope: ctx.clerk,
    orderId: ctx.order.id,
    input: { deliveryId: corrected!.id, amountFen: 30_000, paidOn: TODAY },
  });
  expect((await figures(ctx)).orderPaidFen).toBe(60_000);
});

test("a correction that completes the order fulfils it, from the netted total", async () => {
  const ctx = await setup();
  const recorded = await recordDelivery({ scope: ctx.clerk, allocationId: ctx.allocation.id, input: delivery() });
  const [before] = await ctx.d.select().from(purchaseOrders).where(eq(purchaseOrders.id, ctx.order.id));
  expect(before.status).toBe("delivering");
  // the allocation is 500 of an order of 1000: the order stays open at 520 kg net
  await correctDelivery({
    scope: ctx.clerk,
    orderId: ctx.order.id,
    input: correction(recorded.id, { quantityKg: 520 }),
  });
  const [after] = await ctx.d.select().from(purchaseOrders).where(eq(purchaseOrders.id, ctx.order.id));
  expect(after.status).toBe("delivering");
  expect((await figures(ctx)).orderDeliveredKg).toBe(520);
});

test("a second correction of the same delivery is refused, by the model and by the database; nothing is written", async () => {
  const ctx = await setup();
  const recorded = await recordDelivery({ scope: ctx.clerk, allocationId: ctx.allocation.id, input: delivery() });
  const { reversal } = await correctDelivery({
    scope: ctx.clerk,
    orderId: ctx.order.id,
    input: correction(recorded.id),
  });
  const count = async () =>
    (await ctx.d.select().from(deliveries).where(eq(deliveries.allocationId, ctx.allocation.id))).length;
  const rows = await count();
  const short = await rejection(
    correctDelivery({
      scope: ctx.clerk,
      orderId: ctx.order.id,
      input: correction(reversal.correctsDeliveryId!, { reason: " 错 " }),
    }),
  );
  expect((short as ValidationError).fieldErrors.reason).toEqual(["orders.error.correctionReason"]);
  const again = await rejection(
    correctDelivery({ scope: ctx.clerk, orderId: ctx.order.id, input: correction(recorded.id) }),
  );
  expect((again as ValidationError).formErrors).toEqual(["orders.error.alreadyCorrected"]);
  const ofReversal = await rejection(
    correctDelivery({ scope: ctx.clerk, orderId: ctx.order.id, input: correction(reversal.id) }),
  );
  expect((ofReversal as ValidationError).formErrors).toEqual(["orders.error.correctReversal"]);
  expect(await count()).toBe(rows);
  // a caller who skips the model meets the unique index and the mirror rule
  const direct = ctx.d.insert(deliveries).values({
    countyId: ctx.world.county.id,
    allocationId: ctx.allocation.id,
    deliveredOn: "2026-09-01",
    quantityKg: -200,
    unitPriceFen: 500,
    amountFen: -100_000,
    correctsDeliveryId: recorded.id,
    reason: "再冲一次",
  });
  const error = (await rejection(direct)) as Error & { cause?: Error };
  expect(`${error.message} ${error.cause?.message ?? ""}`).toMatch(/deliveries_corrects_uq|duplicate|unique/i);
});

test("the database holds a reversal to its original: same allocation, exact negative, a reason", async () => {
  const ctx = await setup();
  const recorded = await recordDelivery({ scope: ctx.clerk, allocationId: ctx.allocation.id, input: delivery() });
  const base = {
    countyId: ctx.world.county.id,
    allocationId: ctx.allocation.id,
    deliveredOn: "2026-09-01",
    quantityKg: -200,
    unitPriceFen: 500,
    amountFen: -100_000,
    correctsDeliveryId: recorded.id,
    reason: "写错了",
  };
  const message = async (values: typeof base) => {
    const error = (await rejection(ctx.d.insert(deliveries).values(values))) as Error & { cause?: Error };
    return `${error.message} ${error.cause?.message ?? ""}`;
  };
  expect(await message({ ...base, quantityKg: -150 })).toMatch(/deliveries_reversal_mirrors|mirrors/);
  expect(await message({ ...base, correctsDeliveryId: null, reason: null } as unknown as typeof base)).toMatch(
    /deliveries_quantity_sign|check/,
  );
  expect(await message({ ...base, reason: " " })).toMatch(/deliveries_reversal_reason|check/);
  // a reversed delivery is not changed afterwards
  await correctDelivery({
    scope: ctx.clerk,
    orderId: ctx.order.id,
    input: correction(recorded.id, { mode: "reverse" }),
  });
  const changed = (await rejection(
    ctx.d.update(deliveries).set({ grade: "second" }).where(eq(deliveries.id, recorded.id)),
  )) as Error & { cause?: Error };
  expect(`${changed.message} ${changed.cause?.message ?? ""}`).toMatch(/reversed/);
});

test("a reason is required; a reversal alone of a paid delivery and a corrected amount below the money received are refused", async () => {
  const ctx = await setup();
  const recorded = await recordDelivery({
    scope: ctx.clerk,
    allocationId: ctx.allocation.id,
    input: delivery({ paidFen: 80_000 }),
  });
  const parsed = DeliveryCorrectionSchema.safeParse({ ...correction(recorded.id), reason: " " });
  expect(parsed.success).toBe(false);
  expect(parsed.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
    ["reason", "orders.error.correctionReason"],
  ]);
  const missing = DeliveryCorrectionSchema.safeParse({ deliveryId: recorded.id, reason: "称错", mode: "replace" });
  expect(missing.error?.issues.map((i) => i.path.join("."))).toEqual(["deliveredOn", "quantityKg", "unitPriceFen"]);

  const reverseOnly = await rejection(
    correctDelivery({ scope: ctx.clerk, orderId: ctx.order.id, input: correction(recorded.id, { mode: "reverse" }) }),
  );
  expect((reverseOnly as ValidationError).fieldErrors.mode).toEqual(['orders.error.reversePaid|{"paid":"800.00"}']);
  const below = await rejection(
    correctDelivery({ scope: ctx.clerk, orderId: ctx.order.id, input: correction(recorded.id, { quantityKg: 100 }) }),
  );
  expect((below as ValidationError).fieldErrors.quantityKg).toEqual([
    'orders.error.correctionBelowPaid|{"paid":"800.00"}',
  ]);
  const over = await rejection(
    correctDelivery({ scope: ctx.clerk, orderId: ctx.order.id, input: correction(recorded.id, { quantityKg: 600 }) }),
  );
  expect((over as ValidationError).fieldErrors.quantityKg?.[0]).toMatch(/^orders.error.overDelivery/);
  const farPrice = await rejection(
    correctDelivery({
      scope: ctx.clerk,
      orderId: ctx.order.id,
      input: correction(recorded.id, { unitPriceFen: 100, quantityKg: 200 }),
    }),
  );
  expect(Object.keys((farPrice as ValidationError).fieldErrors)).toContain("unitPriceFen");
  expect(await ctx.d.select().from(deliveries).where(eq(deliveries.allocationId, ctx.allocation.id))).toHaveLength(1);
  expect(
    await ctx.d
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "delivery.correct"), eq(auditLog.entityId, recorded.id))),
  ).toHaveLength(0);
});

test("out of scope is not found; a role without order.deliver is forbidden; nothing is written", async () => {
  const ctx = await setup();
  const recorded = await recordDelivery({ scope: ctx.clerk, allocationId: ctx.allocation.id, input: delivery() });
  for (const scope of [ctx.otherClerk, ctx.farOfficial]) {
    expect(
      await rejection(correctDelivery({ scope, orderId: ctx.order.id, input: correction(recorded.id) })),
    ).toBeInstanceOf(NotFoundError);
  }
  expect(
    await rejection(correctDelivery({ scope: ctx.cadre, orderId: ctx.order.id, input: correction(recorded.id) })),
  ).toBeInstanceOf(ForbiddenError);
  // a delivery of another order, named on this order's page
  const other = await f.createPurchaseOrder(ctx.d, ctx.world, { cooperativeId: ctx.coop.id, buyerId: ctx.buyer.id });
  expect(
    await rejection(correctDelivery({ scope: ctx.clerk, orderId: other.id, input: correction(recorded.id) })),
  ).toBeInstanceOf(NotFoundError);
  expect(
    await ctx.d
      .select()
      .from(deliveries)
      .where(and(eq(deliveries.allocationId, ctx.allocation.id))),
  ).toHaveLength(1);
});

raceTest("two concurrent corrections of one delivery: one is written, the other refused", async () => {
  const ctx = await setup();
  const recorded = await recordDelivery({ scope: ctx.clerk, allocationId: ctx.allocation.id, input: delivery() });
  const results = await Promise.allSettled([
    correctDelivery({ scope: ctx.clerk, orderId: ctx.order.id, input: correction(recorded.id, { quantityKg: 150 }) }),
    correctDelivery({
      scope: ctx.official,
      orderId: ctx.order.id,
      input: correction(recorded.id, { quantityKg: 180 }),
    }),
  ]);
  expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
  expect(refused).toHaveLength(1);
  expect((refused[0].reason as ValidationError).formErrors).toEqual(["orders.error.alreadyCorrected"]);
  expect(await ctx.d.select().from(deliveries).where(eq(deliveries.allocationId, ctx.allocation.id))).toHaveLength(3);
});

/** A form posted from the order page without JavaScript: the document answer, as the browser gets it. */
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

test("the order page, without JavaScript: 更正 asks for a reason, keeps the input, then shows both rows", async () => {
  const ctx = await setup();
  const recorded = await recordDelivery({ scope: ctx.clerk, allocationId: ctx.allocation.id, input: delivery() });
  const cookie = await signIn(ctx.clerkUser.username);
  const url = `/orders/${ctx.order.id}`;
  const page = (await get(url, cookie)).text();
  expect(page).toContain(`id="correct-${recorded.id}"`);
  expect(page).toContain("更正");

  const fields = {
    intent: "correct",
    deliveryId: recorded.id,
    mode: "replace",
    reason: "",
    deliveredOn: "2026-09-01",
    quantityKg: "123.5",
    grade: "first",
    unitPriceFen: "5.00",
  };
  const refused = await postPage(url, cookie, fields);
  expect(refused.status).toBe(400);
  expect(refused.text).toContain("请写明更正原因");
  expect(refused.text).toContain('value="123.5"');

  const saved = await postPage(url, cookie, { ...fields, reason: "过磅多记" });
  expect(saved.status).toBe(302);
  expect(saved.location).toContain("saved=correction");
  const after = (await get(saved.location!, cookie)).text();
  expect(after).toContain("交售已更正");
  expect(after).toContain("已冲销");
  expect(after).toContain("过磅多记");
  expect(after).toContain(ctx.clerkUser.displayName);
  // the reversed original offers no second correction; the re-entered one does
  expect(after).not.toContain(`id="correct-${recorded.id}"`);
  expect(after.match(/value="correct"/g)).toHaveLength(1);

  const again = await postPage(url, cookie, { ...fields, reason: "再改一次" });
  expect(again.status).toBe(400);
  expect(again.text).toContain("这笔交售已经更正过");
});

// ---------- fund allocations ----------

async function fundSetup(budgetFen = 100_000) {
  const d = await db();
  const world = await f.createWorld(d);
  const officialUser = await f.createUser(d, world, "official", { townshipIndex: 0 });
  const official = scopeOf(officialUser) as Extract<Scope, { role: "official" }>;
  const otherOfficial = scopeOf(await f.createUser(d, world, "official", { townshipIndex: 1 }));
  const official2 = scopeOf(await f.createUser(d, world, "official", { townshipIndex: 0 }));
  const cadreUser = await f.createUser(d, world, "cadre", { townshipIndex: 0 });
  const h = await f.createHousehold(d, world);
  await f.createPlan(d, world, h.id, { year: 2026, status: "approved" });
  await f.assignCadre(d, world, h.id, cadreUser.id);
  const project = await f.createAidProject(d, world, { budgetFen, startsOn: "2026-01-01", endsOn: "2026-12-31" });
  return { d, world, officialUser, official, official2, otherOfficial, cadre: scopeOf(cadreUser), h, project };
}

const cash = (householdId: string, amount: number) => ({
  householdId,
  kind: "cash" as const,
  item: null,
  quantity: null,
  amount,
  allocatedOn: "2026-04-01",
  note: null,
});

test("a fund allocation's reversal returns its amount to the budget, nets every figure, and the ledger shows both", async () => {
  const ctx = await fundSetup();
  const { id } = await allocateFunds({
    scope: ctx.official,
    projectId: ctx.project.id,
    input: cash(ctx.h.id, 100_000),
  });
  // the budget is full: one fen more is refused
  expect(
    await rejection(allocateFunds({ scope: ctx.official, projectId: ctx.project.id, input: cash(ctx.h.id, 1) })),
  ).toBeInstanceOf(ValidationError);
  const reversal = await reverseFundAllocation({
    scope: ctx.official,
    projectId: ctx.project.id,
    input: { allocationId: id, reason: "户名登记错误" },
  });
  expect(reversal).toMatchObject({ correctsAllocationId: id, amountFen: -100_000, allocatedOn: "2026-04-01" });
  const project = await getProject({ scope: ctx.official, id: ctx.project.id });
  expect(project).toMatchObject({ allocatedFen: 0, remainingFen: 100_000, householdsReached: 0, households: [] });
  expect(project!.allocations.map((a) => [a.id, a.reversedBy, a.correctsAllocationId, a.reason])).toEqual([
    [id, reversal.id, null, null],
    [reversal.id, null, id, "户名登记错误"],
  ]);
  const listed = (await listProjects({ scope: ctx.official })).find((p) => p.id === ctx.project.id);
  expect(listed).toMatchObject({ allocatedFen: 0, householdsReached: 0 });
  const dash = await fundsByProjectType(ctx.official, 2026);
  expect(dash.find((r) => r.type === "industry")?.allocatedFen).toBe(0);
  const card = await getHouseholdCard({ id: ctx.h.id, scope: ctx.official, year: 2026 });
  expect(card!.fundAllocations).toEqual([]);
  // the budget it freed can be allocated again, and no further
  await allocateFunds({ scope: ctx.official, projectId: ctx.project.id, input: cash(ctx.h.id, 100_000) });
  expect(
    await rejection(allocateFunds({ scope: ctx.official, projectId: ctx.project.id, input: cash(ctx.h.id, 1) })),
  ).toBeInstanceOf(ValidationError);
  const audits = await ctx.d
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, "allocation.reverse"), eq(auditLog.entityId, id)));
  expect(audits).toHaveLength(1);
});

test("a fund allocation is reversed at most once, a reversal never; scope 404; a cadre is forbidden; nothing written", async () => {
  const ctx = await fundSetup();
  const { id } = await allocateFunds({ scope: ctx.official, projectId: ctx.project.id, input: cash(ctx.h.id, 50_000) });
  const count = async () =>
    (await ctx.d.select().from(fundAllocations).where(eq(fundAllocations.projectId, ctx.project.id))).length;
  expect(
    await rejection(
      reverseFundAllocation({
        scope: ctx.otherOfficial,
        projectId: ctx.project.id,
        input: { allocationId: id, reason: "不对" },
      }),
    ),
  ).toBeInstanceOf(NotFoundError);
  expect(
    await rejection(
      reverseFundAllocation({
        scope: ctx.cadre,
        projectId: ctx.project.id,
        input: { allocationId: id, reason: "不对" },
      }),
    ),
  ).toBeInstanceOf(ForbiddenError);
  expect(await count()).toBe(1);
  const reversal = await reverseFundAllocation({
    scope: ctx.official,
    projectId: ctx.project.id,
    input: { allocationId: id, reason: "重复发放" },
  });
  const again = await rejection(
    reverseFundAllocation({
      scope: ctx.official,
      projectId: ctx.project.id,
      input: { allocationId: id, reason: "再冲" },
    }),
  );
  expect((again as ValidationError).formErrors).toEqual(["projects.error.alreadyReversed"]);
  const ofReversal = await rejection(
    reverseFundAllocation({
      scope: ctx.official,
      projectId: ctx.project.id,
      input: { allocationId: reversal.id, reason: "再冲" },
    }),
  );
  expect((ofReversal as ValidationError).formErrors).toEqual(["projects.error.reverseReversal"]);
  expect(await count()).toBe(2);
  // the database holds it too: a second reversal, a wrong amount, no reason
  const base = {
    countyId: ctx.world.county.id,
    projectId: ctx.project.id,
    planId: reversal.planId,
    householdId: ctx.h.id,
    amountFen: -50_000,
    allocatedOn: "2026-04-01",
    correctsAllocationId: id,
    reason: "直接写库",
  };
  const refusal = async (values: typeof base) => {
    const error = (await rejection(ctx.d.insert(fundAllocations).values(values))) as Error & { cause?: Error };
    return `${error.message} ${error.cause?.message ?? ""}`;
  };
  expect(await refusal(base)).toMatch(/fund_allocations_corrects_uq|duplicate|unique/i);
  const { id: other } = await allocateFunds({
    scope: ctx.official,
    projectId: ctx.project.id,
    input: cash(ctx.h.id, 10_000),
  });
  expect(await refusal({ ...base, correctsAllocationId: other, amountFen: -5_000 })).toMatch(/mirrors/);
  expect(await refusal({ ...base, correctsAllocationId: other, amountFen: -10_000, reason: "" })).toMatch(
    /fund_allocations_reversal_reason|check/,
  );
  expect(
    AllocationReversalSchema.safeParse({ allocationId: id, reason: " " }).error?.issues.map((i) => i.message),
  ).toEqual(["projects.error.reversalReason"]);
  // a caller that skips the form meets the same rule in the model, at the field
  const short = await rejection(
    reverseFundAllocation({
      scope: ctx.official,
      projectId: ctx.project.id,
      input: { allocationId: other, reason: "错" },
    }),
  );
  expect((short as ValidationError).fieldErrors.reason).toEqual(["projects.error.reversalReason"]);
});

raceTest("two officials reverse one fund allocation at once: one reversal is written, the other refused", async () => {
  const ctx = await fundSetup();
  const { id } = await allocateFunds({ scope: ctx.official, projectId: ctx.project.id, input: cash(ctx.h.id, 50_000) });
  const results = await Promise.allSettled([
    reverseFundAllocation({
      scope: ctx.official,
      projectId: ctx.project.id,
      input: { allocationId: id, reason: "甲方说错" },
    }),
    reverseFundAllocation({
      scope: ctx.official2,
      projectId: ctx.project.id,
      input: { allocationId: id, reason: "乙方说错" },
    }),
  ]);
  expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
  expect((refused[0].reason as ValidationError).formErrors).toEqual(["projects.error.alreadyReversed"]);
  const project = await getProject({ scope: ctx.official, id: ctx.project.id });
  expect(project!.allocatedFen).toBe(0);
});

test("the project page, without JavaScript: 冲销 asks for a reason, then shows both rows and the budget back", async () => {
  const ctx = await fundSetup();
  const { id } = await allocateFunds({ scope: ctx.official, projectId: ctx.project.id, input: cash(ctx.h.id, 30_000) });
  const cookie = await signIn(ctx.officialUser.username);
  const url = `/projects/${ctx.project.id}`;
  expect((await get(url, cookie)).text()).toContain('value="reverse"');
  const refused = await postPage(url, cookie, { intent: "reverse", allocationId: id, reason: "" });
  expect(refused.status).toBe(400);
  expect(refused.text).toContain("请写明冲销原因");
  const saved = await postPage(url, cookie, { intent: "reverse", allocationId: id, reason: "发错了户" });
  expect(saved.status).toBe(302);
  const after = (await get(saved.location!, cookie)).text();
  expect(after).toContain("已冲销，项目剩余 1000.00 元");
  expect(after).toContain("发错了户");
  expect(after).toContain("-300.00");
  expect(after).not.toContain('value="reverse"');
  const again = await postPage(url, cookie, { intent: "reverse", allocationId: id, reason: "再冲一次" });
  expect(again.status).toBe(400);
  expect(again.text).toContain("这笔分配已经冲销过");
});
