// Each role's home leads to the day's work: a cadre's returned plans and amendments, open problems and a
// call button per household; a problem marked solved from its household's page; a clerk's deliveries due
// this week and the money buyers still owe. Each item in the caller's scope only.
import { and, eq } from "drizzle-orm";
import { expect, test } from "vitest";
import * as schema from "../../db/schema";
import { orderSummary } from "~/models/orders.server";
import { weekOf } from "~/models/overview.server";
import { scopeOf } from "~/models/scope.server";
import { todayISO } from "~/utils/dates";
import { db } from "~/utils/db.server";
import { get, post, signIn } from "../support/built-app";
import * as f from "../support/factories";

const year = Number(todayISO().slice(0, 4));

async function withProblem(d: Awaited<ReturnType<typeof db>>, check: { id: string }, problems: string) {
  await d.update(schema.checks).set({ problems }).where(eq(schema.checks.id, check.id));
}

test("a cadre's home lists their returned plans and amendments with the reason, and their open problems", async () => {
  const d = await db();
  const world = await f.createWorld(d);
  const cadre = await f.createUser(d, world, "cadre");
  const other = await f.createUser(d, world, "cadre");

  const returnedPlan = await f.createHousehold(d, world);
  await f.assignCadre(d, world, returnedPlan.id, cadre.id, "2025-01-01");
  await f.createPlan(d, world, returnedPlan.id, { year, status: "returned", returnReason: "种植面积超过院落" });

  const amended = await f.createHousehold(d, world);
  await f.assignCadre(d, world, amended.id, cadre.id, "2025-01-01");
  const plan = await f.createPlan(d, world, amended.id, { year, status: "approved" });
  const content = {
    courtyardArea: 600,
    livingArea: 200,
    plantingArea: 300,
    raisingArea: 100,
    plantingItems: [],
    raisingItems: [],
    measures: [],
    incomeTargetFen: 0,
  };
  await d.insert(schema.planAmendments).values({
    countyId: world.county.id,
    planId: plan.id,
    status: "returned",
    content,
    reason: "辣椒改种玉米",
    basePlanVersion: 1,
    baseContent: content,
    returnReason: "玉米产量写高了",
    returnedAt: new Date(),
    proposedBy: cadre.id,
  });

  const problem = await f.createCheck(d, world, amended.id, cadre.id, "2025-06-01");
  await withProblem(d, problem, "饲料不够");
  const solved = await f.createCheck(d, world, amended.id, cadre.id, "2025-05-01");
  await withProblem(d, solved, "圈舍漏雨");
  await d.update(schema.checks).set({ problemSolvedOn: "2025-05-10" }).where(eq(schema.checks.id, solved.id));

  // another cadre's household: its returned plan and its problem are not this cadre's work
  const theirs = await f.createHousehold(d, world);
  await f.assignCadre(d, world, theirs.id, other.id, "2025-01-01");
  await f.createPlan(d, world, theirs.id, { year, status: "returned", returnReason: "别人的退回原因" });
  await withProblem(d, await f.createCheck(d, world, theirs.id, other.id, "2025-06-01"), "别人的问题");

  const html = (await get("/", await signIn(cadre.username))).text();
  const returned = html.slice(html.indexOf('data-testid="returned"'), html.indexOf('data-testid="open-problems"'));
  expect(returned).toContain(`href="/households/${returnedPlan.id}/plan?year=${year}"`);
  expect(returned).toContain("种植面积超过院落");
  expect(returned).toContain(`href="/households/${amended.id}/amendment"`);
  expect(returned).toContain("玉米产量写高了");
  expect(html).not.toContain("别人的退回原因");

  const problems = html.slice(html.indexOf('data-testid="open-problems"'), html.indexOf('data-testid="worklist"'));
  expect(problems).toContain("饲料不够");
  expect(problems).toContain(`href="/households/${amended.id}#problems"`);
  expect(problems).not.toContain("圈舍漏雨");
  expect(html).not.toContain("别人的问题");
});

test("a cadre's worklist has a call button for each household with a phone number, and none without", async () => {
  const d = await db();
  const world = await f.createWorld(d);
  const cadre = await f.createUser(d, world, "cadre");
  const withPhone = await f.createHousehold(d, world);
  await f.assignCadre(d, world, withPhone.id, cadre.id, "2025-01-01");
  await d.update(schema.households).set({ phone: "13812345678" }).where(eq(schema.households.id, withPhone.id));
  const without = await f.createHousehold(d, world);
  await f.assignCadre(d, world, without.id, cadre.id, "2025-01-01");

  const html = (await get("/", await signIn(cadre.username))).text();
  const calls = [...html.matchAll(/<a[^>]*class="call-button"[^>]*href="([^"]+)"[^>]*>/g)].map((m) => m[1]);
  expect(calls).toEqual(["tel:13812345678"]);
});

test("a problem is marked solved from its household's page: audited, gone from the page, refused out of scope", async () => {
  const d = await db();
  const world = await f.createWorld(d);
  const cadre = await f.createUser(d, world, "cadre");
  const stranger = await f.createUser(d, world, "cadre");
  const household = await f.createHousehold(d, world);
  await f.assignCadre(d, world, household.id, cadre.id, "2025-01-01");
  const check = await f.createCheck(d, world, household.id, cadre.id, "2025-06-01");
  await withProblem(d, check, "水管冻裂");
  const elsewhere = await f.createHousehold(d, world);
  await f.assignCadre(d, world, elsewhere.id, stranger.id, "2025-01-01");
  const elsewhereCheck = await f.createCheck(d, world, elsewhere.id, stranger.id, "2025-06-01");
  await withProblem(d, elsewhereCheck, "别处的问题");

  const cookie = await signIn(cadre.username);
  const url = `/households/${household.id}`;
  const page = (await get(url, cookie)).text();
  expect(page).toContain('data-testid="household-problems"');
  expect(page).toContain("水管冻裂");
  expect(page).toContain(`name="checkId" value="${check.id}"`);

  // a day before the visit is refused, and nothing is written
  const refused = await post(url, cookie, { intent: "solve", checkId: check.id, solvedOn: "2025-05-01" });
  expect(refused.status).toBe(400);
  const [still] = await d.select().from(schema.checks).where(eq(schema.checks.id, check.id));
  expect(still.problemSolvedOn).toBeNull();

  // another cadre's household, and another household's check posted to this page: not found
  const strangerCookie = await signIn(stranger.username);
  expect((await post(url, strangerCookie, { intent: "solve", checkId: check.id, solvedOn: todayISO() })).status).toBe(
    404,
  );
  expect((await post(url, cookie, { intent: "solve", checkId: elsewhereCheck.id, solvedOn: todayISO() })).status).toBe(
    404,
  );
  // out of scope is not found whatever was posted, a bad day too
  expect((await post(url, strangerCookie, { intent: "solve", checkId: check.id, solvedOn: "x" })).status).toBe(404);

  const done = await post(url, cookie, { intent: "solve", checkId: check.id, solvedOn: "2025-06-20" });
  expect(done.status).toBe(302);
  const [solved] = await d.select().from(schema.checks).where(eq(schema.checks.id, check.id));
  expect(solved.problemSolvedOn).toBe("2025-06-20");
  const audit = await d
    .select()
    .from(schema.auditLog)
    .where(and(eq(schema.auditLog.entityId, check.id), eq(schema.auditLog.action, "check.problem_solved")));
  expect(audit).toHaveLength(1);
  expect(audit[0].userId).toBe(cadre.id);
  const after = (await get(url, cookie)).text();
  expect(after).not.toContain('data-testid="household-problems"');
  // a second time: already solved
  expect((await post(url, cookie, { intent: "solve", checkId: check.id, solvedOn: "2025-06-21" })).status).toBe(400);
});

test("the household page shows this year's plan state near the top", async () => {
  const d = await db();
  const world = await f.createWorld(d);
  const cadre = await f.createUser(d, world, "cadre");
  const household = await f.createHousehold(d, world);
  await f.assignCadre(d, world, household.id, cadre.id, "2025-01-01");
  const cookie = await signIn(cadre.username);
  const before = (await get(`/households/${household.id}`, cookie)).text();
  expect(before).toMatch(/data-testid="plan-state"[^>]*>.*尚未制定/s);
  await f.createPlan(d, world, household.id, { year, status: "returned", returnReason: "收入目标过高" });
  const after = (await get(`/households/${household.id}`, cookie)).text();
  const state = after.slice(
    after.indexOf('data-testid="plan-state"'),
    after.indexOf("</dd>", after.indexOf('data-testid="plan-state"')),
  );
  expect(state).toContain("已退回");
  expect(state).toContain("收入目标过高");
});

test("a gap household's page tells which coverage conditions fail, with a way back to the filtered list", async () => {
  const d = await db();
  const world = await f.createWorld(d);
  const official = await f.createUser(d, world, "official");
  const cadre = await f.createUser(d, world, "cadre");
  const household = await f.createHouseholdWith(d, world, { povertyStatus: "monitored" });
  await f.assignCadre(d, world, household.id, cadre.id, "2025-01-01");
  const cookie = await signIn(official.username);

  const list = (await get(`/coverage/gaps?village=${world.villages[0].id}&status=monitored`, cookie)).text();
  // the cadre in charge is on the row; the link carries the list's filters
  expect(list).toContain(cadre.displayName);
  const href = new RegExp(`href="(/households/${household.id}\\?gaps=[^"]+)"`).exec(list)?.[1].replace(/&amp;/g, "&");
  expect(href).toBeDefined();

  const page = (await get(href!, cookie)).text();
  const reasons = page.slice(
    page.indexOf('data-testid="gap-reasons"'),
    page.indexOf("</dd>", page.indexOf('data-testid="gap-reasons"')),
  );
  // no approved plan this year and no industry link; a cadre it has
  expect(reasons).toContain("今年计划未批准");
  expect(reasons).toContain("无产业联结");
  expect(reasons).not.toContain("无帮扶干部");
  const back = /<a[^>]*href="(\/coverage\/gaps[^"]*)"/.exec(page)?.[1].replace(/&amp;/g, "&");
  expect(back).toBeDefined();
  const backUrl = new URL(back!, "http://localhost");
  expect(backUrl.pathname).toBe("/coverage/gaps");
  expect(backUrl.searchParams.get("village")).toBe(world.villages[0].id);
  expect(backUrl.searchParams.get("status")).toBe("monitored");

  // opened any other way, the page has no such link
  expect((await get(`/households/${household.id}`, cookie)).text()).not.toContain("返回未覆盖名单");
});

test("a clerk's home: this week's deliveries still short and the money buyers owe, each linking to its order", async () => {
  const d = await db();
  const world = await f.createWorld(d);
  const coop = await f.createCooperative(d, world);
  const otherCoop = await f.createCooperative(d, world);
  const clerk = await f.createUser(d, world, "clerk", { cooperativeId: coop.id });
  const buyer = await f.createBuyer(d, world);
  const week = weekOf(todayISO());
  const household = await f.createHousehold(d, world);
  const membership = await f.joinCooperative(d, world, coop.id, household.id);

  // due this week, 300 of 1,000 kg delivered and half of it paid
  const short = await f.createPurchaseOrder(d, world, {
    cooperativeId: coop.id,
    buyerId: buyer.id,
    quantityKg: 1000,
    unitPriceFen: 400,
    deliveryStart: week.from,
    deliveryEnd: week.to,
    status: "delivering",
  });
  const allocation = await f.createOrderAllocation(d, world, {
    orderId: short.id,
    householdId: household.id,
    membershipId: membership.id,
    quantityKg: 1000,
  });
  const delivery = await f.createDelivery(d, world, { allocationId: allocation.id, quantityKg: 300 });
  await d
    .insert(schema.payments)
    .values({ countyId: world.county.id, deliveryId: delivery.id, amountFen: 60_000, paidOn: week.from });
  // due this week but cancelled, and another cooperative's order: neither is this clerk's work
  await f.createPurchaseOrder(d, world, {
    cooperativeId: coop.id,
    buyerId: buyer.id,
    deliveryStart: week.from,
    deliveryEnd: week.to,
    status: "cancelled",
  });
  const foreign = await f.createPurchaseOrder(d, world, {
    cooperativeId: otherCoop.id,
    buyerId: buyer.id,
    deliveryStart: week.from,
    deliveryEnd: week.to,
  });
  // a window long past: not due this week
  const past = await f.createPurchaseOrder(d, world, {
    cooperativeId: coop.id,
    buyerId: buyer.id,
    deliveryStart: "2024-08-01",
    deliveryEnd: "2024-09-01",
  });

  const html = (await get("/", await signIn(clerk.username))).text();
  const due = html.slice(html.indexOf('data-testid="due-this-week"'), html.indexOf('id="owed-title"'));
  const dueLinks = [...due.matchAll(/href="\/orders\/([^"]+)"/g)].map((m) => m[1]);
  expect(dueLinks).toEqual([short.id]);
  expect(due).toContain("还差 700 公斤");
  expect(html).not.toContain(foreign.id);
  expect(due).not.toContain(past.id);

  // the money owed is the order page's unpaid figure
  const summary = await orderSummary({ scope: scopeOf(clerk) as never, orderId: short.id, today: todayISO() });
  expect(summary.totals.unpaidFen).toBe(120_000 - 60_000);
  const owed = html.slice(html.indexOf('data-testid="owed"'));
  expect([...owed.matchAll(/href="\/orders\/([^"]+)"/g)].map((m) => m[1])).toEqual([short.id]);
  expect(owed).toContain("欠 600.00 元");
});
