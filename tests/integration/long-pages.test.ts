// Pages that grew past what a phone carries: a project's allocation ledger, a cooperative's members, an
// order's households and the points league are read a page at a time (LIMIT/OFFSET in SQL), and narrowed
// by a search on the server where a user looks for one row; the figures above them count every row. Each page holds the right rows in order; nothing out of scope shows.
import { expect, test } from "vitest";
import { getCooperative } from "~/models/cooperatives.server";
import { NotFoundError } from "~/models/errors.server";
import { allocationCandidates, ledgerPageOf, orderSummary } from "~/models/orders.server";
import { addAdjustment, leagueTable, pointsCard } from "~/models/points.server";
import { getProject } from "~/models/projects.server";
import { scopeOf } from "~/models/scope.server";
import { eq } from "drizzle-orm";
import { checks } from "../../db/schema";
import { db } from "~/utils/db.server";
import { get, post, signIn, withoutScripts } from "../support/built-app";
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

test("an order's households come a page at a time, those still to deliver first; every total counts them all", async () => {
  const d = await db();
  const world = await f.createWorld(d);
  const coop = await f.createCooperative(d, world, 0);
  const otherCoop = await f.createCooperative(d, world, 0);
  const clerkUser = await f.createUser(d, world, "clerk", { cooperativeId: coop.id });
  const otherClerkUser = await f.createUser(d, world, "clerk", { cooperativeId: otherCoop.id });
  const cadreUser = await f.createUser(d, world, "cadre", { townshipIndex: 0 });
  const buyer = await f.createBuyer(d, world);
  const order = await f.createPurchaseOrder(d, world, { cooperativeId: coop.id, buyerId: buyer.id, quantityKg: 5000 });
  const shares: { householdId: string; allocationId: string; headName: string; idTail: string; full: boolean }[] = [];
  for (let i = 0; i < 13; i++) {
    const h = await f.createHousehold(d, world, { villageIndex: 0 });
    const membership = await f.joinCooperative(d, world, coop.id, h.id, "2026-03-01");
    const a = await f.createOrderAllocation(d, world, {
      orderId: order.id,
      householdId: h.id,
      membershipId: membership.id,
      quantityKg: 100,
    });
    // five households have delivered their whole share; eight still owe 70 kg each
    const full = i % 3 === 0;
    await f.createDelivery(d, world, { allocationId: a.id, quantityKg: full ? 100 : 30 });
    if (i === 4) await f.assignCadre(d, world, h.id, cadreUser.id);
    shares.push({
      householdId: h.id,
      allocationId: a.id,
      headName: h.headName,
      idTail: h.members[0].idNumber.slice(-4),
      full,
    });
  }
  const fullCount = shares.filter((s) => s.full).length;
  const owing = shares.filter((s) => !s.full).map((s) => s.allocationId);
  const clerk = scopeOf(clerkUser);
  const today = "2026-09-01";

  const first = await orderSummary({ scope: clerk, orderId: order.id, today, allocations: { page: 1, size: 10 } });
  const second = await orderSummary({ scope: clerk, orderId: order.id, today, allocations: { page: 2, size: 10 } });
  expect(first.allocationPage).toEqual({ total: 13, page: 1, pageSize: 10, pageCount: 2 });
  expect(first.households).toHaveLength(10);
  expect(second.households).toHaveLength(3);
  // who still owes kilograms comes first; every household once over the two pages
  expect(
    first.households
      .slice(0, owing.length)
      .map((h) => h.allocationId)
      .sort(),
  ).toEqual([...owing].sort());
  expect(second.households.every((h) => h.remainingKg === 0)).toBe(true);
  const seen = [...first.households, ...second.households].map((h) => h.allocationId);
  expect(new Set(seen).size).toBe(13);
  // the figures are the whole order's on every page, the table's total row too
  const delivered = fullCount * 100 + (13 - fullCount) * 30;
  for (const p of [first, second]) {
    expect(p.totals.deliveredKg).toBe(delivered);
    expect(p.totals.allocatedKg).toBe(1300);
    expect(p.totals.remainingKg).toBe((13 - fullCount) * 70);
    expect(p.totals.amountFen).toBe(delivered * 500);
    expect(p.tableTotals.deliveredKg).toBe(delivered);
    expect(p.allocationCount).toBe(13);
  }
  // the search finds a household by name or ID tail, and the figures still count every household
  const target = shares[7];
  const byName = await orderSummary({
    scope: clerk,
    orderId: order.id,
    today,
    allocations: { page: 1, size: 10, household: target.headName },
  });
  expect(byName.households.map((h) => h.allocationId)).toContain(target.allocationId);
  expect(byName.households.every((h) => h.headName.includes(target.headName))).toBe(true);
  expect(byName.totals.deliveredKg).toBe(delivered);
  const byTail = await orderSummary({
    scope: clerk,
    orderId: order.id,
    today,
    allocations: { page: 1, size: 10, household: target.idTail },
  });
  expect(byTail.households.map((h) => h.allocationId)).toContain(target.allocationId);

  // a cadre sees their own household's row and its sum; the order's figures stay the order's
  const cadre = await orderSummary({ scope: scopeOf(cadreUser), orderId: order.id, today });
  expect(cadre.households.map((h) => h.allocationId)).toEqual([shares[4].allocationId]);
  expect(cadre.allocationPage.total).toBe(1);
  expect(cadre.tableTotals.deliveredKg).toBe(30);
  expect(cadre.totals.deliveredKg).toBe(delivered);
  // another cooperative's clerk: no such order
  await expect(orderSummary({ scope: scopeOf(otherClerkUser), orderId: order.id, today })).rejects.toBeInstanceOf(
    NotFoundError,
  );

  // through the built app, without JavaScript: page 2 holds the last three cards, the totals are the order's
  const cookie = await signIn(clerkUser.username);
  const html = withoutScripts((await get(`/orders/${order.id}?size=10&page=2`, cookie)).text());
  expect(html.match(/data-testid="allocation-card"/g)).toHaveLength(3);
  for (const h of second.households) expect(html).toContain(`id="allocation-${h.allocationId}"`);
  expect(html).toContain('rel="prev"');
  const firstHtml = withoutScripts((await get(`/orders/${order.id}?size=10`, cookie)).text());
  const figure = (page: string) => /data-testid="total-delivered">([^<]*)</.exec(page)?.[1];
  expect(figure(html)).toBe(figure(firstHtml));
  expect(figure(firstHtml)?.replace(/[,\s]/g, "")).toContain(String(delivered));
  const searched = withoutScripts(
    (await get(`/orders/${order.id}?household=${encodeURIComponent(target.idTail)}`, cookie)).text(),
  );
  expect(searched).toContain(`id="allocation-${target.allocationId}"`);
  expect(searched).toContain('data-testid="ledger-found"');
  const outside = await signIn(otherClerkUser.username);
  expect((await get(`/orders/${order.id}?page=2`, outside)).status).toBe(404);

  // a save comes back to the page its row sorts onto, the other rows around it: an owing household is on
  // page 1, one delivered in full on page 2 (ten to a page); a share raised past what was delivered owes
  // again and comes back on page 1
  const [onSecond, alsoSecond] = second.households;
  expect(await ledgerPageOf(clerk, { orderId: order.id, allocationId: owing[0] })).toBe(1);
  const alsoSecondHousehold = shares.find((s) => s.allocationId === alsoSecond.allocationId)!.householdId;
  expect(await ledgerPageOf(clerk, { orderId: order.id, householdId: alsoSecondHousehold })).toBe(2);
  const raised = await post(`/orders/${order.id}`, cookie, {
    intent: "change-allocation",
    allocationId: onSecond.allocationId,
    version: "1",
    quantityKg: "120",
    reason: "多种了",
  });
  expect([raised.status, raised.location]).toEqual([
    302,
    `/orders/${order.id}?saved=allocationChange#allocation-${onSecond.allocationId}`,
  ]);
  expect(await ledgerPageOf(clerk, { orderId: order.id, allocationId: onSecond.allocationId })).toBe(1);
});

test("the points league: ranked over every cadre, a page at a time, searched by name; another township's never listed", async () => {
  const d = await db();
  const world = await f.createWorld(d);
  const officialUser = await f.createUser(d, world, "official", { townshipIndex: 0 });
  const official = scopeOf(officialUser);
  const cadres: Awaited<ReturnType<typeof f.createUser>>[] = [];
  for (let i = 0; i < 53; i++) cadres.push(await f.createUser(d, world, "cadre", { townshipIndex: 0 }));
  const far = await f.createUser(d, world, "cadre", { townshipIndex: 1 });
  const today = "2026-10-20";
  const best = cadres[30];
  const worst = cadres[2];
  await addAdjustment({ scope: official, cadreId: best.id, effectiveOn: "2026-10-05", points: 9, reason: "表现突出" });
  await addAdjustment({
    scope: official,
    cadreId: worst.id,
    effectiveOn: "2026-10-05",
    points: -9,
    reason: "多次迟到",
  });

  const first = await leagueTable({ scope: official, month: "2026-10", today, list: { page: 1, size: 50 } });
  const second = await leagueTable({ scope: official, month: "2026-10", today, list: { page: 2, size: 50 } });
  expect(first.page).toEqual({ total: 53, page: 1, pageSize: 50, pageCount: 2 });
  expect(first.cadreCount).toBe(53);
  expect(first.rows).toHaveLength(50);
  expect(second.rows).toHaveLength(3);
  expect(first.rows[0]).toMatchObject({ cadreId: best.id, rank: 1 });
  expect(second.rows.at(-1)).toMatchObject({ cadreId: worst.id, rank: 53 });
  // equal totals share a rank across the page break
  expect(second.rows[0].rank).toBe(2);
  const ids = [...first.rows, ...second.rows].map((r) => r.cadreId);
  expect(new Set(ids).size).toBe(53);
  expect(ids).not.toContain(far.id);
  // a search keeps each cadre's rank in the whole township
  const found = await leagueTable({
    scope: official,
    month: "2026-10",
    today,
    list: { page: 1, size: 50, who: worst.username },
  });
  expect(found.rows.map((r) => [r.cadreId, r.rank])).toEqual([[worst.id, 53]]);
  expect(found.page.total).toBe(1);
  const none = await leagueTable({
    scope: official,
    month: "2026-10",
    today,
    list: { page: 1, size: 50, who: far.username },
  });
  expect(none.rows).toEqual([]);

  // through the built app: page 2 lists the last three, the form offers the cadres listed
  const cookie = await signIn(officialUser.username);
  const html = withoutScripts((await get(`/points?month=2026-10&page=2`, cookie)).text());
  expect(html.match(/data-testid="league-row-/g)).toHaveLength(3);
  expect(html).toContain(`data-testid="league-row-${worst.username}"`);
  expect(html).not.toContain(`data-testid="league-row-${best.username}"`);
  expect(html).toContain('rel="prev"');
  expect(html).toContain(`value="${worst.id}"`);
  expect(html).not.toContain(`value="${best.id}"`);
});

test("a cadre's points card: the month's parts count every entry, the entries come a page at a time and by kind", async () => {
  const d = await db();
  const world = await f.createWorld(d);
  const cadreUser = await f.createUser(d, world, "cadre", { townshipIndex: 0 });
  const checkIds: string[] = [];
  for (let i = 0; i < 25; i++) {
    const household = await f.createHousehold(d, world);
    await f.assignCadre(d, world, household.id, cadreUser.id, "2026-10-01");
    checkIds.push(
      (await f.createCheck(d, world, household.id, cadreUser.id, `2026-10-${String(2 + i).padStart(2, "0")}`)).id,
    );
  }
  // the month's last visit found a problem: the last entry of the card
  const withProblem = checkIds[24];
  await d.update(checks).set({ problems: "屋顶漏雨" }).where(eq(checks.id, withProblem));
  const card = await pointsCard({ scope: scopeOf(cadreUser), month: "2026-10", today: "2026-11-10" });
  expect(card.entries).toHaveLength(26);
  // the parts add up to the whole card, whatever page is shown
  expect(card.kinds.reduce((n, k) => n + k.count, 0)).toBe(26);
  expect(card.kinds.reduce((n, k) => n + k.points, 0)).toBe(card.total);
  expect(card.kinds.find((k) => k.kind === "problemFound")).toEqual({ kind: "problemFound", count: 1, points: 1 });

  const cookie = await signIn(cadreUser.username);
  const first = withoutScripts((await get(`/points?month=2026-10`, cookie)).text());
  expect(first.match(/data-testid="card-entry"/g)).toHaveLength(20);
  expect(first).toContain(`data-testid="points-${cadreUser.username}">${card.total}<`);
  for (const k of card.kinds) expect(first).toMatch(new RegExp(`data-kind="${k.kind}"><a [^>]*>[^<]+</a>`));
  expect(first).toContain('rel="next"');
  expect(first).not.toContain(`value="${withProblem}"`);

  const second = withoutScripts((await get(`/points?month=2026-10&page=2`, cookie)).text());
  expect(second.match(/data-testid="card-entry"/g)).toHaveLength(6);
  expect(second).toContain(`name="checkId" value="${withProblem}"`);

  const problems = withoutScripts((await get(`/points?month=2026-10&kind=problemFound`, cookie)).text());
  expect(problems.match(/data-testid="card-entry"/g)).toHaveLength(1);
  expect(problems).toContain('data-kind="problemFound" data-points="1"');

  // marking the problem solved comes back to the page of entries it was marked on
  const solved = await post(`/points`, cookie, {
    intent: "solve",
    checkId: withProblem,
    month: "2026-10",
    solvedOn: "2026-11-01",
    page: "2",
  });
  expect([solved.status, solved.location]).toEqual([302, "/points?month=2026-10&saved=solved&page=2"]);
});
