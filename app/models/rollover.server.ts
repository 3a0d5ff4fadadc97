// The year turns (domain rule 10): next year's plans start as drafts copied from this year's — zones, crops,
// animals, measures and the income target, never the funds — for every household of the official's
// township (or one village), in one transaction. A household that left poverty monitoring, one without a
// plan this year, and one whose courtyard has since shrunk below its zones are skipped, and named; one that
// already has next year's plan is left alone. Set-based SQL: a township of 5,000 households is one statement
// per table, not 5,000 round trips.
import { sql } from "drizzle-orm";
import { queryRows } from "../../db/client";
import { db } from "~/utils/db.server";
import { writeAudits } from "./audit.server";
import { assertCan, type Scope } from "./scope.server";
import { ValidationError } from "./errors.server";

export type RolloverSkip = {
  householdId: string;
  code: string;
  head: string | null;
  village: string;
  reason: "lifted" | "noPlan" | "courtyardShrunk";
};

type Options = { scope: Scope; fromYear: number; villageId?: string };

function where(scope: Scope & { townshipId: string }, villageId?: string) {
  return villageId
    ? sql`h.township_id = ${scope.townshipId} and h.village_id = ${villageId}`
    : sql`h.township_id = ${scope.townshipId}`;
}

/** What a rollover would do: how many drafts it would start, how many exist already, who is skipped. */
export async function previewRollover({ scope, fromYear, villageId }: Options) {
  assertCan(scope, "plan.rollover");
  const d = await db();
  const inScope = where(scope, villageId);
  const [counts] = await queryRows<{ copies: number; existing: number }>(
    d,
    sql`select
          count(*) filter (where p.id is not null and h.poverty_status <> 'lifted' and n.id is null
            and p.living_area + p.planting_area + p.raising_area <= h.courtyard_area)::int as copies,
          count(*) filter (where n.id is not null)::int as existing
        from households h
        left join plans p on p.household_id = h.id and p.year = ${fromYear}
        left join plans n on n.household_id = h.id and n.year = ${fromYear + 1}
        where ${inScope}`,
  );
  return {
    fromYear,
    toYear: fromYear + 1,
    copies: counts.copies,
    existing: counts.existing,
    skipped: await skipped(scope, fromYear, villageId),
  };
}

async function skipped(scope: Scope & { townshipId: string }, fromYear: number, villageId?: string) {
  const d = await db();
  return queryRows<RolloverSkip>(
    d,
    sql`select h.id as "householdId", h.code, v.name as village,
          (select m.name from members m where m.household_id = h.id and m.relation = 'head' limit 1) as head,
          case when h.poverty_status = 'lifted' then 'lifted'
               when p.id is null then 'noPlan'
               else 'courtyardShrunk' end as reason
        from households h
        join regions v on v.id = h.village_id
        left join plans p on p.household_id = h.id and p.year = ${fromYear}
        where ${where(scope, villageId)}
          and not exists (select 1 from plans n where n.household_id = h.id and n.year = ${fromYear + 1})
          and (h.poverty_status = 'lifted' or p.id is null
               or p.living_area + p.planting_area + p.raising_area > h.courtyard_area)
        order by v.name, h.code`,
  );
}

/** Starts next year's drafts; returns how many, and who was skipped and why. */
export async function rollOverYear({ scope, fromYear, villageId }: Options) {
  assertCan(scope, "plan.rollover");
  if (!Number.isInteger(fromYear) || fromYear < 2000 || fromYear > 2100)
    throw ValidationError.field("year", "rollover.error.year");
  const d = await db();
  const toYear = fromYear + 1;
  const created = await d.transaction(async (tx) => {
    const plans = await queryRows<{ id: string; householdId: string; sourceId: string; countyId: string }>(
      tx,
      sql`with src as (
            select p.*, h.courtyard_area as registered
            from plans p join households h on h.id = p.household_id
            where p.year = ${fromYear} and ${where(scope, villageId)}
              and h.poverty_status <> 'lifted'
              and p.living_area + p.planting_area + p.raising_area <= h.courtyard_area
              and not exists (select 1 from plans n where n.household_id = p.household_id and n.year = ${toYear})
          ), ins as (
            insert into plans (county_id, household_id, year, status, courtyard_area, living_area, planting_area,
                               raising_area, measures, income_target_fen, created_by)
            select county_id, household_id, ${toYear}, 'draft', registered, living_area, planting_area, raising_area,
                   measures, income_target_fen, ${scope.userId}
            from src
            -- a draft made by someone else at the same moment wins; this one is not made
            on conflict (household_id, year) do nothing
            returning id, household_id, county_id
          )
          select ins.id, ins.household_id as "householdId", ins.county_id as "countyId", src.id as "sourceId"
          from ins join src on src.household_id = ins.household_id`,
    );
    if (plans.length === 0) return plans;
    const pairs = sql.join(
      plans.map((p) => sql`(${p.id}::uuid, ${p.sourceId}::uuid)`),
      sql`, `,
    );
    await tx.execute(sql`
      insert into plan_planting_items (county_id, plan_id, crop_code, area, expected_yield_kg, position)
      select i.county_id, m.new_id, i.crop_code, i.area, i.expected_yield_kg, i.position
      from (values ${pairs}) as m(new_id, old_id) join plan_planting_items i on i.plan_id = m.old_id`);
    await tx.execute(sql`
      insert into plan_raising_items (county_id, plan_id, animal_code, head_count, position)
      select i.county_id, m.new_id, i.animal_code, i.head_count, i.position
      from (values ${pairs}) as m(new_id, old_id) join plan_raising_items i on i.plan_id = m.old_id`);
    await tx.execute(sql`
      insert into plan_events (county_id, plan_id, from_status, to_status, user_id)
      select p.county_id, p.id, null, 'draft', ${scope.userId}::uuid from plans p
      where p.id in (select m.new_id from (values ${pairs}) as m(new_id, old_id))`);
    await writeAudits(
      tx,
      plans.map((p) => ({
        countyId: p.countyId,
        userId: scope.userId,
        action: "plan.rollover",
        entity: "plan" as const,
        entityId: p.id,
        householdId: p.householdId,
        after: { year: toYear, status: "draft", copiedFrom: p.sourceId },
      })),
    );
    return plans;
  });
  return { fromYear, toYear, created: created.length, skipped: await skipped(scope, fromYear, villageId) };
}
