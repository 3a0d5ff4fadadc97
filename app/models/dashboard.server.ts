// The dashboard (/dashboard): the numbers behind its charts, each one a SQL aggregate inside the
// caller's scope (official — their township; admin — the county). No rows are loaded to be counted here.
//
// Definitions (shown on the page too):
// - overdue by month: for each of the last 12 months, on its last day (today for the current month), the
//   households that had a cadre in charge that day, and of them those overdue that day by the due-date
//   rule (domain rule 8), judged as of that day: the last check visited by then, the assignment in force
//   then, each household with its own township's intervals (so an admin's county is the sum of its
//   townships). Monitored households use the shorter interval of their current status — status history
//   is not kept. Beside it: the visits recorded in the month (a correcting entry is not a second visit).
// - plans by status: households in scope by the status of their plan of the year ("none" without one).
// - order fulfilment by crop: orders not cancelled whose delivery window touches the year; ordered kg,
//   kg allocated to member households, kg delivered.
// - funds by project type: projects in scope running in the year (their period touches it); budget and
//   everything allocated from them (as on the project pages: a county-wide project's whole total).
import { allocationNetKgRaw } from "./order-figures.server";
import { coverageRegister, type CoverageRow } from "./coverage.server";
import { sql, type SQL } from "drizzle-orm";
import { queryRows, type DbOrTx } from "../../db/client";
import { aidProjects, households, planStatus, type projectType, purchaseOrders } from "../../db/schema";
import type { ScopeWith } from "~/permissions";
import { db } from "~/utils/db.server";
import type { DueSettings } from "~/utils/due";
import {
  assignmentOnSql,
  dueIntervals,
  dueOfSql,
  dueOnSql,
  intervalsOf,
  overdueSql,
  visitStateJoin,
  type DueIntervals,
} from "./due.server";
import { orderInScope } from "./orders.server";
import { projectInScope } from "./projects.server";
import { householdInScope } from "./scope.server";

/** Who sees the dashboard: township officials and county administrators. */
export type DashboardScope = ScopeWith<"dashboard.read">;

export type OverdueMonth = {
  /** YYYY-MM */
  month: string;
  /** the day the month is measured on: its last day, or today for the current month */
  asOf: string;
  /** households with a cadre in charge on `asOf` */
  tracked: number;
  /** of them, overdue for a check on `asOf` */
  overdue: number;
  /** visits recorded in the month up to `asOf` */
  visits: number;
};

export type PlanStatusKey = (typeof planStatus.enumValues)[number] | "none";
export const PLAN_STATUS_ORDER: PlanStatusKey[] = [...planStatus.enumValues, "none"];
export type PlanStatusCount = { status: PlanStatusKey; households: number };

export type CropFulfilment = {
  cropCode: string;
  cropZh: string;
  cropEn: string;
  orders: number;
  orderedKg: number;
  allocatedKg: number;
  deliveredKg: number;
};

export type ProjectTypeKey = (typeof projectType.enumValues)[number];
export type FundsByType = { type: ProjectTypeKey; projects: number; budgetFen: number; allocatedFen: number };

const townshipOf = (scope: DashboardScope) => (scope.role === "official" ? scope.townshipId : null);

/** The check intervals shown on the page, in effect on `today`: the official's township's, or the county-wide ones. */
export async function dueSettings(scope: DashboardScope, today: string): Promise<DueSettings> {
  return intervalsOf(await dueIntervals(townshipOf(scope)), townshipOf(scope), today);
}

const yearStart = (year: number) => `${year}-01-01`;
const yearEnd = (year: number) => `${year}-12-31`;
const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));

/** The last 12 months, oldest first: each month's first day and the day it is judged on (today for the current one). */
export function monthEnds(today: string): { monthStart: string; asOf: string }[] {
  const [y, m] = today.split("-").map(Number);
  const out: { monthStart: string; asOf: string }[] = [];
  for (let k = 11; k >= 0; k--) {
    const first = new Date(Date.UTC(y, m - 1 - k, 1));
    const last = new Date(Date.UTC(y, m - k, 0));
    const asOf = k === 0 ? today : last.toISOString().slice(0, 10);
    out.push({ monthStart: first.toISOString().slice(0, 10), asOf });
  }
  return out;
}

type VillageMonth = {
  villageId: string;
  townshipId: string;
  asOf: string;
  tracked: number;
  overdue: number;
  visits: number;
};

/**
 * The overdue chart's figures per village for the month ends `asOfs`, of the households matching `where`
 * (against the households table), straight from the checks and the assignments: for each month end, the
 * households with a cadre in charge that day, of them those overdue that day by the due-date rule, and the
 * visits of the month up to that day.
 */
async function villageMonthsFromRecords(
  tx: DbOrTx,
  where: SQL,
  asOfs: string[],
  i: DueIntervals,
): Promise<VillageMonth[]> {
  if (asOfs.length === 0) return [];
  const asOfList = sql.join(
    asOfs.map((d) => sql`(${d}::date)`),
    sql`, `,
  );
  const rows = await queryRows<VillageMonth>(
    tx,
    sql`
    with months as (
      select date_trunc('month', a.as_of)::date as month_start, a.as_of from (values ${asOfList}) as a(as_of)
    ),
    hh as (
      select ${households.id} as id, ${households.townshipId} as township_id, ${households.villageId} as village_id,
        ${households.povertyStatus} as poverty_status, ${households.registeredOn} as registered_on,
        ${households.createdAt} as created_at,
        coalesce(${households.registeredOn}, ${households.createdAt}::date) as since
      from ${households}
      where ${where}
    ),
    bounds as (select min(as_of) as first_as_of from months),
    -- Each check governs a household from its visit until the next visit (a later entry the same day
    -- wins: its predecessor's stretch is empty); before the first visit, registration governs. One pass
    -- over the checks with lead() instead of a "last check on or before" probe per household and month.
    stretches as (
      select c.household_id, c.visited_on as from_d,
        lead(c.visited_on) over (partition by c.household_id order by c.visited_on, c.created_at) as until,
        c.visited_on as last_visit, c.next_due_on
      from checks c join hh on hh.id = c.household_id
    ),
    segs as (
      select s.household_id, s.from_d, s.until, s.last_visit, s.next_due_on
      from stretches s, bounds b where s.until is null or s.until > b.first_as_of
      union all
      select hh.id, hh.since, f.first_visit, null::date, null::date
      from hh
      left join (select c.household_id, min(c.visited_on) as first_visit from checks c join hh on hh.id = c.household_id
        group by c.household_id) f on f.household_id = hh.id,
      bounds b
      where f.first_visit is null or f.first_visit > b.first_as_of
    ),
    tracked as (
      select hh.village_id, hh.township_id, mo.as_of, ca.cadre_id,
        ${dueOnSql(i, { h: "hh", asOf: sql`mo.as_of`, lastVisit: sql`s.last_visit`, nextDueOn: sql`s.next_due_on`, assignedOn: sql`ca.starts_on` })} as due_on
      from months mo
      join segs s on s.from_d <= mo.as_of and (s.until is null or s.until > mo.as_of)
      join hh on hh.id = s.household_id and hh.since <= mo.as_of
      join lateral ${assignmentOnSql(sql`s.household_id`, sql`mo.as_of`)} ca on true
    ),
    counted as (
      select t.village_id, t.township_id, t.as_of, count(*) as tracked,
        count(*) filter (where ${overdueSql(sql`t.as_of`, "t")}) as overdue
      from tracked t group by 1, 2, 3
    ),
    visits as (
      select hh.village_id, hh.township_id, mo.as_of, count(*) as n
      from months mo
      join checks c on c.visited_on between mo.month_start and mo.as_of and c.corrects_check_id is null
      join hh on hh.id = c.household_id
      group by 1, 2, 3
    )
    select coalesce(k.village_id, v.village_id) as "villageId", coalesce(k.township_id, v.township_id) as "townshipId",
      coalesce(k.as_of, v.as_of)::text as "asOf",
      coalesce(k.tracked, 0)::int as tracked, coalesce(k.overdue, 0)::int as overdue, coalesce(v.n, 0)::int as visits
    from counted k full join visits v on v.village_id = k.village_id and v.as_of = k.as_of`,
  );
  return rows.map((r) => ({ ...r, tracked: num(r.tracked), overdue: num(r.overdue), visits: num(r.visits) }));
}

type MonthTotals = { asOf: string; tracked: number; overdue: number; visits: number };

/** The scope's villages (a county's or a township's), as a condition on the regions row `v`. */
function villageInScope(scope: DashboardScope): SQL {
  const township = townshipOf(scope);
  return sql`v.level = 'village' and ${township ? sql`v.parent_id = ${township}` : sql`v.county_id = ${scope.countyId}`}`;
}

/**
 * The past month ends of the chart, summed over the scope's villages, from overdue_month_counts; the
 * villages missing a month there (a month just closed, a village a write made forget) are counted from
 * the records and kept for the next reader — unless a writer holds the village at that moment, when its
 * figures are used once and not kept (docs/decisions/035-visit-state.md). The kept rows are summed in SQL:
 * a county is some 600 villages × 11 months, rows the page never shows.
 */
async function pastMonths(scope: DashboardScope, asOfs: string[], i: DueIntervals): Promise<MonthTotals[]> {
  const d = await db();
  if (asOfs.length === 0) return [];
  const days = sql.raw(`'{${asOfs.join(",")}}'::date[]`);
  const missing = await queryRows<{ id: string; townshipId: string }>(
    d,
    sql`select v.id, v.parent_id as "townshipId" from regions v
      left join overdue_month_counts c on c.village_id = v.id and c.as_of = any(${days})
      where ${villageInScope(scope)}
      group by v.id
      having count(c.village_id) < ${asOfs.length}`,
  );
  const missingIds = missing.map((v) => v.id).sort();
  const notMissing = missingIds.length
    ? sql`and not (c.village_id = any(${sql.raw(`'{${missingIds.join(",")}}'::uuid[]`)}))`
    : sql``;
  const kept = await queryRows<MonthTotals>(
    d,
    sql`select c.as_of::text as "asOf", sum(c.tracked)::int as tracked, sum(c.overdue)::int as overdue,
        sum(c.visits)::int as visits
      from overdue_month_counts c join regions v on v.id = c.village_id
      where ${villageInScope(scope)} and c.as_of = any(${days}) ${notMissing}
      group by c.as_of`,
  );
  const totals = new Map<string, MonthTotals>(asOfs.map((asOf) => [asOf, { asOf, tracked: 0, overdue: 0, visits: 0 }]));
  const add = (r: MonthTotals) => {
    const t = totals.get(r.asOf);
    if (!t) return;
    t.tracked += num(r.tracked);
    t.overdue += num(r.overdue);
    t.visits += num(r.visits);
  };
  kept.forEach(add);
  if (missing.length === 0) return [...totals.values()];
  const filled = await d.transaction(async (tx) => {
    // the planner overestimates the month × household joins and would JIT-compile a query that runs faster
    // than the compilation; the check stretches are sorted in memory rather than on disk
    await tx.execute(sql`set local jit = off`);
    await tx.execute(sql`set local work_mem = '64MB'`);
    const locked = await queryRows<{ id: string }>(
      tx,
      sql`select v.id from unnest(${sql.raw(`'{${missingIds.join(",")}}'::uuid[]`)}) as v(id)
        where pg_try_advisory_xact_lock(hashtextextended('overdue_month:' || v.id::text, 0))`,
    );
    const rows = await villageMonthsFromRecords(
      tx,
      sql`${households.villageId} = any(${sql.raw(`'{${missingIds.join(",")}}'::uuid[]`)})`,
      asOfs,
      i,
    );
    // every missing village and month gets a row, zeros where nothing was counted
    const byKey = new Map(rows.map((r) => [`${r.villageId}|${r.asOf}`, r]));
    const complete: VillageMonth[] = missing.flatMap((v) =>
      asOfs.map(
        (asOf) =>
          byKey.get(`${v.id}|${asOf}`) ?? {
            villageId: v.id,
            townshipId: v.townshipId,
            asOf,
            tracked: 0,
            overdue: 0,
            visits: 0,
          },
      ),
    );
    const keep = new Set(locked.map((l) => l.id));
    const toKeep = complete.filter((r) => keep.has(r.villageId));
    for (let k = 0; k < toKeep.length; k += 2000) {
      await tx.execute(sql`insert into overdue_month_counts (village_id, township_id, as_of, tracked, overdue, visits)
        select * from json_to_recordset(${JSON.stringify(toKeep.slice(k, k + 2000))}::json)
          as x("villageId" uuid, "townshipId" uuid, "asOf" date, tracked int, overdue int, visits int)
        on conflict (village_id, as_of) do update set township_id = excluded.township_id,
          tracked = excluded.tracked, overdue = excluded.overdue, visits = excluded.visits`);
    }
    return complete;
  });
  filled.forEach(add);
  return [...totals.values()];
}

/**
 * Overdue households at each of the last 12 month ends (the current month: today), oldest first. Each
 * household is measured with its own township's check intervals, so the county's numbers are the sum of
 * its townships'. The current month is counted from household_visit_state; the past ones come per village
 * from overdue_month_counts, counted from the records when missing.
 */
export async function overdueByMonth(scope: DashboardScope, today: string): Promise<OverdueMonth[]> {
  const d = await db();
  const intervals = await dueIntervals(townshipOf(scope));
  const months = monthEnds(today);
  const current = months[months.length - 1];
  const since = sql`coalesce(${households.registeredOn}, ${households.createdAt}::date)`;
  const [past, [now]] = await Promise.all([
    pastMonths(
      scope,
      months.slice(0, -1).map((m) => m.asOf),
      intervals,
    ),
    queryRows<{ tracked: number; overdue: number; visits: number }>(
      d,
      sql`
      select count(*) filter (where due.cadre_id is not null and ${since} <= ${today}::date)::int as tracked,
        count(*) filter (where ${overdueSql(today)} and ${since} <= ${today}::date)::int as overdue,
        (${visitsInMonthSql(scope, current.monthStart, today)})::int as visits
      from ${households}
      ${visitStateJoin("households")}
      left join lateral ${dueOfSql(today, intervals, "households")} due on true
      where ${householdInScope(scope)}`,
    ),
  ]);
  const totals = new Map(past.map((r) => [r.asOf, r]));
  return months.map((m, k) => {
    const t = k === months.length - 1 ? now : totals.get(m.asOf);
    return {
      month: m.monthStart.slice(0, 7),
      asOf: m.asOf,
      tracked: num(t?.tracked),
      overdue: num(t?.overdue),
      visits: num(t?.visits),
    };
  });
}

/**
 * The visits (checks not correcting another) recorded from `from` to `to` of the households in scope. A
 * check carries its household's county: the county's count reads checks_county_visited_idx alone instead
 * of hashing every household of the county to count one month's checks.
 */
function visitsInMonthSql(scope: DashboardScope, from: string, to: string): SQL {
  const month = sql`c.visited_on between ${from}::date and ${to}::date and c.corrects_check_id is null`;
  return scope.role === "admin"
    ? sql`select count(*) from checks c where c.county_id = ${scope.countyId} and ${month}`
    : sql`select count(*) from checks c join ${households} on ${households.id} = c.household_id
        where ${month} and ${householdInScope(scope)}`;
}

/** Households in scope by the status of their plan of `year`, in workflow order ("none": no plan). */
export async function plansByStatus(scope: DashboardScope, year: number): Promise<PlanStatusCount[]> {
  const d = await db();
  // A plan carries its household's county: the county's plans are counted on plans_county_year_status_idx
  // and its households without one are the rest, instead of joining every household to its plan.
  const rows = await queryRows<{ status: PlanStatusKey; households: number }>(
    d,
    scope.role === "admin"
      ? sql`with planned as (
            select p.status::text as status, count(*)::int as households
            from plans p where p.county_id = ${scope.countyId} and p.year = ${year}
            group by 1
          )
          select status, households from planned
          union all
          select 'none', ((select count(*) from ${households} where ${householdInScope(scope)})
            - (select coalesce(sum(households), 0) from planned))::int`
      : sql`select coalesce(p.status::text, 'none') as status, count(*)::int as households
          from ${households}
          left join plans p on p.household_id = ${households.id} and p.year = ${year}
          where ${householdInScope(scope)}
          group by 1`,
  );
  const byStatus = new Map(rows.map((r) => [r.status, num(r.households)]));
  return PLAN_STATUS_ORDER.map((status) => ({ status, households: byStatus.get(status) ?? 0 }));
}

/** Orders in scope, not cancelled, delivering in `year`: kilograms ordered, allocated and delivered per crop. */
export async function orderFulfilmentByCrop(scope: DashboardScope, year: number): Promise<CropFulfilment[]> {
  const d = await db();
  const rows = await queryRows<CropFulfilment>(
    d,
    sql`
    with o as (
      select ${purchaseOrders.id} as id, ${purchaseOrders.cropCode} as crop_code, ${purchaseOrders.quantityKg} as quantity_kg
      from ${purchaseOrders}
      where ${orderInScope(scope)}
        and ${purchaseOrders.status} <> 'cancelled'
        and ${purchaseOrders.deliveryStart} <= ${yearEnd(year)}::date
        and ${purchaseOrders.deliveryEnd} >= ${yearStart(year)}::date
    ),
    allocated as (
      select oa.order_id, sum(${allocationNetKgRaw("oa")}) as kg
      from order_allocations oa join o on o.id = oa.order_id
      group by oa.order_id
    ),
    delivered as (
      select oa.order_id, sum(dl.quantity_kg) as kg
      from deliveries dl join order_allocations oa on oa.id = dl.allocation_id join o on o.id = oa.order_id
      group by oa.order_id
    )
    select c.code as "cropCode", c.name_zh as "cropZh", c.name_en as "cropEn",
      count(o.id)::int as orders,
      sum(o.quantity_kg)::float8 as "orderedKg",
      coalesce(sum(allocated.kg), 0)::float8 as "allocatedKg",
      coalesce(sum(delivered.kg), 0)::float8 as "deliveredKg"
    from o
    join crops c on c.code = o.crop_code
    left join allocated on allocated.order_id = o.id
    left join delivered on delivered.order_id = o.id
    group by c.code, c.name_zh, c.name_en, c.sort_order
    order by c.sort_order, c.code`,
  );
  return rows.map((r) => ({
    ...r,
    orders: num(r.orders),
    orderedKg: num(r.orderedKg),
    allocatedKg: num(r.allocatedKg),
    deliveredKg: num(r.deliveredKg),
  }));
}

/** Projects in scope running in `year`, by type: how many, their budgets and what was allocated (fen). */
export async function fundsByProjectType(scope: DashboardScope, year: number): Promise<FundsByType[]> {
  const d = await db();
  const rows = await queryRows<FundsByType>(
    d,
    sql`
    with p as (
      select ${aidProjects.id} as id, ${aidProjects.type} as type, ${aidProjects.budgetFen} as budget_fen
      from ${aidProjects}
      where ${projectInScope(scope)}
        and ${aidProjects.startsOn} <= ${yearEnd(year)}::date
        and (${aidProjects.endsOn} is null or ${aidProjects.endsOn} >= ${yearStart(year)}::date)
    ),
    allocated as (
      select fa.project_id, sum(fa.amount_fen) as fen
      from fund_allocations fa join p on p.id = fa.project_id
      group by fa.project_id
    )
    select p.type, count(*)::int as projects,
      sum(p.budget_fen)::float8 as "budgetFen",
      coalesce(sum(allocated.fen), 0)::float8 as "allocatedFen"
    from p left join allocated on allocated.project_id = p.id
    group by p.type
    order by p.type`,
  );
  return rows.map((r) => ({
    type: r.type,
    projects: num(r.projects),
    budgetFen: Math.round(num(r.budgetFen)),
    allocatedFen: Math.round(num(r.allocatedFen)),
  }));
}

export type DashboardData = {
  year: number;
  today: string;
  intervals: DueSettings;
  overdue: OverdueMonth[];
  plans: PlanStatusCount[];
  orders: CropFulfilment[];
  funds: FundsByType[];
  /** coverage per village (an official) or per township (an admin), from the coverage register */
  coverage: CoverageByRegion[];
};

export type CoverageByRegion = Pick<
  CoverageRow,
  | "regionId"
  | "name"
  | "level"
  | "households"
  | "householdsCovered"
  | "householdsPercent"
  | "persons"
  | "personsCovered"
  | "personsPercent"
>;

/** The coverage register's rows the chart draws: a county by township, a township by village. */
export async function coverageByRegion(scope: DashboardScope, today: string): Promise<CoverageByRegion[]> {
  const { rows } = await coverageRegister({ scope, today, groupBy: scope.role === "admin" ? "township" : "village" });
  return rows;
}

/** Everything the dashboard shows, for one scope, year and day. */
export async function dashboard(scope: DashboardScope, year: number, today: string): Promise<DashboardData> {
  const intervals = await dueSettings(scope, today);
  const [coverage, overdue, plans, orders, funds] = await Promise.all([
    coverageByRegion(scope, today),
    overdueByMonth(scope, today),
    plansByStatus(scope, year),
    orderFulfilmentByCrop(scope, year),
    fundsByProjectType(scope, year),
  ]);
  return { year, today, intervals, coverage, overdue, plans, orders, funds };
}
