// A household's income from its crops: what its plan should bring in, beside what its deliveries did.
// - read-only; the household must be in the caller's scope (householdInScope), else 404;
// - the expected figure is a cautious estimate from order prices, never a promise: crops no order
//   covers count 0.

import { and, asc, eq, isNull, lte, gte, or, sql } from "drizzle-orm";
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
          cropRetiredAt: crops.retiredAt,
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
        price: sql<string>`sum(${purchaseOrders.unitPriceFen} * ${allocationNetKg}) / nullif(sum(${allocationNetKg}), 0)`,
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
        paid: sql<string>`coalesce(sum(${deliveryPaidFen}), 0)`,
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
      deliveredKg: round2(num(actual[0]?.kg)),
      amountFen: num(actual[0]?.amount),
      paidFen: num(actual[0]?.paid),
    },
  };
}
