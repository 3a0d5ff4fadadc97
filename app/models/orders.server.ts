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

import { and, asc, eq, inArray, isNull, sql, type SQL } from "drizzle-orm";
import { queryRows, type Tx } from "../../db/client";
import {
  buyers,
  cadreAssignments,
  cooperatives,
  crops,
  deliveries,
  households,
  memberships,
  orderAllocationChanges,
  orderAllocations,
  payments,
  purchaseOrders,
  regions,
  users,
} from "../../db/schema";
import { can } from "~/permissions";
import {
  deliveryAmountFen,
  deliveryContractViolations,
  deliveryViolations,
  type AllocationChangeInput,
  type DeliveryCorrectionInput,
  type DeliveryInput,
  type OrderInput,
  type OrderTermsInput,
  type PaymentInput,
  type PaymentReversalInput,
  paymentStatusFor,
} from "~/schemas/orders";
import type { OrderStatus } from "~/vocabulary";
import { message } from "~/schemas/fields";
import { db } from "~/utils/db.server";
import { pageOf } from "~/utils/list-params";
import { orderAllocationListParams, type OrderAllocationListParams } from "~/utils/lists";
import { allowedCodes, choicesOf } from "./reference-lists.server";
import { writeAudit } from "./audit.server";
import { ConflictError, NotFoundError, ValidationError, isUniqueViolation } from "./errors.server";
import { assertCan, householdInScope, type Scope } from "./scope.server";
import { cooperativeInScope, householdMatches, lockCooperativeForWrite } from "./cooperatives.server";
import { allocationNetKg, allocationPaidFen, deliveryPaidFen } from "./order-figures.server";

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
      const remaining = round2(order.quantityKg - (await allocatedOf(tx, orderId)));
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

/** The order's allocated kilograms, net of changes and withdrawals (domain rule 9). */
async function allocatedOf(tx: Tx, orderId: string, except?: string) {
  const [row] = await tx
    .select({ kg: sql<string>`coalesce(sum(${allocationNetKg}), 0)` })
    .from(orderAllocations)
    .where(and(eq(orderAllocations.orderId, orderId), except ? sql`${orderAllocations.id} <> ${except}` : undefined));
  return round2(num(row?.kg));
}

/** An allocation with its net kilograms. */
async function allocationWithNet(tx: Tx, allocationId: string) {
  const [row] = await tx
    .select({ allocation: orderAllocations, netKg: sql<string>`${allocationNetKg}` })
    .from(orderAllocations)
    .where(eq(orderAllocations.id, allocationId));
  if (!row) throw new NotFoundError("allocation");
  return { ...row.allocation, netKg: round2(num(row.netKg)) };
}

/** The kilograms delivered against an allocation, reversals netted. */
async function deliveredOf(tx: Tx, allocationId: string) {
  const [row] = await tx
    .select({ kg: sql<string>`coalesce(sum(${deliveries.quantityKg}), 0)` })
    .from(deliveries)
    .where(eq(deliveries.allocationId, allocationId));
  return round2(num(row?.kg));
}

/**
 * Changes an allocation's kilograms after it was recorded, or withdraws it (to 0), by a change row with the
 * difference and the reason (domain rule 9): the recorded quantity is never edited. Under the order's lock,
 * at the version the page showed: the order's net allocated total never exceeds its quantity (rule 4), and the
 * allocation never drops below what the household has delivered against it. A rise goes only to a household
 * that is still a member.
 */
export async function changeAllocation({
  scope,
  orderId,
  input,
}: {
  scope: Scope;
  orderId: string;
  input: AllocationChangeInput;
}) {
  assertCan(scope, "order.write");
  const quantityKg = round2(input.quantityKg);
  if (!(quantityKg >= 0)) throw ValidationError.field("quantityKg", "field.nonNegative");
  if (input.reason.trim().length < 2) throw ValidationError.field("reason", "orders.error.correctionReason");
  const d = await db();
  return d.transaction(async (tx) => {
    const order = await lockOrderInScope(tx, scope, orderId);
    const [found] = await tx
      .select({ id: orderAllocations.id })
      .from(orderAllocations)
      .where(and(eq(orderAllocations.id, input.allocationId), eq(orderAllocations.orderId, order.id)));
    if (!found) throw new NotFoundError("allocation");
    if (!ALLOCATABLE.includes(order.status)) {
      throw ValidationError.form(message("orders.error.orderClosed", { status: order.status }));
    }
    const allocation = await allocationWithNet(tx, found.id);
    if (allocation.version !== input.version) throw new ConflictError("allocation");
    const deltaKg = round2(quantityKg - allocation.netKg);
    if (deltaKg === 0) throw ValidationError.field("quantityKg", "orders.error.allocationUnchanged");
    const delivered = await deliveredOf(tx, allocation.id);
    if (quantityKg < delivered) {
      throw ValidationError.field("quantityKg", message("orders.error.belowDelivered", { delivered }));
    }
    if (deltaKg > 0) {
      const remaining = round2(order.quantityKg - (await allocatedOf(tx, order.id, allocation.id)));
      if (quantityKg > remaining) {
        throw ValidationError.field(
          "quantityKg",
          message("orders.error.overQuantity", { remaining: Math.max(0, remaining) }),
        );
      }
      const [membership] = await tx
        .select({ id: memberships.id })
        .from(memberships)
        .where(
          and(
            eq(memberships.cooperativeId, order.cooperativeId),
            eq(memberships.householdId, allocation.householdId),
            isNull(memberships.leftOn),
          ),
        )
        .for("share");
      if (!membership) throw ValidationError.field("quantityKg", "orders.error.notMember");
    }
    // the version moves so a second form drawn at the same version is refused; the quantity stays as recorded
    const [bumped] = await tx
      .update(orderAllocations)
      .set({ version: sql`${orderAllocations.version} + 1` })
      .where(and(eq(orderAllocations.id, allocation.id), eq(orderAllocations.version, input.version)))
      .returning({ version: orderAllocations.version });
    if (!bumped) throw new ConflictError("allocation");
    const [change] = await tx
      .insert(orderAllocationChanges)
      .values({
        countyId: order.countyId,
        allocationId: allocation.id,
        deltaKg,
        reason: input.reason,
        createdBy: scope.userId,
      })
      .returning();
    await writeAudit(tx, {
      countyId: order.countyId,
      userId: scope.userId,
      action: quantityKg === 0 ? "order.allocation_withdraw" : "order.allocation_change",
      entity: "allocation",
      entityId: allocation.id,
      householdId: allocation.householdId,
      before: { quantityKg: allocation.netKg, version: allocation.version },
      after: { quantityKg, deltaKg, reason: input.reason, changeId: change.id, version: bumped.version },
    });
    return { change, quantityKg, version: bumped.version };
  });
}

// ---------- an order's terms ----------

// a fulfilled or cancelled order is closed; its terms are the record of what was agreed
const TERMS_EDITABLE: OrderStatus[] = ["draft", "signed", "delivering"];

/**
 * Changes an order's terms (quantity, price, season, delivery window) at the version the page showed, while
 * nothing recorded against it contradicts them: the quantity not below the net allocated total (rule 4), every
 * delivery that stands still near the new window (the tolerance each was held to, decision 015), and the
 * price unchanged once any delivery stands (each was judged against it). Audited with before and after.
 */
export async function updateOrderTerms({
  scope,
  orderId,
  input,
}: {
  scope: Scope;
  orderId: string;
  input: OrderTermsInput;
}) {
  assertCan(scope, "order.write");
  const d = await db();
  return d.transaction(async (tx) => {
    const current = await lockOrderInScope(tx, scope, orderId);
    if (current.version !== input.version) throw new ConflictError("order");
    if (!TERMS_EDITABLE.includes(current.status)) {
      throw ValidationError.form(message("orders.error.termsClosed", { status: current.status }));
    }
    const values = {
      quantityKg: round2(input.quantityKg),
      unitPriceFen: input.unitPriceFen,
      season: input.season,
      deliveryStart: input.deliveryStart,
      deliveryEnd: input.deliveryEnd,
    };
    const fieldErrors: Record<string, string[]> = {};
    if (values.deliveryEnd < values.deliveryStart) fieldErrors.deliveryEnd = ["orders.error.windowOrder"];
    const allocated = await allocatedOf(tx, orderId);
    if (values.quantityKg < allocated) {
      fieldErrors.quantityKg = [message("orders.error.quantityBelowAllocated", { allocated })];
    }
    // deliveries that stand: originals not reversed (a reversal and its original net to nothing)
    const standing = await tx
      .select({ deliveredOn: deliveries.deliveredOn, unitPriceFen: deliveries.unitPriceFen })
      .from(deliveries)
      .innerJoin(orderAllocations, eq(orderAllocations.id, deliveries.allocationId))
      .where(
        and(
          eq(orderAllocations.orderId, orderId),
          isNull(deliveries.correctsDeliveryId),
          sql`not exists (select 1 from ${deliveries} r where r.corrects_delivery_id = ${deliveries.id})`,
        ),
      )
      .orderBy(asc(deliveries.deliveredOn));
    if (values.unitPriceFen !== current.unitPriceFen && standing.length) {
      fieldErrors.unitPriceFen = ["orders.error.priceAfterDelivery"];
    }
    if (values.deliveryStart !== current.deliveryStart || values.deliveryEnd !== current.deliveryEnd) {
      const outside = standing.filter((s) =>
        deliveryContractViolations({ ...values, unitPriceFen: s.unitPriceFen }, s).some(
          (v) => v.path === "deliveredOn",
        ),
      );
      if (outside.length) {
        (fieldErrors.deliveryEnd ??= []).push(
          message("orders.error.windowExcludesDelivery", {
            first: outside[0].deliveredOn,
            last: outside[outside.length - 1].deliveredOn,
          }),
        );
      }
    }
    if (Object.keys(fieldErrors).length) throw new ValidationError(fieldErrors);
    const [after] = await tx
      .update(purchaseOrders)
      .set({ ...values, version: sql`${purchaseOrders.version} + 1`, updatedAt: new Date() })
      .where(and(eq(purchaseOrders.id, orderId), eq(purchaseOrders.version, input.version)))
      .returning();
    if (!after) throw new ConflictError("order");
    const pick = (o: typeof current) => ({
      quantityKg: o.quantityKg,
      unitPriceFen: o.unitPriceFen,
      season: o.season,
      deliveryStart: o.deliveryStart,
      deliveryEnd: o.deliveryEnd,
      version: o.version,
    });
    await writeAudit(tx, {
      countyId: current.countyId,
      userId: scope.userId,
      action: "order.terms",
      entity: "order",
      entityId: orderId,
      before: pick(current),
      after: pick(after),
    });
    // a smaller quantity may be met already by what has come in
    await followDeliveries(tx, scope, after);
    return after;
  });
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
    changeAllocation: write && ALLOCATABLE.includes(status),
    editTerms: write && TERMS_EDITABLE.includes(status),
    deliver: deliver && DELIVERABLE.includes(status),
    // the money for a delivery may come after the order is fulfilled
    pay: deliver,
    reversePayment: deliver,
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
    const allocation = await allocationWithNet(tx, allocationId);
    const delivered = await deliveredOf(tx, allocationId);
    const limit = round2(allocation.netKg * (1 + OVER_DELIVERY_TOLERANCE));
    if (round2(delivered + values.quantityKg) > limit) {
      throw ValidationError.field(
        "quantityKg",
        message("orders.error.overDelivery", {
          allocated: allocation.netKg,
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
        createdBy: scope.userId,
      })
      .returning();
    // money handed over with the goods is the delivery's first payment
    const [payment] =
      values.paidFen > 0
        ? await tx
            .insert(payments)
            .values({
              countyId: order.countyId,
              deliveryId: row.id,
              amountFen: values.paidFen,
              paidOn: values.paidOn ?? values.deliveredOn,
              createdBy: scope.userId,
            })
            .returning()
        : [null];
    await writeAudit(tx, {
      countyId: order.countyId,
      userId: scope.userId,
      action: "delivery.create",
      entity: "delivery",
      entityId: row.id,
      householdId: allocation.householdId,
      after: { ...row, payment },
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

// ---------- payments (domain rule 9: a ledger of their own) ----------

/** What was paid for a delivery: the sum of its payments, reversals netted. */
async function paidOf(tx: Tx, deliveryId: string) {
  const [row] = await tx
    .select({ fen: sql<string>`coalesce(sum(${payments.amountFen}), 0)` })
    .from(payments)
    .where(eq(payments.deliveryId, deliveryId));
  return num(row?.fen);
}

/** A delivery's payments that stand: originals not reversed. */
async function standingPayments(tx: Tx, deliveryId: string) {
  return tx
    .select()
    .from(payments)
    .where(
      and(
        eq(payments.deliveryId, deliveryId),
        isNull(payments.correctsPaymentId),
        sql`not exists (select 1 from ${payments} r where r.corrects_payment_id = ${payments.id})`,
      ),
    )
    .orderBy(asc(payments.paidOn), asc(payments.createdAt));
}

/**
 * Money for a delivery arrives later (货款到账): a payment row of its own. Under the order's lock: the
 * delivery's payments never add up past what it is worth, and no money lands on a reversed delivery (its
 * corrected entry carries the money). The delivery's paid total and status are derived from its payments.
 */
export async function recordPayment({
  scope,
  orderId,
  input,
}: {
  scope: Scope;
  orderId: string;
  input: Omit<PaymentInput, "note"> & { note?: string | null };
}) {
  assertCan(scope, "order.deliver");
  const d = await db();
  return d.transaction(async (tx) => {
    const order = await lockOrderInScope(tx, scope, orderId);
    const [found] = await tx
      .select({ delivery: deliveries, householdId: orderAllocations.householdId })
      .from(deliveries)
      .innerJoin(orderAllocations, eq(orderAllocations.id, deliveries.allocationId))
      .where(and(eq(deliveries.id, input.deliveryId), eq(orderAllocations.orderId, order.id)));
    if (!found) throw new NotFoundError("delivery");
    const { delivery } = found;
    if (delivery.correctsDeliveryId || (await reversalOf(tx, delivery.id))) {
      throw ValidationError.form("orders.error.paymentOnCorrected");
    }
    const paidBefore = await paidOf(tx, delivery.id);
    const outstanding = delivery.amountFen - paidBefore;
    if (input.amountFen > outstanding) {
      throw ValidationError.field(
        "amountFen",
        message("orders.error.paymentOverOutstanding", { outstanding: (outstanding / 100).toFixed(2) }),
      );
    }
    if (input.paidOn < delivery.deliveredOn) {
      throw ValidationError.field("paidOn", message("orders.error.paidBeforeDelivery", { date: delivery.deliveredOn }));
    }
    const [payment] = await tx
      .insert(payments)
      .values({
        countyId: order.countyId,
        deliveryId: delivery.id,
        amountFen: input.amountFen,
        paidOn: input.paidOn,
        note: input.note ?? null,
        createdBy: scope.userId,
      })
      .returning();
    const paidFen = paidBefore + input.amountFen;
    const paymentStatus = paymentStatusFor(paidFen, delivery.amountFen);
    await writeAudit(tx, {
      countyId: order.countyId,
      userId: scope.userId,
      action: "payment.create",
      entity: "payment",
      entityId: payment.id,
      householdId: found.householdId,
      before: { deliveryId: delivery.id, paidFen: paidBefore },
      after: { ...payment, paidFen, paymentStatus },
    });
    return { payment, paidFen, paymentStatus };
  });
}

/**
 * Reverses a payment recorded wrong (冲销) by a counter-entry: the amount negated, the original named, the
 * reason kept; the delivery's paid total drops by it. Taken whatever the order's status: the record must be
 * true. Under the order's lock, so a second reversal of the same payment waits and is refused; the unique
 * index on `corrects_payment_id` holds it last.
 */
export async function reversePayment({
  scope,
  orderId,
  input,
}: {
  scope: Scope;
  orderId: string;
  input: PaymentReversalInput;
}) {
  assertCan(scope, "order.deliver");
  if (input.reason.trim().length < 2) throw ValidationError.field("reason", "orders.error.correctionReason");
  const d = await db();
  const already = () => ValidationError.form("orders.error.paymentAlreadyReversed");
  try {
    return await d.transaction(async (tx) => {
      const order = await lockOrderInScope(tx, scope, orderId);
      const [found] = await tx
        .select({ payment: payments, householdId: orderAllocations.householdId })
        .from(payments)
        .innerJoin(deliveries, eq(deliveries.id, payments.deliveryId))
        .innerJoin(orderAllocations, eq(orderAllocations.id, deliveries.allocationId))
        .where(and(eq(payments.id, input.paymentId), eq(orderAllocations.orderId, order.id)));
      if (!found) throw new NotFoundError("payment");
      const { payment: original } = found;
      if (original.correctsPaymentId) throw ValidationError.form("orders.error.reversePaymentReversal");
      const [existing] = await tx
        .select({ id: payments.id })
        .from(payments)
        .where(eq(payments.correctsPaymentId, original.id));
      if (existing) throw already();
      const [reversal] = await tx
        .insert(payments)
        .values({
          countyId: order.countyId,
          deliveryId: original.deliveryId,
          amountFen: -original.amountFen,
          // dated as the original, so a sum over a period nets it in the same period
          paidOn: original.paidOn,
          correctsPaymentId: original.id,
          reason: input.reason,
          createdBy: scope.userId,
        })
        .returning();
      await writeAudit(tx, {
        countyId: order.countyId,
        userId: scope.userId,
        action: "payment.reverse",
        entity: "payment",
        entityId: original.id,
        householdId: found.householdId,
        before: original,
        after: { reversal, reason: input.reason },
      });
      return reversal;
    });
  } catch (error) {
    if (isUniqueViolation(error, "payments_corrects_uq")) throw already();
    throw error;
  }
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
      const paidFen = await paidOf(tx, original.id);
      if (input.mode === "reverse" && paidFen > 0) {
        // the money was received: its payments are reversed first, each with its own reason
        throw ValidationError.field("mode", message("orders.error.reversePaid", { paid: (paidFen / 100).toFixed(2) }));
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
        const others = round2((await deliveredOf(tx, allocation.id)) - original.quantityKg);
        const { netKg } = await allocationWithNet(tx, allocation.id);
        const limit = round2(netKg * (1 + OVER_DELIVERY_TOLERANCE));
        if (round2(others + values.quantityKg) > limit) {
          (fieldErrors.quantityKg ??= []).push(
            message("orders.error.overDelivery", {
              allocated: netKg,
              delivered: others,
              allowed: Math.max(0, round2(limit - others)),
            }),
          );
        }
        const amountFen = deliveryAmountFen(values.quantityKg, values.unitPriceFen);
        if (paidFen > amountFen) {
          (fieldErrors.quantityKg ??= []).push(
            message("orders.error.correctionBelowPaid", { paid: (paidFen / 100).toFixed(2) }),
          );
        }
        if (Object.keys(fieldErrors).length) throw new ValidationError(fieldErrors);
        replacement = {
          countyId: order.countyId,
          allocationId: allocation.id,
          ...values,
          amountFen,
          createdBy: scope.userId,
        };
      }
      // The money received moves with the correction: each payment that stands is reversed on the original
      // (before the goods are: the database refuses to reverse a delivery whose money still stands) and
      // recorded again, same amount and day, on the corrected entry.
      const moved = await standingPayments(tx, original.id);
      const paymentReversals = moved.length
        ? await tx
            .insert(payments)
            .values(
              moved.map((p) => ({
                countyId: order.countyId,
                deliveryId: original.id,
                amountFen: -p.amountFen,
                paidOn: p.paidOn,
                correctsPaymentId: p.id,
                reason: input.reason,
                createdBy: scope.userId,
              })),
            )
            .returning()
        : [];
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
          correctsDeliveryId: original.id,
          reason: input.reason,
          createdBy: scope.userId,
        })
        .returning();
      const [corrected] = replacement ? await tx.insert(deliveries).values(replacement).returning() : [null];
      const movedPayments =
        corrected && moved.length
          ? await tx
              .insert(payments)
              .values(
                moved.map((p) => ({
                  countyId: order.countyId,
                  deliveryId: corrected.id,
                  amountFen: p.amountFen,
                  paidOn: p.paidOn,
                  note: p.note,
                  createdBy: scope.userId,
                })),
              )
              .returning()
          : [];
      await writeAudit(tx, {
        countyId: order.countyId,
        userId: scope.userId,
        action: "delivery.correct",
        entity: "delivery",
        entityId: original.id,
        householdId: allocation.householdId,
        before: original,
        after: { reversal, corrected, paymentReversals, movedPayments, reason: input.reason },
      });
      await followDeliveries(tx, scope, order);
      return { reversal, corrected, paidFen: corrected ? paidFen : 0 };
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

/**
 * Each allocation of the order with its figures, one row per household share: the page's rows and the
 * totals over all of them read this one relation, so a row and the sum of the rows cannot disagree
 * (decision 020). Remaining (未交) is per household, never below 0: one household's heavy last load does
 * not lessen what another still owes. `shown`: the caller sees the row (a cadre, their own households');
 * `matches`: the ledger's search finds it.
 */
/** The ledger's order: households still owed goods first, then those owed money, then by code. */
const LEDGER_ORDER = sql`remaining_kg > 0 desc, unpaid_fen > 0 desc, household_code, allocation_id`;

function allocationLedger(scope: Scope, orderId: string, search: string | undefined) {
  const matches = householdMatches(search);
  return sql`(select r.*, greatest(0, r.allocated_kg - r.delivered_kg) as remaining_kg,
      r.amount_fen - r.paid_fen as unpaid_fen
    from (select ${orderAllocations.id} as allocation_id, ${orderAllocations.householdId} as household_id,
        ${households.headName} as head_name, ${households.code} as household_code,
        ${orderAllocations.quantityKg} as recorded_kg, ${orderAllocations.createdAt} as created_at,
        ${orderAllocations.version} as version, ${allocationNetKg} as allocated_kg,
        coalesce((select sum(${deliveries.quantityKg}) from ${deliveries} where ${deliveries.allocationId} = ${orderAllocations.id}), 0) as delivered_kg,
        coalesce((select sum(${deliveries.amountFen}) from ${deliveries} where ${deliveries.allocationId} = ${orderAllocations.id}), 0) as amount_fen,
        ${allocationPaidFen} as paid_fen,
        ${householdInScope(scope)} as in_scope,
        ${scope.role === "cadre" ? householdInScope(scope) : sql`true`} as shown,
        ${matches ?? sql`true`} as matches
      from ${orderAllocations}
      inner join ${households} on ${households.id} = ${orderAllocations.householdId}
      where ${orderAllocations.orderId} = ${orderId}) r) ledger`;
}

type LedgerRow = {
  allocation_id: string;
  household_id: string;
  head_name: string;
  household_code: string;
  recorded_kg: string;
  created_at: string | Date;
  version: number;
  allocated_kg: string;
  delivered_kg: string;
  amount_fen: string;
  paid_fen: string;
  remaining_kg: string;
  unpaid_fen: string;
  in_scope: boolean;
};

/** The sums of the ledger's rows that `where` keeps, as the totals show them; `short`: rows not delivered in full. */
const ledgerSums = (where: SQL) => sql`round(coalesce(sum(allocated_kg) filter (where ${where}), 0), 2),
  round(coalesce(sum(delivered_kg) filter (where ${where}), 0), 2),
  round(coalesce(sum(remaining_kg) filter (where ${where}), 0), 2),
  coalesce(sum(amount_fen) filter (where ${where}), 0),
  coalesce(sum(paid_fen) filter (where ${where}), 0),
  coalesce(sum(unpaid_fen) filter (where ${where}), 0),
  count(*) filter (where ${where} and delivered_kg < allocated_kg)`;

type Sums = [string, string, string, string, string, string, string];
const sumsOf = ([allocated, delivered, remaining, amount, paid, unpaid, short]: Sums, behindCounts: boolean) => ({
  allocatedKg: round2(num(allocated)),
  deliveredKg: round2(num(delivered)),
  remainingKg: round2(num(remaining)),
  amountFen: num(amount),
  paidFen: num(paid),
  unpaidFen: num(unpaid),
  behindCount: behindCounts ? num(short) : 0,
});

/**
 * An order with allocated / delivered / paid / remaining in total and per household, and a `behind` flag for
 * households that have not delivered their allocation as the delivery window closes (ends within 7 days or
 * has passed) while the order is still open (not fulfilled or cancelled). `totals` cover the whole order; a
 * cadre gets only their own households' rows, and `tableTotals` sums every row the caller sees (not only the
 * page's). A row's `householdId` is null when the household is outside the caller's scope (a former member,
 * for a clerk).
 *
 * The rows come a page at a time (`allocations`: `page`, `size`, and `household`, a search by name, code or
 * ID tail), read with LIMIT/OFFSET: an order of a county's cooperative has thousands of allocations, each
 * with its deliveries and forms. Who still owes kilograms comes first, then who is still owed money, then
 * the settled, each by household code: the rows a clerk works on next.
 */
export async function orderSummary({
  scope,
  orderId,
  today,
  allocations: asked = orderAllocationListParams.defaults,
}: {
  scope: Scope;
  orderId: string;
  today: string;
  allocations?: Pick<OrderAllocationListParams, "page" | "size" | "household">;
}) {
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
  const windowDaysLeft = daysBetween(today, order.deliveryEnd);
  const windowClosing = windowDaysLeft <= BEHIND_WITHIN_DAYS;
  // a cancelled or fulfilled order has nobody left to press on
  const active = order.status !== "cancelled" && order.status !== "fulfilled";
  const pressing = active && windowClosing;
  const ledger = allocationLedger(scope, orderId, asked.household);
  // every figure over the whole order, the table's over what the caller sees, the pager's count over what
  // the search finds: one pass over the ledger
  const [sums] = await queryRows<{ all: Sums; seen: Sums; seenCount: number; found: number }>(
    d,
    sql`select array[${ledgerSums(sql`true`)}]::text[] as "all", array[${ledgerSums(sql`shown`)}]::text[] as seen,
      count(*) filter (where shown)::int as "seenCount", count(*) filter (where shown and matches)::int as found
      from ${ledger}`,
  );
  const place = pageOf(num(sums.found), asked.page, asked.size);
  const rows = await queryRows<LedgerRow>(
    d,
    sql`select * from ${ledger} where shown and matches
      order by ${LEDGER_ORDER}
      limit ${place.pageSize} offset ${place.offset}`,
  );
  // each allocation's changes since it was recorded, oldest first (its history, domain rule 9)
  const changeRows = rows.length
    ? await d
        .select({
          id: orderAllocationChanges.id,
          allocationId: orderAllocationChanges.allocationId,
          deltaKg: orderAllocationChanges.deltaKg,
          reason: orderAllocationChanges.reason,
          createdAt: orderAllocationChanges.createdAt,
          createdByName: users.displayName,
        })
        .from(orderAllocationChanges)
        .leftJoin(users, eq(users.id, orderAllocationChanges.createdBy))
        .where(
          inArray(
            orderAllocationChanges.allocationId,
            rows.map((r) => r.allocation_id),
          ),
        )
        .orderBy(asc(orderAllocationChanges.createdAt), asc(orderAllocationChanges.id))
    : [];
  const changesByAllocation = new Map<string, typeof changeRows>();
  for (const c of changeRows) {
    const list = changesByAllocation.get(c.allocationId) ?? [];
    list.push({ ...c, deltaKg: num(c.deltaKg) });
    changesByAllocation.set(c.allocationId, list);
  }
  const households_ = rows.map((r) => {
    const allocatedKg = round2(num(r.allocated_kg));
    const deliveredKg = round2(num(r.delivered_kg));
    return {
      allocationId: r.allocation_id,
      version: Number(r.version),
      recordedKg: num(r.recorded_kg),
      createdAt: new Date(r.created_at),
      changes: changesByAllocation.get(r.allocation_id) ?? [],
      // the name stays on the order as its business record; the household's page only while in scope
      householdId: r.in_scope ? r.household_id : null,
      headName: r.head_name,
      householdCode: r.household_code,
      allocatedKg,
      deliveredKg,
      remainingKg: round2(num(r.remaining_kg)),
      amountFen: num(r.amount_fen),
      paidFen: num(r.paid_fen),
      unpaidFen: num(r.unpaid_fen),
      behind: pressing && deliveredKg < allocatedKg,
    };
  });
  const totals = sumsOf(sums.all, pressing);
  const { offset: _offset, ...allocationPage } = place;
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
      unallocatedKg: Math.max(0, round2(order.quantityKg - totals.allocatedKg)),
      ...totals,
    },
    /** the total row under the table: every row the caller sees, summed (a cadre's differ from the order's) */
    tableTotals: sumsOf(sums.seen, pressing),
    /** how many allocations the caller sees in all, whatever the search */
    allocationCount: num(sums.seenCount),
    households: households_,
    allocationPage,
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

/**
 * Current members of the order's cooperative that have no share of this order yet (the allocation form's
 * choices), those a search names (householdMatches), at most `limit`: a cooperative of many members
 * would otherwise be one long select on a phone. `more` says that a search would show others.
 */
export async function allocationCandidates({
  scope,
  orderId,
  q,
  limit = 30,
}: {
  scope: Scope;
  orderId: string;
  q?: string;
  limit?: number;
}) {
  if (!can(scope, "order.write")) return { households: [], more: false };
  const d = await db();
  const [order] = await d
    .select({ cooperativeId: purchaseOrders.cooperativeId })
    .from(purchaseOrders)
    .where(and(eq(purchaseOrders.id, orderId), orderInScope(scope)));
  if (!order) throw new NotFoundError("order");
  const rows = await d
    .select({ id: households.id, headName: households.headName, code: households.code, village: regions.name })
    .from(memberships)
    .innerJoin(households, eq(households.id, memberships.householdId))
    .innerJoin(regions, eq(regions.id, households.villageId))
    .where(
      and(
        eq(memberships.cooperativeId, order.cooperativeId),
        isNull(memberships.leftOn),
        sql`not exists (select 1 from ${orderAllocations} where ${orderAllocations.orderId} = ${orderId} and ${orderAllocations.householdId} = ${households.id})`,
        householdMatches(q),
      ),
    )
    .orderBy(asc(regions.code), asc(households.headName), asc(households.code))
    .limit(limit + 1);
  return { households: rows.slice(0, limit), more: rows.length > limit };
}

/**
 * The deliveries of an order, oldest first, each reversal right after its original (the ledger shows both,
 * domain rule 9); `reversedBy` marks an original that was reversed. A cadre gets only their own households'
 * deliveries; `allocationIds` narrows them to those allocations (the page's). 404 out of scope.
 */
export async function orderDeliveries({
  scope,
  orderId,
  allocationIds,
}: {
  scope: Scope;
  orderId: string;
  allocationIds?: string[];
}) {
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
      paidFen: sql<string>`${deliveryPaidFen}`,
      correctsDeliveryId: deliveries.correctsDeliveryId,
      reason: deliveries.reason,
      createdAt: deliveries.createdAt,
      createdByName: users.displayName,
    })
    .from(deliveries)
    .innerJoin(orderAllocations, eq(orderAllocations.id, deliveries.allocationId))
    .innerJoin(households, eq(households.id, orderAllocations.householdId))
    .leftJoin(users, eq(users.id, deliveries.createdBy))
    .where(
      and(
        eq(orderAllocations.orderId, orderId),
        scope.role === "cadre" ? householdInScope(scope) : undefined,
        allocationIds ? inArray(deliveries.allocationId, allocationIds) : undefined,
      ),
    )
    .orderBy(asc(deliveries.deliveredOn), asc(deliveries.createdAt));
  const paymentLedger = await deliveryPayments(
    d,
    rows.map((r) => r.id),
  );
  const shaped = rows.map((r) => {
    const paidFen = num(r.paidFen);
    return {
      ...r,
      paidFen,
      paymentStatus: paymentStatusFor(paidFen, r.amountFen),
      payments: paymentLedger.get(r.id) ?? [],
    };
  });
  const reversals = new Map(shaped.filter((r) => r.correctsDeliveryId).map((r) => [r.correctsDeliveryId, r]));
  return shaped
    .filter((r) => !r.correctsDeliveryId)
    .flatMap((r) => {
      const reversal = reversals.get(r.id);
      const original = { ...r, reversedBy: reversal?.id ?? null };
      return reversal ? [original, { ...reversal, reversedBy: null }] : [original];
    });
}

/**
 * The payments of these deliveries, per delivery, oldest first, each reversal right after its original (the
 * ledger shows both, domain rule 9); `reversedBy` marks an original that was reversed.
 */
async function deliveryPayments(d: Awaited<ReturnType<typeof db>>, deliveryIds: string[]) {
  const out = new Map<string, PaymentLine[]>();
  if (!deliveryIds.length) return out;
  const rows = await d
    .select({
      id: payments.id,
      deliveryId: payments.deliveryId,
      amountFen: payments.amountFen,
      paidOn: payments.paidOn,
      note: payments.note,
      correctsPaymentId: payments.correctsPaymentId,
      reason: payments.reason,
      createdAt: payments.createdAt,
      createdByName: users.displayName,
    })
    .from(payments)
    .leftJoin(users, eq(users.id, payments.createdBy))
    .where(inArray(payments.deliveryId, deliveryIds))
    .orderBy(asc(payments.paidOn), asc(payments.createdAt), asc(payments.id));
  const reversals = new Map(rows.filter((r) => r.correctsPaymentId).map((r) => [r.correctsPaymentId, r]));
  for (const r of rows) {
    if (r.correctsPaymentId) continue;
    const reversal = reversals.get(r.id);
    const list = out.get(r.deliveryId) ?? [];
    list.push({ ...r, reversedBy: reversal?.id ?? null });
    if (reversal) list.push({ ...reversal, reversedBy: null });
    out.set(r.deliveryId, list);
  }
  return out;
}

type PaymentLine = {
  id: string;
  deliveryId: string;
  amountFen: number;
  paidOn: string;
  note: string | null;
  correctsPaymentId: string | null;
  reason: string | null;
  createdAt: Date;
  createdByName: string | null;
  reversedBy: string | null;
};

/**
 * The ledger page (at the default page size, no search) a row sorts onto after a save, so the clerk comes
 * back to it with the rest of the order around it: owing rows sort first, and a delivery or payment can
 * move its row to another page. The row is the household's allocation, or the allocation of the delivery
 * or payment saved.
 */
export async function ledgerPageOf(
  scope: Scope,
  entry: { orderId: string; householdId?: string; allocationId?: string; deliveryId?: string; paymentId?: string },
): Promise<number> {
  const which = entry.householdId
    ? sql`household_id = ${entry.householdId}`
    : entry.allocationId
      ? sql`allocation_id = ${entry.allocationId}`
      : entry.deliveryId
        ? sql`allocation_id = (select ${deliveries.allocationId} from ${deliveries} where ${deliveries.id} = ${entry.deliveryId})`
        : entry.paymentId
          ? sql`allocation_id = (select ${deliveries.allocationId} from ${deliveries} inner join ${payments} on ${payments.deliveryId} = ${deliveries.id} where ${payments.id} = ${entry.paymentId})`
          : undefined;
  if (!which) return 1;
  const [row] = await queryRows<{ place: number }>(
    await db(),
    sql`select place from (select household_id, allocation_id, row_number() over (order by ${LEDGER_ORDER})::int as place
      from ${allocationLedger(scope, entry.orderId, undefined)} where shown) x where ${which} limit 1`,
  );
  return row ? Math.ceil(row.place / orderAllocationListParams.defaults.size) : 1;
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
