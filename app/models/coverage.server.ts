// Coverage (domain rule 7, 不少一户、不漏一人): a household is covered when it has
//   plan        — this year's plan, approved or later (approved, in progress, completed);
//   cadre       — a cadre in charge now (an assignment without an end);
//   checkWindow — visits not overdue today by the due-date rule (domain rule 8, app/models/due.server.ts):
//                 the same households the overdue list and the home counts name, no other;
//   industry    — an industry link: a current cooperative membership (joined by today, not left), an
//                 allocation of a signed / delivering / fulfilled purchase order delivering this year,
//                 or a fund allocation this year from an industry (产业) aid project.
// A person is covered when a member of a covered household.
//
// Everything is computed live in SQL: one pass over the households in scope, reading each household's
// day-free ingredients from household_coverage (kept by triggers in the writing transaction,
// docs/decisions/043-coverage-state.md) and judging them as of today, aggregated with
// `count(*) filter (…)`. Nothing but the result rows reaches the app (docs/decisions/014-coverage-in-sql.md).
import { and, eq, sql, type SQL } from "drizzle-orm";
import { queryRows } from "../../db/client";
import { households, povertyStatus, regions } from "../../db/schema";
import { can, type ScopeWith } from "~/permissions";
import { db } from "~/utils/db.server";
import { CONDITIONS, type Condition } from "~/utils/coverage";
import { maskIdNumber } from "~/utils/id-number";
import { householdInScope } from "./scope.server";
import { dueIntervals, dueOfSql, overdueSql, visitStateJoin, type DueIntervals } from "./due.server";
import { coverageListParams, type CoverageParams } from "~/utils/lists";

export { CONDITIONS, type Condition };
export type PovertyStatus = (typeof povertyStatus.enumValues)[number];

/** Who may read coverage: officials (their township) and administrators (the county). */
export type CoverageScope = ScopeWith<"coverage.read">;

/** Plan statuses that count as an approved plan. */
export const APPROVED_PLAN_STATUSES = ["approved", "in_progress", "completed"] as const;

// ---------- URL parameters ----------

export type { CoverageParams };
export const GAP_PAGE_SIZES = coverageListParams.sizes;

/** The register's and the gap lists' filters; anything that does not parse means "no filter". */
export const CoverageParamsSchema = coverageListParams.schema;

export function parseCoverageParams(url: URL): CoverageParams {
  return coverageListParams.parse(url);
}

// ---------- the rule in SQL ----------

/**
 * One read, without JIT: the planner expects the correlated EXISTS to cost far more than their index
 * probes do, and PostgreSQL then spends over a second compiling a query that runs in a fraction of that
 * (measured on the county: 1.4 s of JIT in a 2 s query). PGlite has no JIT; the setting is harmless there.
 */
async function read<T>(query: SQL): Promise<T[]> {
  const d = await db();
  return d.transaction(
    async (tx) => {
      await tx.execute(sql`set local jit = off`);
      // a county's 100,000 rows group in memory instead of an external sort on disk
      await tx.execute(sql`set local work_mem = '32MB'`);
      return queryRows<T>(tx, query);
    },
    { accessMode: "read only" },
  );
}

type Ctx = { scope: CoverageScope; today: string; year: number; intervals: DueIntervals };

/**
 * One row per household matching scope and filters, with its four condition flags and its person count.
 * Columns: id, code, village_id, township_id, plan_ok, cadre_ok, check_ok, industry_ok, covered, and with
 * `persons` the household's member count.
 */
function householdFlags(
  ctx: Ctx,
  filters: Pick<CoverageParams, "township" | "village" | "status"> & { household?: string },
  { persons = false }: { persons?: boolean } = {},
): SQL {
  const { today, year } = ctx;
  const where: SQL[] = [householdInScope(ctx.scope)];
  if (filters.township) where.push(eq(households.townshipId, filters.township));
  if (filters.village) where.push(eq(households.villageId, filters.village));
  if (filters.status) where.push(eq(households.povertyStatus, filters.status));
  if (filters.household) where.push(eq(households.id, filters.household));
  const hid = sql`${households.id}`;
  // The day-free ingredients come from household_coverage, kept by triggers in the writing transaction
  // (docs/decisions/043-coverage-state.md); only the day is applied here: the year's plan, the industry
  // link on the day, the due date. One pass over the households with two joins by primary key: probing
  // plans, assignments, memberships, orders and funds per household took 1 s for the county.
  const personsColumn = persons ? sql`, coalesce(hc.persons, 0)::int as persons` : sql``;
  return sql`
    select f.*, (f.plan_ok and f.cadre_ok and f.check_ok and f.industry_ok) as covered
    from (
      select ${hid} as id, ${households.code} as code, ${households.villageId} as village_id,
        ${households.townshipId} as township_id,
        coalesce(${year}::int = any(hc.plan_years), false) as plan_ok,
        coalesce(hc.open_cadre, false) as cadre_ok,
        not ${overdueSql(today, "due")} as check_ok,
        coalesce(hc.industry_on @> ${today}::date, false) as industry_ok
        ${personsColumn}
      from ${households}
      left join household_coverage hc on hc.household_id = ${hid}
      ${visitStateJoin("households")}
      left join lateral ${dueOfSql(today, ctx.intervals, "households")} due on true
      where ${and(...where)}
    ) f`;
}

async function context(scope: CoverageScope, today: string): Promise<Ctx> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) throw new RangeError(`today must be YYYY-MM-DD: ${today}`);
  const intervals = await dueIntervals(scope.role === "official" ? scope.townshipId : null);
  return { scope, today, year: Number(today.slice(0, 4)), intervals };
}

// ---------- the register ----------

export type ConditionCount = { met: number; missing: number; percent: number };

export type CoverageRow = {
  /** the village (or, for a county overview, the township) */
  regionId: string;
  name: string;
  /** the township the village belongs to (same as name for a township row) */
  township: string;
  townshipId: string;
  level: "village" | "township";
  households: number;
  householdsCovered: number;
  householdsPercent: number;
  persons: number;
  personsCovered: number;
  personsPercent: number;
  conditions: Record<Condition, ConditionCount>;
};

export type CoverageTotals = Omit<CoverageRow, "regionId" | "name" | "township" | "townshipId" | "level">;

export type CoverageRegister = {
  rows: CoverageRow[];
  totals: CoverageTotals;
  today: string;
  year: number;
};

/** Percent with one decimal; 0 of 0 is 0. */
export const percent = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((part / whole) * 1000) / 10);

type AggregateRow = {
  region_id: string;
  name: string;
  township: string;
  township_id: string;
  households: number;
  covered: number;
  persons: number;
  persons_covered: number;
  plan: number;
  cadre: number;
  check_window: number;
  industry: number;
};

function shape(r: Omit<AggregateRow, "region_id" | "name" | "township" | "township_id">): CoverageTotals {
  const cond = (met: number): ConditionCount => ({
    met,
    missing: r.households - met,
    percent: percent(met, r.households),
  });
  return {
    households: r.households,
    householdsCovered: r.covered,
    householdsPercent: percent(r.covered, r.households),
    persons: r.persons,
    personsCovered: r.persons_covered,
    personsPercent: percent(r.persons_covered, r.persons),
    conditions: {
      plan: cond(r.plan),
      cadre: cond(r.cadre),
      checkWindow: cond(r.check_window),
      industry: cond(r.industry),
    },
  };
}

/**
 * The coverage register: one row per village (or per township when `groupBy` is "township", a county's
 * first view), and the total. Villages without households still get a row (0 of 0), so a village nobody
 * entered shows up instead of vanishing. Filters: township, village, poverty status.
 */
export async function coverageRegister({
  scope,
  today,
  groupBy = "village",
  filters = {},
}: {
  scope: CoverageScope;
  today: string;
  groupBy?: "village" | "township";
  filters?: Pick<CoverageParams, "township" | "village" | "status">;
}): Promise<CoverageRegister> {
  const ctx = await context(scope, today);
  const byTownship = groupBy === "township";
  const v = sql.raw(byTownship ? "t" : "v");
  // the regions listed: in scope and matching the region filters
  const regionWhere: SQL[] = [
    byTownship ? sql`t.level = 'township' and t.retired_at is null` : sql`v.level = 'village' and v.retired_at is null`,
    scope.role === "admin" ? sql`t.county_id = ${scope.countyId}` : sql`t.id = ${scope.townshipId}`,
  ];
  if (filters.township) regionWhere.push(sql`t.id = ${filters.township}`);
  if (filters.village) regionWhere.push(byTownship ? sql`false` : sql`v.id = ${filters.village}`);
  const regionsFrom = byTownship ? sql`regions t` : sql`regions v join regions t on t.id = v.parent_id`;
  const rows = await read<AggregateRow>(
    sql`
    with f as (${householdFlags(ctx, filters, { persons: true })}),
    agg as (
      select ${sql.raw(byTownship ? "f.township_id" : "f.village_id")} as region_id,
        count(*)::int as households,
        count(*) filter (where f.covered)::int as covered,
        coalesce(sum(f.persons), 0)::int as persons,
        coalesce(sum(f.persons) filter (where f.covered), 0)::int as persons_covered,
        count(*) filter (where f.plan_ok)::int as plan,
        count(*) filter (where f.cadre_ok)::int as cadre,
        count(*) filter (where f.check_ok)::int as check_window,
        count(*) filter (where f.industry_ok)::int as industry
      from f group by 1
    )
    select ${v}.id as region_id, ${v}.name, t.name as township, t.id as township_id,
      coalesce(agg.households, 0)::int as households, coalesce(agg.covered, 0)::int as covered,
      coalesce(agg.persons, 0)::int as persons, coalesce(agg.persons_covered, 0)::int as persons_covered,
      coalesce(agg.plan, 0)::int as plan, coalesce(agg.cadre, 0)::int as cadre,
      coalesce(agg.check_window, 0)::int as check_window, coalesce(agg.industry, 0)::int as industry
    from ${regionsFrom}
    left join agg on agg.region_id = ${v}.id
    where ${sql.join(regionWhere, sql` and `)}
    order by ${byTownship ? sql`t.code` : sql`t.code, v.code`}`,
  );
  const sum = (k: keyof AggregateRow) => rows.reduce((s, r) => s + Number(r[k]), 0);
  const totals = shape({
    households: sum("households"),
    covered: sum("covered"),
    persons: sum("persons"),
    persons_covered: sum("persons_covered"),
    plan: sum("plan"),
    cadre: sum("cadre"),
    check_window: sum("check_window"),
    industry: sum("industry"),
  });
  return {
    rows: rows.map((r) => ({
      regionId: r.region_id,
      name: r.name,
      township: r.township,
      townshipId: r.township_id,
      level: byTownship ? "township" : "village",
      ...shape(r),
    })),
    totals,
    today,
    year: ctx.year,
  };
}

// ---------- the gap lists ----------

export type GapHouseholdRow = {
  id: string;
  code: string;
  headName: string;
  village: string;
  township: string;
  povertyStatus: PovertyStatus;
  persons: number;
  /** the conditions this household fails, in CONDITIONS order */
  reasons: Condition[];
  /** what the reasons refer to: this year's plan status, the latest check */
  planStatus: string | null;
  lastCheck: string | null;
  /** the cadre in charge now, if any */
  cadre: string | null;
};

export type GapPersonRow = {
  id: string;
  name: string;
  /** masked unless the role needs full numbers (domain rule 2) */
  idNumber: string;
  relation: string;
  householdId: string;
  householdCode: string;
  headName: string;
  village: string;
  township: string;
  povertyStatus: PovertyStatus;
  reasons: Condition[];
};

export type GapPage<Row> = { rows: Row[]; total: number; page: number; pageSize: number; pageCount: number };

/** Export size cap, as for the registry: a county's gaps fit well inside it. */
export const GAP_EXPORT_LIMIT = 400_000;

const FLAG_COLUMN: Record<Condition, string> = {
  plan: "plan_ok",
  cadre: "cadre_ok",
  checkWindow: "check_ok",
  industry: "industry_ok",
};

function gapWhere(condition: Condition | undefined): SQL {
  return condition ? sql`not f.${sql.raw(FLAG_COLUMN[condition])}` : sql`not f.covered`;
}

const reasonsOf = (r: { plan_ok: boolean; cadre_ok: boolean; check_ok: boolean; industry_ok: boolean }): Condition[] =>
  CONDITIONS.filter((c) => !r[FLAG_COLUMN[c] as "plan_ok"]);

type GapHouseholdDbRow = {
  id: string;
  code: string;
  head_name: string;
  village: string;
  township: string;
  poverty_status: PovertyStatus;
  persons: number;
  plan_ok: boolean;
  cadre_ok: boolean;
  check_ok: boolean;
  industry_ok: boolean;
  plan_status: string | null;
  last_check: string | null;
  cadre: string | null;
  total: number;
};

/**
 * Every household in scope that is not covered (or, with `condition`, that fails that condition), with
 * its reasons; filtered by township, village and poverty status; one page, or all rows for an export.
 */
export async function coverageGapHouseholds({
  scope,
  today,
  params,
  all = false,
}: {
  scope: CoverageScope;
  today: string;
  params: CoverageParams;
  all?: boolean;
}): Promise<GapPage<GapHouseholdRow>> {
  const ctx = await context(scope, today);
  const pageSize = all ? GAP_EXPORT_LIMIT : params.size;
  const offset = all ? 0 : (params.page - 1) * params.size;
  const rows = await read<GapHouseholdDbRow>(
    sql`
    with f as (${householdFlags(ctx, params)}),
    -- the page first (deferred join): names, plan and last check for its rows only
    page as (
      select f.id, f.code, f.plan_ok, f.cadre_ok, f.check_ok, f.industry_ok, count(*) over () as total
      from f where ${gapWhere(params.condition)}
      order by f.code, f.id
      limit ${pageSize} offset ${offset}
    )
    select page.id, page.code, h.head_name, v.name as village, t.name as township, h.poverty_status,
      (select count(*) from members m where m.household_id = page.id)::int as persons,
      page.plan_ok, page.cadre_ok, page.check_ok, page.industry_ok, page.total::int as total,
      (select p.status::text from plans p where p.household_id = page.id and p.year = ${ctx.year}::int) as plan_status,
      (select max(c.visited_on)::text from checks c where c.household_id = page.id and c.visited_on <= ${today}::date) as last_check,
      (select u.display_name from cadre_assignments a join users u on u.id = a.cadre_id
        where a.household_id = page.id and a.ends_on is null limit 1) as cadre
    from page
    join households h on h.id = page.id
    join regions v on v.id = h.village_id
    join regions t on t.id = h.township_id
    order by page.code, page.id`,
  );
  const total = rows[0]?.total ?? (offset > 0 ? await countGaps(ctx, params) : 0);
  return {
    rows: rows.map((r) => ({
      id: r.id,
      code: r.code,
      headName: r.head_name,
      village: r.village,
      township: r.township,
      povertyStatus: r.poverty_status,
      persons: r.persons,
      reasons: reasonsOf(r),
      planStatus: r.plan_status,
      lastCheck: r.last_check,
      cadre: r.cadre,
    })),
    ...paging(total, all ? 1 : params.page, all ? Math.max(total, 1) : params.size),
  };
}

type GapPersonDbRow = {
  id: string;
  name: string;
  id_number: string;
  relation: string;
  household_id: string;
  household_code: string;
  head_name: string;
  village: string;
  township: string;
  poverty_status: PovertyStatus;
  plan_ok: boolean;
  cadre_ok: boolean;
  check_ok: boolean;
  industry_ok: boolean;
  total: number;
};

/** Every person not covered: the members of the households of `coverageGapHouseholds`, same filters. */
export async function coverageGapPersons({
  scope,
  today,
  params,
  all = false,
}: {
  scope: CoverageScope;
  today: string;
  params: CoverageParams;
  all?: boolean;
}): Promise<GapPage<GapPersonRow>> {
  const ctx = await context(scope, today);
  const pageSize = all ? GAP_EXPORT_LIMIT : params.size;
  const offset = all ? 0 : (params.page - 1) * params.size;
  const rows = await read<GapPersonDbRow>(
    sql`
    with f as (${householdFlags(ctx, params)}),
    -- each gap household's members by members_household_idx ("offset 0" keeps the lateral subquery a
    -- per-household index probe instead of a hash of the whole members table: 2,000 probes beat hashing
    -- 340,000 rows for a township, and 40,000 still do for a county)
    people as (
      select f.id as household_id, f.code, f.plan_ok, f.cadre_ok, f.check_ok, f.industry_ok,
        m.id, m.name, m.id_number, m.relation
      from f cross join lateral (
        select m.id, m.name, m.id_number, m.relation from members m where m.household_id = f.id offset 0
      ) m
      where ${gapWhere(params.condition)}
    ),
    page as (
      select people.*, count(*) over () as total from people
      order by people.code, people.household_id, (people.relation = 'head') desc, people.id_number
      limit ${pageSize} offset ${offset}
    )
    select page.id, page.name, page.id_number, page.relation::text as relation, page.household_id,
      page.plan_ok, page.cadre_ok, page.check_ok, page.industry_ok, page.total::int as total,
      page.code as household_code, h.head_name, v.name as village, t.name as township, h.poverty_status
    from page
    join households h on h.id = page.household_id
    join regions v on v.id = h.village_id
    join regions t on t.id = h.township_id
    order by page.code, page.household_id, (page.relation = 'head') desc, page.id_number`,
  );
  const total = rows[0]?.total ?? (offset > 0 ? await countGaps(ctx, params, true) : 0);
  const full = can(scope, "idNumber.read");
  return {
    rows: rows.map((r) => ({
      id: r.id,
      name: r.name,
      idNumber: full ? r.id_number : maskIdNumber(r.id_number),
      relation: r.relation,
      householdId: r.household_id,
      householdCode: r.household_code,
      headName: r.head_name,
      village: r.village,
      township: r.township,
      povertyStatus: r.poverty_status,
      reasons: reasonsOf(r),
    })),
    ...paging(total, all ? 1 : params.page, all ? Math.max(total, 1) : params.size),
  };
}

/** The total when the asked page lies past the end (the windowed count came back with no rows). */
async function countGaps(
  ctx: Ctx,
  params: Pick<CoverageParams, "township" | "village" | "status" | "condition">,
  persons = false,
): Promise<number> {
  const [row] = await read<{ n: number }>(
    sql`with f as (${householdFlags(ctx, params, { persons })})
      select ${persons ? sql`coalesce(sum(f.persons), 0)` : sql`count(*)`}::int as n from f where ${gapWhere(params.condition)}`,
  );
  return row?.n ?? 0;
}

/**
 * How many households in scope are not covered: the gap list's total without filters, from the same
 * definition (the official's home count that opens the list).
 */
export async function coverageGapCount(scope: CoverageScope, today: string): Promise<number> {
  return countGaps(await context(scope, today), {});
}

/**
 * Which coverage conditions one household fails today (empty when covered); null when it is out of scope.
 * The household page tells why it is on the gap list.
 */
export async function householdGapReasons(
  scope: CoverageScope,
  householdId: string,
  today: string,
): Promise<Condition[] | null> {
  const ctx = await context(scope, today);
  const [row] = await read<{ plan_ok: boolean; cadre_ok: boolean; check_ok: boolean; industry_ok: boolean }>(
    sql`${householdFlags(ctx, { household: householdId })}`,
  );
  return row ? reasonsOf(row) : null;
}

function paging(total: number, page: number, pageSize: number) {
  return { total, page, pageSize, pageCount: Math.max(1, Math.ceil(total / pageSize)) };
}

// ---------- filter options ----------

export type CoverageFilterOptions = {
  townships: { value: string; label: string }[];
  villages: { value: string; label: string; township: string; townshipId: string }[];
  statuses: typeof povertyStatus.enumValues;
};

/** The townships and villages in scope, for the filter selects and for checking a filter is in scope. */
export async function coverageFilterOptions(scope: CoverageScope): Promise<CoverageFilterOptions> {
  const d = await db();
  const rows = await queryRows<{ value: string; label: string; township: string; township_id: string }>(
    d,
    sql`select v.id as value, v.name as label, t.name as township, t.id as township_id
      from ${regions} v join ${regions} t on t.id = v.parent_id
      where v.level = 'village' and v.retired_at is null and ${
        scope.role === "admin" ? sql`t.county_id = ${scope.countyId}` : sql`t.id = ${scope.townshipId}`
      }
      order by t.code, v.code`,
  );
  const townships = new Map<string, string>();
  for (const r of rows) townships.set(r.township_id, r.township);
  if (scope.role === "admin") {
    const ts = await queryRows<{ id: string; name: string }>(
      d,
      sql`select id, name from ${regions} where level = 'township' and retired_at is null and county_id = ${scope.countyId} order by code`,
    );
    townships.clear();
    for (const t of ts) townships.set(t.id, t.name);
  }
  return {
    townships: [...townships].map(([value, label]) => ({ value, label })),
    villages: rows.map((r) => ({ value: r.value, label: r.label, township: r.township, townshipId: r.township_id })),
    statuses: povertyStatus.enumValues,
  };
}

/** True when every region filter names a region in scope; anything else is a 404. */
export function filtersInScope(params: CoverageParams, options: CoverageFilterOptions): boolean {
  if (params.township && !options.townships.some((t) => t.value === params.township)) return false;
  if (params.village && !options.villages.some((v) => v.value === params.village)) return false;
  return true;
}

/**
 * A village of another township than the one chosen (the township changed in a form without
 * JavaScript) is dropped rather than emptying the list with no visible reason.
 */
export function reconcileCoverageParams(params: CoverageParams, options: CoverageFilterOptions): CoverageParams {
  if (!params.village || !params.township) return params;
  const village = options.villages.find((v) => v.value === params.village);
  return village && village.townshipId !== params.township ? { ...params, village: undefined } : params;
}

// ---------- the pages and their exports ----------

/** A county opens on its townships; a chosen township (or an official's own) shows its villages. */
function registerGrouping(scope: CoverageScope, params: CoverageParams): "village" | "township" {
  return scope.role === "admin" && !params.township && !params.village ? "township" : "village";
}

/**
 * The register as its page shows it and its export writes it: the filters offered, the asked parameters
 * checked (a region out of scope: null, the caller's 404) and reconciled, the grouping, the register.
 */
export async function coverageRegisterList(scope: CoverageScope, asked: CoverageParams, { today }: { today: string }) {
  const options = await coverageFilterOptions(scope);
  if (!filtersInScope(asked, options)) return null;
  const params = reconcileCoverageParams(asked, options);
  const groupBy = registerGrouping(scope, params);
  const filters = { township: params.township, village: params.village, status: params.status };
  const register = await coverageRegister({ scope, today, groupBy, filters });
  return { ...register, params, options, groupBy, filters };
}

/**
 * The gap lists as their page shows them and their export writes them: households not covered, or with
 * `view=persons` the persons; one page, or with `all` every row. A region out of scope: null (404).
 */
export async function coverageGapList(
  scope: CoverageScope,
  asked: CoverageParams,
  { today, all = false }: { today: string; all?: boolean },
) {
  const options = await coverageFilterOptions(scope);
  if (!filtersInScope(asked, options)) return null;
  const params = reconcileCoverageParams(asked, options);
  const base = { params, options };
  if (params.view === "persons") {
    return { ...base, view: "persons" as const, persons: await coverageGapPersons({ scope, today, params, all }) };
  }
  return {
    ...base,
    view: "households" as const,
    households: await coverageGapHouseholds({ scope, today, params, all }),
  };
}
