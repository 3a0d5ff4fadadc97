// The due-date rule of app/utils/due.ts in SQL, for lists that rank or count thousands of households.
import { sql, type SQL } from "drizzle-orm";
import type { DueSettings } from "~/utils/due";

/**
 * A subquery of households matching `where` (written against alias `h`), one row each:
 * household_id, last_visit, due_on. The last check is the newest by visit date (a correction counts
 * as a visit on its own date).
 */
export function householdDue(where: SQL, s: DueSettings): SQL {
  return sql`(
    select h.id as household_id, lc.visited_on as last_visit,
      coalesce(
        lc.next_due_on,
        coalesce(lc.visited_on, coalesce(h.registered_on, h.created_at::date))
          + (case when h.poverty_status = 'monitored' then ${s["check.monitoredIntervalDays"]}::int else ${s["check.intervalDays"]}::int end)
      ) as due_on
    from households h
    left join lateral (
      select c.visited_on, c.next_due_on from checks c
      where c.household_id = h.id
      order by c.visited_on desc, c.created_at desc
      limit 1
    ) lc on true
    where ${where}
  )`;
}
