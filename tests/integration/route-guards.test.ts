// Route actions called as Remix calls them, with a signed-in session: what each area's forms answer when
// the sender may not (403), the record is not theirs (404), the intent is none the page sends (400), the
// page was stale (409), or the input breaks a rule only the model knows (400 on the field). Each refusal
// carries a message the page shows in Chinese, and writes nothing. every-route.test.ts covers pages per
// role and forms replayed out of scope, form-messages.test.ts malformed fields, fuzz-forms.test.ts random
// submissions; these are the specific cases those do not name.
import type { ActionFunctionArgs } from "@remix-run/node";
import { eq, sql } from "drizzle-orm";
import { beforeAll, expect, test } from "vitest";
import { queryRows } from "../../db/client";
import * as s from "../../db/schema";
import { signIn } from "~/http/auth.server";
import { messageText } from "~/i18n";
import { translator } from "~/i18n/dictionaries.server";
import { db } from "~/utils/db.server";
import * as assignmentRoute from "~/routes/_app.households.$householdId.assignment/route";
import * as checkRoute from "~/routes/_app.households.$householdId.checks.new/route";
import * as editRoute from "~/routes/_app.households.$householdId.edit";
import * as planRoute from "~/routes/_app.households.$householdId.plan/route";
import * as listAssignRoute from "~/routes/_app.assignments.households";
import * as orderRoute from "~/routes/_app.orders.$orderId/route";
import * as pointsRoute from "~/routes/_app.points/route";
import * as projectRoute from "~/routes/_app.projects.$projectId/route";
import * as projectEditRoute from "~/routes/_app.projects.$projectId_.edit";
import * as f from "../support/factories";

type Action = (args: ActionFunctionArgs) => Promise<unknown>;
type Role = "official" | "cadre" | "otherCadre" | "clerk";

async function world() {
  const d = await db();
  const w = await f.createWorld(d);
  const coop = await f.createCooperative(d, w, 0);
  const users = {
    official: await f.createUser(d, w, "official", { townshipIndex: 0 }),
    cadre: await f.createUser(d, w, "cadre", { townshipIndex: 0 }),
    otherCadre: await f.createUser(d, w, "cadre", { townshipIndex: 0 }),
    clerk: await f.createUser(d, w, "clerk", { cooperativeId: coop.id }),
  };
  const household = await f.createHousehold(d, w);
  const assignment = await f.assignCadre(d, w, household.id, users.cadre.id);
  const handedOver = await f.createHousehold(d, w);
  const past = await f.assignCadre(d, w, handedOver.id, users.cadre.id);
  await f.endAssignment(d, past.id, "2026-02-28");
  await f.assignCadre(d, w, handedOver.id, users.otherCadre.id, "2026-03-01");
  const plan = await f.createPlan(d, w, household.id, { year: 2026 });
  const membership = await f.joinCooperative(d, w, coop.id, household.id);
  const buyer = await f.createBuyer(d, w);
  const order = await f.createPurchaseOrder(d, w, { cooperativeId: coop.id, buyerId: buyer.id });
  const project = await f.createAidProject(d, w);
  const cookies = {} as Record<Role, string>;
  for (const [role, user] of Object.entries(users) as [Role, { username: string }][]) {
    const set = await signIn(new Request("http://localhost/login"), user.username, f.TEST_PASSWORD);
    cookies[role] = set!.split(";")[0];
  }
  return { w, users, cookies, household, assignment, handedOver, plan, membership, order, project };
}

let w: Awaited<ReturnType<typeof world>>;
beforeAll(async () => {
  w = await world();
});

/** The action's answer as the browser gets it: a thrown Response (403, 404) is an answer too. */
async function post(
  action: Action,
  role: Role,
  params: Record<string, string>,
  fields: Record<string, string>,
  url = "http://localhost/form",
) {
  const request = new Request(url, {
    method: "POST",
    headers: { Cookie: w.cookies[role], "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields),
  });
  let answer: unknown;
  try {
    answer = await action({ request, params, context: {} });
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown;
    answer = thrown;
  }
  const response = answer instanceof Response ? answer : Response.json(answer);
  const json = response.headers.get("Content-Type")?.includes("json") ? ((await response.json()) as Reply) : null;
  return { status: response.status, json };
}

type Conform = { error?: Record<string, string[] | null> };
type Reply = Conform & { result?: Conform };

const zh = translator("zh-CN");
/** The messages a reply shows, per field ("" above the form), each checked to read in Chinese. */
function messages(json: Reply | null): Record<string, string[]> {
  const error = json?.result?.error ?? json?.error ?? {};
  const out: Record<string, string[]> = {};
  for (const [field, raws] of Object.entries(error)) {
    out[field] = (raws ?? []).map((raw) => {
      const text = messageText(zh, raw);
      expect(text, raw).not.toBe(raw.split("|")[0]);
      expect(text, raw).toMatch(/[\u4e00-\u9fff]/);
      return text;
    });
  }
  return out;
}

const TABLES = [
  "households",
  "members",
  "plans",
  "plan_planting_items",
  "cadre_assignments",
  "checks",
  "purchase_orders",
  "order_allocations",
  "aid_projects",
  "fund_allocations",
  "points_adjustments",
];
/** Every row of the tables these forms write, as one digest per table. */
async function contents() {
  const d = await db();
  const out: Record<string, string> = {};
  for (const table of TABLES) {
    const [row] = await queryRows<{ digest: string }>(
      d,
      sql.raw(`select md5(coalesce(string_agg(t::text, ',' order by t::text), '')) as digest from "${table}" t`),
    );
    out[table] = row.digest;
  }
  return out;
}

/** The answer, and a proof that it wrote nothing. */
async function refused(...args: Parameters<typeof post>) {
  const before = await contents();
  const reply = await post(...args);
  expect(await contents()).toEqual(before);
  return reply;
}

const householdForm = (version: string) => ({
  villageId: w.w.villages[0].id,
  address: "改过的地址",
  phone: "13900000000",
  povertyStatus: "registered",
  povertyCause: "illness",
  courtyardArea: "600",
  version,
});

// ---------- guards: a role without the capability, a record out of scope ----------

test("a clerk may not edit a household, a cadre may not move an order, allocate funds or assign: 403, nothing written", async () => {
  const asked: [Action, Role, Record<string, string>, Record<string, string>][] = [
    [editRoute.action, "clerk", { householdId: w.household.id }, householdForm("1")],
    [orderRoute.action, "cadre", { orderId: w.order.id }, { intent: "status", status: "delivering", version: "1" }],
    [
      projectRoute.action,
      "cadre",
      { projectId: w.project.id },
      { householdId: w.household.id, kind: "cash", amount: "100", allocatedOn: "2026-03-02" },
    ],
    [
      listAssignRoute.action,
      "cadre",
      {},
      { households: `${w.household.id}:${w.users.cadre.id}`, cadreId: w.users.cadre.id, startsOn: "2026-03-02" },
    ],
  ];
  for (const [action, role, params, fields] of asked) {
    expect((await refused(action, role, params, fields)).status, `${role} ${JSON.stringify(fields)}`).toBe(403);
  }
});

test("a cadre may read the points league but not add a bonus, even for themselves: 403, nothing written", async () => {
  const reply = await refused(
    pointsRoute.action,
    "cadre",
    {},
    { intent: "adjust", cadreId: w.users.cadre.id, effectiveOn: "2026-03-02", points: "5", reason: "自己加分" },
  );
  expect(reply.status).toBe(403);
});

test("a cadre whose household was handed over can no longer record its check or edit it: 404, nothing written", async () => {
  const params = { householdId: w.handedOver.id };
  const check = { visitedOn: "2026-03-02", livingStatus: "on_track", plantingStatus: "on_track" };
  expect(
    (await refused(checkRoute.action, "cadre", params, { ...check, raisingStatus: "not_applicable" })).status,
  ).toBe(404);
  expect((await refused(editRoute.action, "cadre", params, householdForm("1"))).status).toBe(404);
  // the cadre now in charge is answered, not refused
  expect((await post(editRoute.action, "otherCadre", params, householdForm("1"))).status).toBe(302);
});

// ---------- intents no page sends ----------

test("an order, the points page and a household's pairing answer an unknown intent with 400 and a message above the form", async () => {
  for (const [action, role, params] of [
    [orderRoute.action, "clerk", { orderId: w.order.id }],
    [pointsRoute.action, "official", {}],
    [assignmentRoute.action, "official", { householdId: w.household.id }],
  ] as [Action, Role, Record<string, string>][]) {
    for (const intent of ["archive", ""]) {
      const reply = await refused(action, role, params, { intent, status: "cancelled", version: "1" });
      expect(reply.status, `${intent || "no intent"}`).toBe(400);
      expect(messages(reply.json)[""], `${intent || "no intent"}`).toHaveLength(1);
    }
  }
});

// ---------- a stale page: 409 with a message, nothing written ----------

test("a household edited from a stale page is refused with 409 and a message; the fresh version saves", async () => {
  const params = { householdId: w.household.id };
  expect((await post(editRoute.action, "cadre", params, householdForm("1"))).status).toBe(302);
  const stale = await refused(editRoute.action, "official", params, { ...householdForm("1"), address: "另一个地址" });
  expect(stale.status).toBe(409);
  expect(messages(stale.json)[""]).toEqual([zh("common.conflict")]);
  const d = await db();
  const [row] = await d.select().from(s.households).where(eq(s.households.id, w.household.id));
  expect(row.address).toBe("改过的地址");
  expect((await post(editRoute.action, "official", params, householdForm(String(row.version)))).status).toBe(302);
});

test("a plan, an order's status, a project: saved once, then sent again from the same page, is a 409 with a message", async () => {
  const planForm = {
    version: "1",
    courtyardArea: "600",
    livingArea: "200",
    plantingArea: "300",
    raisingArea: "100",
    "plantingItems[0].cropCode": "chili",
    "plantingItems[0].area": "300",
    "plantingItems[0].expectedYieldKg": "500",
    measures: "种辣椒",
    incomeTargetFen: "5000",
  };
  const projectForm = {
    version: "1",
    name: "改名的项目",
    type: "industry",
    fundingSource: "衔接资金",
    budget: "10000",
    startsOn: "2026-01-01",
    status: "active",
  };
  const pages: [string, Action, Role, Record<string, string>, Record<string, string>, string?][] = [
    [
      "plan",
      planRoute.action,
      "official",
      { householdId: w.household.id },
      planForm,
      "http://localhost/households/x/plan?year=2026",
    ],
    [
      "order",
      orderRoute.action,
      "clerk",
      { orderId: w.order.id },
      { intent: "status", status: "delivering", version: "1" },
    ],
    ["project", projectEditRoute.action, "official", { projectId: w.project.id }, projectForm],
  ];
  for (const [what, action, role, params, fields, url] of pages) {
    const first = await post(action, role, params, fields, url);
    expect(first.status, `${what}: ${JSON.stringify(first.json)}`).toBe(302);
    const again = await refused(action, role, params, fields, url);
    expect(again.status, what).toBe(409);
    expect(messages(again.json)[""], what).toEqual([zh("common.conflict")]);
  }
});

test("a household assigned from a list showing another cadre in charge: 409, no assignment made or ended", async () => {
  // the list was shown before this household had a cadre
  const reply = await refused(
    listAssignRoute.action,
    "official",
    {},
    { households: `${w.household.id}:none`, cadreId: w.users.otherCadre.id, startsOn: "2026-03-02" },
  );
  expect(reply.status).toBe(409);
  expect(messages(reply.json)[""]).toEqual([zh("common.conflict")]);
  const ends = await refused(
    assignmentRoute.action,
    "official",
    { householdId: w.household.id },
    { intent: "end", endsOn: "2026-03-02", reason: "调整结对", expectedCadreId: w.users.otherCadre.id },
  );
  expect(ends.status).toBe(409);
  expect(messages(ends.json)[""]).toEqual([zh("common.conflict")]);
});

// ---------- input only the model can judge: 400 on the field, nothing written ----------

test("a check dated tomorrow, funds for a household without a plan: 400 on the field, nothing written", async () => {
  const tomorrow = new Date(Date.now() + 36 * 3600_000).toISOString().slice(0, 10);
  const check = await refused(
    checkRoute.action,
    "cadre",
    { householdId: w.household.id },
    { visitedOn: tomorrow, livingStatus: "on_track", plantingStatus: "on_track", raisingStatus: "not_applicable" },
  );
  expect(check.status).toBe(400);
  expect(messages(check.json).visitedOn).toEqual([zh("check.error.visitInFuture")]);

  const funds = await refused(
    projectRoute.action,
    "official",
    { projectId: w.project.id },
    { householdId: w.handedOver.id, kind: "cash", amount: "100", allocatedOn: "2026-03-02" },
  );
  expect(funds.status).toBe(400);
  expect(messages(funds.json).householdId).toHaveLength(1);
});
