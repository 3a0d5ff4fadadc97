// The crop calendar (docs/decisions/039-crop-calendar.md): the administrator's key dates of each crop and
// animal, and the visits running plans propose at them. The visits themselves are kept by the database
// (calendar_visits, migration 0019) and count in the due-date rule (app/models/due.server.ts); here are the
// dates' edit and what the pages show of the visits.
import { and, eq, sql, type SQL } from "drizzle-orm";
import { queryRows, type Tx } from "../../db/client";
import { animals, crops, households } from "../../db/schema";
import type { ReferenceCalendarInput } from "~/schemas/reference-lists";
import { stagesOf, type CalendarKind, type Stage } from "~/utils/calendar";
import { db } from "~/utils/db.server";
import { writeAudit } from "./audit.server";
import { ConflictError, NotFoundError } from "./errors.server";
import { assertCan, householdInScope, type Scope } from "./scope.server";

const COLUMNS = {
  transplant: ["transplant_month", "transplant_day"],
  flowering: ["flowering_month", "flowering_day"],
  harvest: ["harvest_month", "harvest_day"],
  buyIn: ["buy_in_month", "buy_in_day"],
  sell: ["sell_month", "sell_day"],
} as const satisfies Record<Stage, readonly [string, string]>;

/** A row's key dates as "MM-DD" per stage of its kind, null where none. */
function datesOf(kind: CalendarKind, row: object): Partial<Record<Stage, string | null>> {
  const camel = (c: string) => c.replace(/_([a-z])/g, (_, x: string) => x.toUpperCase());
  return Object.fromEntries(
    stagesOf(kind).map((stage) => {
      const [m, d] = COLUMNS[stage].map((c) => (row as Record<string, unknown>)[camel(c)] as number | null);
      return [stage, m && d ? `${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}` : null];
    }),
  );
}

/** The key dates of a crop or animal entry read by the reference lists page. */
export function calendarOf(list: "crops" | "animals", row: object) {
  return datesOf(list === "crops" ? "crop" : "animal", row);
}

/**
 * New key dates for a crop or animal, at the version the page showed; audited with the dates before and
 * after. The running plans' visits follow in the same transaction (the database's triggers).
 */
export async function setCalendar({ scope, input }: { scope: Scope; input: ReferenceCalendarInput }) {
  assertCan(scope, "reference.manage");
  const { list, code, version } = input;
  const kind: CalendarKind = list === "crops" ? "crop" : "animal";
  const d = await db();
  return d.transaction(async (tx: Tx) => {
    const before = await lockCalendar(tx, list, code, version);
    const at = (stage: Stage) => input[stage] ?? null;
    const bump = { version: sql`version + 1`, updatedAt: new Date() };
    const [after] =
      list === "crops"
        ? await tx
            .update(crops)
            .set({
              transplantMonth: at("transplant")?.month ?? null,
              transplantDay: at("transplant")?.day ?? null,
              floweringMonth: at("flowering")?.month ?? null,
              floweringDay: at("flowering")?.day ?? null,
              harvestMonth: at("harvest")?.month ?? null,
              harvestDay: at("harvest")?.day ?? null,
              ...bump,
            })
            .where(and(eq(crops.code, code), eq(crops.version, version)))
            .returning()
        : await tx
            .update(animals)
            .set({
              buyInMonth: at("buyIn")?.month ?? null,
              buyInDay: at("buyIn")?.day ?? null,
              sellMonth: at("sell")?.month ?? null,
              sellDay: at("sell")?.day ?? null,
              ...bump,
            })
            .where(and(eq(animals.code, code), eq(animals.version, version)))
            .returning();
    if (!after) throw new ConflictError("reference");
    await writeAudit(tx, {
      countyId: scope.countyId,
      userId: scope.userId,
      action: "reference.calendar",
      entity: "reference",
      entityId: null,
      before: { list, code, calendar: datesOf(kind, before) },
      after: { list, code, calendar: datesOf(kind, after) },
    });
    return { code, version: after.version };
  });
}

/** The entry the page showed, locked for the change, at its version. */
async function lockCalendar(tx: Tx, list: "crops" | "animals", code: string, version: number) {
  const [row] =
    list === "crops"
      ? await tx.select().from(crops).where(eq(crops.code, code)).for("update")
      : await tx.select().from(animals).where(eq(animals.code, code)).for("update");
  if (!row) throw new NotFoundError("reference");
  if (row.version !== version) throw new ConflictError("reference");
  return row;
}

/** Visit labels need the entry's names whichever list it is in. */
const itemNames = (kind: SQL, code: SQL) => sql`
  case ${kind} when 'crop' then (select c.name_zh from crops c where c.code = ${code})
    else (select a.name_zh from animals a where a.code = ${code}) end as "itemZh",
  case ${kind} when 'crop' then (select c.name_en from crops c where c.code = ${code})
    else (select a.name_en from animals a where a.code = ${code}) end as "itemEn"`;

/** A calendar visit as the pages show it: its stage, the crop's or animal's names, its date. */
export type CalendarVisitView = { stage: Stage; itemZh: string; itemEn: string; dueOn: string };

/**
 * The calendar visit a due date comes from, for the household row of `householdId` whose last visit is
 * `lastVisit` and due date `dueOn`, as a lateral subquery (stage, "itemZh", "itemEn"); no row when the
 * interval set the date.
 */
export function calendarReasonSql(householdId: SQL, dueOn: SQL, lastVisit: SQL): SQL {
  return sql`(select cv.stage, ${itemNames(sql`cv.kind`, sql`cv.code`)}
    from calendar_visits cv
    where cv.household_id = ${householdId} and cv.due_on = ${dueOn}
      and cv.opens_on > coalesce(${lastVisit}, '-infinity'::date)
    order by cv.kind desc, cv.code, cv.stage limit 1)`;
}

/**
 * The calendar visits whose window is open on `today` and which no check has made yet: what a check
 * recorded today is for. Empty when the household is out of the scope.
 */
export async function openCalendarVisits({
  scope,
  householdId,
  today,
}: {
  scope: Scope;
  householdId: string;
  today: string;
}): Promise<CalendarVisitView[]> {
  return queryRows<CalendarVisitView>(
    await db(),
    sql`select cv.stage, cv.due_on::text as "dueOn", ${itemNames(sql`cv.kind`, sql`cv.code`)}
      from ${households}
      join calendar_visits cv on cv.household_id = ${households.id}
      left join household_visit_state s on s.household_id = cv.household_id
      where ${households.id} = ${householdId} and ${householdInScope(scope)}
        and cv.opens_on <= ${today}::date and cv.opens_on > coalesce(s.last_visit, '-infinity'::date)
      order by cv.due_on, cv.kind desc, cv.code, cv.stage`,
  );
}

export type HouseholdSeason = Awaited<ReturnType<typeof householdSeason>>;

/**
 * The household's season in `year` for the timeline: each crop and animal of the year's plan with its key
 * dates, and the visits the plan proposes (made or not by today's checks). Null without a plan that year.
 */
export async function householdSeason({
  scope,
  householdId,
  year,
}: {
  scope: Scope;
  householdId: string;
  year: number;
}) {
  assertCan(scope, "care.read");
  const d = await db();
  const items = await queryRows<{ kind: CalendarKind; code: string } & Record<string, unknown>>(
    d,
    sql`select 'crop' as kind, c.code, c.name_zh as "nameZh", c.name_en as "nameEn", i.position,
        c.transplant_month as "transplantMonth", c.transplant_day as "transplantDay",
        c.flowering_month as "floweringMonth", c.flowering_day as "floweringDay",
        c.harvest_month as "harvestMonth", c.harvest_day as "harvestDay",
        null::int as "buyInMonth", null::int as "buyInDay", null::int as "sellMonth", null::int as "sellDay"
      from plans p join ${households} on ${households.id} = p.household_id
      join plan_planting_items i on i.plan_id = p.id join crops c on c.code = i.crop_code
      where p.household_id = ${householdId} and p.year = ${year} and ${householdInScope(scope)}
      union all
      select distinct on (a.code) 'animal', a.code, a.name_zh, a.name_en, 1000 + i.position,
        null, null, null, null, null, null, a.buy_in_month, a.buy_in_day, a.sell_month, a.sell_day
      from plans p join ${households} on ${households.id} = p.household_id
      join plan_raising_items i on i.plan_id = p.id join animals a on a.code = i.animal_code
      where p.household_id = ${householdId} and p.year = ${year} and ${householdInScope(scope)}
      order by 5, 2`,
  );
  if (!items.length) return null;
  const visits = await queryRows<{ kind: CalendarKind; code: string; stage: Stage; dueOn: string; made: boolean }>(
    d,
    sql`select cv.kind, cv.code, cv.stage, cv.due_on::text as "dueOn",
        exists (select 1 from checks c where c.household_id = cv.household_id and c.visited_on >= cv.opens_on) as made
      from calendar_visits cv join plans p on p.id = cv.plan_id
      where cv.household_id = ${householdId} and p.year = ${year}
      order by cv.due_on, cv.code, cv.stage`,
  );
  return {
    year,
    rows: items.map((r) => ({
      kind: r.kind,
      code: r.code,
      nameZh: String(r.nameZh),
      nameEn: String(r.nameEn),
      dates: datesOf(r.kind, r),
      visits: visits
        .filter((v) => v.kind === r.kind && v.code === r.code)
        .map(({ stage, dueOn, made }) => ({ stage, dueOn, made })),
    })),
  };
}
