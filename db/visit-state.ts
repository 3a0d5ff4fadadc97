// household_visit_state (and household_coverage) from scratch (docs/decisions/035-visit-state.md): each household's newest check,
// newest assignment and next calendar visit (docs/decisions/039-crop-calendar.md). Triggers keep it in the
// same transaction as every write; this rebuild is for data loaded in bulk (the seed calls it at its end) and repairs the table whatever it held. The cached month
// ends of the dashboard are forgotten too: they are filled again when first read.
import { sql } from "drizzle-orm";
import type { DbOrTx } from "./client";

export async function rebuildVisitState(db: DbOrTx): Promise<void> {
  // the crop calendar's visits first: the state's next calendar visit reads them
  await db.execute(sql`delete from calendar_visits`);
  await db.execute(sql`
    insert into calendar_visits (plan_id, household_id, kind, code, stage, due_on, opens_on)
    select plan_id, household_id, kind, code, stage, due_on, opens_on from proposed_calendar_visits
    on conflict do nothing`);
  await db.execute(sql`delete from household_visit_state`);
  await db.execute(sql`
    insert into household_visit_state (household_id, last_visit, last_next_due_on, cadre_id, assigned_on, assignment_ends_on,
      next_calendar_on)
    select h.id, lc.visited_on, lc.next_due_on, la.cadre_id, la.starts_on, la.ends_on, cal.due_on
    from households h
    left join lateral (select c.visited_on, c.next_due_on from checks c where c.household_id = h.id
      order by c.visited_on desc, c.created_at desc limit 1) lc on true
    left join lateral (select a.cadre_id, a.starts_on, a.ends_on from cadre_assignments a where a.household_id = h.id
      order by a.starts_on desc, a.created_at desc limit 1) la on true
    left join lateral (select min(cv.due_on) as due_on from calendar_visits cv where cv.household_id = h.id
      and cv.opens_on > coalesce(lc.visited_on, '-infinity'::date)) cal on true
    where lc.visited_on is not null or la.starts_on is not null
      or exists (select 1 from calendar_visits cv where cv.household_id = h.id)`);
  await db.execute(sql`delete from overdue_month_counts`);
  await db.execute(sql`analyze household_visit_state`);
  // the coverage state (docs/decisions/043-coverage-state.md), one row per household from its definition
  await db.execute(sql`delete from household_coverage`);
  await db.execute(sql`insert into household_coverage (household_id, persons, open_cadre, plan_years, industry_on)
    select * from household_coverage_of(array(select id from households))`);
  await db.execute(sql`analyze household_coverage`);
}
