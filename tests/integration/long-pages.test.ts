// Pages that grew past what a phone carries: a project's allocation ledger and a cooperative's members are
// read a page at a time (LIMIT/OFFSET in SQL), the members and the order page's allocation picker are
// narrowed by a search on the server. Each page holds the right rows in order; nothing out of scope shows.
import { expect, test } from "vitest";
import { getCooperative } from "~/models/cooperatives.server";
import { allocationCandidates } from "~/models/orders.server";
import { getProject } from "~/models/projects.server";
import { scopeOf } from "~/models/scope.server";
import { db } from "~/utils/db.server";
import { get, signIn } from "../support/built-app";
import * as f from "../support/factories";

/** 2026-01-01 plus `n` days */
const day = (n: number) => new Date(Date.UTC(2026, 0, 1 + n)).toISOString().slice(0, 10);

test("a project's allocations come a page at a time, newest first; another township's never counted or shown", async () => {
  const d = await db();
  const world = await f.createWorld(d);
  const officialUser = await f.createUser(d, world, "official");
  const cadreUser = await f.createUser(d, world, "cadre");
  const project = await f.createAidProject(d, world, { townshipId: null });
  const ids: string[] = [];
  for (let i = 0; i < 25; i++) {
    const h = await f.createHousehold(d, world, { villageIndex: i % 2 });
    const plan = await f.createPlan(d, world, h.id, { year: 2026, status: "approved" });
    if (i === 3) await f.assignCadre(d, world, h.id, cadreUser.id);
    const a = await f.createFundAllocation(d, world, {
      projectId: project.id,
      planId: plan.id,
      householdId: h.id,
      allocatedOn: day(i),
    });
    ids.push(a.id);
  }
  // the county-wide project also funds a household of the other township: not the official's to see
  const far = await f.createHousehold(d, world, { villageIndex: 2 });
  const farPlan = await f.createPlan(d, world, far.id, { year: 2026, status: "approved" });
  const farAllocation = await f.createFundAllocation(d, world, {
    projectId: project.id,
    planId: farPlan.id,
    householdId: far.id,
    allocatedOn: day(30),
  });
  const official = scopeOf(officialUser);
  const newestFirst = [...ids].reverse();

  const first = await getProject({ scope: official, id: project.id, allocations: { page: 1, size: 20 } });
  expect(first!.allocationPage).toEqual({ total: 25, page: 1, pageSize: 20, pageCount: 2 });
  expect(first!.allocations.map((a) => a.id)).toEqual(newestFirst.slice(0, 20));
  const second = await getProject({ scope: official, id: project.id, allocations: { page: 2, size: 20 } });
  expect(second!.allocations.map((a) => a.id)).toEqual(newestFirst.slice(20));
  // a page past the end shows the last one
  const past = await getProject({ scope: official, id: project.id, allocations: { page: 9, size: 20 } });
  expect(past!.allocationPage.page).toBe(2);
  expect(past!.allocations.map((a) => a.id)).toEqual(newestFirst.slice(20));
  // the households reached are every one in scope, not the page's
  expect(first!.households).toHaveLength(25);
  for (const p of [first, second]) {
    expect(p!.allocations.map((a) => a.id)).not.toContain(farAllocation.id);
    expect(p!.households.map((h) => h.householdId)).not.toContain(far.id);
  }

  // a cadre sees their own household's allocation only
  const cadre = await getProject({ scope: scopeOf(cadreUser), id: project.id });
  expect(cadre!.allocations.map((a) => a.id)).toEqual([ids[3]]);
  expect(cadre!.allocationPage.total).toBe(1);

  // through the built app: ?page=2 lists the oldest five and links back to page 1
  const cookie = await signIn(officialUser.username);
  const html = (await get(`/projects/${project.id}?page=2`, cookie)).text();
  expect(html.match(/data-testid="allocation-row"/g)).toHaveLength(5);
  expect(html).toContain(`id="allocation-${ids[0]}"`);
  expect(html).not.toContain(`id="allocation-${ids[5]}"`);
  expect(html).toContain('rel="prev"');
});

test("a cooperative's members: paged, searched by name, code or ID tail; another cooperative's never listed", async () => {
  const d = await db();
  const world = await f.createWorld(d);
  const coop = await f.createCooperative(d, world);
  const otherCoop = await f.createCooperative(d, world);
  const officialUser = await f.createUser(d, world, "official");
  const clerkUser = await f.createUser(d, world, "clerk", { cooperativeId: coop.id });
  const members: Awaited<ReturnType<typeof f.createHousehold>>[] = [];
  for (let i = 0; i < 23; i++) {
    const h = await f.createHousehold(d, world);
    await f.joinCooperative(d, world, coop.id, h.id, day(i));
    members.push(h);
  }
  const outsider = await f.createHousehold(d, world);
  await f.joinCooperative(d, world, otherCoop.id, outsider.id, day(40));
  const official = scopeOf(officialUser);
  const newestFirst = [...members].reverse().map((h) => h.id);

  const page1 = await getCooperative({ scope: official, id: coop.id, members: { page: 1, size: 20 } });
  expect(page1!.currentTotal).toBe(23);
  expect(page1!.currentPage).toEqual({ total: 23, page: 1, pageSize: 20, pageCount: 2 });
  expect(page1!.current.map((m) => m.householdId)).toEqual(newestFirst.slice(0, 20));
  const page2 = await getCooperative({ scope: official, id: coop.id, members: { page: 2, size: 20 } });
  expect(page2!.current.map((m) => m.householdId)).toEqual(newestFirst.slice(20));

  const target = members[7];
  const byName = await getCooperative({
    scope: official,
    id: coop.id,
    members: { member: target.headName, page: 1, size: 20 },
  });
  // part of a name: 张8 finds 张80 too
  const named = members.filter((h) => h.headName.includes(target.headName));
  expect(byName!.current.map((m) => m.householdId).sort()).toEqual(named.map((h) => h.id).sort());
  expect(byName!.currentTotal).toBe(23);
  const tail = target.members[0].idNumber.slice(-4);
  const byTail = await getCooperative({ scope: official, id: coop.id, members: { member: tail, page: 1, size: 20 } });
  expect(byTail!.current.map((m) => m.householdId)).toContain(target.id);
  expect(byTail!.current.every((m) => members.some((h) => h.id === m.householdId))).toBe(true);
  const byOutsider = await getCooperative({
    scope: official,
    id: coop.id,
    members: { member: outsider.headName, page: 1, size: 20 },
  });
  expect(byOutsider!.current).toEqual([]);

  // the clerk of the other cooperative finds nothing at all
  const otherClerk = scopeOf(await f.createUser(d, world, "clerk", { cooperativeId: otherCoop.id }));
  expect(await getCooperative({ scope: otherClerk, id: coop.id })).toBeNull();

  // through the built app, without JavaScript: the search is a GET parameter
  const cookie = await signIn(clerkUser.username);
  const html = (await get(`/cooperatives/${coop.id}?member=${encodeURIComponent(target.headName)}`, cookie)).text();
  expect(html).toContain(`/households/${target.id}`);
  for (const h of members)
    if (!h.headName.includes(target.headName)) expect(html).not.toContain(`/households/${h.id}"`);
  expect(html).toContain('data-testid="member-count">23<');
});

test("the order page's allocation picker: a search narrows the members offered; at most 30 and a hint for more", async () => {
  const d = await db();
  const world = await f.createWorld(d);
  const coop = await f.createCooperative(d, world);
  const otherCoop = await f.createCooperative(d, world);
  const clerkUser = await f.createUser(d, world, "clerk", { cooperativeId: coop.id });
  const buyer = await f.createBuyer(d, world);
  const order = await f.createPurchaseOrder(d, world, { cooperativeId: coop.id, buyerId: buyer.id });
  const members: Awaited<ReturnType<typeof f.createHousehold>>[] = [];
  for (let i = 0; i < 32; i++) {
    const h = await f.createHousehold(d, world);
    await f.joinCooperative(d, world, coop.id, h.id);
    members.push(h);
  }
  const outsider = await f.createHousehold(d, world);
  await f.joinCooperative(d, world, otherCoop.id, outsider.id);
  const clerk = scopeOf(clerkUser);

  const all = await allocationCandidates({ scope: clerk, orderId: order.id });
  expect(all.households).toHaveLength(30);
  expect(all.more).toBe(true);
  const target = members[11];
  const byName = await allocationCandidates({ scope: clerk, orderId: order.id, q: target.headName });
  expect(byName.households.map((h) => h.id).sort()).toEqual(
    members
      .filter((h) => h.headName.includes(target.headName))
      .map((h) => h.id)
      .sort(),
  );
  expect(byName.more).toBe(false);
  const byTail = await allocationCandidates({
    scope: clerk,
    orderId: order.id,
    q: target.members[1].idNumber.slice(-4),
  });
  expect(byTail.households.map((h) => h.id)).toContain(target.id);
  expect((await allocationCandidates({ scope: clerk, orderId: order.id, q: outsider.headName })).households).toEqual(
    [],
  );

  const cookie = await signIn(clerkUser.username);
  const html = (await get(`/orders/${order.id}?q=${encodeURIComponent(target.headName)}`, cookie)).text();
  expect(html).toContain(`value="${target.id}"`);
  for (const h of members) if (!h.headName.includes(target.headName)) expect(html).not.toContain(`value="${h.id}"`);
});
