// Every route of the built app's route manifest, requested as each of the four demo roles through the
// real request handler: a record in scope, and one out of scope. No route may answer 5xx; out of scope is
// 404; a body is valid UTF-8 without a NUL byte; a page is a document with its <h1>; every refusal (a 403,
// a 404 on a record's URL) is on the audit log, and nothing else is. A route added to the app without a
// case below fails the first test, so nobody can forget to open a new page.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import { and, eq, isNull, ne, sql } from "drizzle-orm";
import sharp from "sharp";
import { beforeAll, describe, expect, test } from "vitest";
import { queryRows } from "../../db/client";
import * as s from "../../db/schema";
import { seedDemoIfEmpty } from "../../db/seed-demo";
import { messagesUrl } from "~/i18n/dictionaries.server";
import { REFUSALS_PER_MINUTE } from "~/models/audit.server";
import { recordCheck } from "~/models/checks.server";
import { scopeOf, type Role } from "~/models/scope.server";
import { todayISO } from "~/utils/dates";
import { db } from "~/utils/db.server";
import * as f from "../support/factories";

process.env.DATA_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), "tingyuan-routes-"));

const buildFile = path.resolve("build/index.js");
if (!fs.existsSync(buildFile)) throw new Error("every-route.test.ts needs the built app: run `npm run build` first");
const build = (await import(/* @vite-ignore */ pathToFileURL(buildFile).href)) as ServerBuild;
const handle = createRequestHandler(build, "production");

const ROLES: Role[] = ["admin", "official", "cadre", "clerk"];
const ORIGIN = "http://localhost";

/** Ids of real records: what each role holds, and what lies outside each role's scope. */
type Ids = Awaited<ReturnType<typeof findIds>>;
type Urls = (ids: Ids, role: Role) => string[];
type Case = {
  /** roles that open the route (200 or a redirect); every other role is refused (403) or finds nothing (404) */
  reach: Role[];
  /** in-scope requests for a role (defaults to the route's path, when it has no parameters) */
  urls?: Urls;
  /** records outside the role's scope: each must answer 404 */
  outOfScope?: Urls;
  /** statuses other than 200 that this route answers a role it reaches (e.g. a redirect) */
  ok?: number[];
};

const household = (ids: Ids, role: Role) => ids.household[role];
const farHousehold = (ids: Ids, role: Role) => [
  ids.far.household,
  ...(ids.near.household[role] ? [ids.near.household[role]!] : []),
];
const underHousehold = (tail: string): Pick<Case, "urls" | "outOfScope"> => ({
  urls: (ids, role) => [`/households/${household(ids, role)}${tail}`],
  outOfScope: (ids, role) => farHousehold(ids, role).map((h) => `/households/${h}${tail}`),
});
const EVERYONE = ROLES;

const CASES: Record<string, Case> = {
  "routes/$": { reach: [], urls: () => ["/no-such-page"] },
  "routes/_app._index": { reach: EVERYONE, urls: () => ["/"] },
  "routes/_app.account": { reach: EVERYONE },
  "routes/_app.approvals": { reach: ["official"] },
  "routes/_app.plans.rollover": { reach: ["official"], urls: () => ["/plans/rollover", "/plans/rollover?year=1999"] },
  "routes/_app.admin.users._index": { reach: ["admin", "official"] },
  "routes/_app.admin.users.new": { reach: ["admin", "official"] },
  "routes/_app.admin.users.import": {
    reach: ["admin", "official"],
    urls: () => ["/admin/users/import", "/admin/users/import?template=csv"],
  },
  "routes/_app.admin.users.$userId": {
    reach: ["admin", "official"],
    urls: (ids) => [`/admin/users/${ids.users.cadre.id}`, `/admin/users/${ids.users.cadre.id}?confirm=reset`],
    // another county's accounts; for an official also the county's administrator and their own account
    outOfScope: (ids, role) => [
      `/admin/users/${ids.far.user}`,
      ...(role === "official" ? [`/admin/users/${ids.users.admin.id}`, `/admin/users/${ids.users.official.id}`] : []),
    ],
  },
  "routes/_app.admin.regions._index": {
    reach: ["admin"],
    urls: () => ["/admin/regions", "/admin/regions?retired=1"],
  },
  "routes/_app.admin.regions.import": { reach: ["admin"] },
  "routes/_app.admin.reference": {
    reach: ["admin"],
    urls: () => [
      "/admin/reference",
      "/admin/reference?list=animals",
      "/admin/reference?list=crops&saved=calendar",
      "/admin/reference?list=povertyCauses&saved=retired",
      "/admin/reference?list=nonsense",
    ],
  },
  "routes/_app.admin.regions.$regionId": {
    reach: ["admin"],
    urls: (ids) => [
      `/admin/regions/${ids.region.township}`,
      `/admin/regions/${ids.region.village}`,
      `/admin/regions/${ids.region.village}?confirm=retire`,
      `/admin/regions/${ids.region.village}?confirm=merge&into=${ids.region.sibling}`,
      `/admin/regions/${ids.region.group}`,
    ],
    // another county's township and village; the administrator's own county row is no page of its own
    outOfScope: (ids) => [
      `/admin/regions/${ids.far.township}`,
      `/admin/regions/${ids.far.village}`,
      `/admin/regions/${ids.users.admin.countyId}`,
    ],
  },
  "routes/_app.admin.settings.($townshipId)": {
    reach: ["admin", "official"],
    // the county (an official: their township), and a township by its id
    urls: (ids) => ["/admin/settings", `/admin/settings/${ids.users.official.townshipId}`],
    // another county's township; for an official also the other townships of their county
    outOfScope: (ids, role) => [
      `/admin/settings/${ids.far.township}`,
      ...(role === "official" && ids.near.township ? [`/admin/settings/${ids.near.township}`] : []),
    ],
  },
  "routes/_app.assignments._index": { reach: ["official"] },
  "routes/_app.assignments.households": { reach: ["official"] },
  "routes/_app.buyers._index": { reach: ["clerk", "official", "admin"] },
  "routes/_app.buyers.$buyerId.edit": {
    reach: ["clerk", "official"],
    urls: (ids) => [`/buyers/${ids.buyer}/edit`],
    outOfScope: (ids) => [`/buyers/${ids.far.buyer}/edit`],
  },
  "routes/_app.checks.overdue": { reach: ["official", "admin"] },
  "routes/_app.cooperatives._index": { reach: ["clerk", "official", "admin"] },
  "routes/_app.cooperatives.new": { reach: ["official", "admin"] },
  "routes/_app.cooperatives.$cooperativeId_.edit": {
    reach: ["official", "admin"],
    urls: (ids) => [`/cooperatives/${ids.cooperative}/edit`],
    outOfScope: (ids) => [`/cooperatives/${ids.far.cooperative}/edit`],
  },
  "routes/_app.cooperatives.$cooperativeId": {
    reach: ["clerk", "official", "admin"],
    urls: (ids) => [`/cooperatives/${ids.cooperative}`],
    outOfScope: (ids, role) => [
      `/cooperatives/${ids.far.cooperative}`,
      ...(role === "clerk" ? [`/cooperatives/${ids.near.cooperative}`] : []),
    ],
  },
  "routes/_app.coverage._index": { reach: ["official", "admin"] },
  "routes/_app.coverage.gaps": { reach: ["official", "admin"] },
  "routes/_app.dashboard": { reach: ["official", "admin"] },
  "routes/_app.households._index": { reach: EVERYONE },
  "routes/_app.households.new": { reach: ["official", "cadre"] },
  "routes/_app.households.$householdId._index": { reach: EVERYONE, ...underHousehold("") },
  "routes/_app.households.$householdId.assignment": { reach: EVERYONE, ...underHousehold("/assignment") },
  "routes/_app.households.$householdId.card": { reach: EVERYONE, ...underHousehold("/card") },
  "routes/_app.households.$householdId.checks._index": { reach: EVERYONE, ...underHousehold("/checks") },
  "routes/_app.households.$householdId.checks.new": { reach: ["official", "cadre"], ...underHousehold("/checks/new") },
  "routes/_app.households.$householdId.edit": { reach: ["official", "cadre"], ...underHousehold("/edit") },
  "routes/_app.households.$householdId.plan": { reach: EVERYONE, ...underHousehold("/plan") },
  "routes/_app.households.$householdId.amendment": {
    reach: ["official", "cadre"],
    ...underHousehold("/amendment"),
  },
  "routes/_app.households.$householdId.members.$memberId": {
    reach: ["official", "cadre"],
    urls: (ids, role) => [
      `/households/${household(ids, role)}/members/new`,
      `/households/${household(ids, role)}/members/${ids.member[role]}`,
    ],
    outOfScope: (ids, role) => [
      `/households/${ids.far.household}/members/new`,
      `/households/${ids.far.household}/members/${ids.far.member}`,
      // a member of another household, asked for under a household the role holds
      `/households/${household(ids, role)}/members/${ids.far.member}`,
    ],
  },
  "routes/_app.import._index": { reach: ["official", "admin"] },
  "routes/_app.import.$jobId": {
    reach: ["official", "admin"],
    urls: (ids, role) => [`/import/${ids.job[role]}`],
    // an import's file holds full ID numbers: only the one who uploaded it opens the job
    outOfScope: (ids, role) => [
      `/import/${ids.far.job}`,
      `/import/${ids.job[role === "admin" ? "official" : "admin"]}`,
    ],
  },
  "routes/_app.orders._index": { reach: EVERYONE },
  "routes/_app.orders.new": { reach: ["clerk", "official"] },
  "routes/_app.orders.$orderId": {
    reach: EVERYONE,
    urls: (ids, role) => [`/orders/${ids.order[role]}`],
    outOfScope: (ids, role) => [
      `/orders/${ids.far.order}`,
      ...(ids.near.order[role] ? [`/orders/${ids.near.order[role]}`] : []),
    ],
  },
  "routes/_app.points": { reach: ["official", "cadre"] },
  "routes/_app.projects._index": { reach: ["official", "admin", "cadre"] },
  "routes/_app.projects.new": { reach: ["official"] },
  "routes/_app.projects.$projectId": {
    reach: ["official", "admin", "cadre"],
    urls: (ids) => [`/projects/${ids.project}`],
    outOfScope: (ids) => [`/projects/${ids.far.project}`],
  },
  "routes/_app.projects.$projectId_.edit": {
    reach: ["official"],
    urls: (ids) => [`/projects/${ids.project}/edit`],
    outOfScope: (ids) => [`/projects/${ids.far.project}/edit`],
  },
  "routes/checks.overdue.export": {
    reach: ["official", "admin"],
    urls: () => ["/checks/overdue/export?format=csv", "/checks/overdue/export?format=xlsx"],
  },
  "routes/coverage.export": {
    reach: ["official", "admin"],
    urls: () => ["/coverage/export?format=csv", "/coverage/export?format=xlsx"],
  },
  "routes/coverage.gaps.export": {
    reach: ["official", "admin"],
    urls: () => ["/coverage/gaps/export?format=csv", "/coverage/gaps/export?format=xlsx"],
  },
  "routes/households.export": {
    reach: EVERYONE,
    urls: () => ["/households/export?format=csv", "/households/export?format=xlsx"],
  },
  "routes/households.$householdId.checks.export": {
    reach: EVERYONE,
    urls: (ids, role) => [`/households/${household(ids, role)}/checks/export?format=csv`],
    outOfScope: (ids, role) => farHousehold(ids, role).map((h) => `/households/${h}/checks/export?format=csv`),
  },
  // the phone's outbox posts here; a GET is only told so
  "routes/households.$householdId.checks.upload": {
    reach: ["official", "cadre"],
    ...underHousehold("/checks/upload"),
    ok: [405],
  },
  "routes/import.template.$format": {
    reach: ["official", "admin"],
    urls: () => ["/import/template/xlsx", "/import/template/csv"],
  },
  "routes/orders.export": { reach: EVERYONE, urls: () => ["/orders/export?format=csv", "/orders/export?format=xlsx"] },
  "routes/photos.$photoId": {
    reach: ["official", "admin", "cadre"],
    urls: (ids) => [`/photos/${ids.photo}`, `/photos/${ids.photo}?preview=1`],
    outOfScope: (ids) => [`/photos/${ids.far.photo}`],
  },
  "routes/healthz": { reach: EVERYONE },
  // the same words for everyone, signed in or not
  "routes/i18n.$file": { reach: EVERYONE, urls: () => [messagesUrl("zh-CN"), messagesUrl("en")] },
  // signed in, the sign-in page sends you home; signing out by GET is not offered
  "routes/login": { reach: EVERYONE, ok: [302] },
  "routes/logout": { reach: EVERYONE, ok: [302, 405] },
  "routes/lang": { reach: EVERYONE, ok: [302, 405] },
};

/** Routes that are only a layout (no URL of their own): their loaders run under every child. */
const isLayout = (id: string) => !build.routes[id].path && !build.routes[id].index && id !== "routes/$";

async function findIds() {
  const d = await db();
  const user = async (username: string) => {
    const [u] = await d.select().from(s.users).where(eq(s.users.username, username));
    return u;
  };
  const users = {
    admin: await user("admin"),
    official: await user("official"),
    cadre: await user("cadre"),
    clerk: await user("clerk"),
  };
  const [held] = await d
    .select({ householdId: s.cadreAssignments.householdId })
    .from(s.cadreAssignments)
    .where(and(eq(s.cadreAssignments.cadreId, users.cadre.id), isNull(s.cadreAssignments.endsOn)))
    .limit(1);
  const [otherCadres] = await d
    .select({ householdId: s.cadreAssignments.householdId })
    .from(s.cadreAssignments)
    .where(and(ne(s.cadreAssignments.cadreId, users.cadre.id), isNull(s.cadreAssignments.endsOn)))
    .limit(1);
  const cooperative = users.clerk.cooperativeId!;
  const [clerkHousehold] = await queryRows<{ id: string }>(
    d,
    // a current member: a household that has left is out of the clerk's scope
    sql`select household_id as id from memberships where cooperative_id = ${cooperative} and left_on is null limit 1`,
  );
  const [outsideCoop] = await queryRows<{ id: string }>(
    d,
    sql`select h.id from households h where not exists (select 1 from memberships m where m.household_id = h.id and m.cooperative_id = ${cooperative}) limit 1`,
  );
  const memberOf = async (householdId: string) =>
    (await d.select({ id: s.members.id }).from(s.members).where(eq(s.members.householdId, householdId)).limit(1))[0].id;
  const [clerkOrder] = await d
    .select({ id: s.purchaseOrders.id })
    .from(s.purchaseOrders)
    .where(eq(s.purchaseOrders.cooperativeId, cooperative))
    .limit(1);
  const [otherOrder] = await d
    .select({ id: s.purchaseOrders.id, cooperativeId: s.purchaseOrders.cooperativeId })
    .from(s.purchaseOrders)
    .where(ne(s.purchaseOrders.cooperativeId, cooperative))
    .limit(1);
  const [cadreOrder] = await queryRows<{ id: string }>(
    d,
    sql`select a.order_id as id from order_allocations a join cadre_assignments ca on ca.household_id = a.household_id
        where ca.cadre_id = ${users.cadre.id} and ca.ends_on is null limit 1`,
  );
  const [notCadreOrder] = await queryRows<{ id: string }>(
    d,
    sql`select o.id from purchase_orders o where not exists (select 1 from order_allocations a join cadre_assignments ca on ca.household_id = a.household_id
        where a.order_id = o.id and ca.cadre_id = ${users.cadre.id} and ca.ends_on is null) limit 1`,
  );
  const [project] = await d
    .select({ id: s.aidProjects.id })
    .from(s.aidProjects)
    .where(eq(s.aidProjects.townshipId, users.official.townshipId!))
    .limit(1);
  const photo = await photoFor(users.cadre, held.householdId);
  const jobOf = async (u: typeof users.admin) =>
    (
      await d
        .insert(s.importJobs)
        .values({
          countyId: u.countyId,
          townshipId: u.townshipId,
          createdBy: u.id,
          kind: "dry_run",
          status: "succeeded",
          fileName: "户籍.xlsx",
          fileType: "xlsx",
          fileSize: 1,
        })
        .returning({ id: s.importJobs.id })
    )[0].id;

  // Another county, made by the factories: out of every demo user's scope.
  const world = await f.createWorld(d);
  const farOfficial = await f.createUser(d, world, "official", { townshipIndex: 0 });
  const farCadre = await f.createUser(d, world, "cadre", { townshipIndex: 0 });
  const farHousehold = await f.createHousehold(d, world, { villageIndex: 0 });
  await f.assignCadre(d, world, farHousehold.id, farCadre.id);
  const farCoop = await f.createCooperative(d, world, 0);
  const farBuyer = await f.createBuyer(d, world);
  const [buyer] = await d
    .select({ id: s.buyers.id })
    .from(s.buyers)
    .where(eq(s.buyers.countyId, users.admin.countyId))
    .limit(1);
  const farOrder = await f.createPurchaseOrder(d, world, { cooperativeId: farCoop.id, buyerId: farBuyer.id });
  const farProject = await f.createAidProject(d, world);
  const [farJob] = await d
    .insert(s.importJobs)
    .values({
      countyId: world.county.id,
      townshipId: world.townships[0].id,
      createdBy: farOfficial.id,
      kind: "dry_run",
      status: "succeeded",
      fileName: "far.csv",
      fileType: "csv",
      fileSize: 1,
    })
    .returning({ id: s.importJobs.id });

  const [village, sibling] = await d
    .select({ id: s.regions.id })
    .from(s.regions)
    .where(and(eq(s.regions.parentId, users.official.townshipId!), eq(s.regions.level, "village")))
    .orderBy(s.regions.code)
    .limit(2);
  const [group] = await d
    .select({ id: s.regions.id })
    .from(s.regions)
    .where(eq(s.regions.parentId, village.id))
    .limit(1);

  const [otherTownship] = await d
    .select({ id: s.regions.id })
    .from(s.regions)
    .where(
      and(
        eq(s.regions.level, "township"),
        eq(s.regions.countyId, users.official.countyId),
        ne(s.regions.id, users.official.townshipId!),
      ),
    )
    .limit(1);
  const member = await memberOf(held.householdId);
  return {
    users,
    region: { township: users.official.townshipId!, village: village.id, sibling: sibling.id, group: group.id },
    household: {
      admin: held.householdId,
      official: held.householdId,
      cadre: held.householdId,
      clerk: clerkHousehold.id,
    } as Record<Role, string>,
    member: { admin: member, official: member, cadre: member, clerk: await memberOf(clerkHousehold.id) } as Record<
      Role,
      string
    >,
    order: { admin: clerkOrder.id, official: clerkOrder.id, cadre: cadreOrder.id, clerk: clerkOrder.id } as Record<
      Role,
      string
    >,
    cooperative,
    project: project.id,
    buyer: buyer.id,
    photo,
    job: { admin: await jobOf(users.admin), official: await jobOf(users.official) } as Record<Role, string>,
    /** same county, outside a cadre's or a clerk's own share of it */
    near: {
      household: { cadre: otherCadres.householdId, clerk: outsideCoop.id } as Partial<Record<Role, string>>,
      order: { cadre: notCadreOrder.id, clerk: otherOrder.id } as Partial<Record<Role, string>>,
      cooperative: otherOrder.cooperativeId,
      township: otherTownship?.id,
    },
    far: {
      household: farHousehold.id,
      member: await memberOf(farHousehold.id),
      cooperative: farCoop.id,
      order: farOrder.id,
      project: farProject.id,
      job: farJob.id,
      user: farCadre.id,
      buyer: farBuyer.id,
      township: world.townships[0].id,
      village: world.villages[0].id,
      photo: await photoFor(farCadre, farHousehold.id),
    },
  };
}

/** A check with one photo, recorded by the cadre who holds the household; the photo's id. */
async function photoFor(cadre: Parameters<typeof scopeOf>[0], householdId: string) {
  const bytes = await sharp({ create: { width: 8, height: 8, channels: 3, background: "#6a4" } })
    .jpeg()
    .toBuffer();
  const today = todayISO();
  const check = await recordCheck({
    scope: scopeOf(cadre),
    householdId,
    input: { visitedOn: today, livingStatus: "on_track", plantingStatus: "on_track", raisingStatus: "not_applicable" },
    photos: [{ name: "院子.jpg", bytes: new Uint8Array(bytes) }],
    today,
  });
  const d = await db();
  const [photo] = await d
    .select({ id: s.checkPhotos.id })
    .from(s.checkPhotos)
    .where(eq(s.checkPhotos.checkId, check.id));
  return photo.id;
}

async function signIn(username: string) {
  const res = await handle(
    new Request(`${ORIGIN}/login`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN, Host: "localhost" },
      body: new URLSearchParams({ username, password: "tingyuan-demo" }),
    }),
  );
  expect(res.status, `sign-in as ${username}`).toBe(302);
  return res.headers.get("Set-Cookie")!.split(";")[0];
}

let ids: Ids;
const cookies = {} as Record<Role, string>;

beforeAll(async () => {
  await seedDemoIfEmpty(await db());
  ids = await findIds();
  for (const role of ROLES) cookies[role] = await signIn(role);
}, 240_000);

const isPage = (id: string) => "default" in build.routes[id].module;
const utf8 = new TextDecoder("utf-8", { fatal: true });

async function get(url: string, role: Role) {
  const res = await handle(
    new Request(`${ORIGIN}${url}`, { headers: { Cookie: cookies[role], "Accept-Language": "zh-CN" } }),
  );
  const bytes = new Uint8Array(await res.arrayBuffer());
  return { status: res.status, type: res.headers.get("Content-Type") ?? "", bytes };
}

function checkBody(what: string, routeId: string, r: { status: number; type: string; bytes: Uint8Array }) {
  expect(r.status, `${what}: no server error`).toBeLessThan(500);
  const textual = /^text\/|json|csv/.test(r.type);
  if (!textual) return;
  let text = "";
  expect(() => (text = utf8.decode(r.bytes)), `${what}: valid UTF-8`).not.toThrow();
  expect(r.bytes.includes(0), `${what}: no NUL byte`).toBe(false);
  if (isPage(routeId) && r.type.startsWith("text/html") && (r.status === 200 || r.status === 404)) {
    expect(text, `${what}: a document`).toMatch(/^<!DOCTYPE html>/i);
    expect(text, `${what}: has its <h1>`).toMatch(/<h1[\s>][^]*?<\/h1>/);
  }
}

test("every route in the manifest has a case, and every case a route", () => {
  const routeIds = Object.keys(build.routes)
    .filter((id) => id !== "root" && !isLayout(id))
    .sort();
  expect(Object.keys(CASES).sort()).toEqual(routeIds);
});

/** A route whose URL names a record (`households/:householdId`): its 404 is a refusal, an unknown URL's is not. */
const namesRecord = (routeId: string) => (build.routes[routeId].path ?? "").includes(":");

/**
 * The bound on refusals a minute would silence the rows these tests count: each test starts its own
 * minute by moving the refusals already written a minute into the past.
 */
async function freshRefusalBudget() {
  await (await db()).execute(sql`update audit_log set at = at - interval '1 minute' where action = 'access.refused'`);
}

async function lastAuditId() {
  const [row] = await queryRows<{ id: number }>(await db(), sql`select coalesce(max(id), 0)::int as id from audit_log`);
  return Number(row.id);
}

async function refusalsSince(id: number, role: Role) {
  return queryRows<{ after: unknown }>(
    await db(),
    sql`select after from audit_log where id > ${id} and action = 'access.refused' and user_id = ${ids.users[role].id} order by id`,
  );
}

/** A GET, and what the audit log says of it: one access.refused row if it was refused, none if not. */
async function getAudited(url: string, role: Role, routeId: string) {
  const since = await lastAuditId();
  const r = await get(url, role);
  const refused = r.status === 403 || (r.status === 404 && namesRecord(routeId));
  const path = new URL(url, ORIGIN).pathname;
  expect(
    await refusalsSince(since, role),
    `${role} GET ${url} (${r.status}): ${refused ? "one refusal" : "no refusal"} on the audit log`,
  ).toEqual(refused ? [{ after: { path, method: "GET", status: r.status, routeId } }] : []);
  return r;
}

describe.each(ROLES)("as %s", (role) => {
  test.each(Object.keys(CASES))("%s", async (routeId) => {
    const c = CASES[routeId];
    const route = build.routes[routeId];
    const urls = c.urls ? c.urls(ids, role) : [`/${route.path ?? ""}`];
    await freshRefusalBudget();
    for (const url of urls) {
      const r = await getAudited(url, role, routeId);
      checkBody(`${role} GET ${url}`, routeId, r);
      if (routeId === "routes/$") expect(r.status, `${role} GET ${url}`).toBe(404);
      else if (c.reach.includes(role))
        expect([200, ...(c.ok ?? [])], `${role} GET ${url} is open to ${role}`).toContain(r.status);
      else expect([403, 404], `${role} GET ${url} is refused`).toContain(r.status);
    }
    if (c.reach.includes(role)) {
      for (const url of c.outOfScope?.(ids, role) ?? []) {
        const r = await getAudited(url, role, routeId);
        checkBody(`${role} GET ${url} (out of scope)`, routeId, r);
        expect(r.status, `${role} GET ${url} is out of scope`).toBe(404);
      }
    }
  });
});

// The same matrix for writes: every form a role is shown on a record it holds, replayed against a record
// outside its scope, must find nothing (404; 403 where the role may not write at all) and write nothing
// but the refusal itself, one access.refused row per replay.
const FORM = /<form\b([^>]*)>([^]*?)<\/form>/g;
const attr = (tag: string, name: string) => tag.match(new RegExp(`\\b${name}="([^"]*)"`))?.[1];
const decode = (v: string) =>
  v
    .replace(/&amp;/g, "&")
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">");

function postForms(html: string, pageUrl: string) {
  const forms: URLSearchParams[] = [];
  for (const [, tag, body] of html.matchAll(FORM)) {
    if ((attr(tag, "method") ?? "get").toLowerCase() !== "post") continue;
    const action = attr(tag, "action");
    if (action && new URL(decode(action), ORIGIN).pathname !== new URL(pageUrl, ORIGIN).pathname) continue;
    const fields = new URLSearchParams();
    for (const [input] of body.matchAll(/<input\b[^>]*>/g)) {
      const name = attr(input, "name");
      if (name && attr(input, "type") === "hidden") fields.append(name, decode(attr(input, "value") ?? ""));
    }
    for (const [button] of body.matchAll(/<button\b[^>]*>/g)) {
      const name = attr(button, "name");
      if (name) fields.set(name, decode(attr(button, "value") ?? ""));
    }
    forms.push(fields);
  }
  return forms;
}

/** Audit rows other than refusals: what a refused write must leave as it was. */
async function auditCount() {
  const [row] = await queryRows<{ n: number }>(
    await db(),
    sql`select count(*)::int as n from audit_log where action <> 'access.refused'`,
  );
  return Number(row.n);
}

describe.each(ROLES)("writes as %s", (role) => {
  const withForms = Object.keys(CASES).filter((id) => "action" in build.routes[id].module && CASES[id].outOfScope);
  test.each(withForms)("%s: forms replayed out of scope find nothing", async (routeId) => {
    const c = CASES[routeId];
    if (!c.reach.includes(role)) return;
    const inScope = c.urls!(ids, role);
    const outside = c.outOfScope!(ids, role);
    // the forms the role is shown (opening a page may itself be audited, e.g. a number shown in full)
    const replays: { target: string; fields: URLSearchParams }[] = [];
    for (const [i, url] of inScope.entries()) {
      const page = await get(url, role);
      if (page.status !== 200) continue;
      const forms = postForms(new TextDecoder().decode(page.bytes), url);
      // each in-scope page pairs with the out-of-scope urls of the same shape
      const targets = inScope.length === 1 ? outside : outside.filter((_, j) => j % inScope.length === i);
      for (const target of targets) for (const fields of forms) replays.push({ target, fields });
    }
    await freshRefusalBudget();
    const before = await auditCount();
    const since = await lastAuditId();
    for (const { target, fields } of replays) {
      const res = await handle(
        new Request(`${ORIGIN}${target}`, {
          method: "POST",
          headers: {
            Cookie: cookies[role],
            Origin: ORIGIN,
            Host: "localhost",
            "Content-Type": "application/x-www-form-urlencoded",
          },
          body: fields,
        }),
      );
      expect([403, 404], `${role} POST ${target} ${fields} is out of scope`).toContain(res.status);
    }
    expect(await auditCount(), `${role}: nothing written for ${routeId}`).toBe(before);
    const refusals = (await refusalsSince(since, role)).map((r) => r.after as { path: string; method: string });
    expect(refusals, `${role}: each refused write of ${routeId} is on the audit log`).toHaveLength(
      Math.min(replays.length, REFUSALS_PER_MINUTE),
    );
    for (const [i, refusal] of refusals.entries())
      expect(refusal).toMatchObject({ path: new URL(replays[i].target, ORIGIN).pathname, method: "POST" });
  });
});

// Two people on one plan (domain rule 6): the second step is refused with a conflict message, and the
// page says so even when the plan, moved on meanwhile, leaves that person no step to take.
test("a plan step sent from a stale page is refused with a message the page shows", async () => {
  const d = await db();
  const [plan] = await queryRows<{ id: string; household_id: string; version: number }>(
    d,
    sql`select p.id, p.household_id, p.version from plans p join cadre_assignments a on a.household_id = p.household_id
        where a.cadre_id = ${ids.users.cadre.id} and a.ends_on is null and p.status = 'draft' limit 1`,
  );
  const page = await get(`/households/${plan.household_id}`, "cadre");
  const form = postForms(new TextDecoder().decode(page.bytes), `/households/${plan.household_id}`).find(
    (fields) => fields.get("intent") === "submit",
  );
  expect(form, "the cadre is offered the submit step").toBeDefined();
  // the official submits it first
  await d
    .update(s.plans)
    .set({ status: "submitted", version: plan.version + 1 })
    .where(eq(s.plans.id, plan.id));
  const res = await handle(
    new Request(`${ORIGIN}/households/${plan.household_id}?index`, {
      method: "POST",
      headers: {
        Cookie: cookies.cadre,
        Origin: ORIGIN,
        Host: "localhost",
        "Content-Type": "application/x-www-form-urlencoded",
      },
      body: form,
    }),
  );
  expect(res.status).toBe(409);
  expect(await res.text()).toMatch(/<ul[^>]*class="error-list"[^>]*><li>[^<]*[\u4e00-\u9fff]/);
});
