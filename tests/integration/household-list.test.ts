// The household registry list: filters, search, sort and paging from the URL, always inside the scope.
import { expect, test } from "vitest";
import {
  householdListFilterOptions,
  HouseholdListParamsSchema,
  listHouseholds,
  parseHouseholdListParams,
  reconcileHouseholdListParams,
  type HouseholdListRow,
} from "~/models/household-list.server";
import { scopeOf, type Scope } from "~/models/scope.server";
import { db } from "~/utils/db.server";
import {
  addMemberWithId,
  assignCadre,
  createCheck,
  createCooperative,
  createGroup,
  createHouseholdWith,
  createPlan,
  createUser,
  createWorld,
  endAssignment,
  joinCooperative,
  newIdNumberEndingInX,
} from "../support/factories";

const YEAR = 2026;

type User = Parameters<typeof scopeOf>[0];
const scope = (u: User): Scope => scopeOf(u);

/** The list as the URL `?…` asks for it. */
async function list(user: User, query: Record<string, string | number> = {}) {
  const params = HouseholdListParamsSchema.parse(
    Object.fromEntries(Object.entries(query).map(([k, v]) => [k, String(v)])),
  );
  return listHouseholds({ scope: scope(user), params, year: YEAR });
}

const ids = (rows: { id: string }[]) => rows.map((r) => r.id);
const sorted = (values: string[]) => [...values].sort();

/** A township with a mix of households: different villages, groups, statuses, causes, plans, cadres. */
async function township() {
  const d = await db();
  const world = await createWorld(d);
  const official = await createUser(d, world, "official", { townshipIndex: 0 });
  const cadreA = await createUser(d, world, "cadre", { townshipIndex: 0 });
  const cadreB = await createUser(d, world, "cadre", { townshipIndex: 0 });
  const group1 = await createGroup(d, world, 0, "一组");
  const group2 = await createGroup(d, world, 0, "二组");

  const h1 = await createHouseholdWith(d, world, {
    villageIndex: 0,
    groupId: group1.id,
    headName: "王建国",
    members: 3,
    povertyStatus: "registered",
    povertyCause: "illness",
  });
  const h2 = await createHouseholdWith(d, world, {
    villageIndex: 0,
    groupId: group2.id,
    headName: "李秀英",
    members: 1,
    povertyStatus: "monitored",
    povertyCause: "disability",
  });
  const h3 = await createHouseholdWith(d, world, {
    villageIndex: 1,
    headName: "张国强",
    members: 5,
    povertyStatus: "lifted",
    povertyCause: "lack_funds",
  });
  const h4 = await createHouseholdWith(d, world, {
    villageIndex: 1,
    headName: "王秀兰",
    members: 2,
    povertyStatus: "registered",
    povertyCause: "illness",
  });
  // the neighbouring township
  const far = await createHouseholdWith(d, world, { villageIndex: 2, headName: "王远方", members: 4 });

  await createPlan(d, world, h1.id, { status: "approved" });
  await createPlan(d, world, h2.id, { status: "draft" });
  await createPlan(d, world, h4.id, { status: "approved", year: YEAR - 1 }); // last year's only
  await assignCadre(d, world, h1.id, cadreA.id);
  await assignCadre(d, world, h2.id, cadreA.id);
  await assignCadre(d, world, h3.id, cadreB.id);
  const ended = await assignCadre(d, world, h4.id, cadreB.id, "2025-01-01");
  await endAssignment(d, ended.id, "2025-12-31");
  await createCheck(d, world, h1.id, cadreA.id, "2026-03-01");
  await createCheck(d, world, h1.id, cadreA.id, "2026-05-20");
  await createCheck(d, world, h3.id, cadreB.id, "2026-04-10");

  return { d, world, official, cadreA, cadreB, group1, group2, h1, h2, h3, h4, far };
}

test("a row carries the list's columns: group, members, this year's plan, the current cadre, the last check", async () => {
  const { official, cadreA, group1, h1, h4, world } = await township();
  const { rows, total } = await list(official);
  expect(total).toBe(4);
  const r1 = rows.find((r) => r.id === h1.id)!;
  expect(r1).toMatchObject<Partial<HouseholdListRow>>({
    code: h1.code,
    headName: "王建国",
    village: world.villages[0].name,
    group: group1.name,
    povertyStatus: "registered",
    povertyCause: "illness",
    memberCount: 3,
    planStatus: "approved",
    cadreName: cadreA.displayName,
    lastCheck: "2026-05-20",
  });
  // last year's plan is not this year's, and an ended assignment is no cadre
  const r4 = rows.find((r) => r.id === h4.id)!;
  expect(r4).toMatchObject({
    group: null,
    planStatus: null,
    cadreName: null,
    lastCheck: null,
    memberCount: 2,
  });
});

test("each filter narrows the list", async () => {
  const { official, cadreA, cadreB, group1, h1, h2, h3, h4, world } = await township();
  const found = async (query: Record<string, string>) => sorted(ids((await list(official, query)).rows));

  expect(await found({ village: world.villages[0].id })).toEqual(sorted([h1.id, h2.id]));
  expect(await found({ village: world.villages[0].id, group: group1.id })).toEqual([h1.id]);
  expect(await found({ status: "registered" })).toEqual(sorted([h1.id, h4.id]));
  expect(await found({ status: "lifted" })).toEqual([h3.id]);
  expect(await found({ cause: "illness" })).toEqual(sorted([h1.id, h4.id]));
  expect(await found({ cause: "disability" })).toEqual([h2.id]);
  expect(await found({ plan: "approved" })).toEqual([h1.id]);
  expect(await found({ plan: "draft" })).toEqual([h2.id]);
  expect(await found({ plan: "none" })).toEqual(sorted([h3.id, h4.id]));
  expect(await found({ cadre: cadreA.id })).toEqual(sorted([h1.id, h2.id]));
  expect(await found({ cadre: cadreB.id })).toEqual([h3.id]);
  expect(await found({ cadre: "none" })).toEqual([h4.id]);
  // filters combine
  expect(await found({ status: "registered", plan: "none" })).toEqual([h4.id]);
  expect(await found({ village: world.villages[1].id, cadre: cadreA.id })).toEqual([]);
  expect((await list(official, { status: "registered", plan: "none" })).total).toBe(1);
});

test("search finds the head by part of the name", async () => {
  const { official, h1, h4 } = await township();
  expect(sorted(ids((await list(official, { q: "王" })).rows))).toEqual(sorted([h1.id, h4.id])); // not 王远方: other township
  expect(ids((await list(official, { q: "  秀兰 " })).rows)).toEqual([h4.id]);
  expect((await list(official, { q: "赵" })).total).toBe(0);
  // LIKE wildcards are literal characters
  expect((await list(official, { q: "%" })).total).toBe(0);
  expect((await list(official, { q: "王_" })).total).toBe(0);
});

test("a name with Latin letters is found whatever the case", async () => {
  const { d, world, official } = await township();
  const h = await createHouseholdWith(d, world, { villageIndex: 0, headName: "阿依古丽·Ayigul" });
  expect(ids((await list(official, { q: "ayigul" })).rows)).toEqual([h.id]);
  expect(ids((await list(official, { q: "古丽·AYI" })).rows)).toEqual([h.id]);
});

test("search finds a household by the last digits of any member's ID number", async () => {
  const { d, world, official, h1, h2, h3 } = await township();
  const spouse = h1.members[1].idNumber;
  for (const length of [4, 5, 6, 8, 18]) {
    const { rows } = await list(official, { q: spouse.slice(-length) });
    expect(ids(rows), `last ${length}`).toContain(h1.id);
    // every household found does have such a member (four digits may match another household too)
    for (const r of rows) {
      const household = [h1, h2, h3].find((h) => h.id === r.id);
      if (household) expect(household.members.some((m) => m.idNumber.endsWith(spouse.slice(-length)))).toBe(true);
    }
  }
  expect(ids((await list(official, { q: spouse })).rows)).toEqual([h1.id]);

  const withX = newIdNumberEndingInX();
  await addMemberWithId(d, world, h2.id, withX);
  expect(ids((await list(official, { q: withX.slice(-6).toLowerCase() })).rows)).toEqual([h2.id]);
  expect(ids((await list(official, { q: withX.slice(-4) })).rows)).toContain(h2.id);
});

test("a search never reaches outside the scope", async () => {
  const { official, far } = await township();
  expect((await list(official, { q: far.members[0].idNumber.slice(-6) })).total).toBe(0);
  expect((await list(official, { q: far.members[0].idNumber })).total).toBe(0);
  expect((await list(official, { q: "王远方" })).total).toBe(0);
});

test("sorting by each column, both ways", async () => {
  const { official, h1, h2, h3, h4 } = await township();
  const order = async (sort: string, dir: "asc" | "desc") => ids((await list(official, { sort, dir })).rows);
  const byCode = [h1, h2, h3, h4].sort((a, b) => (a.code < b.code ? -1 : 1)).map((h) => h.id);

  expect(await order("code", "asc")).toEqual(byCode);
  expect(await order("code", "desc")).toEqual([...byCode].reverse());
  // members: 1, 2, 3, 5
  expect(await order("members", "asc")).toEqual([h2.id, h4.id, h1.id, h3.id]);
  expect(await order("members", "desc")).toEqual([h3.id, h1.id, h4.id, h2.id]);
  // status in the enum's order: registered, monitored, lifted
  expect((await order("status", "asc")).slice(2)).toEqual([h2.id, h3.id]);
  expect((await order("status", "desc"))[0]).toBe(h3.id);
  // last check: never visited first when ascending
  const lastAsc = await order("lastCheck", "asc");
  expect(sorted(lastAsc.slice(0, 2))).toEqual(sorted([h2.id, h4.id]));
  expect(lastAsc.slice(2)).toEqual([h3.id, h1.id]);
  expect((await order("lastCheck", "desc")).slice(0, 2)).toEqual([h1.id, h3.id]);
  // plan: none first, then draft, then approved
  const planAsc = await order("plan", "asc");
  expect(sorted(planAsc.slice(0, 2))).toEqual(sorted([h3.id, h4.id]));
  expect(planAsc.slice(2)).toEqual([h2.id, h1.id]);
  expect((await order("plan", "desc")).slice(0, 2)).toEqual([h1.id, h2.id]);
  // village (code order), then household code
  const villageAsc = await order("village", "asc");
  expect(villageAsc).toEqual(byCode);
  expect(await order("village", "desc")).toEqual([...byCode].reverse());
  // group: none first
  const groupAsc = await order("group", "asc");
  expect(sorted(groupAsc.slice(0, 2))).toEqual(sorted([h3.id, h4.id]));
  expect(groupAsc.slice(2)).toEqual([h1.id, h2.id]);
  // cadre: without one first; both ways are mirror images
  const cadreAsc = await order("cadre", "asc");
  expect(cadreAsc[0]).toBe(h4.id);
  expect(await order("cadre", "desc")).toEqual([...cadreAsc].reverse());
  // head name and cause: whatever the collation, desc is the mirror of asc
  for (const key of ["head", "cause"]) {
    expect(await order(key, "desc")).toEqual([...(await order(key, "asc"))].reverse());
  }
});

test("paging: pages do not overlap, the total counts every row, a page past the end shows the last", async () => {
  const d = await db();
  const world = await createWorld(d);
  const official = await createUser(d, world, "official");
  const created = [];
  for (let i = 0; i < 45; i++)
    created.push(await createHouseholdWith(d, world, { villageIndex: i % 2, members: 1 + (i % 4) }));

  const p1 = await list(official, { size: 20 });
  const p2 = await list(official, { size: 20, page: 2 });
  const p3 = await list(official, { size: 20, page: 3 });
  expect([p1.total, p1.pageCount, p1.page, p1.pageSize]).toEqual([45, 3, 1, 20]);
  expect([p1.rows.length, p2.rows.length, p3.rows.length]).toEqual([20, 20, 5]);
  expect(sorted([...ids(p1.rows), ...ids(p2.rows), ...ids(p3.rows)])).toEqual(sorted(ids(created)));

  // the same holds for a sort with many ties (member counts 1–4): the id tiebreak keeps pages stable
  const byMembers = [1, 2, 3].map((page) => list(official, { size: 20, page, sort: "members", dir: "desc" }));
  const pages = await Promise.all(byMembers);
  expect(new Set(pages.flatMap((p) => ids(p.rows))).size).toBe(45);
  const counts = pages.flatMap((p) => p.rows.map((r) => r.memberCount));
  expect(counts).toEqual([...counts].sort((a, b) => b - a));

  const fifty = await list(official, { size: 50 });
  expect([fifty.rows.length, fifty.pageCount]).toEqual([45, 1]);

  const beyond = await list(official, { size: 20, page: 99 });
  expect(beyond.page).toBe(3);
  expect(ids(beyond.rows)).toEqual(ids(p3.rows));
});

test("pages read from either end join up into the whole list, for every sort and both directions", async () => {
  const d = await db();
  const world = await createWorld(d);
  const official = await createUser(d, world, "official");
  const cadres = [await createUser(d, world, "cadre"), await createUser(d, world, "cadre")];
  const group = await createGroup(d, world, 0);
  for (let i = 0; i < 47; i++) {
    const h = await createHouseholdWith(d, world, {
      villageIndex: i % 2,
      members: 1 + (i % 3),
      groupId: i % 4 === 0 ? group.id : null,
      povertyStatus: (["registered", "monitored", "lifted"] as const)[i % 3],
    });
    if (i % 3 !== 0) await assignCadre(d, world, h.id, cadres[i % 2].id);
    if (i % 5 !== 0) await createPlan(d, world, h.id, { status: i % 2 ? "approved" : "draft" });
    if (i % 4 !== 1) await createCheck(d, world, h.id, cadres[0].id, `2026-0${1 + (i % 6)}-1${i % 10}`);
  }
  for (const sort of ["code", "head", "village", "group", "status", "cause", "members", "plan", "cadre", "lastCheck"]) {
    for (const dir of ["asc", "desc"] as const) {
      const whole = ids((await list(official, { sort, dir, size: 100 })).rows);
      const paged = [];
      for (const page of [1, 2, 3]) paged.push(...ids((await list(official, { sort, dir, size: 20, page })).rows));
      expect(paged, `${sort} ${dir}`).toEqual(whole);
      expect(whole).toHaveLength(47);
    }
  }
});

test("an empty result has one page and no rows", async () => {
  const d = await db();
  const world = await createWorld(d);
  const official = await createUser(d, world, "official");
  expect(await list(official, { page: 5 })).toEqual({
    rows: [],
    total: 0,
    page: 1,
    pageSize: 20,
    pageCount: 1,
    idSearchRefused: false,
  });
});

test("a cadre's list never includes another cadre's household, whatever the filters say", async () => {
  const { official, cadreA, cadreB, h1, h2, h3 } = await township();
  expect(sorted(ids((await list(cadreA)).rows))).toEqual(sorted([h1.id, h2.id]));
  expect(ids((await list(cadreB)).rows)).toEqual([h3.id]);
  expect((await list(cadreA, { cadre: cadreB.id })).total).toBe(0);
  expect((await list(cadreA, { q: h3.members[0].idNumber })).total).toBe(0);
  expect((await list(cadreA, { cadre: "none" })).total).toBe(0);
  expect((await list(official)).total).toBe(4);
});

test("an official's list never includes another township's household", async () => {
  const { official, far, world } = await township();
  const all = ids((await list(official, { size: 100 })).rows);
  expect(all).not.toContain(far.id);
  expect((await list(official, { village: world.villages[2].id })).total).toBe(0);
  expect((await list(official, { q: "王远方" })).total).toBe(0);
});

test("a clerk lists the cooperative's member households; an administrator the county", async () => {
  const { d, world, h1, h3, far } = await township();
  const coop = await createCooperative(d, world);
  const clerk = await createUser(d, world, "clerk", { cooperativeId: coop.id });
  await joinCooperative(d, world, coop.id, h1.id);
  await joinCooperative(d, world, coop.id, h3.id);
  expect(sorted(ids((await list(clerk)).rows))).toEqual(sorted([h1.id, h3.id]));

  const admin = await createUser(d, world, "admin");
  const otherCounty = await createWorld(d);
  await createHouseholdWith(d, otherCounty, {});
  const county = await list(admin, { size: 100 });
  expect(county.total).toBe(5);
  expect(ids(county.rows)).toContain(far.id);
});

test("invalid parameters fall back to the defaults and still list", async () => {
  const { official } = await township();
  const url = new URL(
    "http://x/households?page=-3&size=7&sort=password&dir=sideways&village=nope&group=1;drop&status=rich&cause=&plan=maybe&cadre=x&q=",
  );
  const params = parseHouseholdListParams(url);
  expect(params).toEqual(HouseholdListParamsSchema.parse({}));
  const result = await listHouseholds({ scope: scope(official), params, year: YEAR });
  expect(result.total).toBe(4);
  // a well-formed id of nothing is simply no match, not an error
  expect((await list(official, { village: crypto.randomUUID(), cadre: crypto.randomUUID() })).total).toBe(0);
});

test("filter options: an official's villages, the chosen village's groups and cadres", async () => {
  const { official, cadreA, cadreB, group1, group2, world } = await township();
  const options = await householdListFilterOptions(scope(official));
  expect(options.villages.map((v) => v.value)).toEqual([world.villages[0].id, world.villages[1].id]);
  expect(options.villages[0]).toMatchObject({
    label: world.villages[0].name,
    township: world.townships[0].name,
  });
  expect(options.groups).toEqual([]);
  expect(sorted(options.cadres!.map((c) => c.value))).toEqual(sorted([cadreA.id, cadreB.id]));
  expect(options.cadresNeedVillage).toBe(false);

  const inVillage = await householdListFilterOptions(scope(official), { villageId: world.villages[0].id });
  expect(inVillage.groups).toEqual([
    { value: group1.id, label: "一组" },
    { value: group2.id, label: "二组" },
  ]);
  expect(inVillage.cadres).toEqual([{ value: cadreA.id, label: cadreA.displayName }]);

  // a village of another township offers nothing
  const foreign = await householdListFilterOptions(scope(official), { villageId: world.villages[2].id });
  expect(foreign.groups).toEqual([]);
});

test("filter options: a cadre has no cadre filter, an administrator picks a village first", async () => {
  const { d, world, cadreA } = await township();
  const mine = await householdListFilterOptions(scope(cadreA));
  expect(mine.cadres).toBeNull();
  expect(mine.villages.map((v) => v.value)).toEqual([world.villages[0].id]);

  const admin = await createUser(d, world, "admin");
  const county = await householdListFilterOptions(scope(admin));
  expect(county.villages).toHaveLength(4);
  expect(county.cadres).toEqual([]);
  expect(county.cadresNeedVillage).toBe(true);
  const village = await householdListFilterOptions(scope(admin), { villageId: world.villages[0].id });
  expect(village.cadres?.map((c) => c.value)).toEqual([cadreA.id]);
  expect(village.cadresNeedVillage).toBe(false);
});

test("a stale group or cadre from another village is dropped rather than hiding every row", async () => {
  const { official, cadreA, cadreB, group1, world } = await township();
  const params = HouseholdListParamsSchema.parse({
    village: world.villages[1].id,
    group: group1.id,
    cadre: cadreA.id,
  });
  const options = await householdListFilterOptions(scope(official), { villageId: params.village });
  const fixed = reconcileHouseholdListParams(params, options);
  expect(fixed).toMatchObject({ village: world.villages[1].id, group: undefined, cadre: undefined });
  expect((await listHouseholds({ scope: scope(official), params: fixed, year: YEAR })).total).toBe(2);
  const keep = reconcileHouseholdListParams({ ...params, cadre: cadreB.id }, options);
  expect(keep.cadre).toBe(cadreB.id);
});
