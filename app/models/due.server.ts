// The due-date rule (domain rule 8) in SQL: the one place the worklist, the overdue lists, the home
// counts, coverage, the dashboard and the points card take it from. app/utils/due.ts is the same rule in
// TypeScript; tests/integration/due.test.ts holds the two together.
import { sql, type SQL } from "drizzle-orm";
import { queryRows } from "../../db/client";
import { db } from "~/utils/db.server";
import type { DueSettings } from "~/utils/due";
import { settingsJson, stepsSql, timelineOf, usableSettingRows, valueOn, type SettingRow } from "./settings.server";

const KEYS = ["check.intervalDays", "check.monitoredIntervalDays"] as const;

/**
 * The check intervals through time: the county-wide ones and each township's own where it set them, each
 * from the day it took effect. A due date is judged as of a day with the intervals in effect on that day
 * (docs/decisions/028-settings-effective-dates.md): a change from tomorrow moves no figure of today, and a
 * past month keeps the intervals of its last day.
 */
export type DueIntervals = {
  rows: SettingRow[];
  townships: string[];
  /**
   * The latest visit or assignment start in household_visit_state: from that day on the table's newest
   * check and assignment are those of the day (docs/decisions/035-visit-state.md); null when empty.
   */
  stateLatest: string | null;
};

/**
 * The intervals that apply to households of `townshipId`, or of every township (null, the county). Read
 * once per request so the SQL carries constants, not a join to settings per household.
 */
export async function dueIntervals(townshipId: string | null): Promise<DueIntervals> {
  const d = await db();
  // one round trip: the settings rows and the state table's latest day
  const [row] = await queryRows<{ rows: Parameters<typeof usableSettingRows>[0]; day: string | null }>(
    d,
    sql`select ${settingsJson(townshipId ?? "all", KEYS)} as rows,
      greatest((select max(last_visit) from household_visit_state),
        (select max(assigned_on) from household_visit_state))::text as day`,
  );
  const rows = usableSettingRows(row?.rows ?? []);
  const townships = [...new Set(rows.flatMap((r) => (r.regionId ? [r.regionId] : [])))];
  return { rows, townships, stateLatest: row?.day ?? null };
}

/** The intervals of one township (null: the county's) on `day`, as plain numbers (for the page's explanation). */
export function intervalsOf(i: DueIntervals, townshipId: string | null, day: string): DueSettings {
  return {
    "check.intervalDays": valueOn(i.rows, "check.intervalDays", townshipId, day),
    "check.monitoredIntervalDays": valueOn(i.rows, "check.monitoredIntervalDays", townshipId, day),
  };
}

const col = (alias: string, column: string) => sql.raw(`${alias}.${column}`);

/**
 * The interval in days of the household row `h` (a households row under that alias) as of `day`: for a
 * day given as text, constants picked here; for a day that varies per row (a visit's, a month end's), a
 * case over the days the values changed.
 */
export function intervalSql(i: DueIntervals, day: string | SQL, h = "h"): SQL {
  const one = (key: (typeof KEYS)[number]) => {
    const of = (townshipId: string | null) =>
      typeof day === "string"
        ? sql`${valueOn(i.rows, key, townshipId, day)}::int`
        : stepsSql(timelineOf(i.rows, key, townshipId), day);
    const whens = i.townships.map((id) => sql`when ${id}::uuid then ${of(id)}`);
    return whens.length
      ? sql`(case ${col(h, "township_id")} ${sql.join(whens, sql` `)} else ${of(null)} end)`
      : of(null);
  };
  return sql`(case when ${col(h, "poverty_status")} = 'monitored' then ${one("check.monitoredIntervalDays")} else ${one("check.intervalDays")} end)`;
}

/**
 * The household's next calendar visit not made by a check on `lastVisit` (null: never visited): the
 * earliest of its plans' visits whose window opened after it (docs/decisions/039-crop-calendar.md). Probes
 * calendar_visits_household_idx.
 */
export function calendarDueSql(householdId: SQL, lastVisit: SQL): SQL {
  return sql`(select min(cv.due_on) from calendar_visits cv
    where cv.household_id = ${householdId} and cv.opens_on > coalesce(${lastVisit}, '-infinity'::date))`;
}

/**
 * The rule's formula for the household row `h`, given its last check (visit date and the next due date
 * it set; both null when never visited) and the start of the assignment in force (null without one): the
 * earlier of the interval's date and the next calendar visit not yet made (`calendarOn`, looked up in
 * calendar_visits unless given).
 */
export function dueOnSql(
  i: DueIntervals,
  parts: { h?: string; asOf: string | SQL; lastVisit: SQL; nextDueOn: SQL; assignedOn: SQL; calendarOn?: SQL },
): SQL {
  const h = parts.h ?? "h";
  const interval = intervalSql(i, parts.asOf, h);
  const calendarOn = parts.calendarOn ?? calendarDueSql(col(h, "id"), parts.lastVisit);
  // greatest() skips a null: without a cadre, registration alone; least() skips it too: no calendar visit
  return sql`least((case when ${parts.lastVisit} is null
      then greatest(coalesce(${col(h, "registered_on")}, ${col(h, "created_at")}::date), ${parts.assignedOn}) + ${interval}
      else coalesce(${parts.nextDueOn}, ${parts.lastVisit} + ${interval}) end), ${calendarOn})`;
}

/**
 * The assignment in force on `day` for the household id `householdId`, as a lateral subquery
 * (cadre_id, starts_on). A handover day can hold the old assignment's last day and the new one's first:
 * the newer wins. Probes cadre_assignments_household_idx.
 */
export function assignmentOnSql(householdId: SQL, day: SQL): SQL {
  return sql`(select a.cadre_id, a.starts_on from cadre_assignments a
    where a.household_id = ${householdId} and a.starts_on <= ${day} and (a.ends_on is null or a.ends_on >= ${day})
    order by a.starts_on desc, a.created_at desc limit 1)`;
}

/** The last check on or before `day` (a correction counts as a visit on its own date); probes checks_household_visited_idx. */
function lastCheckOnSql(householdId: SQL, day: SQL): SQL {
  return sql`(select c.visited_on, c.next_due_on from checks c
    where c.household_id = ${householdId} and c.visited_on <= ${day}
    order by c.visited_on desc, c.created_at desc limit 1)`;
}

/**
 * The due date as of `day` of the households row `h` of the outer query, as a lateral subquery
 * (`${visitStateJoin()} left join lateral ${dueOfSql(…)} due on true`): last_visit, cadre_id (the cadre in
 * charge that day, null without one), due_on. The query joins household_visit_state as `s` (visitStateJoin).
 *
 * The inputs come from household_visit_state (docs/decisions/035-visit-state.md), the household's newest
 * check and newest assignment kept by triggers: when neither is dated after `day` (for every household on
 * every day from the last write on, which is every page's today) they are the last check on or before
 * the day and the assignment in force that day, and no index is probed. A household whose newest visit
 * or assignment is dated after the day has the two looked up in checks and cadre_assignments as of that
 * day (dueOfRecordsSql); so has every household for a day given as SQL (a month end per row).
 */
export function dueOfSql(day: string | SQL, i: DueIntervals, h = "h", s = "s"): SQL {
  if (typeof day !== "string") return dueOfRecordsSql(day, i, h);
  const st = (column: string) => col(s, column);
  const inForce = sql`(${st("assignment_ends_on")} is null or ${st("assignment_ends_on")} >= ${day}::date)`;
  const fromState = sql`select ${st("last_visit")} as last_visit, case when ${inForce} then ${st("cadre_id")} end as cadre_id,
      ${dueOnSql(i, { h, asOf: day, lastVisit: st("last_visit"), nextDueOn: st("last_next_due_on"), assignedOn: sql`case when ${inForce} then ${st("assigned_on")} end`, calendarOn: st("next_calendar_on") })} as due_on`;
  if (i.stateLatest === null || day >= i.stateLatest) return sql`(${fromState})`;
  // An earlier day: only the households whose newest visit or assignment is dated after it look their
  // inputs up as of the day; the others' state is still that day's (one future-dated row used to send
  // every household of the county to the lookups: 13.5 s for the admin's home).
  const newer = sql`(coalesce(${st("last_visit")} > ${day}::date, false) or coalesce(${st("assigned_on")} > ${day}::date, false))`;
  return sql`(${fromState} where not ${newer}
    union all
    select r.last_visit, r.cadre_id, r.due_on from ${dueOfRecordsSql(day, i, h)} r where ${newer})`;
}

/** The join dueOfSql reads its inputs from: `left join household_visit_state s on s.household_id = h.id`. */
export function visitStateJoin(h = "h", s = "s"): SQL {
  return sql`left join household_visit_state ${sql.raw(s)} on ${col(s, "household_id")} = ${col(h, "id")}`;
}

/**
 * The same as of `day` from the checks and assignments themselves, two index probes per household: the
 * definition household_visit_state stands in for (the tests compare the two).
 */
export function dueOfRecordsSql(day: string | SQL, i: DueIntervals, h = "h"): SQL {
  const d = typeof day === "string" ? sql`${day}::date` : day;
  return sql`(select lc.visited_on as last_visit, ca.cadre_id,
      ${dueOnSql(i, { h, asOf: day, lastVisit: sql`lc.visited_on`, nextDueOn: sql`lc.next_due_on`, assignedOn: sql`ca.starts_on` })} as due_on
    from (select 1) one
    left join lateral ${lastCheckOnSql(col(h, "id"), d)} lc on true
    left join lateral ${assignmentOnSql(col(h, "id"), d)} ca on true)`;
}

/**
 * A subquery of households matching `where` (written against alias `h`), one row each, as of `day`:
 * household_id, last_visit, cadre_id, due_on.
 */
export function householdDue(where: SQL, day: string, i: DueIntervals): SQL {
  return sql`(
    select h.id as household_id, due.last_visit, due.cadre_id, due.due_on
    from households h
    ${visitStateJoin()}
    left join lateral ${dueOfSql(day, i)} due on true
    where ${where}
  )`;
}

/**
 * Overdue on `day`, for a row of householdDue under `alias`: a cadre is in charge and the due date is
 * before the day. A household without a cadre is no one's visit to be late; coverage names it under
 * its missing cadre instead.
 */
export function overdueSql(day: string | SQL, alias = "due"): SQL {
  const d = typeof day === "string" ? sql`${day}::date` : day;
  return sql`(${col(alias, "cadre_id")} is not null and ${col(alias, "due_on")} < ${d})`;
}
