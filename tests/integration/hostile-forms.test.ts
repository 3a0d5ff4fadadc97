// Forms and query strings as a script can send them, not as the pages do: far too many rows, far too big,
// control characters. The answer comes at once, is never a 5xx, and nothing with a NUL is written.
import path from "node:path";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { eq } from "drizzle-orm";
import { beforeAll, expect, test } from "vitest";
import * as s from "../../db/schema";
import { signIn } from "~/http/auth.server";
import { db } from "~/utils/db.server";
import * as f from "../support/factories";

const ROUTES = path.resolve("app/routes");
type Route = {
  action?: (a: ActionFunctionArgs) => Promise<unknown>;
  loader?: (a: LoaderFunctionArgs) => Promise<unknown>;
};
const route = (file: string) => import(/* @vite-ignore */ path.join(ROUTES, file)) as Promise<Route>;

let w: Awaited<ReturnType<typeof build>>;

async function build() {
  const d = await db();
  const world = await f.createWorld(d);
  const official = await f.createUser(d, world, "official", { townshipIndex: 0 });
  const household = await f.createHousehold(d, world, { members: 2 });
  const set = await signIn(new Request("http://localhost/login"), official.username, f.TEST_PASSWORD);
  return { world, official, household, cookie: set!.split(";")[0] };
}

beforeAll(async () => {
  w = await build();
  // loaded before the timed requests, so that they time the request and not the module's first import
  await route("_app.households.$householdId.plan/route.tsx");
  await route("_app.households.new.tsx");
  await route("_app.import._index.tsx");
});

async function answer(run: () => Promise<unknown>): Promise<Response> {
  try {
    const value = await run();
    return value instanceof Response ? value : Response.json(value);
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

async function post(file: string, body: BodyInit, params: Record<string, string> = {}, cookie = w.cookie) {
  const request = new Request("http://localhost/form", { method: "POST", body, headers: { Cookie: cookie } });
  const { action } = await route(file);
  return answer(() => action!({ request, params, context: {} }));
}

async function get(file: string, search: string, params: Record<string, string> = {}) {
  const request = new Request(`http://localhost/page${search}`, { headers: { Cookie: w.cookie } });
  const { loader } = await route(file);
  return answer(() => loader!({ request, params, context: {} }));
}

const PLAN = "_app.households.$householdId.plan/route.tsx";
const validPlan = () =>
  new URLSearchParams({
    courtyardArea: "600",
    livingArea: "200",
    plantingArea: "300",
    raisingArea: "100",
    "plantingItems[0].cropCode": "chili",
    "plantingItems[0].area": "300",
    "plantingItems[0].expectedYieldKg": "500",
    measures: "种辣椒",
    incomeTargetFen: "5000",
  });

test("a row index of 8000 in the plan editor is refused at once", async () => {
  const started = performance.now();
  const reply = await post(
    PLAN,
    new URLSearchParams({ ...Object.fromEntries(validPlan()), "plantingItems[8000].cropCode": "x" }),
    {
      householdId: w.household.id,
    },
  );
  expect(performance.now() - started).toBeLessThan(1000);
  expect(reply.status).toBe(413);
});

test("4000 members on a new household are refused at once", async () => {
  const started = performance.now();
  const reply = await post(
    "_app.households.new.tsx",
    new URLSearchParams({ villageId: w.world.villages[0].id, "members[4000].name": "x" }),
  );
  expect(performance.now() - started).toBeLessThan(1000);
  expect(reply.status).toBe(413);
});

test("too many fields, or a body over a megabyte, are refused with 413 and a readable message", async () => {
  const many = new URLSearchParams(Array.from({ length: 5000 }, (_, i) => [`f${i}`, "1"]));
  expect((await post(PLAN, many, { householdId: w.household.id })).status).toBe(413);
  const big = new URLSearchParams({ measures: "x".repeat(2 * 1024 * 1024) });
  const reply = await post(PLAN, big, { householdId: w.household.id });
  expect(reply.status).toBe(413);
  expect(await reply.text()).toMatch(/[\u4e00-\u9fff]/);
});

test("an ordinary plan save still works", async () => {
  const reply = await post(PLAN, validPlan(), { householdId: w.household.id });
  expect(reply.status).toBe(302);
  const d = await db();
  const [plan] = await d.select().from(s.plans).where(eq(s.plans.householdId, w.household.id));
  expect(plan.measures).toEqual(["种辣椒"]);
});

test("a NUL in a household's address is not written and is no 500", async () => {
  const [before] = await (await db()).select().from(s.households).where(eq(s.households.id, w.household.id));
  const reply = await post(
    "_app.households.$householdId.edit.tsx",
    new URLSearchParams({
      villageId: before.villageId,
      address: "一组\u0000二号",
      phone: "13900000000",
      povertyStatus: "registered",
      povertyCause: "illness",
      courtyardArea: "600",
      version: String(before.version),
    }),
    { householdId: w.household.id },
  );
  expect(reply.status).toBeLessThan(500);
  const [after] = await (await db()).select().from(s.households).where(eq(s.households.id, w.household.id));
  expect(after.address ?? "").not.toContain("\u0000");
});

test("a NUL in a project name is no 500, and none is written", async () => {
  const reply = await post(
    "_app.projects.new.tsx",
    new URLSearchParams({
      name: "庭院\u0000菜",
      type: "industry",
      fundingSource: "衔接\u0001资金",
      budget: "10000",
      startsOn: "2026-01-01",
      endsOn: "2026-12-31",
      status: "active",
    }),
  );
  expect(reply.status).toBeLessThan(500);
  const rows = await (await db()).select({ name: s.aidProjects.name }).from(s.aidProjects);
  // eslint-disable-next-line no-control-regex -- the control characters the edge must have stripped
  for (const row of rows) expect(row.name).not.toMatch(/[\u0000-\u0008]/);
});

test("a NUL in the username at sign-in is a refusal, not a 500", async () => {
  const reply = await post(
    "login.tsx",
    new URLSearchParams({ username: "a\u0000b", password: "x", redirectTo: "/" }),
    {},
    "",
  );
  expect(reply.status).toBe(400);
});

test.each([
  ["_app.households._index.tsx", "?q=a%00b"],
  ["_app.households._index.tsx", "?q=12%0034"],
  ["_app.orders._index.tsx", "?q=a%00b"],
  ["_app.coverage._index.tsx", "?q=a%00b&village=%00"],
  ["_app.checks.overdue.tsx", "?q=a%00b&village=%00"],
])("%s%s: no 5xx", async (file, search) => {
  const reply = await get(file, search);
  expect(reply.status).toBeLessThan(500);
});

test("a NUL in a project's or cooperative's search is no 500", async () => {
  const [project] = await (await db()).select().from(s.aidProjects).limit(1);
  if (project)
    expect(
      (await get("_app.projects.$projectId/route.tsx", "?q=a%00b", { projectId: project.id })).status,
    ).toBeLessThan(500);
  const coop = await f.createCooperative(await db(), w.world, 0);
  expect(
    (await get("_app.cooperatives.$cooperativeId/route.tsx", "?q=a%00b", { cooperativeId: coop.id })).status,
  ).toBeLessThan(500);
});

test("an upload form with thousands of parts is refused at once, files or not", async () => {
  const fd = new FormData();
  for (let i = 0; i < 1500; i++) fd.append(`f${i}`, "1");
  fd.append("file", new File(["村,姓名\n"], "registry.csv", { type: "text/csv" }));
  const started = performance.now();
  const reply = await post("_app.import._index.tsx", fd);
  expect(performance.now() - started).toBeLessThan(1000);
  expect(reply.status).toBe(413);
  const indexed = new FormData();
  indexed.append("rows[5000].x", "1");
  expect((await post("_app.import._index.tsx", indexed)).status).toBe(413);
});

// Conform reads `__intent__` (the add-row and remove-row buttons) as JSON and every field name as a path,
// in the action and again when the page renders the reply; what it cannot read it throws on.
test.each([
  ["not JSON", "长长长"],
  ["a word", "constructor"],
  ["null", "null"],
  ["no payload", '{"type":"insert"}'],
  ["an unknown type", '{"type":"explode","payload":{}}'],
  ["a path Conform cannot read", '{"type":"validate","payload":{"name":"]]"}}'],
  ["a __proto__ path", '{"type":"insert","payload":{"name":"__proto__"}}'],
  ["a row far past the cap", '{"type":"update","payload":{"name":"plantingItems[99999999]","value":{}}}'],
  ["an index far past the cap", '{"type":"insert","payload":{"name":"plantingItems","index":1000000000}}'],
  ["a list that is a single field", '{"type":"insert","payload":{"name":"measures"}}'],
  ["a row that is not a list", '{"type":"remove","payload":{"name":"plantingItems[0]","index":0}}'],
])("a plan sent with an intent no page sends (%s) is no 500, and its reply stays small", async (_, intent) => {
  const form = validPlan();
  form.append("__intent__", intent);
  const reply = await post(PLAN, form, { householdId: w.household.id });
  expect(reply.status).toBeLessThan(500);
  const text = await reply.text();
  expect(text.length).toBeLessThan(100_000);
});

test("a field name Conform cannot read is dropped, so the reply the page renders holds none", async () => {
  const form = validPlan();
  form.set("courtyardArea", "");
  for (const name of ["__proto__", "constructor", "plantingItems[0].__proto__", "a..b", "[x]", "a["])
    form.append(name, "1");
  form.append("__intent__", '{"type":"insert","payload":{"name":"plantingItems"}}');
  const reply = await post(PLAN, form, { householdId: w.household.id });
  expect(reply.status).toBeLessThan(500);
  const { fields } = (await reply.json()) as { fields: string[] };
  expect(fields).toContain("courtyardArea");
  expect(fields.filter((name) => /__proto__|constructor|\.\.|\[x\]|\[$/.test(name))).toEqual([]);
});

test.each([
  ["an add-row intent for a list the form has not", '{"type":"insert","payload":{"name":"measures"}}'],
  ["a remove-row intent for a row of no list", '{"type":"remove","payload":{"name":"plantingItems[0]","index":0}}'],
  ["a validate intent", '{"type":"validate","payload":{"name":"password"}}'],
  ["a reset intent", '{"type":"reset","payload":{}}'],
])("%s is ignored: the form is checked as sent, and the refusal says why", async (what, intent) => {
  // Conform takes a form with an intent for no submission at all: the sign-in was answered 400 with no message
  const reply = await post(
    "login.tsx",
    new URLSearchParams({ username: `nobody ${what}`, password: "wrong password", __intent__: intent }),
    {},
    "",
  );
  expect(reply.status).toBe(400);
  const { error } = (await reply.json()) as { error?: Record<string, string[]> };
  expect(error?.[""]).toEqual(["login.failed"]);
});

test("the add-row button of a form's own list still adds a row", async () => {
  const reply = await post(
    "_app.households.new.tsx",
    new URLSearchParams({
      villageId: w.world.villages[0].id,
      "members[0].name": "赵六",
      __intent__: '{"type":"insert","payload":{"name":"members"}}',
    }),
  );
  expect(reply.status).toBe(200);
  const { initialValue } = (await reply.json()) as { initialValue: { members: unknown[] } };
  expect(initialValue.members).toHaveLength(2);
});
