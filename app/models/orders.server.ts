// Purchase orders: their workflow, allocations, deliveries and payments (domain rule 4):
// - order allocations never exceed the order's quantity and go only to current members of the ordering
//   cooperative: held in ONE transaction that locks the order row (SELECT … FOR UPDATE), so concurrent
//   requests queue on the order and each sees the allocations committed before it;
// - deliveries are recorded against allocations (at most 10 % beyond the allocation), under the same lock;
// - every write leaves an audit row in the same transaction.
//
// Scope (who sees which orders, orderInScope):
//   clerk — their cooperative's orders; writes them.
//   official — orders of cooperatives in their township; writes them.
//   admin — the county; read-only here (county IT, not order bookkeeping).
//   cadre — read-only, only orders with an allocation to a household assigned to them now; in an order
//           summary they see the order's totals but only their own households' rows.
// The orders list is order-list.server.ts; cooperatives and memberships are cooperatives.server.ts.

import { and, asc, eq, isNull, sql, type SQL } from "drizzle-orm";
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
  purchaseOrders,
  regions,
  users,
} from "../../db/schema";
import { can } from "~/permissions";
import {
  deliveryAmountFen,
  deliveryContractViolations,
  deliveryViolations,
  type DeliveryCorrectionInput,
  type DeliveryInput,
  type OrderInput,
  type PaymentInput,
  paymentStatusFor,
} from "~/schemas/orders";
import type { OrderStatus } from "~/vocabulary";
import { message } from "~/schemas/fields";
import { db } from "~/utils/db.server";
import { allowedCodes, choicesOf } from "./reference-lists.server";
import { writeAudit } from "./audit.server";
import { ConflictError, NotFoundError, ValidationError, isUniqueViolation } from "./errors.server";
import { assertCan, householdInScope, type Scope } from "./scope.server";
import { cooperativeInScope, lockCooperativeForWrite } from "./cooperatives.server";

const round2 = (n: number) => Math.round(n * 100) / 100;
const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));

/** Deliveries may exceed an allocation by this share (a heavy last load), never more. */
export const OVER_DELIVERY_TOLERANCE = 0.1;
/** A household is "behind" when the window ends within this many days (or has passed) and it has not delivered all. */
export const BEHIND_WITHIN_DAYS = 7;

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

async function lockOrderInScope(tx: Tx, scope: Scope, orderId: string) {
  const [row] = await tx
    .select()
    .from(purchaseOrders)
    .where(and(eq(purchaseOrders.id, orderId), orderInScope(scope)))
    .for("update");
  if (!row) throw new NotFoundError("order");
  return row;
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
    // a live crop of the list: one the administrator retired is offered for no new order
    const cropAllowed = await allowedCodes(tx, "crops", [values.cropCode]);
    if (!cropAllowed.has(values.cropCode)) fieldErrors.cropCode = ["orders.error.unknownCrop"];
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
        throw ValidationError.field(
          "quantityKg",
          message("orders.error.overQuantity", { remaining: Math.max(0, remaining) }),
        );
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
    correct: deliver && CORRECTABLE.includes(status),
  };
}

/**
 * A delivery (交售) against an allocation. Under the order's lock: the allocation's deliveries may exceed it by
 * at most 10 %; the order moves to "delivering" on its first delivery and to "fulfilled" when the delivered
 * total reaches its quantity.
 */
export async function recordDelivery(input: {
  scope: Scope;
  allocationId: string;
  input: DeliveryInput;
  orderId?: string;
}) {
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
    await followDeliveries(tx, scope, order);
    return row;
  });
}

/**
 * The order's status follows its deliveries, netted of reversals: "delivering" from the first, "fulfilled"
 * once they reach its quantity. Only forward: a fulfilled order may have been closed short by an official,
 * which no delivery row tells apart, so a correction below the quantity leaves it fulfilled.
 */
async function followDeliveries(tx: Tx, scope: Scope, order: typeof purchaseOrders.$inferSelect) {
  if (order.status !== "signed" && order.status !== "delivering") return;
  const [total] = await tx
    .select({ kg: sql<string>`coalesce(sum(${deliveries.quantityKg}), 0)` })
    .from(deliveries)
    .innerJoin(orderAllocations, eq(orderAllocations.id, deliveries.allocationId))
    .where(eq(orderAllocations.orderId, order.id));
  const next: OrderStatus = num(total?.kg) >= order.quantityKg ? "fulfilled" : "delivering";
  if (next === order.status) return;
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
    // money for a corrected delivery belongs to its corrected entry, which carried what was paid before
    if (before.correctsDeliveryId || (await reversalOf(tx, before.id))) {
      throw ValidationError.form("orders.error.paymentOnCorrected");
    }
    const outstanding = before.amountFen - before.paidFen;
    if (input.amountFen > outstanding) {
      throw ValidationError.field(
        "amountFen",
        message("orders.error.paymentOverOutstanding", { outstanding: (outstanding / 100).toFixed(2) }),
      );
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

// ---------- corrections (domain rule 9) ----------

// A fulfilled order still takes corrections: a weight typed wrong is as wrong after the order is complete.
const CORRECTABLE: OrderStatus[] = ["signed", "delivering", "fulfilled"];

async function reversalOf(tx: Tx, deliveryId: string) {
  const [row] = await tx
    .select({ id: deliveries.id })
    .from(deliveries)
    .where(eq(deliveries.correctsDeliveryId, deliveryId));
  return row ?? null;
}

/**
 * Corrects a recorded delivery by counter-entry, never in place: a reversal row mirrors the original with
 * every figure negated (kilograms, amount and what was paid) and carries the reason; with mode "replace" the
 * right values follow as a new delivery that carries the money already received. Under the order's lock,
 * so a second correction of the same delivery waits and is then refused; the unique index on
 * `corrects_delivery_id` refuses it should any caller skip the lock.
 */
export async function correctDelivery({
  scope,
  orderId,
  input,
}: {
  scope: Scope;
  orderId: string;
  input: DeliveryCorrectionInput;
}) {
  assertCan(scope, "order.deliver");
  // the form's rule again, for callers that skip the form; the database holds it last
  if (input.reason.trim().length < 2) throw ValidationError.field("reason", "orders.error.correctionReason");
  const d = await db();
  const already = () => ValidationError.form("orders.error.alreadyCorrected");
  try {
    return await d.transaction(async (tx) => {
      const order = await lockOrderInScope(tx, scope, orderId);
      const [found] = await tx
        .select({ delivery: deliveries, allocation: orderAllocations })
        .from(deliveries)
        .innerJoin(orderAllocations, eq(orderAllocations.id, deliveries.allocationId))
        .where(and(eq(deliveries.id, input.deliveryId), eq(orderAllocations.orderId, order.id)))
        .for("update", { of: deliveries });
      if (!found) throw new NotFoundError("delivery");
      const { delivery: original, allocation } = found;
      if (original.correctsDeliveryId) throw ValidationError.form("orders.error.correctReversal");
      if (await reversalOf(tx, original.id)) throw already();
      if (!CORRECTABLE.includes(order.status)) {
        throw ValidationError.form(message("orders.error.cannotCorrect", { status: order.status }));
      }
      if (input.mode === "reverse" && original.paidFen > 0) {
        // the money was received: undoing the goods alone would erase it from every total
        throw ValidationError.field(
          "mode",
          message("orders.error.reversePaid", { paid: (original.paidFen / 100).toFixed(2) }),
        );
      }
      let replacement: typeof deliveries.$inferInsert | null = null;
      if (input.mode === "replace") {
        const values = {
          deliveredOn: input.deliveredOn ?? "",
          quantityKg: round2(input.quantityKg ?? 0),
          grade: input.grade,
          unitPriceFen: input.unitPriceFen ?? 0,
        };
        const fieldErrors: Record<string, string[]> = {};
        for (const v of deliveryContractViolations(order, values)) (fieldErrors[v.path] ??= []).push(v.message);
        const [sum] = await tx
          .select({ kg: sql<string>`coalesce(sum(${deliveries.quantityKg}), 0)` })
          .from(deliveries)
          .where(eq(deliveries.allocationId, allocation.id));
        const others = round2(num(sum?.kg) - original.quantityKg);
        const limit = round2(allocation.quantityKg * (1 + OVER_DELIVERY_TOLERANCE));
        if (round2(others + values.quantityKg) > limit) {
          (fieldErrors.quantityKg ??= []).push(
            message("orders.error.overDelivery", {
              allocated: allocation.quantityKg,
              delivered: others,
              allowed: Math.max(0, round2(limit - others)),
            }),
          );
        }
        const amountFen = deliveryAmountFen(values.quantityKg, values.unitPriceFen);
        if (original.paidFen > amountFen) {
          (fieldErrors.quantityKg ??= []).push(
            message("orders.error.correctionBelowPaid", { paid: (original.paidFen / 100).toFixed(2) }),
          );
        }
        if (Object.keys(fieldErrors).length) throw new ValidationError(fieldErrors);
        replacement = {
          countyId: order.countyId,
          allocationId: allocation.id,
          ...values,
          amountFen,
          paidFen: original.paidFen,
          paymentStatus: paymentStatusFor(original.paidFen, amountFen),
          paidOn: original.paidFen > 0 ? original.paidOn : null,
          createdBy: scope.userId,
        };
      }
      // dated as the original, so a sum over a period (a year's income) nets it in the same period
      const [reversal] = await tx
        .insert(deliveries)
        .values({
          countyId: order.countyId,
          allocationId: allocation.id,
          deliveredOn: original.deliveredOn,
          quantityKg: -original.quantityKg,
          grade: original.grade,
          unitPriceFen: original.unitPriceFen,
          amountFen: -original.amountFen,
          paidFen: -original.paidFen,
          paymentStatus: original.paymentStatus,
          paidOn: original.paidOn,
          correctsDeliveryId: original.id,
          reason: input.reason,
          createdBy: scope.userId,
        })
        .returning();
      const [corrected] = replacement ? await tx.insert(deliveries).values(replacement).returning() : [null];
      await writeAudit(tx, {
        countyId: order.countyId,
        userId: scope.userId,
        action: "delivery.correct",
        entity: "delivery",
        entityId: original.id,
        householdId: allocation.householdId,
        before: original,
        after: { reversal, corrected, reason: input.reason },
      });
      await followDeliveries(tx, scope, order);
      return { reversal, corrected };
    });
  } catch (error) {
    if (isUniqueViolation(error, "deliveries_corrects_uq")) throw already();
    throw error;
  }
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
      cropRetiredAt: crops.retiredAt,
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
    order: {
      ...order,
      cooperativeName: found.cooperativeName,
      buyerName: found.buyerName,
      cropZh: found.cropZh,
      cropEn: found.cropEn,
    },
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
    choicesOf(d, "crops"),
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

/**
 * The deliveries of an order, oldest first, each reversal right after its original (the ledger shows both,
 * domain rule 9); `reversedBy` marks an original that was reversed. A cadre gets only their own households'
 * deliveries. 404 out of scope.
 */
export async function orderDeliveries({ scope, orderId }: { scope: Scope; orderId: string }) {
  const d = await db();
  const [order] = await d
    .select({ id: purchaseOrders.id })
    .from(purchaseOrders)
    .where(and(eq(purchaseOrders.id, orderId), orderInScope(scope)));
  if (!order) throw new NotFoundError("order");
  const rows = await d
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
      correctsDeliveryId: deliveries.correctsDeliveryId,
      reason: deliveries.reason,
      createdAt: deliveries.createdAt,
      createdByName: users.displayName,
    })
    .from(deliveries)
    .innerJoin(orderAllocations, eq(orderAllocations.id, deliveries.allocationId))
    .innerJoin(households, eq(households.id, orderAllocations.householdId))
    .leftJoin(users, eq(users.id, deliveries.createdBy))
    .where(and(eq(orderAllocations.orderId, orderId), scope.role === "cadre" ? householdInScope(scope) : undefined))
    .orderBy(asc(deliveries.deliveredOn), asc(deliveries.createdAt));
  const reversals = new Map(rows.filter((r) => r.correctsDeliveryId).map((r) => [r.correctsDeliveryId, r]));
  return rows
    .filter((r) => !r.correctsDeliveryId)
    .flatMap((r) => {
      const reversal = reversals.get(r.id);
      const original = { ...r, reversedBy: reversal?.id ?? null };
      return reversal ? [original, { ...reversal, reversedBy: null }] : [original];
    });
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
