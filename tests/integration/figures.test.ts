// One figure, one definition: where two pages (or a row table and its total) show the same number, they
// read it from the same model function; each test builds one data set and compares the pages' figures.
import { expect, test } from "vitest";
import { assignableCadres, cadreWorkload } from "~/models/assignments.server";
import { allocateOrder, orderSummary } from "~/models/orders.server";
import { getHousehold } from "~/models/households.server";
import { cadreWorklist, cooperativeOverview } from "~/models/overview.server";
import { getProject, listProjects, sumProjects } from "~/models/projects.server";
import { scopeOf } from "~/models/scope.server";
import { db } from "~/utils/db.server";
import * as f from "../support/factories";

const TODAY = "2026-11-01";

test("a cadre picker's households count is the workload table's count", async () => {
  const d = await db();
  const world = await f.createWorld(d);
  const official = scopeOf(await f.createUser(d, world, "official"));
  const [a, b, idle] = [
    await f.createUser(d, world, "cadre"),
    await f.createUser(d, world, "cadre"),
    await f.createUser(d, world, "cadre"),
  ];
  for (let i = 0; i < 3; i++) await f.assignCadre(d, world, (await f.createHousehold(d, world)).id, a.id);
  await f.assignCadre(d, world, (await f.createHousehold(d, world, { villageIndex: 1 })).id, b.id);
  // an ended pairing is not held any more
  const gone = await f.assignCadre(d, world, (await f.createHousehold(d, world)).id, b.id);
  await f.endAssignment(d, gone.id);

  const workload = await cadreWorkload({ scope: official, today: TODAY });
  const picker = await assignableCadres(official);
  const held = (rows: { id: string; households: number }[]) =>
    Object.fromEntries(rows.map((r) => [r.id, r.households]));
  expect(held(workload.cadres)).toEqual({ [a.id]: 3, [b.id]: 1, [idle.id]: 0 });
  expect(held(picker)).toEqual(held(workload.cadres));
});

test("an order's total row is the sum of its rows; unallocated is its own figure", async () => {
  const d = await db();
  const world = await f.createWorld(d);
  const coop = await f.createCooperative(d, world, 0);
  const buyer = await f.createBuyer(d, world);
  const clerk = scopeOf(await f.createUser(d, world, "clerk", { cooperativeId: coop.id }));
  const cadreUser = await f.createUser(d, world, "cadre");
  const order = await f.createPurchaseOrder(d, world, { cooperativeId: coop.id, buyerId: buyer.id, quantityKg: 5000 });
  const shares = [1000, 600, 100];
  const allocations = [];
  for (const kg of shares) {
    const h = await f.createHousehold(d, world);
    await f.joinCooperative(d, world, coop.id, h.id, "2026-03-01");
    allocations.push(await allocateOrder({ scope: clerk, orderId: order.id, householdId: h.id, quantityKg: kg }));
  }
  await f.assignCadre(d, world, allocations[1].householdId, cadreUser.id);
  await f.createDelivery(d, world, { allocationId: allocations[0].id, quantityKg: 600 });
  await f.createDelivery(d, world, { allocationId: allocations[1].id, quantityKg: 300 });
  // a heavy last load: 10 kg over the allocation leaves nothing to deliver, not −10
  await f.createDelivery(d, world, { allocationId: allocations[2].id, quantityKg: 110 });

  const summary = await orderSummary({ scope: clerk, orderId: order.id, today: "2026-09-01" });
  const rows = summary.households;
  const sum = (pick: (r: (typeof rows)[number]) => number) => rows.reduce((s, r) => s + pick(r), 0);
  expect(rows.map((r) => r.remainingKg)).toEqual([400, 300, 0]);
  expect(summary.tableTotals).toMatchObject({
    allocatedKg: sum((r) => r.allocatedKg),
    deliveredKg: sum((r) => r.deliveredKg),
    remainingKg: sum((r) => r.remainingKg),
    amountFen: sum((r) => r.amountFen),
    paidFen: sum((r) => r.paidFen),
  });
  // the clerk sees every row: the order's stats are the same sums
  expect(summary.totals).toMatchObject({ ...summary.tableTotals, quantityKg: 5000, unallocatedKg: 5000 - 1700 });
  expect(summary.totals.remainingKg).toBe(700);

  // a cadre sees only their household's row; the total row under it sums that row, the stats the order
  const mine = await orderSummary({ scope: scopeOf(cadreUser), orderId: order.id, today: "2026-09-01" });
  expect(mine.households.map((r) => r.allocationId)).toEqual([allocations[1].id]);
  expect(mine.tableTotals).toMatchObject({ allocatedKg: 600, deliveredKg: 300, remainingKg: 300 });
  expect(mine.totals.remainingKg).toBe(700);
});

test("the clerk's home counts the same orders in its order count and its kilograms", async () => {
  const d = await db();
  const world = await f.createWorld(d);
  const coop = await f.createCooperative(d, world, 0);
  const buyer = await f.createBuyer(d, world);
  const clerk = scopeOf(await f.createUser(d, world, "clerk", { cooperativeId: coop.id }));
  if (clerk.role !== "clerk") throw new Error("clerk scope expected");
  for (const [status, quantityKg] of [
    ["draft", 300],
    ["signed", 1000],
    ["delivering", 2000],
    ["fulfilled", 500],
    ["cancelled", 4000],
  ] as const) {
    await f.createPurchaseOrder(d, world, { cooperativeId: coop.id, buyerId: buyer.id, status, quantityKg });
  }

  const home = await cooperativeOverview(clerk);
  const counted = home.orders.filter((o) => o.counted);
  expect(counted.map((o) => o.status).sort()).toEqual(["delivering", "draft", "fulfilled", "signed"]);
  expect(home.summary.orders).toBe(counted.length);
  expect(home.summary.orderedKg).toBe(counted.reduce((s, o) => s + o.quantityKg, 0));
  expect(home.summary).toMatchObject({ orders: 4, orderedKg: 3800 });
});

test("the projects list's remaining total sums its rows; a closed project has nothing left to allocate", async () => {
  const d = await db();
  const world = await f.createWorld(d);
  const official = scopeOf(await f.createUser(d, world, "official"));
  const h = await f.createHousehold(d, world);
  const plan = await f.createPlan(d, world, h.id, { year: 2026, status: "approved" });
  const active = await f.createAidProject(d, world, { budgetFen: 100_000, status: "active" });
  const planned = await f.createAidProject(d, world, { budgetFen: 40_000, status: "planned" });
  const closed = await f.createAidProject(d, world, { budgetFen: 50_000, status: "closed" });
  await f.createFundAllocation(d, world, {
    projectId: active.id,
    planId: plan.id,
    householdId: h.id,
    amountFen: 30_000,
  });
  await f.createFundAllocation(d, world, {
    projectId: closed.id,
    planId: plan.id,
    householdId: h.id,
    amountFen: 20_000,
  });

  const rows = await listProjects({ scope: official });
  const remaining = Object.fromEntries(rows.map((r) => [r.id, r.remainingFen]));
  expect(remaining).toEqual({ [active.id]: 70_000, [planned.id]: 40_000, [closed.id]: 0 });
  const sums = await sumProjects({ scope: official });
  expect(sums).toEqual({
    budgetFen: rows.reduce((s, r) => s + r.budgetFen, 0),
    allocatedFen: rows.reduce((s, r) => s + r.allocatedFen, 0),
    remainingFen: rows.reduce((s, r) => s + r.remainingFen, 0),
  });
  expect(sums.remainingFen).toBe(110_000);
  // the project's own page says the same
  for (const r of rows) expect((await getProject({ scope: official, id: r.id }))!.remainingFen).toBe(r.remainingFen);
});

test("a household's page says how its visit stands as the cadre's worklist does; a clerk is not told", async () => {
  const d = await db();
  const world = await f.createWorld(d);
  const cadreUser = await f.createUser(d, world, "cadre");
  const cadre = scopeOf(cadreUser) as Extract<ReturnType<typeof scopeOf>, { role: "cadre" }>;
  const visited = await f.createHousehold(d, world);
  const late = await f.createHousehold(d, world);
  const unpaired = await f.createHousehold(d, world);
  await f.assignCadre(d, world, visited.id, cadreUser.id, "2026-01-01");
  await f.assignCadre(d, world, late.id, cadreUser.id, "2026-01-01");
  await f.createCheck(d, world, visited.id, cadreUser.id, "2026-10-20");
  await f.createCheck(d, world, late.id, cadreUser.id, "2026-05-01");

  const worklist = await cadreWorklist(cadre, 2026, TODAY);
  expect(worklist.map((r) => r.id).sort()).toEqual([visited.id, late.id].sort());
  for (const row of worklist) {
    const page = await getHousehold({ id: row.id, scope: cadre, year: 2026, today: TODAY });
    expect(page?.visit).toEqual({ dueOn: row.dueOn, lastVisit: row.lastVisit, daysOverdue: row.daysOverdue });
  }
  // last visited in May: long overdue; visited on 20 October: days left
  const byId = Object.fromEntries(worklist.map((r) => [r.id, r]));
  expect(byId[late.id].daysOverdue).toBeGreaterThan(0);
  expect(byId[visited.id].daysOverdue).toBeLessThan(0);

  const official = scopeOf(await f.createUser(d, world, "official"));
  // no cadre in charge: no one's visit is due
  expect((await getHousehold({ id: unpaired.id, scope: official, year: 2026, today: TODAY }))?.visit).toBeNull();
  expect((await getHousehold({ id: late.id, scope: official, year: 2026, today: TODAY }))?.visit?.daysOverdue).toBe(
    byId[late.id].daysOverdue,
  );
  // the cooperative's clerk reaches the member household, but not its visits
  const coop = await f.createCooperative(d, world, 0);
  await f.joinCooperative(d, world, coop.id, late.id, "2026-03-01");
  const clerk = scopeOf(await f.createUser(d, world, "clerk", { cooperativeId: coop.id }));
  const seen = await getHousehold({ id: late.id, scope: clerk, year: 2026, today: TODAY });
  expect(seen?.headName).toBe(late.headName);
  expect(seen?.visit).toBeNull();
});
