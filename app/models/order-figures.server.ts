// Figures of the order ledgers that several models read (domain rule 9): a recorded allocation or payment is
// never edited, so what stands is a sum over its counter-entries. One definition here, used by every page,
// export and rule that needs it (decision 020: one definition per figure).
import { sql } from "drizzle-orm";
import { deliveries, orderAllocationChanges, orderAllocations, payments } from "../../db/schema";

/**
 * An allocation's net kilograms: as recorded, plus each change since (a withdrawal brings it to 0). Reads the
 * outer query's `order_allocations` row.
 */
export const allocationNetKg = sql<string>`(${orderAllocations.quantityKg} + coalesce((select sum(${orderAllocationChanges.deltaKg}) from ${orderAllocationChanges} where ${orderAllocationChanges.allocationId} = ${orderAllocations.id}), 0))`;

/** The same, in plain SQL for queries written by hand: `alias` names the order_allocations row. */
export const allocationNetKgRaw = (alias: string) =>
  sql.raw(
    `(${alias}.quantity_kg + coalesce((select sum(c.delta_kg) from order_allocation_changes c where c.allocation_id = ${alias}.id), 0))`,
  );

/** What was paid for a delivery: the sum of its payments, reversals netted. Reads the outer `deliveries` row. */
export const deliveryPaidFen = sql<string>`coalesce((select sum(${payments.amountFen}) from ${payments} where ${payments.deliveryId} = ${deliveries.id}), 0)`;

/** What was paid for an allocation: the payments of all its deliveries. Reads the outer `order_allocations` row. */
export const allocationPaidFen = sql<string>`coalesce((select sum(${payments.amountFen}) from ${payments} inner join ${deliveries} on ${deliveries.id} = ${payments.deliveryId} where ${deliveries.allocationId} = ${orderAllocations.id}), 0)`;

/**
 * An order's figures in plain SQL, `alias` naming the purchase_orders row: kilograms delivered and their
 * value (each reversal netted), and what was paid for them. The clerk's home reads these; the order page
 * sums the same rows per allocation.
 */
export const orderDeliveredKgRaw = (alias: string) =>
  sql.raw(
    `(select coalesce(sum(dl.quantity_kg), 0) from deliveries dl join order_allocations oa on oa.id = dl.allocation_id where oa.order_id = ${alias}.id)`,
  );
export const orderDeliveredFenRaw = (alias: string) =>
  sql.raw(
    `(select coalesce(sum(dl.amount_fen), 0) from deliveries dl join order_allocations oa on oa.id = dl.allocation_id where oa.order_id = ${alias}.id)`,
  );
export const orderPaidFenRaw = (alias: string) =>
  sql.raw(
    `(select coalesce(sum(pm.amount_fen), 0) from payments pm join deliveries dl on dl.id = pm.delivery_id join order_allocations oa on oa.id = dl.allocation_id where oa.order_id = ${alias}.id)`,
  );
