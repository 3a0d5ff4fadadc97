// The cadres' points card (积分卡): the one module of its rules. A cadre's points for a month come from
// their own check records, plus an official's bonus or deduction with a reason (the first article of
// seeds/000: visits earn points, solved problems earn more, misconduct costs points — 10 for a bribe).
// The values live in the settings table (`points.*`, per township); this module only counts, each hit
// with the values in effect on its own day (the visit, the day solved, the day overdue households are counted).
//
// The rules, for a cadre and a month:
//   checkOnTime / checkLate  each check the cadre recorded with visited_on in the month, corrections
//                            (corrects_check_id set) excepted: on time when visited_on ≤ the due date
//                            that applied by the due-date rule (domain rule 8), from the checks written
//                            before it — LAG over all of the household's checks (any cadre, corrections
//                            too) by visited_on, created_at — and, for a first visit, the assignment in
//                            force on the visit day.
//   problemFound             such a check whose `problems` text is not blank.
//   problemSolved            a check of the cadre's (not a correction, with problems) whose
//                            problem_solved_on falls in the month: the points go to the check's author.
//   householdOverdue         each household in the cadre's charge on the month's last day (for the
//                            current month today) that is overdue that day, judged as of that day: a
//                            visit after it does not change a closed month.
//   adjustment               an official's points_adjustments row with effective_on in the month.
// The card lists one entry per rule hit; the league table counts the same hits in SQL aggregates, so a
// cadre's total is the same on both.
import { and, eq, sql, type SQL } from "drizzle-orm";
import { queryRows, type DbOrTx } from "../../db/client";
import { checks, households, pointsAdjustments, users } from "../../db/schema";
import { can } from "~/permissions";
import { AdjustmentSchema, SolvedOnSchema, type AdjustmentInput } from "~/schemas/points";
import { UuidSchema } from "~/schemas/route-params";
import { todayISO } from "~/utils/dates";
import { db } from "~/utils/db.server";
import { pageOf } from "~/utils/list-params";
import { pointsLeagueListParams, type PointsCardListParams, type PointsLeagueListParams } from "~/utils/lists";
import { POINTS_ENTRY_KINDS } from "~/vocabulary";
import { daysBetween } from "~/utils/due";
import { writeAudit } from "./audit.server";
import { assignmentOnSql, dueIntervals, dueOnSql, householdDue, overdueSql, type DueIntervals } from "./due.server";
import { NotFoundError, ValidationError } from "./errors.server";
import { parseInput } from "./parse-input.server";
import { assertCan, householdInScope, type Scope } from "./scope.server";
import { settingRows, settingsOn, stepsSql, timelineOf, valueOn, type Settings } from "./settings.server";

export const ENTRY_KINDS = POINTS_ENTRY_KINDS;
export type EntryKind = (typeof ENTRY_KINDS)[number];

export type PointsEntry = {
  date: string;
  kind: EntryKind;
  points: number;
  householdId: string | null;
  headName: string | null;
  /** the check behind a check entry */
  checkId: string | null;
  /** what the explanation on the card is made of */
  values: {
    visitedOn?: string;
    dueOn?: string | null;
    /** a check entry: the household's first visit */
    firstVisit?: boolean;
    daysLate?: number;
    problems?: string;
    solvedOn?: string | null;
    /** problemFound: the viewer may mark this problem solved now */
    canMarkSolved?: boolean;
    reason?: string;
    by?: string | null;
  };
};

// ---------- months ----------

const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isMonth(value: unknown): value is string {
  return typeof value === "string" && MONTH_RE.test(value) && Number(value.slice(0, 4)) >= 2000;
}

export function monthOf(iso: string) {
  return iso.slice(0, 7);
}

/** First and last day of a month "YYYY-MM". */
export function monthBounds(month: string): { from: string; to: string } {
  if (!isMonth(month)) throw ValidationError.field("month", "points.error.month");
  const [y, m] = month.split("-").map(Number);
  const from = `${month}-01`;
  const to = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
  return { from, to };
}

export function shiftMonth(month: string, by: number): string {
  const [y, m] = month.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1 + by, 1)).toISOString().slice(0, 7);
}

/**
 * The day a month's overdue households are counted on: its last day, today for the current month,
 * none for a month not begun yet.
 */
function overdueDay(month: string, today: string): string | null {
  const { from, to } = monthBounds(month);
  if (from > today) return null;
  return to < today ? to : today;
}

// ---------- the rules in SQL ----------

/** Which cadres a query is about, as a condition on `<alias>.cadre_id`. */
type CadreFilter = (alias: string) => SQL;
const oneCadre =
  (cadreId: string): CadreFilter =>
  (alias) =>
    sql`${sql.raw(alias)}.cadre_id = ${cadreId}`;
const townshipCadres =
  (townshipId: string): CadreFilter =>
  (alias) =>
    sql`${sql.raw(alias)}.cadre_id in (select u.id from users u where u.role = 'cadre' and u.active and u.township_id = ${townshipId})`;

const isUuid = (value: string) => UuidSchema.safeParse(value).success;

const notBlank = (column: string) => sql.raw(`btrim(coalesce(${column}, '')) <> ''`);

/**
 * The month's scoring checks, one row each: the due date that applied (LAG over the household's
 * checks: the month's, and the last one before it) and whether the visit kept it.
 */
function scoredChecks(cadres: CadreFilter, from: string, to: string, i: DueIntervals): SQL {
  const assignedOn = sql`(select ca.starts_on from ${assignmentOnSql(sql`seq.household_id`, sql`seq.visited_on`)} ca)`;
  // A month check's previous one is another check of the month or the household's last before it: the
  // window reads those, not the household's whole history (a county's households have years of checks).
  return sql`(
    with scored as (
      select x.id, x.household_id from checks x
      where ${cadres("x")} and x.visited_on between ${from}::date and ${to}::date and x.corrects_check_id is null
    ),
    scored_households as (select distinct household_id from scored),
    seq as (
      select c.id, c.household_id, c.cadre_id, c.visited_on, c.created_at, c.corrects_check_id,
        c.problems, c.problem_solved_on,
        lag(c.visited_on) over w as prev_visit,
        lag(c.next_due_on) over w as prev_next_due
      from (
        select c.* from scored_households sh
        join checks c on c.household_id = sh.household_id and c.visited_on between ${from}::date and ${to}::date
        union all
        select p.* from scored_households sh
        cross join lateral (
          select c.* from checks c where c.household_id = sh.household_id and c.visited_on < ${from}::date
          order by c.visited_on desc, c.created_at desc limit 1
        ) p
      ) c
      window w as (partition by c.household_id order by c.visited_on, c.created_at)
    ),
    due as (
      select seq.*, h.head_name,
        ${dueOnSql(i, { asOf: sql`seq.visited_on`, lastVisit: sql`seq.prev_visit`, nextDueOn: sql`seq.prev_next_due`, assignedOn })} as due_on
      from seq join households h on h.id = seq.household_id
      where seq.id in (select scored.id from scored)
    )
    select due.*, due.visited_on <= due.due_on as on_time,
      ${notBlank("due.problems")} as has_problem
    from due
  )`;
}

/** Checks of the cadres whose problem was marked solved in the month. */
function solvedChecks(cadres: CadreFilter, from: string, to: string): SQL {
  return sql`(
    select c.id, c.household_id, c.cadre_id, c.visited_on, c.problems, c.problem_solved_on, h.head_name
    from checks c join households h on h.id = c.household_id
    where ${cadres("c")} and c.problem_solved_on between ${from}::date and ${to}::date
      and c.corrects_check_id is null and ${notBlank("c.problems")}
  )`;
}

/** Households in the cadres' charge on `day` that are overdue that day, as it stood then. */
function overdueHouseholds(cadres: CadreFilter, day: string, i: DueIntervals): SQL {
  const inCharge = sql`select a.household_id from cadre_assignments a
    where a.starts_on <= ${day}::date and (a.ends_on is null or a.ends_on >= ${day}::date) and ${cadres("a")}`;
  return sql`(
    select d.cadre_id, d.household_id, h.head_name, d.due_on
    from ${householdDue(sql`h.id in (${inCharge})`, day, i)} d
    join households h on h.id = d.household_id
    where ${overdueSql(day, "d")} and ${cadres("d")}
  )`;
}

// ---------- the card ----------

type CadreRow = {
  id: string;
  username: string;
  displayName: string;
  townshipId: string;
  countyId: string;
  active: boolean;
};

async function findCadre(d: DbOrTx, cadreId: string, townshipId: string): Promise<CadreRow | null> {
  const [row] = await d
    .select({
      id: users.id,
      username: users.username,
      displayName: users.displayName,
      townshipId: users.townshipId,
      countyId: users.countyId,
      active: users.active,
    })
    .from(users)
    .where(and(eq(users.id, cadreId), eq(users.role, "cadre"), eq(users.townshipId, townshipId)));
  return row ? ({ ...row, townshipId: row.townshipId! } as CadreRow) : null;
}

/** The cadre whose card the caller may see: who manages the township's points any cadre of it, a cadre their own. */
async function cadreForCard(d: DbOrTx, scope: Scope, cadreId: string | undefined): Promise<CadreRow> {
  assertCan(scope, "points.read");
  if (can(scope, "points.manage")) {
    if (!cadreId) throw new NotFoundError("cadre");
    const cadre = await findCadre(d, cadreId, scope.townshipId);
    if (!cadre) throw new NotFoundError("cadre");
    return cadre;
  }
  if (cadreId && cadreId !== scope.userId) throw new NotFoundError("cadre");
  const own = await findCadre(d, scope.userId, scope.townshipId);
  if (!own) throw new NotFoundError("cadre");
  return own;
}

const KIND_ORDER = Object.fromEntries(ENTRY_KINDS.map((k, i) => [k, i])) as Record<EntryKind, number>;

/** A cadre's card for a month: every rule hit as an entry with its points, in date order, and the total. */
export async function pointsCard({
  scope,
  cadreId,
  month,
  today = todayISO(),
}: {
  scope: Scope;
  cadreId?: string;
  month: string;
  today?: string;
}) {
  const { from, to } = monthBounds(month);
  const d = await db();
  const cadre = await cadreForCard(d, scope, cadreId);
  const rows = await settingRows(cadre.townshipId, undefined, d);
  // each entry counts with the values in effect on its own day; a month has at most 31 of them
  const byDay = new Map<string, Settings>();
  const s = (day: string) => {
    let on = byDay.get(day);
    if (!on) byDay.set(day, (on = settingsOn(rows, cadre.townshipId, day)));
    return on;
  };
  const intervals = await dueIntervals(cadre.townshipId);
  const query: MonthQuery = { d, cadres: oneCadre(cadre.id), from, to, intervals };
  const day = overdueDay(month, today);

  const [checkRows, solvedRows, overdueRows, adjustmentRows] = await Promise.all([
    checksOfTheMonth(query, scope),
    problemsSolvedInTheMonth(query),
    day ? householdsOverdueOn(query, day) : Promise.resolve([]),
    adjustmentsOfTheMonth(query, cadre.id),
  ]);
  const entries = inDateOrder([
    ...checkEntries(checkRows, s, can(scope, "check.record")),
    ...solvedEntries(solvedRows, s),
    ...(day ? overdueEntries(overdueRows, day, s) : []),
    ...adjustmentEntries(adjustmentRows),
  ]);

  return {
    cadre: { id: cadre.id, username: cadre.username, displayName: cadre.displayName, active: cadre.active },
    month,
    entries,
    total: entries.reduce((sum, e) => sum + e.points, 0),
    kinds: kindTotals(entries),
    values: pointValues(s(day ?? from)),
  };
}

export type KindTotal = { kind: EntryKind; count: number; points: number };

/** The card's entries counted by kind, each kind that has any, in the rules' order: the total's parts. */
function kindTotals(entries: PointsEntry[]): KindTotal[] {
  const byKind = new Map<EntryKind, KindTotal>();
  for (const e of entries) {
    const t = byKind.get(e.kind) ?? { kind: e.kind, count: 0, points: 0 };
    t.count += 1;
    t.points += e.points;
    byKind.set(e.kind, t);
  }
  return ENTRY_KINDS.flatMap((k) => byKind.get(k) ?? []);
}

/**
 * One page of a card's entries, of one kind or all, in the card's order. A cadre with a thousand households
 * has a thousand entries a month: the page shows a page of them and the card's parts (`kinds`) add up to the
 * whole. A page past the end shows the last one.
 */
export function cardEntriesPage(entries: PointsEntry[], list: Pick<PointsCardListParams, "kind" | "page" | "size">) {
  const chosen = list.kind ? entries.filter((e) => e.kind === list.kind) : entries;
  const { offset, ...page } = pageOf(chosen.length, list.page, list.size);
  return { entries: chosen.slice(offset, offset + page.pageSize), page };
}

/** What each of the card's queries is about: one cadre, one month, the township's due intervals. */
type MonthQuery = { d: DbOrTx; cadres: CadreFilter; from: string; to: string; intervals: DueIntervals };

type CheckRow = {
  id: string;
  householdId: string;
  headName: string;
  visitedOn: string;
  dueOn: string | null;
  firstVisit: boolean;
  onTime: boolean;
  hasProblem: boolean;
  problems: string | null;
  solvedOn: string | null;
  /** the problem is open and its household in the viewer's scope */
  canMarkSolved: boolean;
};

/** The cadre's scoring checks of the month, in visit order. */
function checksOfTheMonth({ d, cadres, from, to, intervals }: MonthQuery, scope: Scope) {
  return queryRows<CheckRow>(
    d,
    sql`select sc.id, sc.household_id as "householdId", sc.head_name as "headName",
        sc.visited_on::text as "visitedOn", sc.due_on::text as "dueOn", sc.prev_visit is null as "firstVisit", sc.on_time as "onTime",
        sc.has_problem as "hasProblem", sc.problems, sc.problem_solved_on::text as "solvedOn",
        (sc.problem_solved_on is null and exists (
          select 1 from households where households.id = sc.household_id and ${householdInScope(scope)}
        )) as "canMarkSolved"
      from ${scoredChecks(cadres, from, to, intervals)} sc
      order by sc.visited_on, sc.created_at`,
  );
}

type SolvedRow = {
  id: string;
  householdId: string;
  headName: string;
  visitedOn: string;
  problems: string;
  solvedOn: string;
};

/** The cadre's checks whose problem was marked solved in the month, in the order they were solved. */
function problemsSolvedInTheMonth({ d, cadres, from, to }: MonthQuery) {
  return queryRows<SolvedRow>(
    d,
    sql`select x.id, x.household_id as "householdId", x.head_name as "headName", x.visited_on::text as "visitedOn",
        x.problems, x.problem_solved_on::text as "solvedOn"
      from ${solvedChecks(cadres, from, to)} x
      order by x.problem_solved_on, x.visited_on`,
  );
}

type OverdueRow = { householdId: string; headName: string; dueOn: string };

/** The households in the cadre's charge overdue on `day`, longest overdue first. */
function householdsOverdueOn({ d, cadres, intervals }: MonthQuery, day: string) {
  return queryRows<OverdueRow>(
    d,
    sql`select o.household_id as "householdId", o.head_name as "headName", o.due_on::text as "dueOn"
      from ${overdueHouseholds(cadres, day, intervals)} o
      order by o.due_on, o.head_name`,
  );
}

/** An official's bonuses and deductions for the cadre taking effect in the month, in the order entered. */
function adjustmentsOfTheMonth({ d, from, to }: MonthQuery, cadreId: string) {
  return d
    .select({
      id: pointsAdjustments.id,
      effectiveOn: pointsAdjustments.effectiveOn,
      points: pointsAdjustments.points,
      reason: pointsAdjustments.reason,
      by: users.displayName,
    })
    .from(pointsAdjustments)
    .leftJoin(users, eq(users.id, pointsAdjustments.createdBy))
    .where(
      and(
        eq(pointsAdjustments.cadreId, cadreId),
        sql`${pointsAdjustments.effectiveOn} between ${from}::date and ${to}::date`,
      ),
    )
    .orderBy(pointsAdjustments.effectiveOn, pointsAdjustments.createdAt);
}

/** The values in effect on a day: each entry counts with its own day's. */
type SettingsOn = (day: string) => Settings;

/** Each check scores on time or late; one that found a problem scores again, right after it. */
function checkEntries(rows: CheckRow[], on: SettingsOn, recordsChecks: boolean): PointsEntry[] {
  return rows.flatMap((c): PointsEntry[] => {
    const base = { date: c.visitedOn, householdId: c.householdId, headName: c.headName, checkId: c.id };
    const s = on(c.visitedOn);
    const visit: PointsEntry = c.onTime
      ? {
          ...base,
          kind: "checkOnTime",
          points: s["points.checkOnTime"],
          values: { visitedOn: c.visitedOn, dueOn: c.dueOn, firstVisit: c.firstVisit },
        }
      : {
          ...base,
          kind: "checkLate",
          points: s["points.checkLate"],
          values: { visitedOn: c.visitedOn, dueOn: c.dueOn, daysLate: daysBetween(c.dueOn!, c.visitedOn) },
        };
    if (!c.hasProblem) return [visit];
    const problem: PointsEntry = {
      ...base,
      kind: "problemFound",
      points: s["points.problemFound"],
      values: {
        visitedOn: c.visitedOn,
        problems: c.problems!.trim(),
        solvedOn: c.solvedOn,
        canMarkSolved: c.canMarkSolved && recordsChecks,
      },
    };
    return [visit, problem];
  });
}

function solvedEntries(rows: SolvedRow[], on: SettingsOn): PointsEntry[] {
  return rows.map((c) => ({
    date: c.solvedOn,
    kind: "problemSolved",
    points: on(c.solvedOn)["points.problemSolved"],
    householdId: c.householdId,
    headName: c.headName,
    checkId: c.id,
    values: { visitedOn: c.visitedOn, problems: c.problems.trim(), solvedOn: c.solvedOn },
  }));
}

/** An overdue household costs points on the day it is counted, by how long it had been due then. */
function overdueEntries(rows: OverdueRow[], day: string, on: SettingsOn): PointsEntry[] {
  const s = on(day);
  return rows.map((o) => ({
    date: day,
    kind: "householdOverdue",
    points: s["points.householdOverdue"],
    householdId: o.householdId,
    headName: o.headName,
    checkId: null,
    values: { dueOn: o.dueOn, daysLate: daysBetween(o.dueOn, day) },
  }));
}

function adjustmentEntries(rows: Awaited<ReturnType<typeof adjustmentsOfTheMonth>>): PointsEntry[] {
  return rows.map((a) => ({
    date: a.effectiveOn,
    kind: "adjustment",
    points: a.points,
    householdId: null,
    headName: null,
    checkId: null,
    values: { reason: a.reason, by: a.by },
  }));
}

/** By date, and on one day by kind; a stable sort keeps each kind's own order (visits, due dates, entry). */
function inDateOrder(entries: PointsEntry[]): PointsEntry[] {
  return entries.sort((a, b) =>
    a.date === b.date ? KIND_ORDER[a.kind] - KIND_ORDER[b.kind] : a.date < b.date ? -1 : 1,
  );
}

export function pointValues(s: Settings) {
  return {
    checkOnTime: s["points.checkOnTime"],
    checkLate: s["points.checkLate"],
    problemFound: s["points.problemFound"],
    problemSolved: s["points.problemSolved"],
    householdOverdue: s["points.householdOverdue"],
  };
}

// ---------- the league table ----------

export type LeagueRow = {
  rank: number;
  cadreId: string;
  username: string;
  displayName: string;
  total: number;
  checks: number;
  onTime: number;
  late: number;
  problemsFound: number;
  problemsSolved: number;
  overdue: number;
  /** the sum of the officials' bonuses and deductions */
  adjustments: number;
};

/**
 * The active cadres of the official's township with the month's counts and total, best first, a page at a
 * time (`page`, `size`; `who`: part of a name or username). Ranked over every cadre in SQL, then paged with
 * LIMIT/OFFSET: a township has hundreds of cadres. Equal totals share a rank (1, 2, 2, 4).
 */
export async function leagueTable({
  scope,
  month,
  today = todayISO(),
  list = pointsLeagueListParams.defaults,
}: {
  scope: Scope;
  month: string;
  today?: string;
  list?: Pick<PointsLeagueListParams, "page" | "size" | "who">;
}) {
  assertCan(scope, "points.manage");
  const { from, to } = monthBounds(month);
  const d = await db();
  const settingRowsOf = await settingRows(scope.townshipId, undefined, d);
  // the card's rule in SQL: each hit counts with the value in effect on its own day
  const pts = (key: keyof Settings, on: SQL) => stepsSql(timelineOf(settingRowsOf, key, scope.townshipId), on);
  const intervals = await dueIntervals(scope.townshipId);
  const cadres = townshipCadres(scope.townshipId);
  const day = overdueDay(month, today);
  const who = list.who?.trim();
  const matches = who
    ? sql`(display_name like ${`%${escapeLike(who)}%`} or username like ${`%${escapeLike(who)}%`})`
    : sql`true`;
  const read = (page: number) =>
    queryRows<LeagueRow & { found: number; all: number }>(
      d,
      sql`
    with sc as ${scoredChecks(cadres, from, to, intervals)},
    check_counts as (
      select sc.cadre_id, count(*)::int as checks,
        count(*) filter (where sc.on_time)::int as on_time,
        count(*) filter (where sc.has_problem)::int as problems_found,
        sum(case when sc.on_time then ${pts("points.checkOnTime", sql`sc.visited_on`)} else ${pts("points.checkLate", sql`sc.visited_on`)} end
          + case when sc.has_problem then ${pts("points.problemFound", sql`sc.visited_on`)} else 0 end)::int as points
      from sc group by sc.cadre_id
    ),
    solved_counts as (
      select x.cadre_id, count(*)::int as n, sum(${pts("points.problemSolved", sql`x.problem_solved_on`)})::int as points
      from ${solvedChecks(cadres, from, to)} x group by x.cadre_id
    ),
    overdue_counts as (
      ${day ? sql`select o.cadre_id, count(*)::int as n, (count(*) * ${valueOn(settingRowsOf, "points.householdOverdue", scope.townshipId, day)})::int as points from ${overdueHouseholds(cadres, day, intervals)} o group by o.cadre_id` : sql`select null::uuid as cadre_id, 0 as n, 0 as points where false`}
    ),
    adjustment_sums as (
      select pa.cadre_id, sum(pa.points)::int as n from points_adjustments pa
      where ${cadres("pa")} and pa.effective_on between ${from}::date and ${to}::date
      group by pa.cadre_id
    )
    , league as (select u.id as "cadreId", u.username, u.display_name as display_name,
      coalesce(cc.checks, 0) as checks,
      coalesce(cc.on_time, 0) as "onTime",
      coalesce(cc.checks, 0) - coalesce(cc.on_time, 0) as late,
      coalesce(cc.problems_found, 0) as "problemsFound",
      coalesce(sv.n, 0) as "problemsSolved",
      coalesce(od.n, 0) as overdue,
      coalesce(ad.n, 0) as adjustments,
      coalesce(cc.points, 0) + coalesce(sv.points, 0) + coalesce(od.points, 0) + coalesce(ad.n, 0) as total
    from users u
    left join check_counts cc on cc.cadre_id = u.id
    left join solved_counts sv on sv.cadre_id = u.id
    left join overdue_counts od on od.cadre_id = u.id
    left join adjustment_sums ad on ad.cadre_id = u.id
    where u.role = 'cadre' and u.active and u.township_id = ${scope.townshipId}),
    ranked as (select l.*, rank() over (order by l.total desc)::int as rank from league l),
    counts as (select count(*) filter (where ${matches})::int as found, count(*)::int as "all" from ranked)
    select c.found, c."all", p.* from counts c
    left join lateral (
      select r.*, r.display_name as "displayName" from ranked r where ${matches}
      order by r.total desc, r.display_name, r.username limit ${list.size} offset ${(page - 1) * list.size}
    ) p on true`,
    );
  let rows = await read(list.page);
  const place = pageOf(rows[0]?.found ?? 0, list.page, list.size);
  // a page past the end shows the last one
  if (place.page !== list.page) rows = await read(place.page);
  const { offset: _offset, ...leaguePage } = place;
  return {
    month,
    rows: rows
      .filter((r) => r.cadreId)
      .map(({ found: _found, all: _all, ...r }) => ({
        rank: Number(r.rank),
        cadreId: r.cadreId,
        username: r.username,
        displayName: r.displayName,
        total: Number(r.total),
        checks: Number(r.checks),
        onTime: Number(r.onTime),
        late: Number(r.late),
        problemsFound: Number(r.problemsFound),
        problemsSolved: Number(r.problemsSolved),
        overdue: Number(r.overdue),
        adjustments: Number(r.adjustments),
      })) satisfies LeagueRow[],
    /** the township's active cadres, whatever the search */
    cadreCount: rows[0]?.all ?? 0,
    page: leaguePage,
    values: pointValues(settingsOn(settingRowsOf, scope.townshipId, day ?? from)),
  };
}

/** LIKE's wildcards typed into a search are searched for as themselves. */
function escapeLike(text: string) {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The active cadres an official may adjust, for the form's choice list. */
export async function townshipCadreList({ scope }: { scope: Scope }) {
  assertCan(scope, "points.manage");
  const d = await db();
  const rows = await d
    .select({ id: users.id, username: users.username, displayName: users.displayName })
    .from(users)
    .where(and(eq(users.role, "cadre"), eq(users.active, true), eq(users.townshipId, scope.townshipId)));
  const byName = new Intl.Collator("zh-CN");
  return rows.sort((a, b) => byName.compare(a.displayName, b.displayName));
}

// ---------- an official's bonus or deduction ----------

export async function addAdjustment(input: AdjustmentInput & { scope: Scope; today?: string }) {
  const { scope } = input;
  const today = input.today ?? todayISO();
  assertCan(scope, "points.manage");
  const { cadreId, effectiveOn, points, reason } = parseInput(AdjustmentSchema, input);
  // "today" is the server's: the form cannot know it
  if (effectiveOn > today) throw ValidationError.field("effectiveOn", "points.error.future");

  const d = await db();
  return d.transaction(async (tx) => {
    const cadre = await findCadre(tx, cadreId, scope.townshipId);
    if (!cadre) throw new NotFoundError("cadre");
    const [row] = await tx
      .insert(pointsAdjustments)
      .values({ countyId: cadre.countyId, cadreId, effectiveOn, points, reason, createdBy: scope.userId })
      .returning();
    await writeAudit(tx, {
      countyId: cadre.countyId,
      userId: scope.userId,
      action: "points.adjust",
      entity: "user",
      entityId: cadreId,
      after: { adjustmentId: row.id, effectiveOn, points, reason },
    });
    return row;
  });
}

// ---------- a problem found on a visit, marked solved ----------

export async function markProblemSolved(input: {
  scope: Scope;
  checkId: string;
  solvedOn: string;
  /** the household page's: the check must be this household's */
  householdId?: string;
  today?: string;
}) {
  const { scope, checkId } = input;
  const today = input.today ?? todayISO();
  assertCan(scope, "check.record");
  // an id that is no id names no check (and would reach the database as a cast error)
  if (!isUuid(checkId) || (input.householdId !== undefined && !isUuid(input.householdId))) {
    throw new NotFoundError("check");
  }
  const { solvedOn } = parseInput(SolvedOnSchema, input);
  const d = await db();
  return d.transaction(async (tx) => {
    // the cadre in charge of the household now, or an official of its township
    const [current] = await tx
      .select({
        id: checks.id,
        countyId: checks.countyId,
        householdId: checks.householdId,
        visitedOn: checks.visitedOn,
        problems: checks.problems,
        problemSolvedOn: checks.problemSolvedOn,
        correctsCheckId: checks.correctsCheckId,
      })
      .from(checks)
      .innerJoin(households, eq(households.id, checks.householdId))
      .where(
        and(
          eq(checks.id, checkId),
          input.householdId ? eq(checks.householdId, input.householdId) : undefined,
          householdInScope(scope),
        ),
      )
      .for("update", { of: checks });
    if (!current) throw new NotFoundError("check");
    if (current.correctsCheckId || !current.problems?.trim()) throw ValidationError.form("points.error.noProblem");
    if (current.problemSolvedOn) throw ValidationError.form("points.error.alreadySolved");
    if (solvedOn < current.visitedOn) throw ValidationError.field("solvedOn", "points.error.solvedBeforeVisit");
    if (solvedOn > today) throw ValidationError.field("solvedOn", "points.error.future");
    const updated = await tx
      .update(checks)
      .set({ problemSolvedOn: solvedOn })
      .where(and(eq(checks.id, checkId), sql`${checks.problemSolvedOn} is null`))
      .returning({ id: checks.id });
    if (updated.length === 0) throw ValidationError.form("points.error.alreadySolved");
    await writeAudit(tx, {
      countyId: current.countyId,
      userId: scope.userId,
      action: "check.problem_solved",
      entity: "check",
      entityId: checkId,
      householdId: current.householdId,
      before: { problemSolvedOn: null },
      after: { problemSolvedOn: solvedOn },
    });
    return { id: checkId, problemSolvedOn: solvedOn };
  });
}

// ---------- the problems still open ----------

export type OpenProblem = {
  checkId: string;
  householdId: string;
  headName: string;
  visitedOn: string;
  problems: string;
};

/**
 * Problems found on visits and not yet marked solved, in the caller's scope: the ones `markProblemSolved`
 * accepts (a check of its own, not a correction, with problems, no day solved), oldest visit first. One
 * household's with `householdId`; else every household's in scope (a cadre's worklist), at most `limit`.
 */
export async function openProblems({
  scope,
  householdId,
  limit = 50,
}: {
  scope: Scope;
  householdId?: string;
  limit?: number;
}): Promise<OpenProblem[]> {
  // a problem is a visit note: care detail, not for a clerk's eyes
  if (!can(scope, "care.read")) return [];
  const d = await db();
  return d
    .select({
      checkId: checks.id,
      householdId: checks.householdId,
      headName: households.headName,
      visitedOn: checks.visitedOn,
      problems: sql<string>`btrim(${checks.problems})`,
    })
    .from(checks)
    .innerJoin(households, eq(households.id, checks.householdId))
    .where(
      and(
        householdId ? eq(checks.householdId, householdId) : undefined,
        householdInScope(scope),
        sql`${checks.correctsCheckId} is null`,
        sql`${checks.problemSolvedOn} is null`,
        sql`btrim(coalesce(${checks.problems}, '')) <> ''`,
      ),
    )
    .orderBy(checks.visitedOn, checks.createdAt)
    .limit(limit);
}
