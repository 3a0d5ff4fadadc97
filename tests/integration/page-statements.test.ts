// The pages opened most often stay a few round trips each: every statement is one trip to the database and
// back, and on the county's busy server the trips cost more than the SQL they carry (docs/performance.md).
// A bound per page, counted where drizzle hands each statement to the driver: a new query on one of these
// pages must fold into one already there, or raise the bound here with a reason.
import { eq } from "drizzle-orm";
import { expect, test } from "vitest";
import * as schema from "../../db/schema";
import { todayISO } from "~/utils/dates";
import { db } from "~/utils/db.server";
import { get, signIn, withoutScripts } from "../support/built-app";
import * as f from "../support/factories";
import { statementsOf } from "../support/statements";

const year = Number(todayISO().slice(0, 4));

async function counted(url: string, cookie: string) {
  let page = { status: 0, html: "" };
  const statements = await statementsOf(async () => {
    const res = await get(url, cookie);
    page = { status: res.status, html: withoutScripts(res.text()) };
  });
  return { ...page, statements };
}

test("the household page, a check form and every home: each within its bound of statements", async () => {
  const d = await db();
  const world = await f.createWorld(d);
  const official = await f.createUser(d, world, "official");
  const cadre = await f.createUser(d, world, "cadre");
  const admin = await f.createUser(d, world, "admin");
  const cooperative = await f.createCooperative(d, world);
  const clerk = await f.createUser(d, world, "clerk", { cooperativeId: cooperative.id });
  // a household with something in every section: members, a cadre, this year's plan and last year's, a
  // visit with an open problem, a cooperative
  const household = await f.createHousehold(d, world, { members: 3 });
  await f.assignCadre(d, world, household.id, cadre.id, "2025-01-01");
  await f.createPlan(d, world, household.id, { year, status: "approved" });
  await f.createPlan(d, world, household.id, { year: year - 1, status: "completed" });
  await f.joinCooperative(d, world, cooperative.id, household.id);
  const check = await f.createCheck(d, world, household.id, cadre.id, `${year}-01-02`);
  await d.update(schema.checks).set({ problems: "饲料不够" }).where(eq(schema.checks.id, check.id));
  const cookies = {
    official: await signIn(official.username),
    cadre: await signIn(cadre.username),
    admin: await signIn(admin.username),
    clerk: await signIn(clerk.username),
  };

  // 42 statements for the official before the page's reads were folded together
  const asOfficial = await counted(`/households/${household.id}`, cookies.official);
  expect(asOfficial.status).toBe(200);
  expect(asOfficial.html).toContain(household.headName);
  expect(asOfficial.html).toContain("饲料不够");
  expect(asOfficial.statements.length, asOfficial.statements.join("\n")).toBeLessThanOrEqual(16);
  const asCadre = await counted(`/households/${household.id}`, cookies.cadre);
  expect(asCadre.status).toBe(200);
  expect(asCadre.statements.length, asCadre.statements.join("\n")).toBeLessThanOrEqual(12);

  const form = await counted(`/households/${household.id}/checks/new`, cookies.cadre);
  expect(form.status).toBe(200);
  expect(form.html).toContain(household.headName);
  expect(form.statements.length, form.statements.join("\n")).toBeLessThanOrEqual(5);

  const bounds = { cadre: 6, official: 11, admin: 3, clerk: 8 } as const;
  for (const role of ["cadre", "official", "admin", "clerk"] as const) {
    const home = await counted("/", cookies[role]);
    expect(home.status, role).toBe(200);
    expect(home.statements.length, `${role}'s home:\n${home.statements.join("\n")}`).toBeLessThanOrEqual(bounds[role]);
  }
});

test("a page's loaders share one session lookup: the session table is read once per page", async () => {
  const d = await db();
  const world = await f.createWorld(d);
  const official = await f.createUser(d, world, "official");
  const cookie = await signIn(official.username);
  const { status, statements } = await counted("/households", cookie);
  expect(status).toBe(200);
  expect(statements.filter((s) => /\bfrom "sessions"/.test(s))).toHaveLength(1);
});
