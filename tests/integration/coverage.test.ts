// Coverage (domain rule 7): the four conditions one by one, the due date's edge, persons, the register
// against a count by hand, scope, filters, the gap lists and their exports.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { schema } from "../../db/client";
import {
  CONDITIONS,
  coverageFilterOptions,
  coverageGapHouseholds,
  coverageGapPersons,
  CoverageParamsSchema,
  coverageRegister,
  filtersInScope,
  type Condition,
  type CoverageScope,
} from "~/models/coverage.server";
import { scopeOf } from "~/models/scope.server";
import { db } from "~/utils/db.server";
import { addDays, overdueOn } from "~/utils/due";
import { signIn } from "~/http/auth.server";
import { loader as gapsLoader } from "~/routes/coverage.gaps.export";
import { loader as registerLoader } from "~/routes/coverage.export";
import { loader as gapsPageLoader } from "~/routes/_app.coverage.gaps";
import {
  assignCadre,
  createAidProject,
  createBuyer,
  createCheck,
  createCooperative,
  createFundAllocation,
  createHouseholdWith,
  createOrderAllocation,
  createPlan,
  createPurchaseOrder,
  createUser,
  createWorld,
  endAssignment,
  joinCooperative,
  TEST_PASSWORD,
  type World,
  setSetting,
} from "../support/factories";

const TODAY = "2026-06-15";
type Db = Awaited<ReturnType<typeof db>>;
type User = Parameters<typeof scopeOf>[0];
const scope = (u: User) => scopeOf(u) as CoverageScope;
const params = (q: Record<string, string | number> = {}) =>
  CoverageParamsSchema.parse(Object.fromEntries(Object.entries(q).map(([k, v]) => [k, String(v)])));

/** What each household gets; every condition met unless told otherwise. */
type Setup = {
  villageIndex?: number;
  members?: number;
  status?: "registered" | "monitored" | "lifted";
  plan?: "approved" | "in_progress" | "completed" | "submitted" | "draft" | "lastYear" | "none";
  cadre?: "active" | "ended" | "none";
  /** days before TODAY of the one check; null: never visited */
  checkDaysAgo?: number | null;
  industry?: "membership" | "leftMembership" | "order" | "cancelledOrder" | "industryFund" | "educationFund" | "none";
};

async function township() {
  const d = await db();
  const world = await createWorld(d);
  const official = await createUser(d, world, "official", { townshipIndex: 0 });
  const officialB = await createUser(d, world, "official", { townshipIndex: 1 });
  const cadre = await createUser(d, world, "cadre", { townshipIndex: 0 });
  const coop = await createCooperative(d, world, 0);
  const make = (setup: Setup = {}) => household(d, world, cadre.id, coop.id, setup);
  return { d, world, official, officialB, cadre, coop, make };
}

async function household(d: Db, world: World, cadreId: string, coopId: string, s: Setup) {
  const h = await createHouseholdWith(d, world, {
    villageIndex: s.villageIndex ?? 0,
    members: s.members ?? 2,
    povertyStatus: s.status ?? "registered",
    registeredOn: "2025-03-01",
  });
  const plan = s.plan ?? "approved";
  let planId: string | undefined;
  if (plan === "lastYear") await createPlan(d, world, h.id, { year: 2025, status: "approved" });
  else if (plan !== "none") planId = (await createPlan(d, world, h.id, { status: plan })).id;
  const cadre = s.cadre ?? "active";
  if (cadre !== "none") {
    const a = await assignCadre(d, world, h.id, cadreId, "2026-01-01");
    if (cadre === "ended") await endAssignment(d, a.id, "2026-05-31");
  }
  const days = s.checkDaysAgo === undefined ? 3 : s.checkDaysAgo;
  if (days !== null) await createCheck(d, world, h.id, cadreId, addDays(TODAY, -days));
  const industry = s.industry ?? "membership";
  if (industry === "membership") await joinCooperative(d, world, coopId, h.id, "2026-02-01");
  if (industry === "leftMembership") {
    const m = await joinCooperative(d, world, coopId, h.id, "2025-02-01");
    await d.update(schema.memberships).set({ leftOn: "2026-03-01" }).where(eq(schema.memberships.id, m.id));
  }
  if (industry === "order" || industry === "cancelledOrder") {
    // the allocation came while a member; the membership has ended since
    const m = await joinCooperative(d, world, coopId, h.id, "2025-02-01");
    const buyer = await createBuyer(d, world);
    const order = await createPurchaseOrder(d, world, {
      cooperativeId: coopId,
      buyerId: buyer.id,
      status: industry === "order" ? "signed" : "cancelled",
    });
    await createOrderAllocation(d, world, {
      orderId: order.id,
      householdId: h.id,
      membershipId: m.id,
      quantityKg: 100,
    });
    await d.update(schema.memberships).set({ leftOn: "2026-05-01" }).where(eq(schema.memberships.id, m.id));
  }
  if (industry === "industryFund" || industry === "educationFund") {
    const project = await createAidProject(d, world, { type: industry === "industryFund" ? "industry" : "education" });
    // funds go to an approved plan: a household whose plan is not approved yet got them on an older one
    const fundable = planId && ["approved", "in_progress", "completed"].includes(plan);
    const fundPlan = fundable ? planId! : (await createPlan(d, world, h.id, { year: 2024, status: "completed" })).id;
    await createFundAllocation(d, world, {
      projectId: project.id,
      planId: fundPlan,
      householdId: h.id,
      allocatedOn: "2026-04-01",
    });
  }
  return h;
}

async function gapReasons(user: User, householdId: string, q: Record<string, string> = {}) {
  const { rows } = await coverageGapHouseholds({ scope: scope(user), today: TODAY, params: params(q) });
  return rows.find((r) => r.id === householdId)?.reasons ?? null;
}

test("a household meeting all four conditions is covered and on no gap list", async () => {
  const { official, make } = await township();
  const h = await make({ members: 3 });
  const reg = await coverageRegister({ scope: scope(official), today: TODAY });
  expect(reg.totals).toMatchObject({
    households: 1,
    householdsCovered: 1,
    persons: 3,
    personsCovered: 3,
    householdsPercent: 100,
  });
  expect(await gapReasons(official, h.id)).toBeNull();
  expect((await coverageGapPersons({ scope: scope(official), today: TODAY, params: params() })).total).toBe(0);
});

test("a household failing exactly one condition shows exactly that reason", async () => {
  const { official, make } = await township();
  const cases: [Setup, Condition][] = [
    [{ plan: "none" }, "plan"],
    [{ plan: "draft" }, "plan"],
    [{ plan: "submitted" }, "plan"],
    [{ plan: "lastYear" }, "plan"],
    [{ cadre: "none" }, "cadre"],
    [{ cadre: "ended" }, "cadre"],
    [{ checkDaysAgo: null }, "checkWindow"],
    [{ checkDaysAgo: 45 }, "checkWindow"],
    [{ checkDaysAgo: -1 }, "checkWindow"], // dated tomorrow: not a visit yet, so never visited
    [{ industry: "none" }, "industry"],
    [{ industry: "leftMembership" }, "industry"],
    [{ industry: "cancelledOrder" }, "industry"],
    [{ industry: "educationFund" }, "industry"],
  ];
  for (const [setup, reason] of cases) {
    const h = await make(setup);
    expect([JSON.stringify(setup), await gapReasons(official, h.id)]).toEqual([JSON.stringify(setup), [reason]]);
    // the condition filter finds it under its reason only
    for (const c of CONDITIONS) {
      expect(await gapReasons(official, h.id, { condition: c })).toEqual(c === reason ? [reason] : null);
    }
  }
  const reg = await coverageRegister({ scope: scope(official), today: TODAY });
  expect(reg.totals.householdsCovered).toBe(0);
  expect(reg.totals.conditions.plan.missing).toBe(4);
  expect(reg.totals.conditions.cadre.missing).toBe(2);
  expect(reg.totals.conditions.checkWindow.missing).toBe(3);
  expect(reg.totals.conditions.industry.missing).toBe(4);
});

test("plans in progress or completed count as approved; an order allocation or an industry fund is an industry link", async () => {
  const { official, make } = await township();
  const covered = [
    await make({ plan: "in_progress" }),
    await make({ plan: "completed" }),
    await make({ industry: "order" }),
    await make({ industry: "industryFund" }),
  ];
  for (const h of covered) expect(await gapReasons(official, h.id)).toBeNull();
  const reg = await coverageRegister({ scope: scope(official), today: TODAY });
  expect(reg.totals).toMatchObject({ households: 4, householdsCovered: 4 });
});

test("the due date's edge: a check exactly an interval ago is due today and still counts, one day earlier does not", async () => {
  const { d, world, official, make } = await township();
  const onEdge = await make({ checkDaysAgo: 30 });
  const past = await make({ checkDaysAgo: 31 });
  const today = await make({ checkDaysAgo: 0 });
  const monitored = await make({ checkDaysAgo: 16, status: "monitored" });
  expect(await gapReasons(official, onEdge.id)).toBeNull();
  expect(await gapReasons(official, today.id)).toBeNull();
  expect(await gapReasons(official, past.id)).toEqual(["checkWindow"]);
  expect(await gapReasons(official, monitored.id)).toEqual(["checkWindow"]);

  // the township's own interval moves the edge
  await setSetting("check.intervalDays", 10, world.townships[0].id);
  const ten = await make({ checkDaysAgo: 10 });
  const eleven = await make({ checkDaysAgo: 11 });
  expect(await gapReasons(official, ten.id)).toBeNull();
  expect(await gapReasons(official, eleven.id)).toEqual(["checkWindow"]);
  expect(await gapReasons(official, onEdge.id)).toEqual(["checkWindow"]);
  const reg = await coverageRegister({ scope: scope(official), today: TODAY });
  expect(reg.totals.conditions.checkWindow.met).toBe(2); // today and ten

  // an administrator's county uses each township's interval
  const admin = await createUser(d, world, "admin");
  expect(await gapReasons(admin, eleven.id)).toEqual(["checkWindow"]);
  const county = await coverageRegister({ scope: scope(admin), today: TODAY, groupBy: "township" });
  expect(county.rows.find((r) => r.regionId === world.townships[0].id)?.conditions.checkWindow.met).toBe(2);
});

test("persons: covered when a member of a covered household; the gap list names each person", async () => {
  const { official, make, world } = await township();
  const a = await make({ members: 3 });
  const b = await make({ members: 2, cadre: "none", villageIndex: 1 });
  const c = await make({ members: 4, checkDaysAgo: null, villageIndex: 1 });
  const reg = await coverageRegister({ scope: scope(official), today: TODAY });
  expect(reg.totals).toMatchObject({ persons: 9, personsCovered: 3, personsPercent: 33.3 });
  const v1 = reg.rows.find((r) => r.regionId === world.villages[1].id)!;
  expect(v1).toMatchObject({ households: 2, householdsCovered: 0, persons: 6, personsCovered: 0 });

  const people = await coverageGapPersons({ scope: scope(official), today: TODAY, params: params() });
  expect(people.total).toBe(6);
  expect(people.rows.map((p) => p.householdId).sort()).toEqual([...Array(2).fill(b.id), ...Array(4).fill(c.id)].sort());
  const head = people.rows.find((p) => p.householdId === b.id && p.relation === "head")!;
  // an official's work needs full ID numbers (domain rule 2)
  expect(head).toMatchObject({
    name: b.headName,
    idNumber: b.members[0].idNumber,
    village: world.villages[1].name,
    reasons: ["cadre"],
  });
  expect(people.rows.some((p) => p.householdId === a.id)).toBe(false);
  // the person list follows the condition filter
  const noCheck = await coverageGapPersons({
    scope: scope(official),
    today: TODAY,
    params: params({ condition: "checkWindow" }),
  });
  expect(noCheck.total).toBe(4);
});

test("the register's counts agree with a count by hand over the same rows", async () => {
  const { d, world, official, make } = await township();
  // a deterministic mix of every condition's outcomes across two villages and three statuses
  let x = 7;
  const rnd = (n: number) => ((x = (x * 1103515245 + 12345) % 2147483648), x % n);
  const plans = ["approved", "in_progress", "draft", "none", "lastYear"] as const;
  const cadres = ["active", "active", "ended", "none"] as const;
  const checks = [0, 5, 30, 31, 60, null] as const;
  const links = ["membership", "order", "industryFund", "none", "leftMembership", "educationFund"] as const;
  const statuses = ["registered", "monitored", "lifted"] as const;
  for (let i = 0; i < 36; i++) {
    await make({
      villageIndex: rnd(2),
      members: 1 + rnd(4),
      status: statuses[rnd(3)],
      plan: plans[rnd(plans.length)],
      cadre: cadres[rnd(cadres.length)],
      checkDaysAgo: checks[rnd(checks.length)],
      industry: links[rnd(links.length)],
    });
  }

  // by hand: plain selects of the township's rows, the rule in JavaScript
  const t = world.townships[0].id;
  const hs = await d.select().from(schema.households).where(eq(schema.households.townshipId, t));
  const ids = new Set(hs.map((h) => h.id));
  const mine = <R extends { householdId: string }>(rows: R[]) => rows.filter((r) => ids.has(r.householdId));
  const members = mine(await d.select().from(schema.members));
  const planRows = mine(await d.select().from(schema.plans));
  const assignments = mine(await d.select().from(schema.cadreAssignments));
  const checkRows = mine(await d.select().from(schema.checks));
  const memberships = mine(await d.select().from(schema.memberships));
  const orders = new Map((await d.select().from(schema.purchaseOrders)).map((o) => [o.id, o]));
  const allocations = mine(await d.select().from(schema.orderAllocations));
  const projects = new Map((await d.select().from(schema.aidProjects)).map((p) => [p.id, p]));
  const funds = mine(await d.select().from(schema.fundAllocations));
  const intervals = { "check.intervalDays": 30, "check.monitoredIntervalDays": 15 };
  const flags = (id: string) => ({
    plan: planRows.some(
      (p) => p.householdId === id && p.year === 2026 && ["approved", "in_progress", "completed"].includes(p.status),
    ),
    cadre: assignments.some((a) => a.householdId === id && a.endsOn === null),
    checkWindow: !overdueOn(
      {
        registeredOn: hs.find((h) => h.id === id)!.registeredOn!,
        monitored: hs.find((h) => h.id === id)!.povertyStatus === "monitored",
        checks: checkRows
          .filter((c) => c.householdId === id)
          .map((c) => ({ ...c, createdAt: c.createdAt.toISOString() })),
        assignments: assignments.filter((a) => a.householdId === id),
      },
      intervals,
      TODAY,
    ),
    industry:
      memberships.some((m) => m.householdId === id && m.joinedOn <= TODAY && (m.leftOn === null || m.leftOn > TODAY)) ||
      allocations.some((a) => {
        const o = orders.get(a.orderId)!;
        return (
          a.householdId === id &&
          ["signed", "delivering", "fulfilled"].includes(o.status) &&
          o.deliveryEnd >= "2026-01-01"
        );
      }) ||
      funds.some(
        (f) =>
          f.householdId === id &&
          projects.get(f.projectId)!.type === "industry" &&
          f.allocatedOn >= "2026-01-01" &&
          f.allocatedOn <= TODAY,
      ),
  });
  const byHand = (filter: (h: (typeof hs)[number]) => boolean) => {
    const sel = hs.filter(filter);
    const f = sel.map((h) => ({ h, f: flags(h.id), persons: members.filter((m) => m.householdId === h.id).length }));
    const covered = f.filter((r) => CONDITIONS.every((c) => r.f[c]));
    return {
      households: sel.length,
      householdsCovered: covered.length,
      persons: f.reduce((s, r) => s + r.persons, 0),
      personsCovered: covered.reduce((s, r) => s + r.persons, 0),
      met: Object.fromEntries(CONDITIONS.map((c) => [c, f.filter((r) => r.f[c]).length])),
      uncovered: f
        .filter((r) => !CONDITIONS.every((c) => r.f[c]))
        .map((r) => r.h.id)
        .sort(),
      reasons: Object.fromEntries(f.map((r) => [r.h.id, CONDITIONS.filter((c) => !r.f[c])])),
    };
  };
  const fromSql = (r: Awaited<ReturnType<typeof coverageRegister>>["totals"]) => ({
    households: r.households,
    householdsCovered: r.householdsCovered,
    persons: r.persons,
    personsCovered: r.personsCovered,
    met: Object.fromEntries(CONDITIONS.map((c) => [c, r.conditions[c].met])),
  });

  const reg = await coverageRegister({ scope: scope(official), today: TODAY });
  const all = byHand(() => true);
  expect(all.households).toBe(36);
  expect(all.householdsCovered).toBeGreaterThan(0); // the mix has some of each
  expect(all.householdsCovered).toBeLessThan(36);
  const { uncovered, reasons, ...totals } = all;
  expect(fromSql(reg.totals)).toEqual(totals);
  for (const v of world.villages.slice(0, 2)) {
    const { uncovered: _u, reasons: _r, ...row } = byHand((h) => h.villageId === v.id);
    expect(fromSql(reg.rows.find((r) => r.regionId === v.id)!)).toEqual(row);
  }
  // the county's plan (conditions hashed once over the county) gives the same numbers as the township's
  const admin = await createUser(d, world, "admin");
  const county = await coverageRegister({ scope: scope(admin), today: TODAY, groupBy: "township" });
  expect(fromSql(county.rows.find((r) => r.regionId === t)!)).toEqual(totals);
  const countyGaps = await coverageGapHouseholds({ scope: scope(admin), today: TODAY, params: params(), all: true });
  expect(countyGaps.rows.map((r) => r.id).sort()).toEqual(uncovered);
  const countyPersons = await coverageGapPersons({ scope: scope(admin), today: TODAY, params: params(), all: true });
  expect(countyPersons.total).toBe(totals.persons - totals.personsCovered);

  const registered = await coverageRegister({
    scope: scope(official),
    today: TODAY,
    filters: { status: "registered" },
  });
  const { uncovered: _u, reasons: _r, ...reg2 } = byHand((h) => h.povertyStatus === "registered");
  expect(fromSql(registered.totals)).toEqual(reg2);

  // the gap list: the same households, the same reasons
  const gaps = await coverageGapHouseholds({ scope: scope(official), today: TODAY, params: params(), all: true });
  expect(gaps.total).toBe(uncovered.length);
  expect(gaps.rows.map((r) => r.id).sort()).toEqual(uncovered);
  for (const r of gaps.rows) expect(r.reasons).toEqual(reasons[r.id]);
  for (const c of CONDITIONS) {
    const one = await coverageGapHouseholds({
      scope: scope(official),
      today: TODAY,
      params: params({ condition: c }),
      all: true,
    });
    expect(one.total).toBe(36 - totals.met[c]);
  }
  const persons = await coverageGapPersons({ scope: scope(official), today: TODAY, params: params(), all: true });
  expect(persons.total).toBe(totals.persons - totals.personsCovered);
});

test("scope: an official sees their own township only; an administrator the county", async () => {
  const { d, world, official, officialB, make } = await township();
  const a = await make({ cadre: "none" });
  const bCadre = await createUser(d, world, "cadre", { townshipIndex: 1 });
  const bCoop = await createCooperative(d, world, 1);
  const b = await household(d, world, bCadre.id, bCoop.id, { villageIndex: 2, cadre: "none", members: 3 });

  const regA = await coverageRegister({ scope: scope(official), today: TODAY });
  expect(regA.rows.map((r) => r.regionId)).toEqual([world.villages[0].id, world.villages[1].id]);
  expect(regA.totals.households).toBe(1);
  const gapsA = await coverageGapHouseholds({ scope: scope(official), today: TODAY, params: params() });
  expect(gapsA.rows.map((r) => r.id)).toEqual([a.id]);
  const peopleA = await coverageGapPersons({ scope: scope(official), today: TODAY, params: params(), all: true });
  expect(new Set(peopleA.rows.map((p) => p.householdId))).toEqual(new Set([a.id]));
  expect(
    (await coverageGapHouseholds({ scope: scope(officialB), today: TODAY, params: params() })).rows.map((r) => r.id),
  ).toEqual([b.id]);

  // a village of the other township: outside the filter options, and an empty answer from the model
  const village = world.villages[2].id;
  const options = await coverageFilterOptions(scope(official));
  expect(filtersInScope(params({ village }), options)).toBe(false);
  expect(filtersInScope(params({ village: world.villages[1].id }), options)).toBe(true);
  expect(
    (await coverageGapHouseholds({ scope: scope(official), today: TODAY, params: params({ village }) })).total,
  ).toBe(0);
  expect((await coverageRegister({ scope: scope(official), today: TODAY, filters: { village } })).rows).toEqual([]);

  const admin = await createUser(d, world, "admin");
  const county = await coverageRegister({ scope: scope(admin), today: TODAY, groupBy: "township" });
  expect(county.rows.map((r) => [r.regionId, r.households])).toEqual([
    [world.townships[0].id, 1],
    [world.townships[1].id, 1],
  ]);
  expect((await coverageGapHouseholds({ scope: scope(admin), today: TODAY, params: params() })).total).toBe(2);
  expect(filtersInScope(params({ village }), await coverageFilterOptions(scope(admin)))).toBe(true);
  // every village in scope has a row, an empty one too (the dashboard's chart draws these)
  expect((await coverageRegister({ scope: scope(official), today: TODAY })).rows).toEqual([
    expect.objectContaining({ regionId: world.villages[0].id, households: 1, householdsPercent: 0 }),
    expect.objectContaining({ regionId: world.villages[1].id, households: 0, householdsPercent: 0 }),
  ]);
});

test("filters: village, condition and poverty status narrow the gap lists and the register", async () => {
  const { world, official, make } = await township();
  const h1 = await make({ villageIndex: 0, status: "registered", plan: "none" });
  const h2 = await make({ villageIndex: 0, status: "monitored", industry: "none" });
  const h3 = await make({ villageIndex: 1, status: "lifted", plan: "draft", checkDaysAgo: 40 });
  await make({ villageIndex: 1, status: "monitored" }); // covered
  const found = async (q: Record<string, string>) =>
    (await coverageGapHouseholds({ scope: scope(official), today: TODAY, params: params(q) })).rows
      .map((r) => r.id)
      .sort();
  const sorted = (a: string[]) => [...a].sort();

  expect(await found({})).toEqual(sorted([h1.id, h2.id, h3.id]));
  expect(await found({ village: world.villages[0].id })).toEqual(sorted([h1.id, h2.id]));
  expect(await found({ village: world.villages[1].id })).toEqual([h3.id]);
  expect(await found({ condition: "plan" })).toEqual(sorted([h1.id, h3.id]));
  expect(await found({ condition: "checkWindow" })).toEqual([h3.id]);
  expect(await found({ condition: "industry" })).toEqual([h2.id]);
  expect(await found({ condition: "cadre" })).toEqual([]);
  expect(await found({ status: "monitored" })).toEqual([h2.id]);
  expect(await found({ status: "lifted", condition: "plan" })).toEqual([h3.id]);
  expect(await found({ status: "registered", village: world.villages[1].id })).toEqual([]);
  expect(await gapReasons(official, h3.id)).toEqual(["plan", "checkWindow"]);

  const monitored = await coverageRegister({ scope: scope(official), today: TODAY, filters: { status: "monitored" } });
  expect(monitored.totals).toMatchObject({ households: 2, householdsCovered: 1 });
  const v0 = await coverageRegister({
    scope: scope(official),
    today: TODAY,
    filters: { village: world.villages[0].id },
  });
  expect(v0.rows.map((r) => r.regionId)).toEqual([world.villages[0].id]);
  expect(v0.totals.households).toBe(2);
});

test("gap lists page on the server", async () => {
  const { official, make } = await township();
  for (let i = 0; i < 23; i++) await make({ cadre: "none", members: 1 });
  const p1 = await coverageGapHouseholds({ scope: scope(official), today: TODAY, params: params({ size: 20 }) });
  expect(p1).toMatchObject({ total: 23, page: 1, pageSize: 20, pageCount: 2 });
  expect(p1.rows).toHaveLength(20);
  const p2 = await coverageGapHouseholds({
    scope: scope(official),
    today: TODAY,
    params: params({ size: 20, page: 2 }),
  });
  expect(p2.rows).toHaveLength(3);
  expect(new Set([...p1.rows, ...p2.rows].map((r) => r.id)).size).toBe(23);
  // past the end: no rows, the total still right
  const p9 = await coverageGapPersons({ scope: scope(official), today: TODAY, params: params({ size: 20, page: 9 }) });
  expect(p9).toMatchObject({ total: 23, rows: [] });
});

// ---------- through the routes: what a signed-in user downloads ----------

async function cookieFor(username: string) {
  const setCookie = await signIn(new Request("http://localhost/login"), username, TEST_PASSWORD);
  return setCookie!.split(";")[0];
}

async function get(loader: (args: LoaderFunctionArgs) => Promise<unknown>, path: string, cookie: string) {
  try {
    return (await loader({
      request: new Request(`http://localhost${path}`, { headers: { Cookie: cookie } }),
      params: {},
      context: {},
    })) as unknown;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

test("exports: the gap lists and the register download only the rows scope and filters allow", async () => {
  const { d, world, official, make } = await township();
  const mineA = await make({ cadre: "none", members: 2 });
  const mineB = await make({ checkDaysAgo: null, members: 1, villageIndex: 1 });
  const bCadre = await createUser(d, world, "cadre", { townshipIndex: 1 });
  const bCoop = await createCooperative(d, world, 1);
  const theirs = await household(d, world, bCadre.id, bCoop.id, { villageIndex: 2, cadre: "none" });
  const cookie = await cookieFor(official.username);

  const csv = (await get(gapsLoader, "/coverage/gaps/export?format=csv", cookie)) as Response;
  expect(csv.headers.get("Content-Type")).toContain("text/csv");
  const bytes = new Uint8Array(await csv.arrayBuffer());
  expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 BOM (Response.text() would drop it)
  const text = new TextDecoder().decode(bytes);
  expect(text).toContain(mineA.code);
  expect(text).toContain(mineB.code);
  expect(text).not.toContain(theirs.code);
  expect(text.trim().split("\r\n")).toHaveLength(3); // header + 2

  const persons = await (
    (await get(gapsLoader, `/coverage/gaps/export?view=persons&condition=cadre&format=csv`, cookie)) as Response
  ).text();
  expect(persons.trim().split("\r\n")).toHaveLength(3); // header + mineA's two members
  expect(persons).toContain(mineA.members[1].idNumber); // an official sees full ID numbers
  expect(persons).not.toContain(theirs.members[0].idNumber);
  expect(persons).not.toContain(mineB.members[0].idNumber);

  const xlsx = (await get(
    gapsLoader,
    `/coverage/gaps/export?village=${world.villages[1].id}&format=xlsx`,
    cookie,
  )) as Response;
  expect(xlsx.headers.get("Content-Type")).toContain("spreadsheetml");
  const ExcelJS = (await import("exceljs")).default;
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(await xlsx.arrayBuffer());
  const codes = book.worksheets[0].getColumn(1).values.slice(2);
  expect(codes).toEqual([mineB.code]);

  const register = await ((await get(registerLoader, "/coverage/export?format=csv", cookie)) as Response).text();
  expect(register).toContain(world.villages[0].name);
  expect(register).not.toContain(world.villages[2].name);

  // a village of another township is not found; a cadre has no coverage pages
  const outside = (await get(
    gapsLoader,
    `/coverage/gaps/export?village=${world.villages[2].id}&format=csv`,
    cookie,
  )) as Response;
  expect(outside.status).toBe(404);
  const cadre = await createUser(d, world, "cadre", { townshipIndex: 0 });
  const refused = (await get(
    gapsLoader,
    "/coverage/gaps/export?format=csv",
    await cookieFor(cadre.username),
  )) as Response;
  expect(refused.status).toBe(403);

  // the gap list's own URL with ?format= sends the browser to the file, filters kept
  const redirected = (await get(gapsPageLoader, `/coverage/gaps?view=persons&page=3&format=xlsx`, cookie)) as Response;
  expect(redirected.status).toBe(302);
  expect(redirected.headers.get("Location")).toBe("/coverage/gaps/export?view=persons&format=xlsx");
});

test("an order allocation withdrawn to nothing by a counter-entry is no industry link any more", async () => {
  const { d, world, official, make } = await township();
  const h = await make({ industry: "order" });
  expect(await gapReasons(official, h.id)).toBeNull();
  const [allocation] = await d
    .select()
    .from(schema.orderAllocations)
    .where(eq(schema.orderAllocations.householdId, h.id));
  await d.insert(schema.orderAllocationChanges).values({
    countyId: world.county.id,
    allocationId: allocation.id,
    deltaKg: -allocation.quantityKg,
    reason: "该户改种玉米",
  });
  expect(await gapReasons(official, h.id)).toEqual(["industry"]);
});
