// Random and hostile submissions of every form the built app shows, through its real request handler.
// The route manifest drives it: every route with an action must have its forms found on one of its pages
// below (or a reason why it has none), so a new action is fuzzed by default. Each form is read as the
// page renders it for a demo role — every field with its value, the options of its selects, its submit
// buttons — and spoiled: fields dropped, emptied, doubled, hostile strings, impossible dates and numbers,
// row indexes up to the cap and past it, unknown fields, Conform intents no page sends, ids that are no
// ids or lie outside the role's scope, another role's cookie or none. Per submission: no 5xx; a refusal
// (400, 409, 422, 429) says what is wrong in Chinese, next to a field or above the form; no refusal writes,
// but for the audit rows that record refusals by design (refused accesses, lockouts, an enrolment request
// naming no household).
// A refusal the page drawn again cannot show (only hidden fields refused, or its form gone from the page)
// must still say it in its reply; those are counted and printed at the end.
//
// FUZZ_CASES sets the number of submissions (10,000 on PGlite, 2,000 on PostgreSQL); FUZZ_SEED replays a
// run (the seed is printed at the end, fast-check prints it with the path of a failing case). The world
// drifts as accepted submissions change it, so a replay is exact only from the start of a run.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import { matchRoutes, type AgnosticRouteObject } from "@remix-run/router";
import { and, eq, sql } from "drizzle-orm";
import fc from "fast-check";
import sharp from "sharp";
import { decode as decodeTurboStream } from "turbo-stream";
import { afterAll, beforeAll, expect, test } from "vitest";
import { queryRows } from "../../db/client";
import * as s from "../../db/schema";
import { seedDemoIfEmpty } from "../../db/seed-demo";
import { messageText } from "~/i18n";
import { translator } from "~/i18n/dictionaries.server";
import { templateCsv } from "~/models/import-parse.server";
import { importJobsIdle } from "~/models/import-jobs.server";
import { proposeAmendment } from "~/models/amendments.server";
import { planContents } from "~/models/plans.server";
import { scopeOf, type Role } from "~/models/scope.server";
import { db } from "~/utils/db.server";
import * as f from "../support/factories";
import { dbKind } from "../support/test-db";

process.env.DATA_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), "tingyuan-fuzz-"));

const buildFile = path.resolve("build/index.js");
if (!fs.existsSync(buildFile)) throw new Error("fuzz-forms.test.ts needs the built app: run `npm run build` first");
const build = (await import(/* @vite-ignore */ pathToFileURL(buildFile).href)) as ServerBuild;
const handle = createRequestHandler(build, "production");

const ROLES: Role[] = ["admin", "official", "cadre", "clerk"];
const ORIGIN = "http://localhost";
const CASES = Number(process.env.FUZZ_CASES ?? (dbKind() === "postgres" ? 2_000 : 10_000));
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
/** each sign-in hashes a password (~0.1 s): a hundred say what there is to say */
const SIGN_IN_CASES = Math.min(100, Math.ceil(CASES / 50));
/**
 * Most submissions are what a page's script sends (`/path.data`: the action alone, its reply in Remix's
 * single-fetch stream); one in forty is what a browser without JavaScript sends, answered with the whole
 * page, whose render is ten times slower.
 */
const DOCUMENT_ONE_IN = 40;

// ---------- where each action's forms are shown ----------

type Scope = Awaited<ReturnType<typeof inScope>>;
type Pages = (scope: Scope, role: Role) => string[];

const underHouseholds =
  (tail: string): Pages =>
  (scope, role) =>
    scope.households[role].map((h) => `/households/${h}${tail}`);

/** The pages that show each action's forms to a role, in its scope. */
const PAGES: Record<string, Pages> = {
  "routes/_app.account": () => ["/account"],
  "routes/_app.admin.users.new": () => ["/admin/users/new"],
  "routes/_app.admin.users.import": () => ["/admin/users/import"],
  "routes/_app.admin.users.$userId": (scope) =>
    ["", "?confirm=reset", "?confirm=deactivate"].map((q) => `/admin/users/${scope.managedUser}${q}`),
  // the region pages of a scratch township made for each route's forms: a merge or a retirement the fuzz
  // lets through takes nothing from the demo villages the other routes need
  "routes/_app.admin.regions._index": () => ["/admin/regions"],
  "routes/_app.admin.regions.$regionId": ({ regions: r }) => [
    `/admin/regions/${r.township}`,
    `/admin/regions/${r.villages[0]}`,
    `/admin/regions/${r.villages[0]}?confirm=merge&into=${r.villages[1]}`,
    `/admin/regions/${r.villages[2]}?confirm=retire`,
    `/admin/regions/${r.group}`,
  ],
  "routes/_app.admin.regions.import": () => ["/admin/regions/import"],
  "routes/_app.buyers._index": () => ["/buyers"],
  "routes/_app.cooperatives.new": () => ["/cooperatives/new"],
  "routes/_app.buyers.$buyerId.edit": (scope) => [`/buyers/${scope.buyer}/edit`],
  "routes/_app.cooperatives.$cooperativeId_.edit": (scope) => [`/cooperatives/${scope.cooperative}/edit`],
  "routes/_app.cooperatives.$cooperativeId": (scope) => [`/cooperatives/${scope.cooperative}`],
  "routes/_app.households.$householdId._index": (scope, role) => [
    ...underHouseholds("")(scope, role),
    // the approval of an open amendment is asked for once more, on the same page
    ...(scope.amended && scope.households[role].includes(scope.amended)
      ? [`/households/${scope.amended}?confirm=amendment-approve`]
      : []),
  ],
  "routes/_app.households.$householdId.checks.new": underHouseholds("/checks/new"),
  "routes/_app.households.$householdId.edit": underHouseholds("/edit"),
  "routes/_app.households.$householdId.plan": underHouseholds("/plan"),
  "routes/_app.households.$householdId.amendment": underHouseholds("/amendment"),
  "routes/_app.households.$householdId.members.$memberId": (scope, role) => {
    const h = scope.households[role][0];
    return h
      ? [`/households/${h}/members/new`, ...scope.members[role].map((m) => `/households/${h}/members/${m}`)]
      : [];
  },
  "routes/_app.households.new": () => ["/households/new"],
  // the list's search form is posted, so that an ID number searched for stays out of the URL
  "routes/_app.households._index": () => ["/households"],
  "routes/_app.import.$jobId": (_, role) => (jobs[role] ? [`/import/${jobs[role]}`] : []),
  "routes/_app.import._index": () => ["/import"],
  "routes/_app.orders.$orderId": (scope, role) => scope.orders[role].map((o) => `/orders/${o}`),
  "routes/_app.orders.new": () => ["/orders/new"],
  "routes/_app.points": () => ["/points"],
  "routes/_app.projects.$projectId": (scope) => [`/projects/${scope.project}`],
  "routes/_app.projects.$projectId_.edit": (scope) => [`/projects/${scope.project}/edit`],
  "routes/_app.projects.new": () => ["/projects/new"],
  // the language switch and the sign-out button are on every signed-in page
  "routes/lang": () => ["/"],
  "routes/logout": () => ["/"],
  // signed out
  "routes/login": () => ["/login"],
  // last: pairing moves households away from the demo cadre, whose forms the routes above need
  "routes/_app.households.$householdId.assignment": underHouseholds("/assignment"),
  "routes/_app.assignments.households": () => ["/assignments/households"],
  "routes/_app.assignments._index": () => ["/assignments"],
  // after every plan page: a rollover starts next year's drafts, which those pages would then show
  "routes/_app.plans.rollover": () => ["/plans/rollover"],
  // after the plan and household pages: an accepted submission may retire an entry their forms offer
  "routes/_app.admin.reference": () => ["/admin/reference?list=animals", "/admin/reference?list=crops"],
  // after everything else: an accepted submission changes rule values (from today) that every page above
  // reads — due dates, points, the edit window; the administrator's county form and the demo township's
  "routes/_app.admin.settings.($townshipId)": (scope, role) =>
    role === "admin" ? ["/admin/settings", `/admin/settings/${scope.township}`] : ["/admin/settings"],
};

/** Routes with an action but no form of their own, and why. */
const NO_FORM: Record<string, string> = {
  // the phone's outbox posts the check form's own fields here (fuzzed on the check form's page); its answers
  // are tested in outbox-upload.test.ts
  "routes/households.$householdId.checks.upload": "no page has a form for it: only the outbox posts to it",
};

// ---------- the demo world ----------

async function demoUsers() {
  const d = await db();
  const user = async (username: string) => (await d.select().from(s.users).where(eq(s.users.username, username)))[0];
  return {
    admin: await user("admin"),
    official: await user("official"),
    cadre: await user("cadre"),
    clerk: await user("clerk"),
  };
}

/** What each demo role holds now: read again before each route, since the fuzz changes the world. */
async function inScope(users: Awaited<ReturnType<typeof demoUsers>>) {
  const d = await db();
  const cooperative = users.clerk.cooperativeId!;
  // a household for each state its latest plan can be in, so the pages show every step's form
  const byPlanStatus = async (where: ReturnType<typeof sql>) =>
    (
      await queryRows<{ id: string }>(
        d,
        sql`select distinct on (coalesce(p.status::text, '')) h.id from households h
            left join lateral (select status from plans where household_id = h.id order by year desc limit 1) p on true
            where ${where} order by coalesce(p.status::text, ''), h.id`,
      )
    ).map((r) => r.id);
  const held = await byPlanStatus(
    sql`exists (select 1 from cadre_assignments a where a.household_id = h.id and a.cadre_id = ${users.cadre.id} and a.ends_on is null)`,
  );
  const township = await byPlanStatus(sql`h.township_id = ${users.official.townshipId}`);
  // an open amendment of one of the cadre's running plans: the household page shows its steps to both
  const amended = await openAmendment(users.cadre, held);
  const members = await byPlanStatus(
    sql`exists (select 1 from memberships m where m.household_id = h.id and m.cooperative_id = ${cooperative} and m.left_on is null)`,
  );
  const membersOf = async (householdId: string | undefined) =>
    householdId
      ? (
          await d.select({ id: s.members.id }).from(s.members).where(eq(s.members.householdId, householdId)).limit(2)
        ).map((m) => m.id)
      : [];
  const ordersWhere = async (where: ReturnType<typeof sql>) =>
    (
      await queryRows<{ id: string }>(
        d,
        sql`select o.id from purchase_orders o where ${where} order by o.status, o.id limit 3`,
      )
    ).map((r) => r.id);
  const clerkOrders = await ordersWhere(sql`o.cooperative_id = ${cooperative}`);
  const cadreOrders = await ordersWhere(
    sql`exists (select 1 from order_allocations a join cadre_assignments ca on ca.household_id = a.household_id
        where a.order_id = o.id and ca.cadre_id = ${users.cadre.id} and ca.ends_on is null)`,
  );
  const [project] = await d
    .select({ id: s.aidProjects.id })
    .from(s.aidProjects)
    .where(and(eq(s.aidProjects.townshipId, users.official.townshipId!), eq(s.aidProjects.status, "active")))
    .limit(1);
  // an account of its own for the user pages: a reset or a deactivation must not sign a demo role out
  const [managed] = await d
    .insert(s.users)
    .values({
      username: `fuzz-managed-${crypto.randomUUID().slice(0, 8)}`,
      passwordHash: users.cadre.passwordHash,
      displayName: "受管干部",
      role: "cadre",
      countyId: users.official.countyId,
      townshipId: users.official.townshipId,
    })
    .returning({ id: s.users.id });
  const [buyer] = await d
    .select({ id: s.buyers.id })
    .from(s.buyers)
    .where(eq(s.buyers.countyId, users.official.countyId))
    .limit(1);
  return {
    cooperative,
    amended,
    buyer: buyer.id,
    township: users.official.townshipId!,
    managedUser: managed.id,
    regions: await scratchTownship(users.admin.countyId),
    households: {
      admin: township.slice(0, 2),
      official: amended && !township.includes(amended) ? [...township, amended] : township,
      cadre: held,
      clerk: members.slice(0, 2),
    } as Record<Role, string[]>,
    members: {
      admin: await membersOf(township[0]),
      official: await membersOf(township[0]),
      cadre: await membersOf(held[0]),
      clerk: await membersOf(members[0]),
    } as Record<Role, string[]>,
    orders: { admin: clerkOrders, official: clerkOrders, cadre: cadreOrders, clerk: clerkOrders } as Record<
      Role,
      string[]
    >,
    project: project?.id,
  };
}

/** A change proposed to the first approved or running plan among the households: its household, or null. */
async function openAmendment(cadre: Parameters<typeof scopeOf>[0], householdIds: string[]) {
  if (householdIds.length === 0) return null;
  const d = await db();
  const [plan] = await queryRows<{ id: string; household_id: string }>(
    d,
    sql`select id, household_id from plans where household_id in (${sql.join(
      householdIds.map((h) => sql`${h}`),
      sql`, `,
    )}) and status in ('approved', 'in_progress') order by year desc, id limit 1`,
  );
  if (!plan) return null;
  // the world is built once per role's run: the amendment proposed before is still open
  const [open] = await queryRows<{ id: string }>(
    d,
    sql`select id from plan_amendments where plan_id = ${plan.id} and status in ('submitted', 'returned')`,
  );
  if (open) return plan.household_id;
  const content = (await planContents(d, [plan.id])).get(plan.id)!;
  await proposeAmendment({
    scope: scopeOf(cadre),
    householdId: plan.household_id,
    planId: plan.id,
    content: { ...content, incomeTargetFen: content.incomeTargetFen + 10_000 },
    reason: "调整收入目标",
  });
  return plan.household_id;
}

let scratchNumber = 0;
/** A township of the demo county with three villages and a group, for the region pages' forms. */
async function scratchTownship(countyId: string) {
  const d = await db();
  const [county] = await d.select({ code: s.regions.code }).from(s.regions).where(eq(s.regions.id, countyId));
  const taken = new Set(
    (
      await queryRows<{ code: string }>(
        d,
        sql`select code from regions where county_id = ${countyId} and level = 'township'`,
      )
    ).map((r) => r.code),
  );
  let code = `${county.code}${900 + (scratchNumber++ % 100)}`;
  while (taken.has(code)) code = `${county.code}${900 + (scratchNumber++ % 100)}`;
  const region = async (level: "township" | "village" | "group", parentId: string, own: string, name: string) =>
    (
      await d.insert(s.regions).values({ code: own, name, level, parentId, countyId }).returning({ id: s.regions.id })
    )[0].id;
  const township = await region("township", countyId, code, `试验乡${code.slice(-3)}`);
  const villages = [];
  for (const n of [201, 202, 203]) villages.push(await region("village", township, `${code}${n}`, `试验村${n}`));
  const group = await region("group", villages[0], `${code}20101`, "一组");
  return { township, villages, group };
}

/** Records in another county, out of every demo role's scope, and ids near the roles' own. */
async function outOfScope(users: Awaited<ReturnType<typeof demoUsers>>) {
  const d = await db();
  const world = await f.createWorld(d);
  const cadre = await f.createUser(d, world, "cadre");
  const official = await f.createUser(d, world, "official");
  const household = await f.createHousehold(d, world, { members: 2 });
  await f.assignCadre(d, world, household.id, cadre.id);
  const coop = await f.createCooperative(d, world, 0);
  const membership = await f.joinCooperative(d, world, coop.id, household.id);
  const buyer = await f.createBuyer(d, world);
  const order = await f.createPurchaseOrder(d, world, { cooperativeId: coop.id, buyerId: buyer.id });
  const allocation = await f.createOrderAllocation(d, world, {
    orderId: order.id,
    householdId: household.id,
    membershipId: membership.id,
    quantityKg: 100,
  });
  const delivery = await f.createDelivery(d, world, { allocationId: allocation.id, quantityKg: 10 });
  const project = await f.createAidProject(d, world);
  const plan = await f.createPlan(d, world, household.id, { year: 2026 });
  const check = await f.createCheck(d, world, household.id, cadre.id, "2026-02-01");
  const [job] = await d
    .insert(s.importJobs)
    .values({
      countyId: world.county.id,
      townshipId: world.townships[0].id,
      createdBy: official.id,
      kind: "dry_run",
      status: "succeeded",
      fileName: "far.csv",
      fileType: "csv",
      fileSize: 1,
    })
    .returning({ id: s.importJobs.id });
  const [near] = await queryRows<{ household: string; order: string }>(
    d,
    sql`select (select h.id from households h where h.township_id = ${users.official.townshipId}
                and not exists (select 1 from cadre_assignments a where a.household_id = h.id and a.cadre_id = ${users.cadre.id} and a.ends_on is null) limit 1) as household,
               (select o.id from purchase_orders o where o.cooperative_id <> ${users.clerk.cooperativeId} limit 1) as order`,
  );
  return [
    household.id,
    household.members[0].id,
    coop.id,
    membership.id,
    order.id,
    allocation.id,
    delivery.id,
    project.id,
    plan.id,
    check.id,
    cadre.id,
    job.id,
    buyer.id,
    world.villages[0].id,
    world.townships[0].id,
    near.household,
    near.order,
  ];
}

/** A dry run of a clean file, uploaded by `role` through the page: its page then offers the commit. */
async function dryRunJob(role: Role, villageName: string) {
  const header = templateCsv()
    .toString("utf8")
    .replace(/^\uFEFF/, "")
    .trim();
  const csv = `${header}\nF-${role},,${villageName},,测试户主,${f.newIdNumber("male")},户主,男,,,,,建档立卡贫困户,因病,600,\n`;
  const form = new FormData();
  form.append("file", new File([csv], "registry.csv", { type: "text/csv" }));
  const res = await handle(
    new Request(`${ORIGIN}/import?index`, {
      method: "POST",
      headers: { Cookie: cookies[role], Origin: ORIGIN, Host: "localhost" },
      body: form,
    }),
  );
  expect(res.status, `dry run as ${role}`).toBe(302);
  await importJobsIdle();
  return res.headers.get("Location")!.split("/").pop()!;
}

async function signIn(username: string, password = "tingyuan-demo") {
  const res = await handle(
    new Request(`${ORIGIN}/login`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN, Host: "localhost" },
      body: new URLSearchParams({ username, password }),
    }),
  );
  expect(res.status, `sign-in as ${username}`).toBe(302);
  return res.headers.get("Set-Cookie")!.split(";")[0];
}

// ---------- forms as the page renders them ----------

/** A field as the page sends it; `fixed` when no control on the page changes it (hidden, a button's value). */
type Field = { name: string; value: string; options?: string[]; file?: boolean; fixed?: boolean; button?: boolean };
type FormShown = {
  routeId: string;
  role: Role | null;
  /** where it posts: path and query, as the form's action says */
  action: string;
  multipart: boolean;
  fields: Field[];
  /** its submit buttons: one of them goes with the form (null: a button without a name) */
  buttons: (Field | null)[];
};

const decode = (v: string) =>
  v.replace(/&(amp|quot|#x27|#39|lt|gt|#x([0-9a-f]+)|#(\d+));/gi, (all, name: string, hex?: string, dec?: string) => {
    if (hex) return String.fromCodePoint(parseInt(hex, 16));
    if (dec) return String.fromCodePoint(Number(dec));
    return (
      ({ amp: "&", quot: '"', "#x27": "'", "#39": "'", lt: "<", gt: ">" } as Record<string, string>)[
        name.toLowerCase()
      ] ?? all
    );
  });
const attr = (tag: string, name: string) => {
  const m = tag.match(new RegExp(`\\s${name}(?:="([^"]*)")?(?=[\\s/>]|$)`));
  return m ? decode(m[1] ?? "") : undefined;
};

const routeTree = (() => {
  const nodes = new Map<string, AgnosticRouteObject>();
  for (const [id, r] of Object.entries(build.routes))
    nodes.set(id, r.index ? { id, path: r.path, index: true } : { id, path: r.path, children: [] });
  for (const [id, r] of Object.entries(build.routes))
    if (r.parentId) nodes.get(r.parentId)!.children!.push(nodes.get(id)!);
  return [nodes.get("root")!];
})();

/** The route whose action answers a POST to `url`: the deepest match, an index route only with `?index`, as Remix does. */
function actionRoute(url: URL): string | null {
  const matches = matchRoutes(routeTree, url.pathname);
  if (!matches) return null;
  if (url.searchParams.getAll("index").includes("")) return matches[matches.length - 1].route.id!;
  return matches.filter((m, i) => i === 0 || m.route.path).pop()!.route.id!;
}

function formsOn(html: string, page: string, role: Role | null): FormShown[] {
  const forms: FormShown[] = [];
  for (const [, tag, body] of html.matchAll(/<form\b([^>]*)>([^]*?)<\/form>/g)) {
    if ((attr(tag, "method") ?? "get").toLowerCase() !== "post") continue;
    const action = new URL(attr(tag, "action") || page, new URL(page, ORIGIN));
    const routeId = actionRoute(action);
    if (!routeId) continue;
    const fields: Field[] = [];
    const buttons: (Field | null)[] = [];
    for (const [input] of body.matchAll(/<input\b[^>]*>/g)) {
      const name = attr(input, "name");
      const type = (attr(input, "type") ?? "text").toLowerCase();
      if (type === "submit" || type === "image") {
        buttons.push(name ? { name, value: attr(input, "value") ?? "", fixed: true, button: true } : null);
        continue;
      }
      if (!name || attr(input, "disabled") !== undefined || type === "button" || type === "reset") continue;
      if (type === "file") fields.push({ name, value: "", file: true });
      else if (type === "checkbox" || type === "radio") {
        const value = attr(input, "value") ?? "on";
        const group = fields.find((x) => x.name === name && x.options);
        if (group) group.options!.push(value);
        else fields.push({ name, value: "", options: [value, ""] });
        if (attr(input, "checked") !== undefined) fields.find((x) => x.name === name)!.value = value;
      } else fields.push({ name, value: attr(input, "value") ?? "", fixed: type === "hidden" });
    }
    for (const [, selectTag, options] of body.matchAll(/<select\b([^>]*)>([^]*?)<\/select>/g)) {
      const name = attr(selectTag, "name");
      if (!name || attr(selectTag, "disabled") !== undefined) continue;
      const values = [...options.matchAll(/<option\b([^>]*)>([^]*?)<\/option>/g)].map(([, o, text]) => ({
        value: attr(o, "value") ?? decode(text.replace(/<[^>]*>/g, "")),
        selected: attr(o, "selected") !== undefined,
      }));
      const chosen = values.find((v) => v.selected) ?? values[0];
      fields.push({ name, value: chosen?.value ?? "", options: values.map((v) => v.value) });
    }
    for (const [, textareaTag, text] of body.matchAll(/<textarea\b([^>]*)>([^]*?)<\/textarea>/g)) {
      const name = attr(textareaTag, "name");
      if (name && attr(textareaTag, "disabled") === undefined) fields.push({ name, value: decode(text) });
    }
    for (const [button] of body.matchAll(/<button\b[^>]*>/g)) {
      if ((attr(button, "type") ?? "submit").toLowerCase() !== "submit") continue;
      const name = attr(button, "name");
      buttons.push(name ? { name, value: attr(button, "value") ?? "", fixed: true, button: true } : null);
    }
    const multipart = (attr(tag, "enctype") ?? "").toLowerCase() === "multipart/form-data";
    forms.push({ routeId, role, action: action.pathname + action.search, multipart, fields, buttons });
  }
  return forms;
}

/** Every form each role is shown for an action route, read from its pages as they are now. */
async function collectForms(routeId: string): Promise<FormShown[]> {
  const scope = await inScope(users);
  const forms: FormShown[] = [];
  const signedOut = routeId === "routes/login";
  for (const role of signedOut ? [null] : ROLES) {
    for (const url of PAGES[routeId](scope, role ?? "admin")) {
      const res = await handle(
        new Request(`${ORIGIN}${url}`, { headers: { Cookie: role ? cookies[role] : "", "Accept-Language": "zh-CN" } }),
      );
      if (res.status !== 200) continue;
      forms.push(...formsOn(await res.text(), url, role).filter((form) => form.routeId === routeId));
    }
  }
  if (signedOut) {
    // the throwaway account's name and password, for the fuzz to spoil
    for (const field of forms.flatMap((form) => form.fields)) {
      if (field.name === "username") field.value = throwaway.username;
      if (field.name === "password") field.value = f.TEST_PASSWORD;
    }
  }
  return forms;
}

/** The same form repeated (a delivery per allocation): grouped, so each kind of form gets its share of cases. */
function kinds(forms: FormShown[]): FormShown[][] {
  const groups = new Map<string, FormShown[]>();
  for (const form of forms) {
    const key = [
      form.role,
      ...form.fields.map((x) => x.name.replace(/\[\d+\]/g, "[]")),
      ...form.buttons.map((b) => (b ? `${b.name}=${b.value}` : "")),
    ].join(" ");
    groups.set(key, [...(groups.get(key) ?? []), form]);
  }
  return [...groups.values()];
}

// ---------- what a hostile sender puts in a form ----------

const CONTROL = Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).join("") + "\u007f\u0085\u2028\u2029";
const HOSTILE = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  CONTROL,
  "x".repeat(10_000),
  "长".repeat(10_000),
  "😀🏡👨‍👩‍👧‍👦",
  "\ud800",
  "a\udfffb",
  "\u202etxt.exe\u202c",
  "\u200f\u200e\u200b\ufeff",
  "' or '1'='1",
  "1; drop table households; --",
  "<script>alert(1)</script>",
  '"><img src=x onerror=alert(1)>',
  "${7*7}{{7*7}}",
  "../../../../etc/passwd",
  "%00",
  "-1",
  "0",
  "-0",
  "1e309",
  "-1e309",
  "1e-400",
  "NaN",
  "Infinity",
  "0x10",
  " 12 ",
  "12,5",
  "1.5",
  "99999999999999999999999",
  "9007199254740993",
  "2147483648",
  "１２",
  "2026-02-30",
  "2026-13-01",
  "0000-00-00",
  "9999-12-31",
  "1900-01-01",
  "2026-2-3",
  "2026/03/02",
  "2026-03-02T00:00:00Z",
  "2026-03",
  "2026-00",
  "true",
  "null",
  "[]",
  "{}",
  "__proto__",
  "constructor",
  "on",
];
const NOT_IDS = [
  "1",
  "abc",
  "00000000-0000-0000-0000-000000000000",
  "ffffffff-ffff-ffff-ffff-ffffffffffff",
  " 7c9e6679-7425-40de-944b-e07fc1f90ae7 ",
  "7C9E6679-7425-40DE-944B-E07FC1F90AE7",
  "7c9e6679742540de944be07fc1f90ae7",
  "new",
];
/** Conform's intent, as its add-row and remove-row buttons send it, and as a script could */
const INTENTS = [
  '{"type":"insert","payload":{"name":"plantingItems"}}',
  '{"type":"insert","payload":{"name":"members","index":199}}',
  '{"type":"remove","payload":{"name":"raisingItems","index":0}}',
  '{"type":"reorder","payload":{"name":"plantingItems","from":0,"to":1}}',
  '{"type":"validate","payload":{"name":"courtyardArea"}}',
  '{"type":"reset","payload":{}}',
  '{"type":"update","payload":{"name":"measures","value":"x"}}',
  '{"type":"insert","payload":{"name":"measures"}}',
  '{"type":"remove","payload":{"name":"plantingItems[0]","index":0}}',
  '{"type":"update","payload":{"name":"plantingItems[99999999]","value":{}}}',
  '{"type":"insert","payload":{"name":"plantingItems","index":1000000000}}',
  '{"type":"validate","payload":{"name":"]]"}}',
  '{"type":"insert","payload":{"name":"__proto__"}}',
  '{"type":"insert"}',
  '{"type":"explode","payload":{}}',
  "null",
  "长长长",
];

const hostileString = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...HOSTILE) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  {
    weight: 1,
    arbitrary: fc.string({ unit: fc.constantFrom(...CONTROL, "a", "长", "\ud83d", "\ude00"), maxLength: 20 }),
  },
  { weight: 1, arbitrary: fc.integer().map(String) },
  { weight: 1, arbitrary: fc.double().map(String) },
  { weight: 1, arbitrary: fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)) },
);
const rowIndex = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0, max: 200 }) },
  { weight: 2, arbitrary: fc.integer({ min: 201, max: 100_000 }) },
);
const fieldName = fc.oneof(
  fc.constantFrom(
    "intent",
    "version",
    "id",
    "__proto__",
    "constructor",
    "a[0]",
    "x[201].y",
    "rows[-1].x",
    "a..b",
    "[x]",
    "",
    "名字",
    "\u0000",
    "a.b.c",
  ),
  fc.string({ maxLength: 12 }),
);

type Op =
  | { kind: "drop" | "empty" | "option" | "double"; at: number }
  | { kind: "hostile"; at: number; value: string }
  | { kind: "id"; at: number; which: number; notId: boolean }
  | { kind: "index"; at: number; n: number }
  | { kind: "unknown"; name: string; value: string }
  | { kind: "intent"; value: string };

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constantFrom("drop" as const, "empty" as const, "option" as const, "double" as const),
      at: fc.nat(),
    }),
  },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("hostile" as const), at: fc.nat(), value: hostileString }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant("id" as const), at: fc.nat(), which: fc.nat(), notId: fc.boolean() }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("index" as const), at: fc.nat(), n: rowIndex }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("unknown" as const), name: fieldName, value: hostileString }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("intent" as const), value: fc.constantFrom(...INTENTS) }) },
);

type FileKind = "none" | "empty" | "bytes" | "csv" | "xlsx-broken" | "jpeg" | "jpeg-broken";
const FILE_NAMES = [
  "registry.csv",
  "registry.xlsx",
  "photo.jpg",
  "a.png",
  "x.xls",
  "noext",
  "../../x.csv",
  "a\u0000b.csv",
  "长".repeat(300) + ".csv",
  "photo.jpg.exe",
  ".csv",
  "",
];

let jpeg: Uint8Array;
let xlsx: Uint8Array;

function fileBytes(kind: FileKind, seed: Uint8Array): Uint8Array {
  switch (kind) {
    case "none":
    case "empty":
      return new Uint8Array();
    case "bytes":
      return seed;
    case "csv": {
      const cells = new TextDecoder().decode(seed).split("").join(",");
      return new TextEncoder().encode(`${templateCsv().toString("utf8")}${cells}\n"unterminated,${cells}`);
    }
    case "xlsx-broken": {
      const out = xlsx.slice(0, 4 + (((seed[0] ?? 0) * 97) % (xlsx.length - 4)));
      for (let i = 1; i < seed.length; i++) out[(seed[i] * 131 + i * 7919) % out.length] ^= seed[i] | 1;
      return out;
    }
    case "jpeg":
      return jpeg;
    case "jpeg-broken": {
      const out = jpeg.slice(0, 3 + (((seed[0] ?? 0) * 7) % (jpeg.length - 3)));
      for (let i = 1; i < seed.length; i++) out[(seed[i] * 31 + i) % out.length] ^= seed[i] | 1;
      return out;
    }
  }
}

type Submission = {
  form: FormShown;
  button: number;
  ops: Op[];
  /** sent as the other encoding than the form's own */
  otherEncoding: boolean;
  /** another role's cookie, none, or a forged one */
  as: Role | "none" | "forged" | null;
  /** an id in the url swapped for one outside the scope, or for no id at all */
  retarget: { which: number; notId: boolean } | null;
  /** what a page's script sends (`/path.data`), or a browser without JavaScript (the whole page) */
  data: boolean;
  file: { kind: FileKind; name: string; bytes: Uint8Array };
};

function submission(groups: FormShown[][]): fc.Arbitrary<Submission> {
  return fc.record({
    form: fc.tuple(fc.nat(groups.length - 1), fc.nat()).map(([g, i]) => groups[g][i % groups[g].length]),
    button: fc.nat(),
    ops: fc.array(op, { maxLength: 6 }),
    otherEncoding: fc.nat(9).map((n) => n === 0),
    as: fc.oneof(
      { weight: 12, arbitrary: fc.constant(null) },
      { weight: 2, arbitrary: fc.constantFrom<Role | "none" | "forged">(...ROLES, "none", "forged") },
    ),
    retarget: fc.oneof(
      { weight: 12, arbitrary: fc.constant(null) },
      { weight: 1, arbitrary: fc.record({ which: fc.nat(), notId: fc.boolean() }) },
    ),
    data: fc.nat(DOCUMENT_ONE_IN - 1).map((n) => n !== 0),
    file: fc
      .record({
        kind: fc.constantFrom<FileKind>("none", "empty", "bytes", "csv", "xlsx-broken", "jpeg", "jpeg-broken"),
        name: fc.constantFrom(...FILE_NAMES),
        seed: fc.uint8Array({ maxLength: 64 }),
      })
      .map(({ kind, name, seed }) => ({ kind, name, bytes: fileBytes(kind, seed) })),
  });
}

/** The fields sent: the form's own, spoiled by the submission's operations. */
function fieldsOf(sub: Submission): Field[] {
  const { form } = sub;
  const fields: Field[] = form.fields.map((x) => ({ ...x }));
  const button = form.buttons.length ? form.buttons[sub.button % form.buttons.length] : null;
  if (button) fields.push({ ...button });
  for (const o of sub.ops) {
    if (o.kind === "unknown" || o.kind === "intent") {
      fields.push({ name: o.kind === "intent" ? "__intent__" : o.name, value: o.value });
      continue;
    }
    if (!fields.length) continue;
    const at = o.at % fields.length;
    const field = fields[at];
    switch (o.kind) {
      case "drop":
        fields.splice(at, 1);
        break;
      case "empty":
        field.value = "";
        break;
      case "option": {
        // a value that belongs elsewhere: another of its options, or another field's value
        const pool = field.options?.length ? field.options : form.fields.map((x) => x.value);
        field.value = pool[(o.at >> 3) % pool.length] ?? "";
        break;
      }
      case "double":
        fields.splice(at + 1, 0, { ...field });
        break;
      case "hostile":
        field.value = o.value;
        field.file = false;
        break;
      case "id":
        field.value = o.notId ? NOT_IDS[o.which % NOT_IDS.length] : outside[o.which % outside.length];
        field.file = false;
        break;
      case "index": {
        // rows are `name[N].field`: one past those shown, at the cap, or beyond it
        const renamed = /\[\d+\]/.test(field.name)
          ? field.name.replace(/\[\d+\]/, `[${o.n}]`)
          : `${field.name}[${o.n}]`;
        fields.push({ ...field, name: renamed });
        break;
      }
    }
  }
  return fields;
}

function encode(sub: Submission, fields: Field[]): { body: BodyInit; type?: string } {
  if (sub.form.multipart === sub.otherEncoding) {
    return {
      body: new URLSearchParams(fields.map((x) => [x.name, x.value])).toString(),
      type: "application/x-www-form-urlencoded",
    };
  }
  const form = new FormData();
  for (const x of fields) {
    if (x.file && sub.file.kind !== "none") form.append(x.name, new File([sub.file.bytes as BlobPart], sub.file.name));
    else form.append(x.name, x.value);
  }
  // the Request sets the multipart boundary
  return { body: form };
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

function targetUrl(sub: Submission): string {
  let url = sub.form.action;
  if (sub.retarget) {
    const replacement = sub.retarget.notId
      ? encodeURIComponent(NOT_IDS[sub.retarget.which % NOT_IDS.length])
      : outside[sub.retarget.which % outside.length];
    url = url.replace(UUID, replacement);
  }
  if (!sub.data) return url;
  const target = new URL(url, ORIGIN);
  return `${target.pathname === "/" ? "/_root" : target.pathname}.data${target.search}`;
}

function cookieFor(sub: Submission): string {
  const who = sub.as ?? sub.form.role;
  if (who === "forged") return "ty_session=eyJ0b2tlbiI6Imdhcm.bage; ty_lang=%00";
  // signing in or out ends the session the browser holds: never a demo role's
  if (sub.form.routeId === "routes/login" || sub.form.routeId === "routes/logout") return throwawayCookie;
  return who === null || who === "none" ? "" : cookies[who];
}

// ---------- what the fuzz asserts ----------

const CJK = /[\u4e00-\u9fff]/;
const zh = translator("zh-CN");

/** The messages a rendered page shows (ErrorList: `<ul class="error-list">`), as text. */
function renderedErrors(html: string): string[] {
  return [...html.matchAll(/<ul\b[^>]*class="error-list"[^>]*>([^]*?)<\/ul>/g)].flatMap(([, items]) =>
    [...items.matchAll(/<li\b[^>]*>([^]*?)<\/li>/g)].map(([, text]) => decode(text.replace(/<[^>]*>/g, ""))),
  );
}

/** Remix's single-fetch stream, decoded; its own types (errors, redirects) kept as `{ type, rest }`. */
async function decodeStream(text: string): Promise<unknown> {
  const { value, done } = await decodeTurboStream(new Response(text).body!, {
    plugins: [(type, ...rest) => ({ value: { type, rest } })],
  });
  await done;
  return value;
}

/** The action's reply a page was rendered with: Remix streams the page's state to the browser in script tags. */
async function actionDataOf(html: string, routeId: string): Promise<unknown> {
  const chunks = [...html.matchAll(/streamController\.enqueue\(("(?:[^"\\]|\\.)*")\)/g)].map(
    ([, literal]) => JSON.parse(literal) as string,
  );
  if (!chunks.length) return undefined;
  const state = (await decodeStream(chunks.join(""))) as { actionData?: Record<string, unknown> } | undefined;
  return state?.actionData?.[routeId];
}

/**
 * The messages a reply carries, by field: Conform's `error` (field name → messages, "" for the form), an
 * intent reply's `result.error`, and the other replies' `errors` / `formErrors` lists (the form's).
 */
function replyErrors(reply: unknown): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const add = (name: string, messages: unknown) => {
    for (const m of Array.isArray(messages) ? messages : []) if (typeof m === "string") (out[name] ??= []).push(m);
  };
  const walk = (v: unknown) => {
    if (!v || typeof v !== "object") return;
    if (Array.isArray(v)) return v.forEach(walk);
    for (const [k, x] of Object.entries(v)) {
      if (k === "error" && x && typeof x === "object" && !Array.isArray(x))
        for (const [name, messages] of Object.entries(x)) add(name, messages);
      else if (k === "errors" || k === "formErrors") add("", x);
      else if (k !== "initialValue" && k !== "intent") walk(x);
    }
  };
  walk(reply);
  return out;
}

/** The submission's own hidden fields and button, as the page sent them: what tells its form from the others. */
const fixedOf = (fields: Field[]) =>
  fields
    .filter((x) => x.fixed)
    .map((x) => `${x.name}=${x.value}`)
    .sort()
    .join("&");

/** Whether the page, as rendered again, still shows the form the submission came from (to put its messages on). */
function formStillShown(html: string, url: string, sub: Submission, fields: Field[]): boolean {
  const sent = fixedOf(fields);
  return formsOn(html, url, sub.form.role).some(
    (form) =>
      form.routeId === sub.form.routeId &&
      form.buttons.concat([null]).some((b) => fixedOf([...form.fields, ...(b ? [b] : [])]) === sent),
  );
}

/** Rows written, per table (audit rows per action), counted by triggers since the start. */
async function writes(): Promise<Record<string, number>> {
  const rows = await queryRows<{ tbl: string; n: number }>(await db(), sql`select tbl, n::int as n from fuzz_writes`);
  return Object.fromEntries(rows.map((r) => [r.tbl, Number(r.n)]));
}

/**
 * "Nothing written" means no row of any table inserted, updated or deleted: a trigger on every table
 * (from information_schema) counts them, in the writing transaction, so a rolled-back write counts
 * nothing. Row counts would miss an update, and cost twenty times more. Not counted: sessions and the
 * sign-in throttle's rows, refused accesses and lockouts (audited by design).
 */
async function installWriteCounter() {
  const d = await db();
  await d.execute(sql.raw(`create table fuzz_writes (tbl text primary key, n bigint not null)`));
  await d.execute(
    sql.raw(`create function fuzz_count() returns trigger language plpgsql as $$
      begin
        insert into fuzz_writes values (TG_TABLE_NAME || coalesce(':' || TG_ARGV[0], ''), 1) on conflict (tbl) do update set n = fuzz_writes.n + 1;
        return null;
      end $$`),
  );
  await d.execute(
    sql.raw(`create function fuzz_count_audit() returns trigger language plpgsql as $$
      begin
        insert into fuzz_writes values ('audit_log:' || NEW.action, 1) on conflict (tbl) do update set n = fuzz_writes.n + 1;
        return null;
      end $$`),
  );
  const tables = await queryRows<{ name: string }>(
    d,
    sql`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`,
  );
  const untracked = new Set(["sessions", "sign_in_failures", "sign_in_locks", "fuzz_writes", "__drizzle_migrations"]);
  for (const { name } of tables) {
    if (untracked.has(name)) continue;
    if (name === "audit_log") {
      await d.execute(
        sql.raw(`create trigger fuzz_count_insert after insert on audit_log for each row
                 when (NEW.action not in ('access.refused', 'membership.request_refused') and NEW.action not like 'sign-in.locked%')
                 execute function fuzz_count_audit()`),
      );
      await d.execute(
        sql.raw(
          `create trigger fuzz_count_change after update or delete on audit_log for each row execute function fuzz_count('changed')`,
        ),
      );
    } else {
      await d.execute(
        sql.raw(
          `create trigger fuzz_count after insert or update or delete on "${name}" for each row execute function fuzz_count()`,
        ),
      );
    }
  }
}

// ---------- the run ----------

let users: Awaited<ReturnType<typeof demoUsers>>;
let outside: string[];
let throwaway: Awaited<ReturnType<typeof f.createUser>>;
const jobs: Partial<Record<Role, string>> = {};
const cookies = {} as Record<Role, string>;
let throwawayCookie = "";
const tally = {
  cases: 0,
  byStatus: new Map<number, number>(),
  unshown: new Map<string, number>(),
  stale: new Map<string, number>(),
  started: 0,
};

beforeAll(async () => {
  await seedDemoIfEmpty(await db());
  users = await demoUsers();
  outside = await outOfScope(users);
  const d = await db();
  // signs in and out in the fuzz, so that the lockout never reaches a demo account
  throwaway = await f.createUser(d, await f.createWorld(d), "cadre");
  for (const role of ROLES) cookies[role] = await signIn(role);
  throwawayCookie = await signIn(throwaway.username, f.TEST_PASSWORD);
  const [village] = await queryRows<{ name: string }>(
    d,
    sql`select name from regions where level = 'village' and parent_id = ${users.official.townshipId} order by code limit 1`,
  );
  jobs.official = await dryRunJob("official", village.name);
  jobs.admin = await dryRunJob("admin", village.name);
  jpeg = new Uint8Array(
    await sharp({ create: { width: 8, height: 8, channels: 3, background: "#6a4" } })
      .jpeg()
      .toBuffer(),
  );
  xlsx = new Uint8Array(fs.readFileSync(path.resolve("tests/fixtures/import/valid.xlsx")));
  await installWriteCounter();
}, 240_000);

afterAll(() => {
  const seconds = (performance.now() - tally.started) / 1000;
  const statuses = [...tally.byStatus]
    .sort(([a], [b]) => a - b)
    .map(([k, v]) => `${k}×${v}`)
    .join(" ");
  console.log(
    `fuzz-forms: ${tally.cases} submissions in ${seconds.toFixed(0)} s on ${dbKind()}, FUZZ_SEED=${SEED}: ${statuses}`,
  );
  const list = (m: Map<string, number>) => [...m].map(([k, v]) => `${k}×${v}`).join(", ") || "none";
  console.log(
    `fuzz-forms: refused, shown only in the reply — a hidden field or a form the page no longer has: ${list(tally.unshown)}`,
  );
  console.log(
    `fuzz-forms: refused, shown only in the reply — a form sent as its page showed it, gone from the page drawn again: ${list(tally.stale)}`,
  );
});

const actionRoutes = Object.keys(build.routes).filter((id) => "action" in build.routes[id].module);

test("every route with an action has pages to find its forms on, or a reason why it has none", () => {
  expect([...Object.keys(PAGES), ...Object.keys(NO_FORM)].sort()).toEqual(actionRoutes.sort());
});

const MESSAGE_STATUSES = [400, 409, 422, 429];

async function run(sub: Submission, routeId: string) {
  const fields = fieldsOf(sub);
  const { body, type } = encode(sub, fields);
  const url = targetUrl(sub);
  const before = await writes();
  const res = await handle(
    new Request(`${ORIGIN}${url}`, {
      method: "POST",
      headers: {
        Cookie: cookieFor(sub),
        Origin: ORIGIN,
        Host: "localhost",
        "Accept-Language": "zh-CN",
        ...(type ? { "Content-Type": type } : {}),
      },
      body,
    }),
  );
  const text = await res.text();
  // an accepted upload queues a background job: it runs (and writes) before the next case looks
  await importJobsIdle();
  tally.cases++;
  tally.byStatus.set(res.status, (tally.byStatus.get(res.status) ?? 0) + 1);
  const sent = JSON.stringify(
    fields.map((x) => [
      x.name,
      x.file
        ? `<${sub.file.kind} file ${sub.file.name}>`
        : x.value.length > 60
          ? `${x.value.slice(0, 60)}…(${x.value.length})`
          : x.value,
    ]),
  );
  const what = `${sub.form.role ?? "signed out"}${sub.as ? ` as ${sub.as}` : ""} POST ${url} ${sent} → ${res.status}`;

  expect(res.status, `${what}: no server error\n${text.slice(0, 300)}`).toBeLessThan(500);

  if (MESSAGE_STATUSES.includes(res.status)) {
    const reply = sub.data
      ? ((await decodeStream(text)) as { data?: unknown }).data
      : await actionDataOf(text, routeId);
    const errors = replyErrors(reply);
    const messages = Object.values(errors).flat();
    // every message the reply carries is a dictionary key whose text is Chinese
    for (const m of messages) expect(messageText(zh, m), `${what}: "${m}" in Chinese`).toMatch(CJK);
    if (sub.data) {
      expect(messages, `${what}: the reply says what is wrong\n${text.slice(0, 300)}`).not.toEqual([]);
    } else if (!renderedErrors(text).some((m) => CJK.test(m))) {
      // A page shows a refusal next to its field, or above its form. It cannot when the refused fields
      // are only hidden ones (an id, a version: no page control makes them wrong, a script does), or when
      // the page drawn again no longer has the form (a hidden id or a button's value changed; or the page
      // was stale: the order moved on, the member left). Counted, not failed, as long as the reply says
      // what is wrong in Chinese.
      const shape = (name: string) => name.replace(/\[\d+\]/g, "[]");
      const visible = new Set(sub.form.fields.filter((x) => !x.fixed).map((x) => shape(x.name)));
      const noControl = Object.keys(errors).every((name) => name !== "" && !visible.has(shape(name)));
      const gone = !formStillShown(text, url, sub, fields);
      expect(
        messages.length > 0 && (noControl || gone),
        `${what}: the page shows what is wrong, in Chinese\n${JSON.stringify(errors)}`,
      ).toBe(true);
      const original = [
        ...sub.form.fields,
        ...(sub.form.buttons.length ? [sub.form.buttons[sub.button % sub.form.buttons.length]] : []),
      ];
      const stale =
        gone &&
        !noControl &&
        sub.as === null &&
        sub.retarget === null &&
        fixedOf(fields) === fixedOf(original.filter((x): x is Field => !!x));
      const tallied = stale ? tally.stale : tally.unshown;
      tallied.set(routeId, (tallied.get(routeId) ?? 0) + 1);
    }
  }

  if (res.status >= 400) {
    const after = await writes();
    // a page shown again with a number in full audits that it showed it: the page's doing, not the form's
    if (!sub.data) for (const w of [before, after]) delete w["audit_log:member.reveal_id_number"];
    expect(after, `${what}: a refusal writes nothing`).toEqual(before);
  }
}

test(
  "every form, fuzzed: never a 5xx, a refusal says what is wrong in Chinese, and writes nothing",
  async () => {
    const routes = Object.keys(PAGES);
    const shares = new Map<string, number>();
    const forms = new Map<string, FormShown[][]>();
    // Read once, before any is sent: the world drifts as the fuzz goes (a plan approved, a member
    // removed), so a later form may be stale, which is one more thing a sender does. The cases are shared
    // by kinds of form (a form repeated per row is one kind).
    for (const routeId of routes) forms.set(routeId, kinds(await collectForms(routeId)));
    const without = routes.filter((id) => forms.get(id)!.length === 0);
    expect(without, "routes with an action whose form no role was shown").toEqual([]);
    const weight = (id: string) => Math.min(8, Math.max(2, forms.get(id)!.length));
    const total = routes.filter((id) => id !== "routes/login").reduce((n, id) => n + weight(id), 0);
    for (const id of routes)
      shares.set(id, id === "routes/login" ? SIGN_IN_CASES : Math.ceil(((CASES - SIGN_IN_CASES) * weight(id)) / total));

    tally.started = performance.now();
    for (const routeId of routes) {
      await fc.assert(
        fc.asyncProperty(submission(forms.get(routeId)!), (sub) => run(sub, routeId)),
        { numRuns: shares.get(routeId)!, seed: SEED },
      );
    }
    expect(tally.cases).toBeGreaterThanOrEqual(CASES);
  },
  30 * 60_000,
);
