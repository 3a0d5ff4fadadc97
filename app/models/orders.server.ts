// Cooperatives, buyers, purchase orders, allocations and deliveries (domain rule 4):
// - order allocations never exceed the order's quantity and go only to current members of the ordering
//   cooperative: held in ONE transaction that locks the order row (SELECT … FOR UPDATE), so concurrent
//   requests queue on the order and each sees the allocations committed before it;
// - deliveries are recorded against allocations (at most 10 % beyond the allocation), under the same lock;
// - every write leaves an audit row in the same transaction.
//
// Scope (who sees which orders):
//   clerk — their cooperative's orders; writes them.
//   official — orders of cooperatives in their township; writes them.
//   admin — the county; read-only here (county IT, not order bookkeeping).
//   cadre — read-only, only orders with an allocation to a household assigned to them now; in an order
//           summary they see the order's totals but only their own households' rows.
// Memberships: a cooperative takes households of its own township only. An official enrols any household of
// their township into a cooperative of their township; a clerk asks, and an official confirms
// (membership-requests.server.ts): membership widens the clerk's scope, so a clerk cannot make one alone.
import { and, asc, desc, eq, inArray, isNull, like, lte, gte, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { z } from "zod";
import type { Tx } from "../../db/client";
import {
  buyers,
  cadreAssignments,
  cooperatives,
  crops,
  deliveries,
  households,
  memberships,
  orderAllocations,
  plans,
  plantingItems,
  purchaseOrders,
  regions,
  brokers,
  orderStatus,
} from "../../db/schema";
import { can } from "~/permissions";
import {
  deliveryAmountFen,
  deliveryContractViolations,
  deliveryViolations,
  type BrokerInput,
  type BuyerInput,
  type DeliveryInput,
  type OrderInput,
  type PaymentInput,
  paymentStatusFor,
} from "~/schemas/orders";
import type { OrderStatus } from "~/vocabulary";
import { message } from "~/schemas/fields";
import { parseCreditCode } from "~/utils/credit-code";
import { db } from "~/utils/db.server";
import { writeAudit } from "./audit.server";
import { ConflictError, NotFoundError, ValidationError, isUniqueViolation } from "./errors.server";
import { assertCan, householdInScope, type Scope } from "./scope.server";
import { queryParams } from "~/utils/text";

/** Deliveries may exceed an allocation by this share (a heavy last load), never more. */
export const OVER_DELIVERY_TOLERANCE = 0.1;
/** A household is "behind" when the window ends within this many days (or has passed) and it has not delivered all. */
export const BEHIND_WITHIN_DAYS = 7;

const round2 = (n: number) => Math.round(n * 100) / 100;
const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));

/** Cooperatives a scope holds, as a condition on `cooperatives`. Cadres hold none (they only read orders). */
export function cooperativeInScope(scope: Scope): SQL {
  switch (scope.role) {
    case "admin":
      return eq(cooperatives.countyId, scope.countyId);
    case "official":
      return eq(cooperatives.townshipId, scope.townshipId);
    case "clerk":
      return eq(cooperatives.id, scope.cooperativeId);
    case "cadre":
      return sql`false`;
  }
}

/** Orders a scope holds, as a condition on `purchase_orders` (no join needed). */
export function orderInScope(scope: Scope): SQL {
  switch (scope.role) {
    case "admin":
      return eq(purchaseOrders.countyId, scope.countyId);
    case "official":
      return sql`${purchaseOrders.cooperativeId} in (select ${cooperatives.id} from ${cooperatives} where ${cooperatives.townshipId} = ${scope.townshipId})`;
    case "clerk":
      return eq(purchaseOrders.cooperativeId, scope.cooperativeId);
    case "cadre":
      return sql`exists (select 1 from ${orderAllocations} inner join ${cadreAssignments} on ${cadreAssignments.householdId} = ${orderAllocations.householdId} where ${orderAllocations.orderId} = ${purchaseOrders.id} and ${cadreAssignments.cadreId} = ${scope.userId} and ${cadreAssignments.endsOn} is null)`;
  }
}

export async function lockCooperativeForWrite(tx: Tx, scope: Scope, cooperativeId: string) {
  const [row] = await tx
    .select()
    .from(cooperatives)
    .where(and(eq(cooperatives.id, cooperativeId), cooperativeInScope(scope)))
    .for("share");
  if (!row) throw new NotFoundError("cooperative");
  return row;
}

async function lockOrderInScope(tx: Tx, scope: Scope, orderId: string) {
  const [row] = await tx
    .select()
    .from(purchaseOrders)
    .where(and(eq(purchaseOrders.id, orderId), orderInScope(scope)))
    .for("update");
  if (!row) throw new NotFoundError("order");
  return row;
}

// ---------- buyers ----------

/** A buyer (农商企业) of the county; the credit code is unique. Officials and clerks register buyers. */
export async function createBuyer({ scope, input }: { scope: Scope; input: BuyerInput }) {
  assertCan(scope, "buyer.write");
  // the form checks the code; a caller that skips the form must not store a code that fails its check character
  const parsed = parseCreditCode(input.creditCode);
  if (!parsed.ok) throw ValidationError.field("creditCode", `orders.error.creditCode.${parsed.reason}`);
  input = { ...input, creditCode: parsed.code };
  const d = await db();
  const duplicate = () => ValidationError.field("creditCode", "orders.error.creditCode.duplicate");
  try {
    return await d.transaction(async (tx) => {
      const [existing] = await tx.select({ id: buyers.id }).from(buyers).where(eq(buyers.creditCode, input.creditCode));
      if (existing) throw duplicate();
      const [row] = await tx
        .insert(buyers)
        .values({ ...input, countyId: scope.countyId })
        .returning();
      await writeAudit(tx, {
        countyId: scope.countyId,
        userId: scope.userId,
        action: "buyer.create",
        entity: "buyer",
        entityId: row.id,
        after: row,
      });
      return row;
    });
  } catch (error) {
    if (isUniqueViolation(error, "buyers_credit_code_uq")) throw duplicate();
    throw error;
  }
}

/** Buyers of the scope's county, by name. */
export async function listBuyers({ scope }: { scope: Scope }) {
  const d = await db();
  return d.select().from(buyers).where(eq(buyers.countyId, scope.countyId)).orderBy(asc(buyers.name));
}

// ---------- memberships ----------

export async function joinCooperative(input: {
  scope: Scope;
  cooperativeId: string;
  householdId: string;
  joinedOn: string;
}) {
  const { scope, cooperativeId, householdId, joinedOn } = input;
  assertCan(scope, "membership.enrol");
  const d = await db();
  const already = () => ValidationError.field("householdId", "orders.error.alreadyMember");
  try {
    return await d.transaction(async (tx) => {
      const coop = await lockCooperativeForWrite(tx, scope, cooperativeId);
      // the household of the cooperative's township (for an official that is also their township)
      const [household] = await tx
        .select({ id: households.id })
        .from(households)
        .where(and(eq(households.id, householdId), eq(households.townshipId, coop.townshipId)))
        .for("update");
      if (!household) throw new NotFoundError("household");
      const [current] = await tx
        .select({ id: memberships.id })
        .from(memberships)
        .where(
          and(
            eq(memberships.cooperativeId, cooperativeId),
            eq(memberships.householdId, householdId),
            isNull(memberships.leftOn),
          ),
        );
      if (current) throw already();
      const [row] = await tx
        .insert(memberships)
        .values({ countyId: coop.countyId, cooperativeId, householdId, joinedOn })
        .returning();
      await writeAudit(tx, {
        countyId: coop.countyId,
        userId: scope.userId,
        action: "membership.join",
        entity: "membership",
        entityId: row.id,
        householdId,
        after: row,
      });
      return row;
    });
  } catch (error) {
    if (isUniqueViolation(error, "memberships_current_uq")) throw already();
    throw error;
  }
}

/** Ends a current membership. Existing allocations stay (and can still be delivered); new ones need membership. */
export async function leaveCooperative(input: { scope: Scope; membershipId: string; leftOn: string }) {
  const { scope, membershipId, leftOn } = input;
  assertCan(scope, "cooperative.write");
  const d = await db();
  return d.transaction(async (tx) => {
    const [row] = await tx
      .select({ membership: memberships })
      .from(memberships)
      .innerJoin(cooperatives, eq(cooperatives.id, memberships.cooperativeId))
      .where(and(eq(memberships.id, membershipId), cooperativeInScope(scope)))
      .for("update", { of: memberships });
    if (!row) throw new NotFoundError("membership");
    const before = row.membership;
    if (before.leftOn !== null) throw ValidationError.form("orders.error.alreadyLeft");
    if (leftOn < before.joinedOn) {
      throw ValidationError.field("leftOn", message("orders.error.leftBeforeJoined", { joinedOn: before.joinedOn }));
    }
    const [after] = await tx.update(memberships).set({ leftOn }).where(eq(memberships.id, membershipId)).returning();
    await writeAudit(tx, {
      countyId: before.countyId,
      userId: scope.userId,
      action: "membership.leave",
      entity: "membership",
      entityId: membershipId,
      householdId: before.householdId,
      before,
      after,
    });
    return after;
  });
}

// ---------- orders ----------

/** Status changes a person may make. Draft → signed is the contract; delivering/fulfilled also follow deliveries. */
const ORDER_TRANSITIONS: Record<OrderStatus, OrderStatus[]> = {
  draft: ["signed", "cancelled"],
  signed: ["draft", "delivering", "cancelled"],
  delivering: ["fulfilled"],
  fulfilled: [],
  cancelled: [],
};

export async function createOrder(input: { scope: Scope; cooperativeId: string; input: OrderInput; today?: string }) {
  const { scope, cooperativeId } = input;
  const values = input.input;
  assertCan(scope, "order.write");
  const d = await db();
  return d.transaction(async (tx) => {
    const coop = await lockCooperativeForWrite(tx, scope, cooperativeId);
    const fieldErrors: Record<string, string[]> = {};
    const [buyer] = await tx
      .select({ id: buyers.id })
      .from(buyers)
      .where(and(eq(buyers.id, values.buyerId), eq(buyers.countyId, coop.countyId)));
    if (!buyer) fieldErrors.buyerId = ["orders.error.unknownBuyer"];
    const [crop] = await tx.select({ code: crops.code }).from(crops).where(eq(crops.code, values.cropCode));
    if (!crop) fieldErrors.cropCode = ["orders.error.unknownCrop"];
    if (values.deliveryEnd < values.deliveryStart) fieldErrors.deliveryEnd = ["orders.error.windowOrder"];
    if (Object.keys(fieldErrors).length) throw new ValidationError(fieldErrors);
    const signedOn = values.status === "signed" ? (values.signedOn ?? input.today ?? null) : null;
    const [row] = await tx
      .insert(purchaseOrders)
      .values({ ...values, signedOn, cooperativeId, countyId: coop.countyId })
      .returning();
    await writeAudit(tx, {
      countyId: coop.countyId,
      userId: scope.userId,
      action: "order.create",
      entity: "order",
      entityId: row.id,
      after: row,
    });
    return row;
  });
}

export async function updateOrderStatus(input: {
  scope: Scope;
  orderId: string;
  version: number;
  status: OrderStatus;
  today: string;
}) {
  const { scope, orderId, version, status, today } = input;
  assertCan(scope, "order.write");
  const d = await db();
  return d.transaction(async (tx) => {
    const current = await lockOrderInScope(tx, scope, orderId);
    if (current.version !== version) throw new ConflictError("order");
    if (!ORDER_TRANSITIONS[current.status].includes(status)) {
      throw ValidationError.field("status", message("orders.error.transition", { from: current.status, to: status }));
    }
    if (status === "cancelled") {
      const [delivered] = await tx
        .select({ n: sql<number>`count(*)::int` })
        .from(deliveries)
        .innerJoin(orderAllocations, eq(orderAllocations.id, deliveries.allocationId))
        .where(eq(orderAllocations.orderId, orderId));
      if (num(delivered?.n) > 0) throw ValidationError.field("status", "orders.error.cancelDelivered");
    }
    const [after] = await tx
      .update(purchaseOrders)
      .set({
        status,
        signedOn: status === "signed" ? (current.signedOn ?? today) : status === "draft" ? null : current.signedOn,
        version: sql`${purchaseOrders.version} + 1`,
        updatedAt: new Date(),
      })
      .where(and(eq(purchaseOrders.id, orderId), eq(purchaseOrders.version, version)))
      .returning();
    if (!after) throw new ConflictError("order");
    await writeAudit(tx, {
      countyId: current.countyId,
      userId: scope.userId,
      action: `order.${status}`,
      entity: "order",
      entityId: orderId,
      before: { status: current.status, version: current.version },
      after: { status: after.status, version: after.version },
    });
    return after;
  });
}

// ---------- allocations ----------

const ALLOCATABLE: OrderStatus[] = ["draft", "signed", "delivering"];

/**
 * Assigns part of an order to a member household. One transaction: the order row is locked first, so
 * concurrent allocations of one order run one after another and the sum never exceeds the quantity.
 */
export async function allocateOrder(input: { scope: Scope; orderId: string; householdId: string; quantityKg: number }) {
  const { scope, orderId, householdId } = input;
  const quantityKg = round2(input.quantityKg);
  assertCan(scope, "order.write");
  if (!(quantityKg > 0)) throw ValidationError.field("quantityKg", "field.positive");
  const d = await db();
  const duplicate = () => ValidationError.field("householdId", "orders.error.alreadyAllocated");
  try {
    return await d.transaction(async (tx) => {
      const order = await lockOrderInScope(tx, scope, orderId);
      if (!ALLOCATABLE.includes(order.status)) {
        throw ValidationError.form(message("orders.error.orderClosed", { status: order.status }));
      }
      // a current membership of the ordering cooperative, held against a concurrent leave
      const [membership] = await tx
        .select({ id: memberships.id })
        .from(memberships)
        .where(
          and(
            eq(memberships.cooperativeId, order.cooperativeId),
            eq(memberships.householdId, householdId),
            isNull(memberships.leftOn),
          ),
        )
        .for("share");
      if (!membership) throw ValidationError.field("householdId", "orders.error.notMember");
      const [existing] = await tx
        .select({ id: orderAllocations.id })
        .from(orderAllocations)
        .where(and(eq(orderAllocations.orderId, orderId), eq(orderAllocations.householdId, householdId)));
      if (existing) throw duplicate();
      const [sum] = await tx
        .select({ kg: sql<string>`coalesce(sum(${orderAllocations.quantityKg}), 0)` })
        .from(orderAllocations)
        .where(eq(orderAllocations.orderId, orderId));
      const remaining = round2(order.quantityKg - num(sum?.kg));
      if (quantityKg > remaining) {
        throw ValidationError.field("quantityKg", message("orders.error.overQuantity", { remaining: Math.max(0, remaining) }));
      }
      const [row] = await tx
        .insert(orderAllocations)
        .values({ countyId: order.countyId, orderId, householdId, membershipId: membership.id, quantityKg })
        .returning();
      await writeAudit(tx, {
        countyId: order.countyId,
        userId: scope.userId,
        action: "order.allocate",
        entity: "allocation",
        entityId: row.id,
        householdId,
        after: row,
      });
      return row;
    });
  } catch (error) {
    if (isUniqueViolation(error, "order_allocations_order_household_uq")) throw duplicate();
    throw error;
  }
}

// ---------- deliveries ----------

// A fulfilled order is closed for goods: its quantity has come in (or an official closed it short), and a
// lot beyond it is a sale of its own (docs/decisions/022-permissions.md). Money for its deliveries still comes in.
const DELIVERABLE: OrderStatus[] = ["signed", "delivering"];

/**
 * What the caller may do to an order in this status, from the lists the writes here check: the order page
 * offers exactly this. `write`: the role handles orders at all (else the page says it is read-only).
 */
export function orderAbilities(scope: Scope, status: OrderStatus) {
  const write = can(scope, "order.write");
  const deliver = can(scope, "order.deliver");
  return {
    write,
    transitions: write ? ORDER_TRANSITIONS[status] : [],
    allocate: write && ALLOCATABLE.includes(status),
    deliver: deliver && DELIVERABLE.includes(status),
    // the money for a delivery may come after the order is fulfilled
    pay: deliver,
  };
}

/**
 * A delivery (交售) against an allocation. Under the order's lock: the allocation's deliveries may exceed it by
 * at most 10 %; the order moves to "delivering" on its first delivery and to "fulfilled" when the delivered
 * total reaches its quantity.
 */
export async function recordDelivery(input: { scope: Scope; allocationId: string; input: DeliveryInput; orderId?: string }) {
  const { scope, allocationId } = input;
  const values = { ...input.input, quantityKg: round2(input.input.quantityKg) };
  assertCan(scope, "order.deliver");
  const d = await db();
  return d.transaction(async (tx) => {
    const [found] = await tx
      .select({ orderId: orderAllocations.orderId })
      .from(orderAllocations)
      .innerJoin(purchaseOrders, eq(purchaseOrders.id, orderAllocations.orderId))
      .where(
        and(
          eq(orderAllocations.id, allocationId),
          orderInScope(scope),
          // a form on one order's page records only against that order's allocations
          input.orderId ? eq(orderAllocations.orderId, input.orderId) : undefined,
        ),
      );
    if (!found) throw new NotFoundError("allocation");
    const order = await lockOrderInScope(tx, scope, found.orderId);
    if (!DELIVERABLE.includes(order.status)) {
      throw ValidationError.form(message("orders.error.cannotDeliver", { status: order.status }));
    }
    const violations = [...deliveryViolations(values), ...deliveryContractViolations(order, values)];
    if (violations.length) {
      const fieldErrors: Record<string, string[]> = {};
      for (const v of violations) (fieldErrors[v.path] ??= []).push(v.message);
      throw new ValidationError(fieldErrors);
    }
    const [allocation] = await tx.select().from(orderAllocations).where(eq(orderAllocations.id, allocationId));
    const [sum] = await tx
      .select({ kg: sql<string>`coalesce(sum(${deliveries.quantityKg}), 0)` })
      .from(deliveries)
      .where(eq(deliveries.allocationId, allocationId));
    const delivered = num(sum?.kg);
    const limit = round2(allocation.quantityKg * (1 + OVER_DELIVERY_TOLERANCE));
    if (round2(delivered + values.quantityKg) > limit) {
      throw ValidationError.field(
        "quantityKg",
        message("orders.error.overDelivery", {
          allocated: allocation.quantityKg,
          delivered,
          allowed: Math.max(0, round2(limit - delivered)),
        }),
      );
    }
    const amountFen = deliveryAmountFen(values.quantityKg, values.unitPriceFen);
    const [row] = await tx
      .insert(deliveries)
      .values({
        countyId: order.countyId,
        allocationId,
        deliveredOn: values.deliveredOn,
        quantityKg: values.quantityKg,
        grade: values.grade,
        unitPriceFen: values.unitPriceFen,
        amountFen,
        paidFen: values.paidFen,
        paymentStatus: values.paymentStatus,
        paidOn: values.paidFen > 0 ? (values.paidOn ?? values.deliveredOn) : null,
        createdBy: scope.userId,
      })
      .returning();
    await writeAudit(tx, {
      countyId: order.countyId,
      userId: scope.userId,
      action: "delivery.create",
      entity: "delivery",
      entityId: row.id,
      householdId: allocation.householdId,
      after: row,
    });
    // the order's status follows its deliveries
    const [total] = await tx
      .select({ kg: sql<string>`coalesce(sum(${deliveries.quantityKg}), 0)` })
      .from(deliveries)
      .innerJoin(orderAllocations, eq(orderAllocations.id, deliveries.allocationId))
      .where(eq(orderAllocations.orderId, order.id));
    const next: OrderStatus =
      num(total?.kg) >= order.quantityKg ? "fulfilled" : order.status === "signed" ? "delivering" : order.status;
    if (next !== order.status) {
      const [after] = await tx
        .update(purchaseOrders)
        .set({ status: next, version: sql`${purchaseOrders.version} + 1`, updatedAt: new Date() })
        .where(eq(purchaseOrders.id, order.id))
        .returning({ status: purchaseOrders.status, version: purchaseOrders.version });
      await writeAudit(tx, {
        countyId: order.countyId,
        userId: scope.userId,
        action: `order.${next}`,
        entity: "order",
        entityId: order.id,
        before: { status: order.status, version: order.version },
        after,
      });
    }
    return row;
  });
}

/**
 * Money for a delivery arrives later (货款到账). Under the order's lock: the delivery's paid total grows by the
 * amount, never past what the delivery is worth; its payment status follows from the new total.
 */
export async function recordPayment({ scope, orderId, input }: { scope: Scope; orderId: string; input: PaymentInput }) {
  assertCan(scope, "order.deliver");
  const d = await db();
  return d.transaction(async (tx) => {
    const order = await lockOrderInScope(tx, scope, orderId);
    const [delivery] = await tx
      .select({ delivery: deliveries, householdId: orderAllocations.householdId })
      .from(deliveries)
      .innerJoin(orderAllocations, eq(orderAllocations.id, deliveries.allocationId))
      .where(and(eq(deliveries.id, input.deliveryId), eq(orderAllocations.orderId, order.id)))
      .for("update", { of: deliveries });
    if (!delivery) throw new NotFoundError("delivery");
    const before = delivery.delivery;
    const outstanding = before.amountFen - before.paidFen;
    if (input.amountFen > outstanding) {
      throw ValidationError.field("amountFen", message("orders.error.paymentOverOutstanding", { outstanding: (outstanding / 100).toFixed(2) }));
    }
    if (input.paidOn < before.deliveredOn) {
      throw ValidationError.field("paidOn", message("orders.error.paidBeforeDelivery", { date: before.deliveredOn }));
    }
    const paidFen = before.paidFen + input.amountFen;
    const [after] = await tx
      .update(deliveries)
      .set({ paidFen, paymentStatus: paymentStatusFor(paidFen, before.amountFen), paidOn: input.paidOn })
      .where(eq(deliveries.id, before.id))
      .returning();
    await writeAudit(tx, {
      countyId: order.countyId,
      userId: scope.userId,
      action: "delivery.payment",
      entity: "delivery",
      entityId: before.id,
      householdId: delivery.householdId,
      before,
      after,
    });
    return after;
  });
}

// ---------- reading ----------

function daysBetween(from: string, to: string) {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

type AllocationFigures = {
  allocatedKg: number;
  deliveredKg: number;
  remainingKg: number;
  amountFen: number;
  paidFen: number;
  unpaidFen: number;
  behind: boolean;
};

/**
 * The totals of an order's household rows, each the sum of that column. Remaining (未交) is summed per
 * household rather than taken as allocated − delivered in total: one household's heavy last load does not
 * lessen what another still owes, so the total row says what the rows above it say.
 */
function sumAllocationRows(rows: AllocationFigures[]) {
  const sum = (f: (h: AllocationFigures) => number) => rows.reduce((s, h) => s + f(h), 0);
  return {
    allocatedKg: round2(sum((h) => h.allocatedKg)),
    deliveredKg: round2(sum((h) => h.deliveredKg)),
    remainingKg: round2(sum((h) => h.remainingKg)),
    amountFen: sum((h) => h.amountFen),
    paidFen: sum((h) => h.paidFen),
    unpaidFen: sum((h) => h.unpaidFen),
    behindCount: rows.filter((h) => h.behind).length,
  };
}

/**
 * An order with allocated / delivered / paid / remaining in total and per household, and a `behind` flag for
 * households that have not delivered their allocation as the delivery window closes (ends within 7 days or
 * has passed) while the order is still open (not fulfilled or cancelled). `totals` cover the whole order; a
 * cadre gets only their own households' rows, and `tableTotals` sums the rows returned. A row's
 * `householdId` is null when the household is outside the caller's scope (a former member, for a clerk).
 */
export async function orderSummary({ scope, orderId, today }: { scope: Scope; orderId: string; today: string }) {
  const d = await db();
  const [found] = await d
    .select({
      order: purchaseOrders,
      cooperativeName: cooperatives.name,
      buyerName: buyers.name,
      cropZh: crops.nameZh,
      cropEn: crops.nameEn,
    })
    .from(purchaseOrders)
    .innerJoin(cooperatives, eq(cooperatives.id, purchaseOrders.cooperativeId))
    .innerJoin(buyers, eq(buyers.id, purchaseOrders.buyerId))
    .innerJoin(crops, eq(crops.code, purchaseOrders.cropCode))
    .where(and(eq(purchaseOrders.id, orderId), orderInScope(scope)));
  if (!found) throw new NotFoundError("order");
  const { order } = found;
  const delivered = d
    .select({
      allocationId: deliveries.allocationId,
      kg: sql<string>`sum(${deliveries.quantityKg})`.as("kg"),
      amount: sql<string>`sum(${deliveries.amountFen})`.as("amount"),
      paid: sql<string>`sum(${deliveries.paidFen})`.as("paid"),
    })
    .from(deliveries)
    .groupBy(deliveries.allocationId)
    .as("delivered");
  const rows = await d
    .select({
      allocationId: orderAllocations.id,
      householdId: orderAllocations.householdId,
      headName: households.headName,
      householdCode: households.code,
      allocatedKg: orderAllocations.quantityKg,
      deliveredKg: delivered.kg,
      amountFen: delivered.amount,
      paidFen: delivered.paid,
      inScope: sql<boolean>`${householdInScope(scope)}`,
    })
    .from(orderAllocations)
    .innerJoin(households, eq(households.id, orderAllocations.householdId))
    .leftJoin(delivered, eq(delivered.allocationId, orderAllocations.id))
    .where(eq(orderAllocations.orderId, orderId))
    .orderBy(asc(households.code));
  const windowDaysLeft = daysBetween(today, order.deliveryEnd);
  const windowClosing = windowDaysLeft <= BEHIND_WITHIN_DAYS;
  // a cancelled or fulfilled order has nobody left to press on
  const active = order.status !== "cancelled" && order.status !== "fulfilled";
  const households_ = rows.map((r) => {
    const allocatedKg = num(r.allocatedKg);
    const deliveredKg = round2(num(r.deliveredKg));
    const amountFen = num(r.amountFen);
    const paidFen = num(r.paidFen);
    return {
      allocationId: r.allocationId,
      // the name stays on the order as its business record; the household's page only while in scope
      householdId: r.inScope ? r.householdId : null,
      headName: r.headName,
      householdCode: r.householdCode,
      allocatedKg,
      deliveredKg,
      remainingKg: Math.max(0, round2(allocatedKg - deliveredKg)),
      amountFen,
      paidFen,
      unpaidFen: amountFen - paidFen,
      behind: active && windowClosing && deliveredKg < allocatedKg,
    };
  });
  // a cadre sees their own households' rows only; other roles see every row of an order they hold
  const shown = scope.role === "cadre" ? households_.filter((h) => h.householdId !== null) : households_;
  const allocatedKg = round2(households_.reduce((s, h) => s + h.allocatedKg, 0));
  return {
    order: { ...order, cooperativeName: found.cooperativeName, buyerName: found.buyerName, cropZh: found.cropZh, cropEn: found.cropEn },
    windowDaysLeft,
    windowClosing,
    totals: {
      quantityKg: order.quantityKg,
      // the order's quantity nobody has been given yet: not "to deliver", which is per household
      unallocatedKg: Math.max(0, round2(order.quantityKg - allocatedKg)),
      ...sumAllocationRows(households_),
    },
    /** the total row under the table: the rows the caller sees, summed (a cadre's differ from the order's) */
    tableTotals: sumAllocationRows(shown),
    households: shown,
    can: orderAbilities(scope, order.status),
  };
}

/**
 * A household's expected income from its plan beside its actual income from deliveries, for one year.
 * Expected: each planting item's expected yield × a price — the household's own allocation's order price for
 * that crop (quantity-weighted if several), else the lowest price of a non-cancelled order for that crop of a
 * cooperative the household belonged to that year (a cautious estimate); uncontracted crops count 0.
 * The order year is the year its delivery window starts. Actual: deliveries that year (amount and paid).
 */
export async function householdIncome({ scope, householdId, year }: { scope: Scope; householdId: string; year: number }) {
  const d = await db();
  const [household] = await d
    .select({ id: households.id, headName: households.headName })
    .from(households)
    .where(and(eq(households.id, householdId), householdInScope(scope)));
  if (!household) throw new NotFoundError("household");
  const yearStart = `${year}-01-01`;
  const yearEnd = `${year}-12-31`;
  const inYear = and(gte(purchaseOrders.deliveryStart, yearStart), lte(purchaseOrders.deliveryStart, yearEnd));

  const [plan] = await d
    .select({ id: plans.id, status: plans.status, incomeTargetFen: plans.incomeTargetFen })
    .from(plans)
    .where(and(eq(plans.householdId, householdId), eq(plans.year, year)));
  const items = plan
    ? await d
        .select({
          cropCode: plantingItems.cropCode,
          cropZh: crops.nameZh,
          cropEn: crops.nameEn,
          area: plantingItems.area,
          expectedYieldKg: plantingItems.expectedYieldKg,
        })
        .from(plantingItems)
        .innerJoin(crops, eq(crops.code, plantingItems.cropCode))
        .where(eq(plantingItems.planId, plan.id))
        .orderBy(asc(plantingItems.position), asc(plantingItems.id))
    : [];

  const [ownPrices, coopPrices, actual] = await Promise.all([
    d
      .select({
        cropCode: purchaseOrders.cropCode,
        price: sql<string>`sum(${purchaseOrders.unitPriceFen} * ${orderAllocations.quantityKg}) / nullif(sum(${orderAllocations.quantityKg}), 0)`,
      })
      .from(orderAllocations)
      .innerJoin(purchaseOrders, eq(purchaseOrders.id, orderAllocations.orderId))
      .where(and(eq(orderAllocations.householdId, householdId), sql`${purchaseOrders.status} <> 'cancelled'`, inYear))
      .groupBy(purchaseOrders.cropCode),
    d
      .select({ cropCode: purchaseOrders.cropCode, price: sql<string>`min(${purchaseOrders.unitPriceFen})` })
      .from(purchaseOrders)
      .innerJoin(memberships, eq(memberships.cooperativeId, purchaseOrders.cooperativeId))
      .where(
        and(
          eq(memberships.householdId, householdId),
          lte(memberships.joinedOn, yearEnd),
          or(isNull(memberships.leftOn), gte(memberships.leftOn, yearStart)),
          sql`${purchaseOrders.status} <> 'cancelled'`,
          inYear,
        ),
      )
      .groupBy(purchaseOrders.cropCode),
    d
      .select({
        kg: sql<string>`coalesce(sum(${deliveries.quantityKg}), 0)`,
        amount: sql<string>`coalesce(sum(${deliveries.amountFen}), 0)`,
        paid: sql<string>`coalesce(sum(${deliveries.paidFen}), 0)`,
      })
      .from(deliveries)
      .innerJoin(orderAllocations, eq(orderAllocations.id, deliveries.allocationId))
      .where(
        and(
          eq(orderAllocations.householdId, householdId),
          gte(deliveries.deliveredOn, yearStart),
          lte(deliveries.deliveredOn, yearEnd),
        ),
      ),
  ]);
  const own = new Map(ownPrices.map((p) => [p.cropCode, Math.round(num(p.price))]));
  const coop = new Map(coopPrices.map((p) => [p.cropCode, Math.round(num(p.price))]));
  const rows = items.map((i) => {
    const source = own.has(i.cropCode) ? ("allocation" as const) : coop.has(i.cropCode) ? ("cooperative" as const) : null;
    const unitPriceFen = source === "allocation" ? own.get(i.cropCode)! : source === "cooperative" ? coop.get(i.cropCode)! : null;
    return {
      ...i,
      unitPriceFen,
      source,
      expectedFen: unitPriceFen === null ? 0 : Math.round(i.expectedYieldKg * unitPriceFen),
    };
  });
  return {
    household,
    year,
    plan: plan ?? null,
    items: rows,
    expectedFen: rows.reduce((s, r) => s + r.expectedFen, 0),
    actual: {
      deliveredKg: round2(num(actual[0]?.kg)),
      amountFen: num(actual[0]?.amount),
      paidFen: num(actual[0]?.paid),
    },
  };
}

// ---------- pages: cooperatives, members, brokers ----------

const currentMemberCount = sql<number>`(select count(*)::int from ${memberships} where ${memberships.cooperativeId} = ${cooperatives.id} and ${memberships.leftOn} is null)`;

/** Cooperatives in scope with village, township, current member count and brokers, by township then name. */
export async function listCooperatives({ scope }: { scope: Scope }) {
  const d = await db();
  const village = alias(regions, "village");
  const township = alias(regions, "township");
  const rows = await d
    .select({
      id: cooperatives.id,
      name: cooperatives.name,
      kind: cooperatives.kind,
      registrationCode: cooperatives.registrationCode,
      village: village.name,
      township: township.name,
      memberCount: currentMemberCount,
    })
    .from(cooperatives)
    .innerJoin(township, eq(township.id, cooperatives.townshipId))
    .leftJoin(village, eq(village.id, cooperatives.villageId))
    .where(cooperativeInScope(scope))
    .orderBy(asc(township.code), asc(cooperatives.name));
  const brokerRows = rows.length
    ? await d
        .select({ cooperativeId: brokers.cooperativeId, name: brokers.name, phone: brokers.phone })
        .from(brokers)
        .where(inArray(brokers.cooperativeId, rows.map((r) => r.id)))
        .orderBy(asc(brokers.name))
    : [];
  return rows.map((r) => ({
    ...r,
    brokers: brokerRows.filter((b) => b.cooperativeId === r.id).map(({ name, phone }) => ({ name, phone })),
  }));
}

/**
 * One cooperative with its brokers, its current members and its past members (join and leave dates);
 * null when out of scope. `can`: what the page may offer, the same capabilities the writes assert. A
 * member's `householdId` is null when the household is outside the caller's scope (for the clerk, a
 * former member): the name and period stay, the way into the household's page does not.
 */
export async function getCooperative({ scope, id }: { scope: Scope; id: string }) {
  const d = await db();
  const village = alias(regions, "village");
  const township = alias(regions, "township");
  const [coop] = await d
    .select({
      id: cooperatives.id,
      name: cooperatives.name,
      kind: cooperatives.kind,
      registrationCode: cooperatives.registrationCode,
      village: village.name,
      township: township.name,
    })
    .from(cooperatives)
    .innerJoin(township, eq(township.id, cooperatives.townshipId))
    .leftJoin(village, eq(village.id, cooperatives.villageId))
    .where(and(eq(cooperatives.id, id), cooperativeInScope(scope)));
  if (!coop) return null;
  const [brokerRows, memberRows] = await Promise.all([
    d
      .select({ id: brokers.id, name: brokers.name, phone: brokers.phone })
      .from(brokers)
      .where(eq(brokers.cooperativeId, id))
      .orderBy(asc(brokers.name)),
    d
      .select({
        membershipId: memberships.id,
        householdId: households.id,
        headName: households.headName,
        householdCode: households.code,
        village: regions.name,
        joinedOn: memberships.joinedOn,
        leftOn: memberships.leftOn,
        inScope: sql<boolean>`${householdInScope(scope)}`,
      })
      .from(memberships)
      .innerJoin(households, eq(households.id, memberships.householdId))
      .innerJoin(regions, eq(regions.id, households.villageId))
      .where(eq(memberships.cooperativeId, id))
      .orderBy(desc(memberships.joinedOn), asc(households.code)),
  ]);
  const rows = memberRows.map(({ inScope, ...m }) => ({ ...m, householdId: inScope ? m.householdId : null }));
  return {
    cooperative: coop,
    brokers: brokerRows,
    current: rows.filter((m) => m.leftOn === null),
    past: rows
      .filter((m) => m.leftOn !== null)
      .sort((a, b) => (b.leftOn! < a.leftOn! ? -1 : b.leftOn! > a.leftOn! ? 1 : 0)),
    can: {
      // brokers and leaves
      edit: can(scope, "cooperative.write"),
      join: can(scope, "membership.enrol"),
      request: can(scope, "membership.request"),
      decide: can(scope, "membership.decide"),
    },
  };
}

/** Adds a broker (经纪人) to a cooperative in scope: the clerk of that cooperative or an official of its township. */
export async function addBroker({ scope, cooperativeId, input }: { scope: Scope; cooperativeId: string; input: BrokerInput }) {
  assertCan(scope, "cooperative.write");
  const d = await db();
  return d.transaction(async (tx) => {
    const coop = await lockCooperativeForWrite(tx, scope, cooperativeId);
    const [row] = await tx
      .insert(brokers)
      .values({ countyId: coop.countyId, cooperativeId, name: input.name, phone: input.phone })
      .returning();
    await writeAudit(tx, {
      countyId: coop.countyId,
      userId: scope.userId,
      action: "broker.create",
      entity: "broker",
      entityId: row.id,
      after: row,
    });
    return row;
  });
}

function escapeLike(text: string) {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Households that could join the cooperative: of its township, not a current member. Searched by the
 * head's name or the household code; at most `limit`. Only officials; 404 when the cooperative is out of scope.
 */
export async function membershipCandidates({
  scope,
  cooperativeId,
  q,
  limit = 50,
}: {
  scope: Scope;
  cooperativeId: string;
  q?: string;
  limit?: number;
}) {
  // only who enrols directly browses; a clerk names a household instead of browsing the township's
  if (!can(scope, "membership.enrol")) return [];
  const d = await db();
  const [coop] = await d
    .select({ townshipId: cooperatives.townshipId })
    .from(cooperatives)
    .where(and(eq(cooperatives.id, cooperativeId), cooperativeInScope(scope)));
  if (!coop) throw new NotFoundError("cooperative");
  const term = q?.trim();
  const pattern = term ? `%${escapeLike(term)}%` : null;
  return d
    .select({ id: households.id, headName: households.headName, code: households.code, village: regions.name })
    .from(households)
    .innerJoin(regions, eq(regions.id, households.villageId))
    .where(
      and(
        eq(households.townshipId, coop.townshipId),
        sql`not exists (select 1 from ${memberships} where ${memberships.householdId} = ${households.id} and ${memberships.cooperativeId} = ${cooperativeId} and ${memberships.leftOn} is null)`,
        pattern ? or(like(households.headName, pattern), like(households.code, pattern)) : undefined,
      ),
    )
    .orderBy(asc(regions.code), asc(households.headName), asc(households.code))
    .limit(limit);
}

// ---------- pages: orders ----------

export const ORDER_PAGE_SIZES = [20, 50, 100] as const;
export const ORDER_SORT_KEYS = ["window", "crop", "quantity", "status", "buyer", "cooperative"] as const;
export type OrderSortKey = (typeof ORDER_SORT_KEYS)[number];

const optionalParam = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);

/** The orders list's URL. Never throws: an invalid value means "no filter" or the default. */
export const OrderListParamsSchema = z.object({
  status: optionalParam(z.enum(orderStatus.enumValues)),
  crop: optionalParam(z.string().trim().regex(/^[a-z0-9_]{1,40}$/)),
  season: optionalParam(
    z
      .string()
      .trim()
      .max(40)
      .transform((s) => s || undefined),
  ),
  cooperative: optionalParam(z.guid()),
  sort: z.enum(ORDER_SORT_KEYS).catch("window"),
  dir: z.enum(["asc", "desc"]).catch("desc"),
  page: z.coerce.number().int().min(1).max(1_000_000).catch(1),
  size: z.coerce
    .number()
    .pipe(z.union([z.literal(20), z.literal(50), z.literal(100)]))
    .catch(20),
});
export type OrderListParams = z.output<typeof OrderListParamsSchema>;

export function parseOrderListParams(url: URL): OrderListParams {
  return OrderListParamsSchema.parse(queryParams(url));
}

const allocatedKgOf = sql<string>`(select coalesce(sum(${orderAllocations.quantityKg}), 0) from ${orderAllocations} where ${orderAllocations.orderId} = ${purchaseOrders.id})`;
const deliveredKgOf = sql<string>`(select coalesce(sum(${deliveries.quantityKg}), 0) from ${deliveries} inner join ${orderAllocations} on ${orderAllocations.id} = ${deliveries.allocationId} where ${orderAllocations.orderId} = ${purchaseOrders.id})`;

const ORDER_SORTS: Record<OrderSortKey, SQL> = {
  window: sql`${purchaseOrders.deliveryStart}`,
  crop: sql`${crops.sortOrder}`,
  quantity: sql`${purchaseOrders.quantityKg}`,
  status: sql`${purchaseOrders.status}`,
  buyer: sql`${buyers.name}`,
  cooperative: sql`${cooperatives.name}`,
};

export type OrderListRow = {
  id: string;
  cooperativeId: string;
  cooperativeName: string;
  buyerName: string;
  cropCode: string;
  cropZh: string;
  cropEn: string;
  season: string;
  quantityKg: number;
  unitPriceFen: number;
  deliveryStart: string;
  deliveryEnd: string;
  status: OrderStatus;
  allocatedKg: number;
  deliveredKg: number;
};

/** One page of the orders in scope (filters by status, crop, season), with allocated and delivered kg, and the total. */
/** `all`: every row the filters allow, in the list's order, for the CSV/XLSX export (no paging). */
export async function listOrders({ scope, params, all = false }: { scope: Scope; params: OrderListParams; all?: boolean }) {
  const d = await db();
  const where = and(
    orderInScope(scope),
    params.status ? eq(purchaseOrders.status, params.status) : undefined,
    params.crop ? eq(purchaseOrders.cropCode, params.crop) : undefined,
    params.season ? eq(purchaseOrders.season, params.season) : undefined,
    params.cooperative ? eq(purchaseOrders.cooperativeId, params.cooperative) : undefined,
  );
  return d.transaction(
    async (tx) => {
      const [{ total }] = await tx.select({ total: sql<number>`count(*)::int` }).from(purchaseOrders).where(where);
      const pageSize = all ? Math.max(1, total) : params.size;
      const pageCount = Math.max(1, Math.ceil(total / pageSize));
      const page = all ? 1 : Math.min(params.page, pageCount);
      if (total === 0) return { rows: [] as OrderListRow[], total, page, pageSize, pageCount };
      const key = ORDER_SORTS[params.sort];
      const dir = params.dir === "asc" ? asc : desc;
      const rows = await tx
        .select({
          id: purchaseOrders.id,
          cooperativeId: purchaseOrders.cooperativeId,
          cooperativeName: cooperatives.name,
          buyerName: buyers.name,
          cropCode: purchaseOrders.cropCode,
          cropZh: crops.nameZh,
          cropEn: crops.nameEn,
          season: purchaseOrders.season,
          quantityKg: purchaseOrders.quantityKg,
          unitPriceFen: purchaseOrders.unitPriceFen,
          deliveryStart: purchaseOrders.deliveryStart,
          deliveryEnd: purchaseOrders.deliveryEnd,
          status: purchaseOrders.status,
          allocatedKg: allocatedKgOf.mapWith(Number),
          deliveredKg: deliveredKgOf.mapWith(Number),
        })
        .from(purchaseOrders)
        .innerJoin(cooperatives, eq(cooperatives.id, purchaseOrders.cooperativeId))
        .innerJoin(buyers, eq(buyers.id, purchaseOrders.buyerId))
        .innerJoin(crops, eq(crops.code, purchaseOrders.cropCode))
        .where(where)
        .orderBy(dir(key), dir(purchaseOrders.id))
        .limit(pageSize)
        .offset((page - 1) * pageSize);
      return {
        rows: rows.map((r) => ({ ...r, allocatedKg: round2(r.allocatedKg), deliveredKg: round2(r.deliveredKg) })),
        total,
        page,
        pageSize,
        pageCount,
      };
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}

/** The asked filters, each dropped unless the caller's options hold it (an out-of-scope id filters nothing). */
export function reconcileOrderListParams(
  asked: OrderListParams,
  options: Awaited<ReturnType<typeof orderListFilterOptions>>,
): OrderListParams {
  return {
    ...asked,
    crop: asked.crop && options.crops.some((c) => c.code === asked.crop) ? asked.crop : undefined,
    season: asked.season && options.seasons.includes(asked.season) ? asked.season : undefined,
    cooperative:
      asked.cooperative && options.cooperatives?.some((c) => c.id === asked.cooperative) ? asked.cooperative : undefined,
  };
}

/** What the orders list's filters offer: crops of the reference list and the seasons of orders in scope. */
export async function orderListFilterOptions({ scope }: { scope: Scope }) {
  const d = await db();
  const [cropRows, seasonRows, coopRows] = await Promise.all([
    d
      .select({ code: crops.code, nameZh: crops.nameZh, nameEn: crops.nameEn })
      .from(crops)
      .where(sql`exists (select 1 from ${purchaseOrders} where ${purchaseOrders.cropCode} = ${crops.code} and ${orderInScope(scope)})`)
      .orderBy(asc(crops.sortOrder), asc(crops.code)),
    d
      .selectDistinct({ season: purchaseOrders.season })
      .from(purchaseOrders)
      .where(orderInScope(scope))
      .orderBy(desc(purchaseOrders.season)),
    // a clerk has one cooperative and a cadre reads orders, not cooperatives: no cooperative filter for them
    scope.role === "official" || scope.role === "admin"
      ? d
          .select({ id: cooperatives.id, name: cooperatives.name })
          .from(cooperatives)
          .where(cooperativeInScope(scope))
          .orderBy(asc(cooperatives.name))
      : Promise.resolve(null),
  ]);
  return {
    crops: cropRows,
    seasons: seasonRows.map((s) => s.season),
    statuses: orderStatus.enumValues,
    cooperatives: coopRows,
  };
}

/** The new-order form's choices: cooperatives the scope writes, the county's buyers, the crop reference list. */
export async function orderFormOptions({ scope }: { scope: Scope }) {
  assertCan(scope, "order.write");
  const d = await db();
  const [coops, buyerRows, cropRows] = await Promise.all([
    d
      .select({ id: cooperatives.id, name: cooperatives.name })
      .from(cooperatives)
      .where(cooperativeInScope(scope))
      .orderBy(asc(cooperatives.name)),
    d
      .select({ id: buyers.id, name: buyers.name })
      .from(buyers)
      .where(eq(buyers.countyId, scope.countyId))
      .orderBy(asc(buyers.name)),
    d.select({ code: crops.code, nameZh: crops.nameZh, nameEn: crops.nameEn }).from(crops).orderBy(asc(crops.sortOrder), asc(crops.code)),
  ]);
  return { cooperatives: coops, buyers: buyerRows, crops: cropRows };
}

/** Current members of the order's cooperative that have no share of this order yet (the allocation form's choices). */
export async function allocationCandidates({ scope, orderId }: { scope: Scope; orderId: string }) {
  if (!can(scope, "order.write")) return [];
  const d = await db();
  const [order] = await d
    .select({ cooperativeId: purchaseOrders.cooperativeId })
    .from(purchaseOrders)
    .where(and(eq(purchaseOrders.id, orderId), orderInScope(scope)));
  if (!order) throw new NotFoundError("order");
  return d
    .select({ id: households.id, headName: households.headName, code: households.code, village: regions.name })
    .from(memberships)
    .innerJoin(households, eq(households.id, memberships.householdId))
    .innerJoin(regions, eq(regions.id, households.villageId))
    .where(
      and(
        eq(memberships.cooperativeId, order.cooperativeId),
        isNull(memberships.leftOn),
        sql`not exists (select 1 from ${orderAllocations} where ${orderAllocations.orderId} = ${orderId} and ${orderAllocations.householdId} = ${households.id})`,
      ),
    )
    .orderBy(asc(regions.code), asc(households.headName), asc(households.code));
}

/** The deliveries of an order, oldest first; a cadre gets only their own households' deliveries. 404 out of scope. */
export async function orderDeliveries({ scope, orderId }: { scope: Scope; orderId: string }) {
  const d = await db();
  const [order] = await d
    .select({ id: purchaseOrders.id })
    .from(purchaseOrders)
    .where(and(eq(purchaseOrders.id, orderId), orderInScope(scope)));
  if (!order) throw new NotFoundError("order");
  return d
    .select({
      id: deliveries.id,
      allocationId: deliveries.allocationId,
      householdId: orderAllocations.householdId,
      deliveredOn: deliveries.deliveredOn,
      quantityKg: deliveries.quantityKg,
      grade: deliveries.grade,
      unitPriceFen: deliveries.unitPriceFen,
      amountFen: deliveries.amountFen,
      paidFen: deliveries.paidFen,
      paymentStatus: deliveries.paymentStatus,
    })
    .from(deliveries)
    .innerJoin(orderAllocations, eq(orderAllocations.id, deliveries.allocationId))
    .innerJoin(households, eq(households.id, orderAllocations.householdId))
    .where(and(eq(orderAllocations.orderId, orderId), scope.role === "cadre" ? householdInScope(scope) : undefined))
    .orderBy(asc(deliveries.deliveredOn), asc(deliveries.createdAt));
}

/** Is the cooperative in scope? For actions: an out-of-scope id is a 404 before any input is read. */
export async function cooperativeIsInScope({ scope, id }: { scope: Scope; id: string }) {
  const d = await db();
  const [row] = await d
    .select({ id: cooperatives.id })
    .from(cooperatives)
    .where(and(eq(cooperatives.id, id), cooperativeInScope(scope)));
  return Boolean(row);
}

/** Is the order in scope? For actions: an out-of-scope id is a 404 before any input is read. */
export async function orderIsInScope({ scope, id }: { scope: Scope; id: string }) {
  const d = await db();
  const [row] = await d
    .select({ id: purchaseOrders.id })
    .from(purchaseOrders)
    .where(and(eq(purchaseOrders.id, id), orderInScope(scope)));
  return Boolean(row);
}
