// The orders list: its URL parameters, one page (or, for the export, every row) of the orders in scope with
// allocated and delivered kg, and what its filters offer.
// - table state lives in the URL and is parsed without throwing: a bad value means no filter or the default;
// - rows and total come from one transaction, scoped by orderInScope in the query itself;
// - a filter the caller's options do not hold filters nothing (reconcileOrderListParams).

import { and, asc, desc, eq, sql, type SQL } from "drizzle-orm";
import {
  buyers,
  cooperatives,
  crops,
  deliveries,
  orderAllocations,
  purchaseOrders,
  orderStatus,
} from "../../db/schema";
import type { OrderStatus } from "~/vocabulary";
import { allocationNetKg } from "./order-figures.server";
import { db } from "~/utils/db.server";
import type { Scope } from "./scope.server";
import { ORDER_SORT_KEYS, orderListParams, type OrderListParams } from "~/utils/lists";
import { cooperativeInScope } from "./cooperatives.server";
import { orderInScope } from "./orders.server";

const round2 = (n: number) => Math.round(n * 100) / 100;

export { ORDER_SORT_KEYS, type OrderListParams };
export type OrderSortKey = (typeof ORDER_SORT_KEYS)[number];
export const ORDER_PAGE_SIZES = orderListParams.sizes;

/** The orders list's URL. Never throws: an invalid value means "no filter" or the default. */
export const OrderListParamsSchema = orderListParams.schema;

export function parseOrderListParams(url: URL): OrderListParams {
  return orderListParams.parse(url);
}

const allocatedKgOf = sql<string>`(select coalesce(sum(${allocationNetKg}), 0) from ${orderAllocations} where ${orderAllocations.orderId} = ${purchaseOrders.id})`;
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
export async function listOrders({
  scope,
  params,
  all = false,
}: {
  scope: Scope;
  params: OrderListParams;
  all?: boolean;
}) {
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
      const [{ total }] = await tx
        .select({ total: sql<number>`count(*)::int` })
        .from(purchaseOrders)
        .where(where);
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
          cropRetiredAt: crops.retiredAt,
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
      asked.cooperative && options.cooperatives?.some((c) => c.id === asked.cooperative)
        ? asked.cooperative
        : undefined,
  };
}

/** What the orders list's filters offer: crops of the reference list and the seasons of orders in scope. */
export async function orderListFilterOptions({ scope }: { scope: Scope }) {
  const d = await db();
  const [cropRows, seasonRows, coopRows] = await Promise.all([
    d
      .select({ code: crops.code, nameZh: crops.nameZh, nameEn: crops.nameEn, retiredAt: crops.retiredAt })
      .from(crops)
      .where(
        sql`exists (select 1 from ${purchaseOrders} where ${purchaseOrders.cropCode} = ${crops.code} and ${orderInScope(scope)})`,
      )
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

/**
 * The orders list as the page shows it and as its export writes it: the filters the caller is offered, the
 * asked parameters reconciled with them, then one page (or, with `all`, every row). Page and export call this
 * and nothing else, so the file holds what the pages hold.
 */
export async function orderList(scope: Scope, asked: OrderListParams, { all = false }: { all?: boolean } = {}) {
  const options = await orderListFilterOptions({ scope });
  const params = reconcileOrderListParams(asked, options);
  return { params, options, ...(await listOrders({ scope, params, all })) };
}
