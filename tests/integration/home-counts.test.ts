// The official's home: the counts that ask for work open the list behind them, and say the number that
// list holds — the overdue households (the overdue page's own figure) and the households without a cadre
// (the pairing list's filter). The administrator sees both counts; only the official, who pairs, gets the
// second as a link. The official's queues too: plans and amendments waiting for approval, those returned to
// the cadres, and the households not covered.
import { expect, test } from "vitest";
import * as schema from "../../db/schema";
import { overdueSummary } from "~/models/checks.server";
import { scopeOf } from "~/models/scope.server";
import { todayISO } from "~/utils/dates";
import { db } from "~/utils/db.server";
import { get, signIn } from "../support/built-app";
import * as f from "../support/factories";

function linkOf(html: string, testId: string) {
  const match = new RegExp(`<a([^>]*data-testid="${testId}"[^>]*)>([^<]*)</a>`).exec(html);
  const href = match ? /href="([^"]+)"/.exec(match[1]) : null;
  return match && href
    ? { href: href[1].replace(/&amp;/g, "&"), count: Number(match[2].replace(/[^0-9]/g, "")) }
    : null;
}

test("the official's home counts open the overdue list and the households without a cadre", async () => {
  const d = await db();
  const world = await f.createWorld(d);
  const officialUser = await f.createUser(d, world, "official");
  const cadre = await f.createUser(d, world, "cadre");
  const late = await f.createHousehold(d, world);
  await f.assignCadre(d, world, late.id, cadre.id, "2025-01-01");
  await f.createCheck(d, world, late.id, cadre.id, "2025-02-01");
  const visited = await f.createHousehold(d, world);
  await f.assignCadre(d, world, visited.id, cadre.id, "2025-01-01");
  await f.createCheck(d, world, visited.id, cadre.id, todayISO());
  await f.createHousehold(d, world);
  await f.createHousehold(d, world, { villageIndex: 1 });

  const page = await get("/", await signIn(officialUser.username));
  expect(page.status).toBe(200);
  const html = page.text();
  const summary = await overdueSummary({ scope: scopeOf(officialUser) as never, today: todayISO() });
  expect(linkOf(html, "home-overdue")).toEqual({ href: "/checks/overdue", count: summary.totals.overdue });
  expect(summary.totals.overdue).toBe(1);
  expect(linkOf(html, "home-no-cadre")).toEqual({ href: "/assignments/households?cadre=none", count: 2 });

  const admin = await get("/", await signIn((await f.createUser(d, world, "admin")).username));
  expect(linkOf(admin.text(), "home-overdue")?.href).toBe("/checks/overdue");
  expect(linkOf(admin.text(), "home-no-cadre")).toBeNull();
});

/** Each row of the approvals page's lists links to its household's plan or amendment. */
const rowLinks = (html: string) => [...html.matchAll(/href="\/households\/[^"#]+#(plan-actions|amendment)"/g)].length;

test("the official's work counts equal the lists they open: approvals, returned plans and amendments, gaps", async () => {
  const d = await db();
  const world = await f.createWorld(d);
  const officialUser = await f.createUser(d, world, "official");
  const cadre = await f.createUser(d, world, "cadre");
  const year = Number(todayISO().slice(0, 4));
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
  const amend = async (planId: string, status: "submitted" | "returned") =>
    d.insert(schema.planAmendments).values({
      countyId: world.county.id,
      planId,
      status,
      content,
      reason: "改种玉米",
      basePlanVersion: 1,
      baseContent: content,
      proposedBy: cadre.id,
      ...(status === "returned" ? { returnReason: "产量写高了", returnedAt: new Date() } : {}),
    });
  // in the official's township: two plans waiting, one returned; an amendment waiting, one returned
  for (const status of ["submitted", "submitted", "returned"] as const) {
    const h = await f.createHousehold(d, world);
    await f.assignCadre(d, world, h.id, cadre.id, "2025-01-01");
    await f.createPlan(d, world, h.id, { year, status, returnReason: status === "returned" ? "面积不对" : null });
  }
  for (const status of ["submitted", "returned"] as const) {
    const h = await f.createHousehold(d, world, { villageIndex: 1 });
    await amend((await f.createPlan(d, world, h.id, { year, status: "approved" })).id, status);
  }
  // the other township's: counted by nobody here
  for (const status of ["submitted", "returned"] as const) {
    const h = await f.createHousehold(d, world, { villageIndex: 2 });
    await f.createPlan(d, world, h.id, { year, status, returnReason: status === "returned" ? "别处" : null });
  }
  const far = await f.createHousehold(d, world, { villageIndex: 3 });
  await amend((await f.createPlan(d, world, far.id, { year, status: "approved" })).id, "returned");

  const cookie = await signIn(officialUser.username);
  const html = (await get("/", cookie)).text();

  const approvals = linkOf(html, "home-approvals-link");
  expect(approvals?.href).toBe("/approvals");
  const queue = (await get("/approvals", cookie)).text();
  const queued = queue.slice(queue.indexOf('data-testid="approvals"'));
  expect(approvals?.count).toBe(rowLinks(queued));
  expect(approvals?.count).toBe(3);

  const returned = linkOf(html, "home-returned");
  expect(returned?.href).toBe("/approvals?show=returned");
  const list = (await get("/approvals?show=returned", cookie)).text();
  const rows = list.slice(list.indexOf('data-testid="returned-list"'));
  expect(returned?.count).toBe(rowLinks(rows));
  expect(returned?.count).toBe(2);
  expect(list).not.toContain("别处");

  const gaps = linkOf(html, "home-gaps");
  expect(gaps?.href).toBe("/coverage/gaps");
  const gapPage = (await get("/coverage/gaps", cookie)).text();
  const total = /data-testid="gap-total"[^>]*>([^<]*(?:<!-- -->[^<]*)*)</.exec(gapPage)?.[1].replace(/[^0-9]/g, "");
  expect(gaps?.count).toBe(Number(total));
  // every household of the township is a gap here (none has an industry link), and only those
  expect(gaps?.count).toBe(5);
});
