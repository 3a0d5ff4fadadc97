// household_visit_state and the dashboard's kept month ends (docs/decisions/035-visit-state.md) are derived
// data: after any sequence of writes they must equal what the checks and assignments say from scratch.
// Random writes of every kind the triggers watch (checks recorded, moved, re-dated, deleted; assignments
// opened, ended, handed over, removed; households moved and re-classed; intervals changed; plans, their
// crops and animals, and the crop calendar's key dates changed), then the table
// against a rebuild, today's due dates against the per-household lookup, and the 12 months of the chart
// against the same chart with nothing kept.
import crypto from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { expect, test } from "vitest";
import { queryRows, schema } from "../../db/client";
import { overdueByMonth } from "~/models/dashboard.server";
import { dueIntervals, dueOfRecordsSql, dueOfSql, visitStateJoin } from "~/models/due.server";
import { scopeOf } from "~/models/scope.server";
import { db } from "~/utils/db.server";
import { addPlanItems, createHousehold, createPlan, createUser, createWorld, setSetting } from "../support/factories";

function random(seed: number) {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { int: (n: number) => Math.floor(next() * n), pick: <T>(xs: T[]) => xs[Math.floor(next() * xs.length)] };
}

const TODAY = "2026-09-14";
const EARLIER = "2026-06-30";
const day = (r: ReturnType<typeof random>, back = 420) => {
  const d = new Date(`${TODAY}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - r.int(back));
  return d.toISOString().slice(0, 10);
};

type Db = Awaited<ReturnType<typeof db>>;

const FROM_SCRATCH = sql`
  select h.id as household_id, lc.visited_on::text as last_visit, lc.next_due_on::text as last_next_due_on,
    la.cadre_id, la.starts_on::text as assigned_on, la.ends_on::text as assignment_ends_on,
    cal.due_on::text as next_calendar_on
  from households h
  left join lateral (select c.visited_on, c.next_due_on from checks c where c.household_id = h.id
    order by c.visited_on desc, c.created_at desc limit 1) lc on true
  left join lateral (select a.cadre_id, a.starts_on, a.ends_on from cadre_assignments a where a.household_id = h.id
    order by a.starts_on desc, a.created_at desc limit 1) la on true
  left join lateral (select min(v.due_on) as due_on from proposed_calendar_visits v where v.household_id = h.id
    and v.opens_on > coalesce(lc.visited_on, '-infinity'::date)) cal on true
  where lc.visited_on is not null or la.starts_on is not null or cal.due_on is not null
  order by h.id`;

const KEPT = sql`
  select household_id, last_visit::text, last_next_due_on::text, cadre_id, assigned_on::text, assignment_ends_on::text,
    next_calendar_on::text
  from household_visit_state
  where last_visit is not null or assigned_on is not null or next_calendar_on is not null
  order by household_id`;

/** The crop calendar's visits as kept, and as the plans propose them now. */
const VISITS = (table: "calendar_visits" | "proposed_calendar_visits") =>
  sql`select plan_id, household_id, kind, code, stage, due_on::text, opens_on::text from ${sql.raw(table)}
    order by plan_id, kind, code, stage`;

async function dueBoth(d: Db, today: string) {
  const i = await dueIntervals(null);
  const kept = await queryRows(
    d,
    sql`select h.id, due.cadre_id, due.due_on::text from households h ${visitStateJoin()}
      left join lateral ${dueOfSql(today, i)} due on true order by h.id`,
  );
  const records = await queryRows(
    d,
    sql`select h.id, due.cadre_id, due.due_on::text from households h
      left join lateral ${dueOfRecordsSql(today, i)} due on true order by h.id`,
  );
  return { kept, records, stateLatest: i.stateLatest };
}

test("after random writes of every kind, the visit state and the kept month ends equal a count from scratch", async () => {
  const d = await db();
  const world = await createWorld(d);
  const admin = scopeOf(await createUser(d, world, "admin"));
  const official = scopeOf(await createUser(d, world, "official", { townshipIndex: 1 }));
  const cadres = [
    await createUser(d, world, "cadre", { townshipIndex: 0 }),
    await createUser(d, world, "cadre", { townshipIndex: 1 }),
  ];
  const homes: string[] = [];
  for (let k = 0; k < 12; k++) homes.push((await createHousehold(d, world, { villageIndex: k % 4 })).id);
  const r = random(35);
  let tick = 0;
  const at = () => new Date(Date.UTC(2026, 0, 1) + ++tick * 1000);
  const checkIds: string[] = [];
  const assignmentIds: string[] = [];
  const planIds: string[] = [];

  const write = async (step: number) => {
    const kind = r.int(12);
    const household = r.pick(homes);
    switch (kind) {
      case 0:
      case 1: {
        const visitedOn = day(r);
        const id = crypto.randomUUID();
        await d.insert(schema.checks).values({
          id,
          countyId: world.county.id,
          householdId: household,
          cadreId: r.pick(cadres).id,
          visitedOn,
          nextDueOn: r.int(3) === 0 ? TODAY : null,
          livingStatus: "on_track",
          plantingStatus: "on_track",
          raisingStatus: "on_track",
          createdAt: at(),
        });
        checkIds.push(id);
        return;
      }
      case 2:
        if (checkIds.length)
          await d
            .update(schema.checks)
            .set({ visitedOn: day(r) })
            .where(eq(schema.checks.id, r.pick(checkIds)));
        return;
      case 3:
        if (checkIds.length) {
          const id = checkIds.splice(r.int(checkIds.length), 1)[0];
          await d.delete(schema.checks).where(eq(schema.checks.correctsCheckId, id));
          await d.delete(schema.checks).where(eq(schema.checks.id, id));
        }
        return;
      case 4: {
        // a hand-over: the open assignment ends the day before, a new one opens
        const startsOn = day(r, 200);
        await d
          .update(schema.cadreAssignments)
          .set({ endsOn: sql`greatest(${schema.cadreAssignments.startsOn}, ${startsOn}::date - 1)` })
          .where(
            sql`${schema.cadreAssignments.householdId} = ${household} and ${schema.cadreAssignments.endsOn} is null`,
          );
        const later = await queryRows<{ n: number }>(
          d,
          sql`select count(*)::int as n from cadre_assignments where household_id = ${household} and starts_on > ${startsOn}::date`,
        );
        if (Number(later[0].n) > 0) return;
        const id = crypto.randomUUID();
        await d.insert(schema.cadreAssignments).values({
          id,
          countyId: world.county.id,
          householdId: household,
          cadreId: r.pick(cadres).id,
          startsOn,
          createdAt: at(),
        });
        assignmentIds.push(id);
        return;
      }
      case 5:
        await d
          .update(schema.cadreAssignments)
          .set({ endsOn: sql`greatest(${schema.cadreAssignments.startsOn}, ${day(r, 60)}::date)` })
          .where(
            sql`${schema.cadreAssignments.householdId} = ${household} and ${schema.cadreAssignments.endsOn} is null`,
          );
        return;
      case 6:
        if (assignmentIds.length) {
          const id = assignmentIds.splice(r.int(assignmentIds.length), 1)[0];
          await d.delete(schema.cadreAssignments).where(eq(schema.cadreAssignments.id, id));
        }
        return;
      case 7: {
        const village = r.pick(world.villages);
        await d
          .update(schema.households)
          .set({
            villageId: village.id,
            townshipId: village.parentId,
            povertyStatus: r.pick(["registered", "monitored", "lifted"] as const),
            registeredOn: r.int(2) ? day(r, 700) : null,
          })
          .where(eq(schema.households.id, household));
        return;
      }
      case 8:
        await setSetting(
          r.pick(["check.intervalDays", "check.monitoredIntervalDays"] as const),
          10 + r.int(40),
          r.int(2) ? null : world.townships[1].id,
          day(r, 300),
        );
        return;
      case 9: {
        // a plan of this or last year: new, or moved along its statuses
        const year = r.pick([2025, 2026]);
        const status = r.pick(["draft", "approved", "in_progress", "completed"] as const);
        const approvedAt = r.int(2) ? new Date(`${day(r, 300)}T03:00:00Z`) : null;
        const [plan] = await d
          .select({ id: schema.plans.id })
          .from(schema.plans)
          .where(sql`${schema.plans.householdId} = ${household} and ${schema.plans.year} = ${year}`);
        if (plan) await d.update(schema.plans).set({ status, approvedAt }).where(eq(schema.plans.id, plan.id));
        else planIds.push((await createPlan(d, world, household, { year, status, approvedAt })).id);
        return;
      }
      case 10: {
        // a crop or an animal added to or taken off a plan
        if (!planIds.length) return;
        const planId = r.pick(planIds);
        const crop = r.pick(["chili", "potato", "cabbage", "cowpea", "corn"]);
        const removed = await d
          .delete(schema.plantingItems)
          .where(sql`${schema.plantingItems.planId} = ${planId} and ${schema.plantingItems.cropCode} = ${crop}`)
          .returning();
        if (!removed.length) {
          await addPlanItems(d, world, planId, {
            planting: [{ cropCode: crop, area: 10 }],
            raising: r.int(2) ? [{ animalCode: r.pick(["pig", "chicken"]), headCount: 1 }] : [],
          });
        }
        return;
      }
      case 11:
        // the administrator moves a key date
        if (r.int(2))
          await d
            .update(schema.crops)
            .set({ floweringMonth: 1 + r.int(12), floweringDay: 1 + r.int(28) })
            .where(eq(schema.crops.code, r.pick(["chili", "potato", "cowpea"])));
        else
          await d
            .update(schema.animals)
            .set({ sellMonth: 1 + r.int(12), sellDay: 1 + r.int(28) })
            .where(eq(schema.animals.code, r.pick(["pig", "chicken"])));
        return;
      default:
        throw new Error(`step ${step}`);
    }
  };

  let partial = 0;
  let mixed = 0;
  // the chart read once: its past months are kept, and every later write must reach them
  await overdueByMonth(admin as never, TODAY);
  for (let step = 0; step < 160; step++) {
    await write(step);
    if (step % 4 === 3) {
      expect(await queryRows(d, VISITS("calendar_visits"))).toEqual(
        await queryRows(d, VISITS("proposed_calendar_visits")),
      );
      expect(await queryRows(d, KEPT)).toEqual(await queryRows(d, FROM_SCRATCH));
      const both = await dueBoth(d, TODAY);
      expect(both.stateLatest === null || both.stateLatest <= TODAY).toBe(true);
      expect(both.kept).toEqual(both.records);
      // a day before some households' newest visit or assignment: those look up the records, the rest read the state
      const earlier = await dueBoth(d, EARLIER);
      expect(earlier.kept).toEqual(earlier.records);
      if (earlier.stateLatest && earlier.stateLatest > EARLIER) mixed++;
      const kept = await queryRows<{ n: number }>(d, sql`select count(*)::int as n from overdue_month_counts`);
      // some months kept, some forgotten: both paths of the chart are taken
      if (Number(kept[0].n) > 0 && Number(kept[0].n) < world.villages.length * 11) partial++;
      const withKept = [await overdueByMonth(admin as never, TODAY), await overdueByMonth(official as never, TODAY)];
      await d.execute(sql`delete from overdue_month_counts`);
      const fresh = [await overdueByMonth(official as never, TODAY), await overdueByMonth(admin as never, TODAY)];
      expect(withKept).toEqual([fresh[1], fresh[0]]);
    }
  }
  expect(partial).toBeGreaterThan(5);
  // the earlier day was taken while some households had a newer visit or assignment (those looked up)
  expect(mixed).toBeGreaterThan(5);
  // an earlier day than the table's newest entries is looked up in the records, and agrees with them
  const earlier = await dueBoth(d, "2026-03-31");
  expect(earlier.kept).toEqual(earlier.records);
}, 240_000);
