// The numbers on each role's home page, computed with SQL aggregates inside the caller's scope.
import { sql } from "drizzle-orm";
import { queryRows } from "../../db/client";
import { db } from "~/utils/db.server";
import type { Scope } from "./scope.server";

/** Default days between checks (DOMAIN rule 7's window); issue #5 makes it a per-township setting. */
export const DEFAULT_CHECK_INTERVAL_DAYS = 30;

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
export async function regionOverview(scope: Extract<Scope, { role: "official" | "admin" }>, year: number, today: string) {
  const d = await db();
  const groupColumn = scope.role === "official" ? sql.raw("h.village_id") : sql.raw("h.township_id");
  const filter =
    scope.role === "official" ? sql`h.township_id = ${scope.townshipId}` : sql`h.county_id = ${scope.countyId}`;
  const rows = await queryRows<RegionRow>(
    d,
    sql`
    with h as (select * from households h where ${filter}),
    last_check as (
      select distinct on (c.household_id) c.household_id, c.visited_on, c.next_due_on
      from checks c join h on h.id = c.household_id
      order by c.household_id, c.visited_on desc, c.created_at desc
    ),
    member_count as (
      select m.household_id, count(*) as n from members m join h on h.id = m.household_id group by m.household_id
    )
    select r.id as "regionId", r.name,
      count(h.id)::int as households,
      coalesce(sum(mc.n), 0)::int as members,
      count(p.id) filter (where p.status in ('approved','in_progress','completed'))::int as "plansApproved",
      count(h.id) filter (where a.id is not null and coalesce(lc.next_due_on, lc.visited_on + ${DEFAULT_CHECK_INTERVAL_DAYS}::int, ${today}::date - 1) < ${today}::date)::int as overdue,
      count(h.id) filter (where a.id is null)::int as "noCadre"
    from h
    join regions r on r.id = ${groupColumn}
    left join plans p on p.household_id = h.id and p.year = ${year}
    left join cadre_assignments a on a.household_id = h.id and a.ends_on is null
    left join last_check lc on lc.household_id = h.id
    left join member_count mc on mc.household_id = h.id
    group by r.id, r.name, r.code
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
  village: string;
  planStatus: string | null;
  lastVisit: string | null;
  dueOn: string;
  daysOverdue: number;
};

/**
 * A cadre's households by urgency: overdue first (most days overdue first), then due soonest.
 * Due = the next due date set in the last check, else the last visit + the interval; never visited = due now.
 */
export async function cadreWorklist(scope: Extract<Scope, { role: "cadre" }>, year: number, today: string) {
  const d = await db();
  return queryRows<WorklistRow>(
    d,
    sql`
    select h.id, h.head_name as "headName", v.name as village, p.status as "planStatus",
      lc.visited_on::text as "lastVisit", due.due_on::text as "dueOn",
      (${today}::date - due.due_on)::int as "daysOverdue"
    from cadre_assignments a
    join households h on h.id = a.household_id
    join regions v on v.id = h.village_id
    left join plans p on p.household_id = h.id and p.year = ${year}
    left join lateral (
      select c.visited_on, c.next_due_on from checks c
      where c.household_id = h.id order by c.visited_on desc, c.created_at desc limit 1
    ) lc on true
    cross join lateral (
      select coalesce(lc.next_due_on, lc.visited_on + ${DEFAULT_CHECK_INTERVAL_DAYS}::int, ${today}::date) as due_on
    ) due
    where a.cadre_id = ${scope.userId} and a.ends_on is null
    order by due.due_on asc, h.head_name asc`,
  );
}

export async function cooperativeOverview(scope: Extract<Scope, { role: "clerk" }>) {
  const d = await db();
  const [summary] = await queryRows<{ members: number; orders: number; orderedKg: number }>(
    d,
    sql`select
      (select count(*) from memberships m where m.cooperative_id = ${scope.cooperativeId} and m.left_on is null)::int as members,
      (select count(*) from purchase_orders o where o.cooperative_id = ${scope.cooperativeId})::int as orders,
      (select coalesce(sum(o.quantity_kg), 0) from purchase_orders o
        where o.cooperative_id = ${scope.cooperativeId} and o.status <> 'cancelled')::float8 as "orderedKg"`,
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
  }>(
    d,
    sql`select o.id, c.name_zh as crop, c.name_en as "cropEn", b.name as buyer,
      o.quantity_kg::float8 as "quantityKg", o.unit_price_fen::int as "unitPriceFen", o.status,
      o.delivery_start::text as "deliveryStart", o.delivery_end::text as "deliveryEnd"
    from purchase_orders o join crops c on c.code = o.crop_code join buyers b on b.id = o.buyer_id
    where o.cooperative_id = ${scope.cooperativeId}
    order by o.delivery_start desc limit 50`,
  );
  return { summary: summary ?? { members: 0, orders: 0, orderedKg: 0 }, orders };
}
