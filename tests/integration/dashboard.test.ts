// The dashboard's numbers: each SQL aggregate against a brute-force count of the same rows made
// in the test, the scope of an official (their township) and an admin (the county), and the month-end edges
// of "overdue".
import { eq, inArray } from "drizzle-orm";
import { expect, test } from "vitest";
import { schema } from "../../db/client";
import {
  coverageByRegion,
  dashboard,
  fundsByProjectType,
  orderFulfilmentByCrop,
  overdueByMonth,
  plansByStatus,
  type OverdueMonth,
} from "~/models/dashboard.server";
import { regionOverview } from "~/models/overview.server";
import { scopeOf, type Scope } from "~/models/scope.server";
import { can } from "~/permissions";
import { db } from "~/utils/db.server";
import { addDays, dueOn, type DueSettings } from "~/utils/due";
import * as f from "../support/factories";

const TODAY = "2026-03-15";
const YEAR = 2026;
const intervals: DueSettings = { "check.intervalDays": 30, "check.monitoredIntervalDays": 15 };
type DashboardScope = Extract<Scope, { role: "official" | "admin" }>;

async function setup() {
  const d = await db();
  const world = await f.createWorld(d);
  const official = scopeOf(await f.createUser(d, world, "official", { townshipIndex: 0 })) as DashboardScope;
  const farOfficial = scopeOf(await f.createUser(d, world, "official", { townshipIndex: 1 })) as DashboardScope;
  const admin = scopeOf(await f.createUser(d, world, "admin")) as DashboardScope;
  const cadreUser = await f.createUser(d, world, "cadre", { townshipIndex: 0 });
  const farCadreUser = await f.createUser(d, world, "cadre", { townshipIndex: 1 });
  return { d, world, official, farOfficial, admin, cadreUser, farCadreUser };
}
type Setup = Awaited<ReturnType<typeof setup>>;

/** A household registered on a day, optionally monitored, optionally with a cadre from a day (to a day). */
async function household(
  { d, world }: Setup,
  opts: {
    villageIndex?: number;
    registeredOn?: string;
    monitored?: boolean;
    cadreId?: string;
    cadreFrom?: string;
    cadreTo?: string;
  } = {},
) {
  const h = await f.createHousehold(d, world, { villageIndex: opts.villageIndex ?? 0 });
  await d
    .update(schema.households)
    .set({
      registeredOn: opts.registeredOn ?? "2025-01-01",
      povertyStatus: opts.monitored ? "monitored" : "registered",
    })
    .where(eq(schema.households.id, h.id));
  if (opts.cadreId) {
    const a = await f.assignCadre(d, world, h.id, opts.cadreId, opts.cadreFrom ?? "2025-01-01");
    if (opts.cadreTo) await f.endAssignment(d, a.id, opts.cadreTo);
  }
  return h;
}

async function check(
  { d, world }: Setup,
  householdId: string,
  cadreId: string,
  visitedOn: string,
  extra: { nextDueOn?: string; correctsCheckId?: string } = {},
) {
  const row = await f.createCheck(d, world, householdId, cadreId, visitedOn);
  if (extra.nextDueOn || extra.correctsCheckId) {
    await d
      .update(schema.checks)
      .set({ nextDueOn: extra.nextDueOn ?? null, correctsCheckId: extra.correctsCheckId ?? null })
      .where(eq(schema.checks.id, row.id));
  }
  return row;
}

/** The 12 months before and including TODAY's, each measured on its last day (today for this month). */
function monthsUpTo(today: string) {
  const out: { month: string; start: string; asOf: string }[] = [];
  const [y, m] = today.split("-").map(Number);
  for (let i = 11; i >= 0; i--) {
    const first = new Date(Date.UTC(y, m - 1 - i, 1));
    const start = first.toISOString().slice(0, 10);
    const last = addDays(
      new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 1)).toISOString().slice(0, 10),
      -1,
    );
    out.push({ month: start.slice(0, 7), start, asOf: last < today ? last : today });
  }
  return out;
}

/** The overdue chart counted by hand: every household, every month, with the pure due-date rule. */
async function bruteForceOverdue(d: Setup["d"], householdIds: string[], today: string): Promise<OverdueMonth[]> {
  const hs = householdIds.length
    ? await d.select().from(schema.households).where(inArray(schema.households.id, householdIds))
    : [];
  const cs = householdIds.length
    ? await d.select().from(schema.checks).where(inArray(schema.checks.householdId, householdIds))
    : [];
  const as = householdIds.length
    ? await d.select().from(schema.cadreAssignments).where(inArray(schema.cadreAssignments.householdId, householdIds))
    : [];
  return monthsUpTo(today).map(({ month, start, asOf }) => {
    let tracked = 0;
    let overdue = 0;
    for (const h of hs) {
      const since = h.registeredOn!;
      if (since > asOf) continue;
      const inForce = as
        .filter((a) => a.householdId === h.id && a.startsOn <= asOf && (a.endsOn === null || a.endsOn >= asOf))
        .sort((a, b) => b.startsOn.localeCompare(a.startsOn))[0];
      if (!inForce) continue;
      tracked += 1;
      const last = cs
        .filter((c) => c.householdId === h.id && c.visitedOn <= asOf)
        .sort((a, b) =>
          a.visitedOn === b.visitedOn ? +b.createdAt - +a.createdAt : a.visitedOn < b.visitedOn ? 1 : -1,
        )[0];
      const due = dueOn(
        {
          lastVisit: last?.visitedOn ?? null,
          nextDueOn: last?.nextDueOn ?? null,
          registeredOn: since,
          assignedOn: inForce.startsOn,
          monitored: h.povertyStatus === "monitored",
        },
        intervals,
      );
      if (due < asOf) overdue += 1;
    }
    const visits = cs.filter((c) => c.correctsCheckId === null && c.visitedOn >= start && c.visitedOn <= asOf).length;
    return { month, asOf, tracked, overdue, visits };
  });
}

test("overdue by month matches a count by hand, month by month, and keeps the month-end edges", async () => {
  const s = await setup();
  const cadre = s.cadreUser.id;
  // due on 28 Feb, the last day of February: due that day is not yet overdue; by 15 March it is
  const dueOnMonthEnd = await household(s, { cadreId: cadre });
  await check(s, dueOnMonthEnd.id, cadre, "2026-01-29");
  // due on 27 Feb: overdue at the end of February
  const dueDayBefore = await household(s, { cadreId: cadre });
  await check(s, dueDayBefore.id, cadre, "2026-01-28");
  // a check after the month's end does not count for that month: visited 10 Feb (due 12 Mar), again 1 Mar with
  // a next due date of 10 Mar → not overdue in February, overdue on 15 March
  const nextDueSet = await household(s, { cadreId: cadre });
  await check(s, nextDueSet.id, cadre, "2026-02-10");
  await check(s, nextDueSet.id, cadre, "2026-03-01", { nextDueOn: "2026-03-10" });
  // monitored: the shorter interval (10 Feb + 15 = 25 Feb)
  const monitored = await household(s, { cadreId: cadre, monitored: true });
  const original = await check(s, monitored.id, cadre, "2026-02-10");
  // a correcting entry on the same day moves no due date and is not a second visit
  await check(s, monitored.id, cadre, "2026-02-10", { correctsCheckId: original.id });
  // no cadre: not tracked, never overdue
  const noCadre = await household(s);
  await check(s, noCadre.id, cadre, "2025-05-01");
  // a cadre until 31 Dec: tracked through December only
  const handedBack = await household(s, { cadreId: cadre, cadreFrom: "2025-03-01", cadreTo: "2025-12-31" });
  // registered 15 Feb, never visited: due 17 Mar → tracked from February, not yet overdue
  const newcomer = await household(s, {
    cadreId: cadre,
    registeredOn: "2026-02-15",
    cadreFrom: "2026-02-15",
    villageIndex: 1,
  });
  // the other township: never in the official's numbers
  const far = await household(s, { cadreId: s.farCadreUser.id, villageIndex: 2 });
  await check(s, far.id, s.farCadreUser.id, "2025-09-01");

  const township = [dueOnMonthEnd, dueDayBefore, nextDueSet, monitored, noCadre, handedBack, newcomer].map((h) => h.id);
  const rows = await overdueByMonth(s.official, TODAY);
  expect(rows).toEqual(await bruteForceOverdue(s.d, township, TODAY));
  expect(rows.map((r) => r.month)).toEqual(monthsUpTo(TODAY).map((m) => m.month));
  expect(rows[0].month).toBe("2025-04");

  const byMonth = Object.fromEntries(rows.map((r) => [r.month, r]));
  expect(byMonth["2026-02"]).toMatchObject({ asOf: "2026-02-28", tracked: 5, overdue: 2, visits: 2 });
  expect(byMonth["2026-03"]).toMatchObject({ asOf: TODAY, tracked: 5, overdue: 4, visits: 1 });
  // December: the handed-back household is still tracked (never visited since registration: overdue)
  expect(byMonth["2025-12"]).toMatchObject({ asOf: "2025-12-31", tracked: 5, overdue: 5 });
  expect(byMonth["2026-01"]).toMatchObject({ tracked: 4 });

  // the admin sees the whole county, the far household included
  const county = await overdueByMonth(s.admin, TODAY);
  expect(county).toEqual(await bruteForceOverdue(s.d, [...township, far.id], TODAY));
  expect(county.at(-1)!.overdue).toBe(byMonth["2026-03"].overdue + 1);
});

test("this month's overdue count is the one on the home page", async () => {
  const s = await setup();
  const cadre = s.cadreUser.id;
  for (const visited of ["2026-01-01", "2026-02-20", "2026-03-01"]) {
    const h = await household(s, { cadreId: cadre });
    await check(s, h.id, cadre, visited);
  }
  const [rows, overview] = await Promise.all([
    overdueByMonth(s.official, TODAY),
    regionOverview(s.official, YEAR, TODAY),
  ]);
  expect(rows.at(-1)!.overdue).toBe(overview.totals.overdue);
  expect(rows.at(-1)!.overdue).toBe(1);
});

test("a February that ends on the 28th, a January measured on the 31st, a year turned", async () => {
  const s = await setup();
  const cadre = s.cadreUser.id;
  const h = await household(s, { cadreId: cadre });
  // visited 1 Jan: due 31 Jan — not overdue on 31 Jan, overdue on 28 Feb
  await check(s, h.id, cadre, "2026-01-01");
  const rows = await overdueByMonth(s.official, "2026-02-28");
  const byMonth = Object.fromEntries(rows.map((r) => [r.month, r]));
  expect(byMonth["2026-01"]).toMatchObject({ asOf: "2026-01-31", tracked: 1, overdue: 0, visits: 1 });
  expect(byMonth["2026-02"]).toMatchObject({ asOf: "2026-02-28", tracked: 1, overdue: 1, visits: 0 });
  expect(rows[0]).toMatchObject({ month: "2025-03", asOf: "2025-03-31" });
  expect(rows).toEqual(await bruteForceOverdue(s.d, [h.id], "2026-02-28"));
});

test("a township's own check interval counts for its households, for its official and in the county", async () => {
  const s = await setup();
  await f.setSetting("check.intervalDays", 20, s.world.townships[1].id);
  // both visited 20 Feb: due 22 Mar by the county's 30 days, 12 Mar by the far township's 20
  const near = await household(s, { cadreId: s.cadreUser.id });
  await check(s, near.id, s.cadreUser.id, "2026-02-20");
  const far = await household(s, { cadreId: s.farCadreUser.id, villageIndex: 2 });
  await check(s, far.id, s.farCadreUser.id, "2026-02-20");

  expect((await overdueByMonth(s.official, TODAY)).at(-1)).toMatchObject({ tracked: 1, overdue: 0 });
  expect((await overdueByMonth(s.farOfficial, TODAY)).at(-1)).toMatchObject({ tracked: 1, overdue: 1 });
  expect((await overdueByMonth(s.admin, TODAY)).at(-1)).toMatchObject({ tracked: 2, overdue: 1 });
  // the page's caption names the intervals that apply to the reader
  expect((await dashboard(s.farOfficial, YEAR, TODAY)).intervals["check.intervalDays"]).toBe(20);
  expect((await dashboard(s.official, YEAR, TODAY)).intervals["check.intervalDays"]).toBe(30);
});

test("plans by status count every household once, the year's plan only, 'none' without one", async () => {
  const s = await setup();
  const statuses = ["draft", "submitted", "approved", "approved", "in_progress", "completed", "returned"] as const;
  const ids: string[] = [];
  for (const status of statuses) {
    const h = await household(s);
    await f.createPlan(s.d, s.world, h.id, { year: YEAR, status });
    ids.push(h.id);
  }
  // last year's plan only: no plan this year
  const lastYearOnly = await household(s);
  await f.createPlan(s.d, s.world, lastYearOnly.id, { year: YEAR - 1, status: "completed" });
  ids.push(lastYearOnly.id, (await household(s)).id);
  // the other township
  const far = await household(s, { villageIndex: 2 });
  await f.createPlan(s.d, s.world, far.id, { year: YEAR, status: "approved" });

  const rows = await plansByStatus(s.official, YEAR);
  const plans = await s.d.select().from(schema.plans).where(inArray(schema.plans.householdId, ids));
  const brute = (status: string) =>
    ids.filter((id) => {
      const p = plans.find((x) => x.householdId === id && x.year === YEAR);
      return (p?.status ?? "none") === status;
    }).length;
  expect(rows.map((r) => r.status)).toEqual([
    "draft",
    "submitted",
    "returned",
    "approved",
    "in_progress",
    "completed",
    "none",
  ]);
  for (const r of rows) expect(r.households).toBe(brute(r.status));
  expect(Object.fromEntries(rows.map((r) => [r.status, r.households]))).toEqual({
    draft: 1,
    submitted: 1,
    returned: 1,
    approved: 2,
    in_progress: 1,
    completed: 1,
    none: 2,
  });
  expect((await plansByStatus(s.farOfficial, YEAR)).find((r) => r.status === "approved")!.households).toBe(1);
  expect((await plansByStatus(s.admin, YEAR)).reduce((n, r) => n + r.households, 0)).toBe(ids.length + 1);
  // the county's figures (counted from the plans' county) are its townships' added up, status by status
  const [county, near, farTownship] = await Promise.all([
    plansByStatus(s.admin, YEAR),
    plansByStatus(s.official, YEAR),
    plansByStatus(s.farOfficial, YEAR),
  ]);
  expect(county).toEqual(
    near.map((r, k) => ({ status: r.status, households: r.households + farTownship[k].households })),
  );
});

test("order fulfilment per crop: ordered, allocated and delivered kilograms of the year's orders not cancelled", async () => {
  const s = await setup();
  const { d, world } = s;
  const coop = await f.createCooperative(d, world, 0);
  const farCoop = await f.createCooperative(d, world, 1);
  const buyer = await f.createBuyer(d, world);
  const members: { h: { id: string }; m: { id: string } }[] = [];
  for (let i = 0; i < 3; i++) {
    const h = await household(s);
    members.push({ h, m: await f.joinCooperative(d, world, coop.id, h.id) });
  }
  const order = (values: Partial<typeof schema.purchaseOrders.$inferInsert> & { cooperativeId?: string }) =>
    f.createPurchaseOrder(d, world, { cooperativeId: coop.id, buyerId: buyer.id, ...values });
  const chili1 = await order({ cropCode: "chili", quantityKg: 5000 });
  const chili2 = await order({ cropCode: "chili", quantityKg: 2500.5, status: "delivering" });
  const potato = await order({ cropCode: "potato", quantityKg: 8000, status: "fulfilled" });
  await order({ cropCode: "cabbage", quantityKg: 9999, status: "cancelled" });
  await order({ cropCode: "cowpea", quantityKg: 7777, deliveryStart: "2025-08-01", deliveryEnd: "2025-09-30" });
  // a window that starts the year before and ends in this one counts
  const spanning = await order({
    cropCode: "cowpea",
    quantityKg: 1000,
    deliveryStart: "2025-12-01",
    deliveryEnd: "2026-01-31",
  });
  const farH = await household(s, { villageIndex: 2 });
  const farM = await f.joinCooperative(d, world, farCoop.id, farH.id);
  const farOrder = await order({ cooperativeId: farCoop.id, cropCode: "chili", quantityKg: 4000 });

  const allocate = async (o: { id: string }, i: number, kg: number, delivered: number[] = []) => {
    const a = await f.createOrderAllocation(d, world, {
      orderId: o.id,
      householdId: members[i].h.id,
      membershipId: members[i].m.id,
      quantityKg: kg,
    });
    for (const q of delivered) await f.createDelivery(d, world, { allocationId: a.id, quantityKg: q });
  };
  await allocate(chili1, 0, 2000, [500, 700.25]);
  await allocate(chili1, 1, 1500, [1500]);
  await allocate(chili2, 2, 1000);
  await allocate(potato, 0, 8000, [4000, 4100]);
  await allocate(spanning, 1, 600, [600]);
  const farA = await f.createOrderAllocation(d, world, {
    orderId: farOrder.id,
    householdId: farH.id,
    membershipId: farM.id,
    quantityKg: 4000,
  });
  await f.createDelivery(d, world, { allocationId: farA.id, quantityKg: 3000 });

  const rows = await orderFulfilmentByCrop(s.official, YEAR);

  // by hand: every order of the township's cooperatives, filtered and summed here
  const cooperativeIds: string[] = [coop.id];
  const orders = (await d.select().from(schema.purchaseOrders)).filter(
    (o) =>
      cooperativeIds.includes(o.cooperativeId) &&
      o.status !== "cancelled" &&
      o.deliveryStart <= `${YEAR}-12-31` &&
      o.deliveryEnd >= `${YEAR}-01-01`,
  );
  const allocations = await d.select().from(schema.orderAllocations);
  const deliveries = await d.select().from(schema.deliveries);
  const crops = [...new Set(orders.map((o) => o.cropCode))];
  const brute = crops.map((crop) => {
    const os = orders.filter((o) => o.cropCode === crop);
    const as = allocations.filter((a) => os.some((o) => o.id === a.orderId));
    const ds = deliveries.filter((x) => as.some((a) => a.id === x.allocationId));
    const sum = (xs: { quantityKg: number }[]) =>
      Math.round(xs.reduce((n, x) => n + Number(x.quantityKg), 0) * 100) / 100;
    return { cropCode: crop, orders: os.length, orderedKg: sum(os), allocatedKg: sum(as), deliveredKg: sum(ds) };
  });
  const order_ = ["chili", "potato", "cabbage", "cowpea"];
  brute.sort((a, b) => order_.indexOf(a.cropCode) - order_.indexOf(b.cropCode));
  expect(
    rows.map(({ cropCode, orders: n, orderedKg, allocatedKg, deliveredKg }) => ({
      cropCode,
      orders: n,
      orderedKg,
      allocatedKg,
      deliveredKg,
    })),
  ).toEqual(brute);
  expect(rows.find((r) => r.cropCode === "chili")).toMatchObject({
    cropZh: "辣椒",
    orders: 2,
    orderedKg: 7500.5,
    allocatedKg: 4500,
    deliveredKg: 2700.25,
  });
  expect(rows.find((r) => r.cropCode === "cabbage")).toBeUndefined();
  expect(rows.find((r) => r.cropCode === "cowpea")).toMatchObject({ orders: 1, orderedKg: 1000 });

  // the other township's official sees only their own cooperative's order; the admin sees both
  expect(await orderFulfilmentByCrop(s.farOfficial, YEAR)).toEqual([
    {
      cropCode: "chili",
      cropZh: "辣椒",
      cropEn: "Chili",
      orders: 1,
      orderedKg: 4000,
      allocatedKg: 4000,
      deliveredKg: 3000,
    },
  ]);
  const county = await orderFulfilmentByCrop(s.admin, YEAR);
  expect(county.find((r) => r.cropCode === "chili")).toMatchObject({
    orders: 3,
    orderedKg: 11500.5,
    allocatedKg: 8500,
    deliveredKg: 5700.25,
  });
});

test("funds by project type: budgets and allocations of the projects running this year in scope", async () => {
  const s = await setup();
  const { d, world } = s;
  const h = await household(s);
  const plan = await f.createPlan(d, world, h.id, { year: YEAR, status: "approved" });
  const farH = await household(s, { villageIndex: 2 });
  const farPlan = await f.createPlan(d, world, farH.id, { year: YEAR, status: "approved" });
  const project = (values: Partial<typeof schema.aidProjects.$inferInsert>) => f.createAidProject(d, world, values);
  const industry1 = await project({ type: "industry", budgetFen: 1_000_000 });
  const industry2 = await project({
    type: "industry",
    budgetFen: 500_000,
    startsOn: "2025-06-01",
    endsOn: "2026-02-28",
  });
  const education = await project({ type: "education", budgetFen: 300_000 });
  const countyWide = await project({ type: "employment", budgetFen: 2_000_000, townshipId: null });
  await project({ type: "housing", budgetFen: 700_000, startsOn: "2024-01-01", endsOn: "2025-12-31" }); // over before the year
  const farProject = await project({ type: "industry", budgetFen: 900_000, townshipId: world.townships[1].id });

  const give = (p: { id: string }, amountFen: number, toFar = false) =>
    f.createFundAllocation(d, world, {
      projectId: p.id,
      planId: toFar ? farPlan.id : plan.id,
      householdId: toFar ? farH.id : h.id,
      amountFen,
    });
  await give(industry1, 250_000);
  await give(industry1, 125_050);
  await give(industry2, 500_000);
  await give(countyWide, 300_000);
  await give(countyWide, 200_000, true);
  await give(farProject, 400_000, true);

  const rows = await fundsByProjectType(s.official, YEAR);
  const inScope = [industry1, industry2, education, countyWide];
  const allocations = await d.select().from(schema.fundAllocations);
  const types = [...new Set(inScope.map((p) => p.type))];
  const brute = types
    .map((type) => {
      const ps = inScope.filter((p) => p.type === type);
      return {
        type,
        projects: ps.length,
        budgetFen: ps.reduce((n, p) => n + p.budgetFen, 0),
        allocatedFen: allocations
          .filter((a) => ps.some((p) => p.id === a.projectId))
          .reduce((n, a) => n + a.amountFen, 0),
      };
    })
    .sort((a, b) => schema.projectType.enumValues.indexOf(a.type) - schema.projectType.enumValues.indexOf(b.type));
  expect(rows).toEqual(brute);
  expect(rows).toEqual([
    { type: "industry", projects: 2, budgetFen: 1_500_000, allocatedFen: 875_050 },
    { type: "employment", projects: 1, budgetFen: 2_000_000, allocatedFen: 500_000 },
    { type: "education", projects: 1, budgetFen: 300_000, allocatedFen: 0 },
  ]);

  // the other township: its own project and the county-wide one, none of township A's
  expect(await fundsByProjectType(s.farOfficial, YEAR)).toEqual([
    { type: "industry", projects: 1, budgetFen: 900_000, allocatedFen: 400_000 },
    { type: "employment", projects: 1, budgetFen: 2_000_000, allocatedFen: 500_000 },
  ]);
  const county = await fundsByProjectType(s.admin, YEAR);
  expect(county.find((r) => r.type === "industry")).toEqual({
    type: "industry",
    projects: 3,
    budgetFen: 2_400_000,
    allocatedFen: 1_275_050,
  });
  expect(county.find((r) => r.type === "housing")).toBeUndefined();
});

test("an official of one township sees none of another township's numbers; only officials and admins see the dashboard", async () => {
  const s = await setup();
  const { d, world } = s;
  // everything happens in the far township
  const far = await household(s, { villageIndex: 2, cadreId: s.farCadreUser.id });
  await check(s, far.id, s.farCadreUser.id, "2026-01-05");
  await f.createPlan(d, world, far.id, { year: YEAR, status: "approved" });
  const coop = await f.createCooperative(d, world, 1);
  const buyer = await f.createBuyer(d, world);
  await f.createPurchaseOrder(d, world, { cooperativeId: coop.id, buyerId: buyer.id });
  await f.createAidProject(d, world, { townshipId: world.townships[1].id });

  const mine = await dashboard(s.official, YEAR, TODAY);
  expect(mine.overdue.every((m) => m.tracked === 0 && m.overdue === 0 && m.visits === 0)).toBe(true);
  expect(mine.plans.every((p) => p.households === 0)).toBe(true);
  expect(mine.orders).toEqual([]);
  expect(mine.funds).toEqual([]);

  const theirs = await dashboard(s.farOfficial, YEAR, TODAY);
  expect(theirs.overdue.at(-1)).toMatchObject({ tracked: 1, overdue: 1 });
  expect(theirs.plans.find((p) => p.status === "approved")!.households).toBe(1);
  expect(theirs.orders).toHaveLength(1);
  expect(theirs.funds).toHaveLength(1);
  expect(theirs.intervals).toEqual(intervals);

  expect(can(s.official, "dashboard.read")).toBe(true);
  expect(can(s.admin, "dashboard.read")).toBe(true);
  expect(can(scopeOf(s.cadreUser), "dashboard.read")).toBe(false);
  const clerk = scopeOf(await f.createUser(d, world, "clerk", { cooperativeId: coop.id }));
  expect(can(clerk, "dashboard.read")).toBe(false);
});

test("coverage on the dashboard: an official's villages, an admin's townships, households and persons counted", async () => {
  const { d, world, official, admin, cadreUser } = await setup();
  const a = await f.createHousehold(d, world, { villageIndex: 0, members: 3 });
  await f.createHousehold(d, world, { villageIndex: 1, members: 2 });
  await f.createHousehold(d, world, { villageIndex: 2, members: 4 });
  // one household meets all four conditions: approved plan, cadre, a check in the window, a membership
  await f.createPlan(d, world, a.id, { status: "approved" });
  await f.assignCadre(d, world, a.id, cadreUser.id);
  await f.createCheck(d, world, a.id, cadreUser.id, "2026-03-01");
  const coop = await f.createCooperative(d, world, 0);
  await f.joinCooperative(d, world, coop.id, a.id);

  const villages = await coverageByRegion(official, TODAY);
  expect(villages.map((v) => v.regionId)).toEqual([world.villages[0].id, world.villages[1].id]);
  expect(villages.map((v) => [v.households, v.householdsCovered, v.persons, v.personsCovered])).toEqual([
    [1, 1, 3, 3],
    [1, 0, 2, 0],
  ]);
  const townships = await coverageByRegion(admin, TODAY);
  expect(townships.map((t) => [t.regionId, t.level, t.households, t.persons])).toEqual([
    [world.townships[0].id, "township", 2, 5],
    [world.townships[1].id, "township", 1, 4],
  ]);
});
