// household_coverage (docs/decisions/043-coverage-state.md) is derived data: after any sequence of writes,
// also concurrent ones, each household's kept ingredients judged on a day must give the coverage flags
// the records give on that day, read the way the coverage register read them before the table existed
// (one EXISTS per condition). Random writes of every kind the triggers watch: members added, moved and
// removed; assignments opened, ended, removed; plans created and moved along; memberships joined and
// left; order allocations, their changes, the orders' status and delivery end; fund allocations, their
// reversals and the projects' type.
import crypto from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { expect, test } from "vitest";
import { queryRows, schema } from "../../db/client";
import { rebuildVisitState } from "../../db/visit-state";
import { db } from "~/utils/db.server";
import {
  createAidProject,
  createBuyer,
  createCooperative,
  createHousehold,
  createPlan,
  createPurchaseOrder,
  createUser,
  createWorld,
  newIdNumber,
} from "../support/factories";
import { raceTest } from "../support/test-db";

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

const day = (r: ReturnType<typeof random>) => {
  const d = new Date("2027-03-31T00:00:00Z");
  d.setUTCDate(d.getUTCDate() - r.int(900));
  return d.toISOString().slice(0, 10);
};

/** The days the flags are compared on: year ends and starts, inside a year, before and after the writes' days. */
const DAYS = ["2024-06-01", "2025-01-01", "2025-12-31", "2026-01-01", "2026-04-01", "2026-09-14", "2027-02-28"];

type Db = Awaited<ReturnType<typeof db>>;

/** The flags from the records, as the register computed them with one EXISTS per condition. */
const fromRecords = (today: string) => {
  const yearStart = `${today.slice(0, 4)}-01-01`;
  return sql`
  select h.id,
    (select count(*) from members m where m.household_id = h.id)::int as persons,
    exists (select 1 from plans p where p.household_id = h.id and p.year = ${Number(today.slice(0, 4))}::int
      and p.status in ('approved', 'in_progress', 'completed')) as plan_ok,
    exists (select 1 from cadre_assignments a where a.household_id = h.id and a.ends_on is null) as cadre_ok,
    (exists (select 1 from memberships ms where ms.household_id = h.id and ms.joined_on <= ${today}::date
        and (ms.left_on is null or ms.left_on > ${today}::date))
      or exists (select 1 from order_allocations oa join purchase_orders o on o.id = oa.order_id
        where oa.household_id = h.id and o.status in ('signed', 'delivering', 'fulfilled')
          and o.delivery_end >= ${yearStart}::date
          and oa.quantity_kg + coalesce((select sum(c.delta_kg) from order_allocation_changes c where c.allocation_id = oa.id), 0) > 0)
      or exists (select 1 from fund_allocations fa join aid_projects ap on ap.id = fa.project_id
        where fa.household_id = h.id and ap.type = 'industry'
          and fa.allocated_on between ${yearStart}::date and ${today}::date
          and fa.corrects_allocation_id is null
          and not exists (select 1 from fund_allocations r where r.corrects_allocation_id = fa.id))) as industry_ok
  from households h order by h.id`;
};

/** The same flags from the kept rows, as the register reads them now. */
const fromKept = (today: string) => sql`
  select h.id, coalesce(hc.persons, 0)::int as persons,
    coalesce(${Number(today.slice(0, 4))}::int = any(hc.plan_years), false) as plan_ok,
    coalesce(hc.open_cadre, false) as cadre_ok,
    coalesce(hc.industry_on @> ${today}::date, false) as industry_ok
  from households h left join household_coverage hc on hc.household_id = h.id order by h.id`;

async function expectAgree(d: Db) {
  for (const today of DAYS) {
    expect({ today, rows: await queryRows(d, fromKept(today)) }).toEqual({
      today,
      rows: await queryRows(d, fromRecords(today)),
    });
  }
  // the rows themselves are those the definition gives (what the seed's rebuild writes)
  const kept = await queryRows(
    d,
    sql`select household_id, persons, open_cadre, plan_years::text, industry_on::text from household_coverage
      where (persons, open_cadre, plan_years, industry_on) is distinct from (0, false, '{}'::int[], '{}'::datemultirange)
      order by household_id`,
  );
  const defined = await queryRows(
    d,
    sql`select household_id, persons, open_cadre, plan_years::text, industry_on::text
      from household_coverage_of(array(select id from households))
      where (persons, open_cadre, plan_years, industry_on) is distinct from (0, false, '{}'::int[], '{}'::datemultirange)
      order by household_id`,
  );
  expect(kept).toEqual(defined);
}

async function setup(d: Db, households: number) {
  const world = await createWorld(d);
  const cadre = await createUser(d, world, "cadre");
  const homes: string[] = [];
  for (let k = 0; k < households; k++) homes.push((await createHousehold(d, world, { villageIndex: k % 4 })).id);
  const coops = [await createCooperative(d, world, 0), await createCooperative(d, world, 1)];
  const buyer = await createBuyer(d, world);
  const orders = [];
  for (const coop of coops) {
    for (let k = 0; k < 2; k++) {
      orders.push(
        await createPurchaseOrder(d, world, {
          cooperativeId: coop.id,
          buyerId: buyer.id,
          quantityKg: 1_000_000,
          deliveryEnd: k ? "2025-11-30" : "2026-09-30",
          deliveryStart: k ? "2025-08-01" : "2026-08-15",
        }),
      );
    }
  }
  const projects = [
    await createAidProject(d, world, { type: "industry" }),
    await createAidProject(d, world, { type: "education" }),
  ];
  return { world, cadre, homes, coops, orders, projects };
}

type World = Awaited<ReturnType<typeof setup>>;

/** One random write of the kinds the triggers watch; a write a domain rule refuses is simply not made. */
async function randomWrite(d: Db, w: World, r: ReturnType<typeof random>) {
  const { world } = w;
  const household = r.pick(w.homes);
  const one = async <T>(q: Promise<T[]>) => (await q)[0] as T | undefined;
  switch (r.int(15)) {
    case 0: {
      const idNumber = newIdNumber("female", "1990-01-01");
      await d.insert(schema.members).values({
        id: crypto.randomUUID(),
        countyId: world.county.id,
        householdId: household,
        name: "王",
        idNumber,
        relation: "child",
        sex: "female",
        birthDate: `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`,
      });
      return;
    }
    case 1: {
      const m = await one(
        d
          .select({ id: schema.members.id })
          .from(schema.members)
          .where(sql`${schema.members.householdId} = ${household} and ${schema.members.relation} <> 'head'`),
      );
      if (!m) return;
      // removed, or moved to another household
      if (r.int(2)) await d.delete(schema.members).where(eq(schema.members.id, m.id));
      else
        await d
          .update(schema.members)
          .set({ householdId: r.pick(w.homes) })
          .where(eq(schema.members.id, m.id));
      return;
    }
    case 2: {
      const open = await one(
        d
          .select({ id: schema.cadreAssignments.id })
          .from(schema.cadreAssignments)
          .where(
            sql`${schema.cadreAssignments.householdId} = ${household} and ${schema.cadreAssignments.endsOn} is null`,
          ),
      );
      if (open) {
        if (r.int(2)) await d.delete(schema.cadreAssignments).where(eq(schema.cadreAssignments.id, open.id));
        else
          await d
            .update(schema.cadreAssignments)
            .set({ endsOn: "2026-06-30" })
            .where(eq(schema.cadreAssignments.id, open.id));
      } else {
        await d.insert(schema.cadreAssignments).values({
          id: crypto.randomUUID(),
          countyId: world.county.id,
          householdId: household,
          cadreId: w.cadre.id,
          startsOn: "2026-07-01",
        });
      }
      return;
    }
    case 3: {
      const year = r.pick([2025, 2026, 2027]);
      const status = r.pick(["draft", "submitted", "approved", "in_progress", "completed"] as const);
      const plan = await one(
        d
          .select({ id: schema.plans.id })
          .from(schema.plans)
          .where(sql`${schema.plans.householdId} = ${household} and ${schema.plans.year} = ${year}`),
      );
      if (plan) await d.update(schema.plans).set({ status }).where(eq(schema.plans.id, plan.id));
      else await createPlan(d, world, household, { year, status });
      return;
    }
    case 4:
      await d.insert(schema.memberships).values({
        id: crypto.randomUUID(),
        countyId: world.county.id,
        cooperativeId: r.pick(w.coops).id,
        householdId: household,
        joinedOn: day(r),
      });
      return;
    case 5:
      await d
        .update(schema.memberships)
        .set({ leftOn: sql`greatest(${schema.memberships.joinedOn}, ${day(r)}::date)` })
        .where(sql`${schema.memberships.householdId} = ${household} and ${schema.memberships.leftOn} is null`);
      return;
    case 6: {
      const ms = await one(
        d
          .select({ id: schema.memberships.id, cooperativeId: schema.memberships.cooperativeId })
          .from(schema.memberships)
          .where(eq(schema.memberships.householdId, household)),
      );
      if (!ms) return;
      const order = r.pick(w.orders.filter((o) => o.cooperativeId === ms.cooperativeId));
      await d.insert(schema.orderAllocations).values({
        id: crypto.randomUUID(),
        countyId: world.county.id,
        orderId: order.id,
        householdId: household,
        membershipId: ms.id,
        quantityKg: 100,
      });
      return;
    }
    case 7: {
      const oa = await one(
        d
          .select({ id: schema.orderAllocations.id })
          .from(schema.orderAllocations)
          .where(eq(schema.orderAllocations.householdId, household)),
      );
      if (!oa) return;
      // withdrawn to nothing, or partly, or added to
      await d.insert(schema.orderAllocationChanges).values({
        id: crypto.randomUUID(),
        countyId: world.county.id,
        allocationId: oa.id,
        deltaKg: r.pick([-100, -50, 50, 100]),
        reason: "随机调整",
      });
      return;
    }
    case 8: {
      const order = r.pick(w.orders);
      await d
        .update(schema.purchaseOrders)
        .set({
          status: r.pick(["draft", "signed", "delivering", "fulfilled", "cancelled"] as const),
          deliveryEnd: r.pick(["2025-11-30", "2026-09-30", "2026-12-31", "2027-01-15"]),
        })
        .where(eq(schema.purchaseOrders.id, order.id));
      return;
    }
    case 9:
    case 10: {
      const plan = await one(
        d
          .select({ id: schema.plans.id })
          .from(schema.plans)
          .where(
            sql`${schema.plans.householdId} = ${household} and ${schema.plans.status} in ('approved', 'in_progress', 'completed')`,
          ),
      );
      if (!plan) return;
      await d.insert(schema.fundAllocations).values({
        id: crypto.randomUUID(),
        countyId: world.county.id,
        projectId: r.pick(w.projects).id,
        planId: plan.id,
        householdId: household,
        amountFen: 100_000,
        allocatedOn: day(r),
      });
      return;
    }
    case 11: {
      const fa = await one(
        d
          .select()
          .from(schema.fundAllocations)
          .where(
            sql`${schema.fundAllocations.householdId} = ${household} and ${schema.fundAllocations.correctsAllocationId} is null
              and not exists (select 1 from fund_allocations r where r.corrects_allocation_id = ${schema.fundAllocations.id})`,
          ),
      );
      if (!fa) return;
      await d.insert(schema.fundAllocations).values({
        id: crypto.randomUUID(),
        countyId: world.county.id,
        projectId: fa.projectId,
        planId: fa.planId,
        householdId: fa.householdId,
        amountFen: -fa.amountFen,
        allocatedOn: day(r),
        correctsAllocationId: fa.id,
        reason: "冲正",
      });
      return;
    }
    case 12: {
      // a reversal taken back (the allocation stands again)
      const rev = await one(
        d
          .select({ id: schema.fundAllocations.id })
          .from(schema.fundAllocations)
          .where(
            sql`${schema.fundAllocations.householdId} = ${household} and ${schema.fundAllocations.correctsAllocationId} is not null`,
          ),
      );
      if (rev) await d.delete(schema.fundAllocations).where(eq(schema.fundAllocations.id, rev.id));
      return;
    }
    case 13: {
      const project = r.pick(w.projects);
      await d
        .update(schema.aidProjects)
        .set({ type: r.pick(["industry", "education"] as const) })
        .where(eq(schema.aidProjects.id, project.id));
      return;
    }
    case 14:
      await d
        .update(schema.memberships)
        .set({ joinedOn: sql`least(${schema.memberships.leftOn}, ${day(r)}::date)` })
        .where(eq(schema.memberships.householdId, household));
      return;
  }
}

const codeOf = (e: unknown): string | undefined =>
  (e as { code?: string }).code ?? (e as { cause?: { code?: string } }).cause?.code;

/** A write a domain rule refuses (a constraint, a rule trigger) is not made; anything else fails the test. */
async function tryWrite(d: Db, w: World, r: ReturnType<typeof random>) {
  try {
    await randomWrite(d, w, r);
  } catch (e) {
    if (!["23505", "23514", "23503", "23P01"].includes(codeOf(e) ?? "")) throw e;
  }
}

test("after random writes of every kind, the kept coverage ingredients give the flags the records give on any day", async () => {
  const d = await db();
  const w = await setup(d, 10);
  const r = random(43);
  for (let step = 0; step < 240; step++) {
    await tryWrite(d, w, r);
    if (step % 20 === 19) await expectAgree(d);
  }
  // the writes reached every ingredient at least once somewhere
  const [seen] = await queryRows<{ persons: number; cadre: number; plans: number; industry: number }>(
    d,
    sql`select count(*) filter (where persons > 2)::int as persons, count(*) filter (where open_cadre)::int as cadre,
      count(*) filter (where cardinality(plan_years) > 0)::int as plans,
      count(*) filter (where not isempty(industry_on))::int as industry from household_coverage`,
  );
  expect(seen.persons).toBeGreaterThan(0);
  expect(seen.cadre).toBeGreaterThan(0);
  expect(seen.plans).toBeGreaterThan(0);
  expect(seen.industry).toBeGreaterThan(0);
  // the rebuild (the bulk seed's) writes the same rows
  const before = await queryRows(d, fromKept("2026-09-14"));
  await rebuildVisitState(d);
  expect(await queryRows(d, fromKept("2026-09-14"))).toEqual(before);
  await expectAgree(d);
}, 240_000);

raceTest("concurrent writes to the same households leave the kept ingredients equal to the records", async () => {
  const d = await db();
  const w = await setup(d, 3);
  const r = random(4343);
  for (let round = 0; round < 30; round++) {
    // four transactions at once on three households, each holding its write a moment before committing
    await Promise.all(
      [0, 1, 2, 3].map(() =>
        d
          .transaction(async (tx) => {
            await tryWrite(tx as unknown as Db, w, r);
            await tx.execute(sql`select pg_sleep(0.005)`);
          })
          .catch((e: unknown) => {
            // two transactions deadlocking, or a rule's refusal leaving the transaction aborted: not made
            if (!["40P01", "40001", "25P02"].includes(codeOf(e) ?? "")) throw e;
          }),
      ),
    );
  }
  await expectAgree(d);
});
