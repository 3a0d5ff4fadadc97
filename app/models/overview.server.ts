// The numbers on each role's home page, computed with SQL aggregates inside the caller's scope.
import { sql } from "drizzle-orm";
import { queryRows } from "../../db/client";
import { db } from "~/utils/db.server";
import type { Stage } from "~/utils/calendar";
import { calendarReasonSql, type CalendarVisitView } from "./calendar.server";
import { orderDeliveredFenRaw, orderDeliveredKgRaw, orderPaidFenRaw } from "./order-figures.server";
import { dueIntervals, dueOfSql, householdDue, overdueSql, visitStateJoin } from "./due.server";
import type { Scope } from "./scope.server";

export type RegionRow = {
  regionId: string;
  name: string;
  households: number;
  members: number;
  plansApproved: number;
  overdue: number;
  noCadre: number;
};

/**
 * Per village (official) or per township (admin): households, people, plans approved or beyond this year,
 * households overdue for a check, households without a cadre.
 */
export async function regionOverview(
  scope: Extract<Scope, { role: "official" | "admin" }>,
  year: number,
  today: string,
) {
  const d = await db();
  const intervals = await dueIntervals(scope.role === "official" ? scope.townshipId : null);
  const groupColumn = scope.role === "official" ? sql.raw("h.village_id") : sql.raw("h.township_id");
  const filter =
    scope.role === "official" ? sql`h.township_id = ${scope.townshipId}` : sql`h.county_id = ${scope.countyId}`;
  // One pass over the households with their visit state (rule 8) and their coverage state (members, the
  // open assignment, the approved plans' years: kept by triggers, docs/decisions/043-coverage-state.md),
  // then the names. Joining members, plans and assignments here made the county's home 0.4 s.
  const rows = await queryRows<RegionRow>(
    d,
    sql`
    with counts as (
      select ${groupColumn} as region_id, count(*)::int as households,
        coalesce(sum(hc.persons), 0)::int as members,
        count(*) filter (where ${year}::int = any(hc.plan_years))::int as plans,
        count(*) filter (where ${overdueSql(today)})::int as overdue,
        count(*) filter (where not coalesce(hc.open_cadre, false))::int as "noCadre"
      from households h
      left join household_coverage hc on hc.household_id = h.id
      ${visitStateJoin()}
      left join lateral ${dueOfSql(today, intervals)} due on true
      where ${filter}
      group by ${groupColumn}
    )
    -- counted per region id first, names joined after: joining the regions table before grouping made
    -- PostgreSQL compare every household with every region (100k × 2,400 on the county seed: 11 s → <1 s)
    select r.id as "regionId", r.name, c.households, c.members, c.plans as "plansApproved", c.overdue, c."noCadre"
    from counts c
    join regions r on r.id = c.region_id
    order by r.code`,
  );
  const totals = rows.reduce(
    (acc, r) => ({
      households: acc.households + r.households,
      members: acc.members + r.members,
      plansApproved: acc.plansApproved + r.plansApproved,
      overdue: acc.overdue + r.overdue,
      noCadre: acc.noCadre + r.noCadre,
    }),
    { households: 0, members: 0, plansApproved: 0, overdue: 0, noCadre: 0 },
  );
  return { rows, totals };
}

export type WorklistRow = {
  id: string;
  headName: string;
  phone: string | null;
  village: string;
  povertyStatus: string;
  planStatus: string | null;
  lastVisit: string | null;
  dueOn: string;
  daysOverdue: number;
  /** the crop calendar's visit the due date comes from; null when the interval set it */
  calendarVisit: CalendarVisitView | null;
};

/**
 * A cadre's households by urgency: overdue first (most days overdue first), then due soonest
 * (the due-date rule (domain rule 8), with the township's intervals).
 */
export async function cadreWorklist(scope: Extract<Scope, { role: "cadre" }>, year: number, today: string) {
  const d = await db();
  const intervals = await dueIntervals(scope.townshipId);
  const mine = sql`exists (select 1 from cadre_assignments a where a.household_id = h.id and a.cadre_id = ${scope.userId} and a.ends_on is null)`;
  const rows = await queryRows<
    Omit<WorklistRow, "calendarVisit"> & { calStage: Stage | null; calZh: string | null; calEn: string | null }
  >(
    d,
    sql`
    select h.id, h.head_name as "headName", nullif(btrim(h.phone), '') as phone, v.name as village, h.poverty_status as "povertyStatus",
      p.status as "planStatus", due.last_visit::text as "lastVisit", due.due_on::text as "dueOn",
      (${today}::date - due.due_on)::int as "daysOverdue",
      cal.stage as "calStage", cal."itemZh" as "calZh", cal."itemEn" as "calEn"
    from ${householdDue(mine, today, intervals)} due
    join households h on h.id = due.household_id
    join regions v on v.id = h.village_id
    left join plans p on p.household_id = h.id and p.year = ${year}
    left join lateral ${calendarReasonSql(sql`h.id`, sql`due.due_on`, sql`due.last_visit`)} cal on true
    order by due.due_on asc, h.head_name asc`,
  );
  return rows.map(({ calStage, calZh, calEn, ...r }) => ({
    ...r,
    calendarVisit: calStage ? { stage: calStage, itemZh: calZh ?? "", itemEn: calEn ?? "", dueOn: r.dueOn } : null,
  }));
}

/**
 * Which of a cooperative's orders the clerk's home counts, in the number of orders and in their kilograms
 * alike (both queries name the orders `o`): every order but a cancelled one — a draft is still being
 * negotiated, a cancelled one will never be delivered.
 */
const COUNTED_ORDER = sql.raw("o.status <> 'cancelled'");

export async function cooperativeOverview(scope: Extract<Scope, { role: "clerk" }>) {
  const d = await db();
  const [summary] = await queryRows<{ members: number; orders: number; orderedKg: number }>(
    d,
    sql`select
      (select count(*) from memberships m where m.cooperative_id = ${scope.cooperativeId} and m.left_on is null)::int as members,
      count(o.id)::int as orders,
      coalesce(sum(o.quantity_kg), 0)::float8 as "orderedKg"
    from purchase_orders o
    where o.cooperative_id = ${scope.cooperativeId} and ${COUNTED_ORDER}`,
  );
  const orders = await queryRows<{
    id: string;
    crop: string;
    cropEn: string;
    buyer: string;
    quantityKg: number;
    unitPriceFen: number;
    status: string;
    deliveryStart: string;
    deliveryEnd: string;
    counted: boolean;
  }>(
    d,
    sql`select o.id, c.name_zh as crop, c.name_en as "cropEn", b.name as buyer,
      o.quantity_kg::float8 as "quantityKg", o.unit_price_fen::int as "unitPriceFen", o.status,
      o.delivery_start::text as "deliveryStart", o.delivery_end::text as "deliveryEnd",
      ${COUNTED_ORDER} as counted
    from purchase_orders o join crops c on c.code = o.crop_code join buyers b on b.id = o.buyer_id
    where o.cooperative_id = ${scope.cooperativeId}
    order by o.delivery_start desc limit 50`,
  );
  return { summary: summary ?? { members: 0, orders: 0, orderedKg: 0 }, orders };
}

/** Monday to Sunday of the week `today` falls in. */
export function weekOf(today: string): { from: string; to: string } {
  const day = new Date(`${today}T00:00:00Z`);
  const back = (day.getUTCDay() + 6) % 7;
  const monday = new Date(day.getTime() - back * 86_400_000);
  const sunday = new Date(monday.getTime() + 6 * 86_400_000);
  return { from: monday.toISOString().slice(0, 10), to: sunday.toISOString().slice(0, 10) };
}

export type DueDelivery = {
  id: string;
  crop: string;
  cropEn: string;
  buyer: string;
  deliveryStart: string;
  deliveryEnd: string;
  quantityKg: number;
  deliveredKg: number;
  remainingKg: number;
};

export type OwedOrder = {
  id: string;
  crop: string;
  cropEn: string;
  buyer: string;
  deliveredFen: number;
  paidFen: number;
  owedFen: number;
};

/**
 * The clerk's work across the cooperative's orders: the signed or delivering orders whose delivery window
 * touches this week and still have kilograms to deliver, and the orders whose delivered value is not all
 * paid yet (the buyer still owes it), most owed first.
 */
export async function cooperativeWork(scope: Extract<Scope, { role: "clerk" }>, today: string) {
  const d = await db();
  const week = weekOf(today);
  const [due, owed] = await Promise.all([
    queryRows<DueDelivery>(
      d,
      sql`select x.*, round((x."quantityKg" - x."deliveredKg")::numeric, 2)::float8 as "remainingKg"
      from (
        select o.id, c.name_zh as crop, c.name_en as "cropEn", b.name as buyer,
          o.delivery_start::text as "deliveryStart", o.delivery_end::text as "deliveryEnd",
          o.quantity_kg::float8 as "quantityKg", ${orderDeliveredKgRaw("o")}::float8 as "deliveredKg"
        from purchase_orders o join crops c on c.code = o.crop_code join buyers b on b.id = o.buyer_id
        where o.cooperative_id = ${scope.cooperativeId} and o.status in ('signed', 'delivering')
          and o.delivery_start <= ${week.to}::date and o.delivery_end >= ${week.from}::date
      ) x
      where x."deliveredKg" < x."quantityKg"
      order by x."deliveryEnd", x.id`,
    ),
    queryRows<OwedOrder>(
      d,
      sql`select x.*, (x."deliveredFen" - x."paidFen")::float8 as "owedFen"
      from (
        select o.id, c.name_zh as crop, c.name_en as "cropEn", b.name as buyer,
          ${orderDeliveredFenRaw("o")}::float8 as "deliveredFen", ${orderPaidFenRaw("o")}::float8 as "paidFen"
        from purchase_orders o join crops c on c.code = o.crop_code join buyers b on b.id = o.buyer_id
        where o.cooperative_id = ${scope.cooperativeId}
      ) x
      where x."deliveredFen" > x."paidFen"
      order by x."deliveredFen" - x."paidFen" desc, x.id`,
    ),
  ]);
  return { week, due, owed, owedFen: owed.reduce((s, o) => s + o.owedFen, 0) };
}
