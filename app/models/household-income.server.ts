// A household's income from its crops: what its plan should bring in, beside what its deliveries did.
// - read-only; the household must be in the caller's scope (householdInScope), else 404;
// - the expected figure is a cautious estimate from order prices, never a promise: crops no order
//   covers count 0.

import { and, eq, isNull, lte, gte, or, sql, type SQL } from "drizzle-orm";
import {
  crops,
  deliveries,
  households,
  memberships,
  orderAllocations,
  plans,
  plantingItems,
  purchaseOrders,
} from "../../db/schema";
import { allocationNetKg, deliveryPaidFen } from "./order-figures.server";
import { db } from "~/utils/db.server";
import { NotFoundError } from "./errors.server";
import { householdInScope, type Scope } from "./scope.server";

const round2 = (n: number) => Math.round(n * 100) / 100;
const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));

/**
 * A household's expected income from its plan beside its actual income from deliveries, for one year.
 * Expected: each planting item's expected yield × a price — the household's own allocation's order price for
 * that crop (quantity-weighted if several), else the lowest price of a non-cancelled order for that crop of a
 * cooperative the household belonged to that year (a cautious estimate); uncontracted crops count 0.
 * The order year is the year its delivery window starts. Actual: deliveries that year (amount and paid).
 */
export async function householdIncome({
  scope,
  householdId,
  year,
}: {
  scope: Scope;
  householdId: string;
  year: number;
}) {
  const d = await db();
  const yearStart = `${year}-01-01`;
  const yearEnd = `${year}-12-31`;
  const inYear = and(gte(purchaseOrders.deliveryStart, yearStart), lte(purchaseOrders.deliveryStart, yearEnd));
  // every figure in one statement: the household in scope, its plan of the year, and (as JSON) the
  // plan's crops, the prices and the deliveries, each a query of its own nested inside
  const ownPrices = d
    .select({
      cropCode: sql`${purchaseOrders.cropCode}`.as("cropCode"),
      price: sql`sum(${purchaseOrders.unitPriceFen} * ${allocationNetKg}) / nullif(sum(${allocationNetKg}), 0)`.as(
        "price",
      ),
    })
    .from(orderAllocations)
    .innerJoin(purchaseOrders, eq(purchaseOrders.id, orderAllocations.orderId))
    .where(
      and(
        eq(orderAllocations.householdId, householdId),
        sql`${purchaseOrders.status} <> 'cancelled'`,
        sql`${allocationNetKg} > 0`,
        inYear,
      ),
    )
    .groupBy(purchaseOrders.cropCode);
  const coopPrices = d
    .select({
      cropCode: sql`${purchaseOrders.cropCode}`.as("cropCode"),
      price: sql`min(${purchaseOrders.unitPriceFen})`.as("price"),
    })
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
    .groupBy(purchaseOrders.cropCode);
  const actual = d
    .select({
      kg: sql`coalesce(sum(${deliveries.quantityKg}), 0)`.as("kg"),
      amount: sql`coalesce(sum(${deliveries.amountFen}), 0)`.as("amount"),
      paid: sql`coalesce(sum(${deliveryPaidFen}), 0)`.as("paid"),
    })
    .from(deliveries)
    .innerJoin(orderAllocations, eq(orderAllocations.id, deliveries.allocationId))
    .where(
      and(
        eq(orderAllocations.householdId, householdId),
        gte(deliveries.deliveredOn, yearStart),
        lte(deliveries.deliveredOn, yearEnd),
      ),
    );
  const items = d
    .select({
      cropCode: sql`${plantingItems.cropCode}`.as("cropCode"),
      cropZh: sql`${crops.nameZh}`.as("cropZh"),
      cropEn: sql`${crops.nameEn}`.as("cropEn"),
      cropRetiredAt: sql`${crops.retiredAt}`.as("cropRetiredAt"),
      area: sql`${plantingItems.area}`.as("area"),
      expectedYieldKg: sql`${plantingItems.expectedYieldKg}`.as("expectedYieldKg"),
      position: sql`${plantingItems.position}`.as("position"),
      itemId: sql`${plantingItems.id}`.as("itemId"),
    })
    .from(plantingItems)
    .innerJoin(crops, eq(crops.code, plantingItems.cropCode))
    .where(eq(plantingItems.planId, sql`"plans"."id"`));
  const json = (query: SQL, order = sql``) =>
    sql`(select coalesce(json_agg(t ${order}), '[]'::json) from (${query}) t)`;
  type Price = { cropCode: string; price: number | string | null };
  type Item = {
    cropCode: string;
    cropZh: string;
    cropEn: string;
    cropRetiredAt: string | null;
    area: number;
    expectedYieldKg: number;
  };
  const [found] = await d
    .select({
      id: households.id,
      headName: households.headName,
      planId: plans.id,
      planStatus: plans.status,
      incomeTargetFen: plans.incomeTargetFen,
      items: sql<Item[]>`${json(sql`${items}`, sql`order by t.position, t."itemId"`)}`,
      ownPrices: sql<Price[]>`${json(sql`${ownPrices}`)}`,
      coopPrices: sql<Price[]>`${json(sql`${coopPrices}`)}`,
      actual: sql<{ kg: number; amount: number; paid: number }[]>`${json(sql`${actual}`)}`,
    })
    .from(households)
    .leftJoin(plans, and(eq(plans.householdId, households.id), eq(plans.year, year)))
    .where(and(eq(households.id, householdId), householdInScope(scope)));
  if (!found) throw new NotFoundError("household");
  const household = { id: found.id, headName: found.headName };
  const plan =
    found.planId && found.planStatus && found.incomeTargetFen !== null
      ? { id: found.planId, status: found.planStatus, incomeTargetFen: found.incomeTargetFen }
      : undefined;
  const { ownPrices: ownRows, coopPrices: coopRows, actual: actualRows } = found;
  const itemRows = plan
    ? found.items.map(({ cropCode, cropZh, cropEn, cropRetiredAt, area, expectedYieldKg }) => ({
        cropCode,
        cropZh,
        cropEn,
        cropRetiredAt: cropRetiredAt === null ? null : new Date(cropRetiredAt),
        area: Number(area),
        expectedYieldKg: Number(expectedYieldKg),
      }))
    : [];
  const own = new Map(ownRows.map((p) => [p.cropCode, Math.round(num(p.price))]));
  const coop = new Map(coopRows.map((p) => [p.cropCode, Math.round(num(p.price))]));
  const rows = itemRows.map((i) => {
    const source = own.has(i.cropCode)
      ? ("allocation" as const)
      : coop.has(i.cropCode)
        ? ("cooperative" as const)
        : null;
    const unitPriceFen =
      source === "allocation" ? own.get(i.cropCode)! : source === "cooperative" ? coop.get(i.cropCode)! : null;
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
      deliveredKg: round2(num(actualRows[0]?.kg)),
      amountFen: num(actualRows[0]?.amount),
      paidFen: num(actualRows[0]?.paid),
    },
  };
}
