// What a cooperative clerk sees of a household, through the built app's request handler (domain rule 12,
// and the clerk's scope under "Users" in docs/domain.md): names, membership and orders, never members'
// health or disability, the poverty cause, the cadre's visit notes or photos — not in the page, not in the
// loader data the page carries, not in an export, not in the history. The official and the household's
// cadre still see all of it. A household that leaves the cooperative leaves the clerk's scope; the order
// keeps its name, without a link.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler, type AppLoadContext, type ServerBuild } from "@remix-run/node";
import { eq } from "drizzle-orm";
import ExcelJS from "exceljs";
import sharp from "sharp";
import { beforeAll, describe, expect, test } from "vitest";
import { checkPhotos, households, members } from "../../db/schema";
import { getHouseholdCard } from "~/models/card.server";
import { listChecks, recordCheck } from "~/models/checks.server";
import { exportHouseholdRows, HouseholdListParamsSchema } from "~/models/household-list.server";
import { getHousehold, updateHousehold } from "~/models/households.server";
import { householdHistory } from "~/models/audit.server";
import { updateMember } from "~/models/members.server";
import { leaveCooperative } from "~/models/cooperatives.server";
import { scopeOf, type Scope } from "~/models/scope.server";
import { todayISO } from "~/utils/dates";
import { db } from "~/utils/db.server";
import * as f from "../support/factories";

process.env.DATA_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), "tingyuan-clerk-"));
const buildFile = path.resolve("build/index.js");
if (!fs.existsSync(buildFile)) throw new Error("clerk-privacy.test.ts needs the built app: run `npm run build` first");
const build = (await import(/* @vite-ignore */ pathToFileURL(buildFile).href)) as ServerBuild;
const handle = createRequestHandler(build, "production");
const ORIGIN = "http://localhost";

/** Free text a cadre wrote on a visit: none of it may reach the clerk. */
const NOTES = {
  livingNote: "走访备注XYZ-生活区",
  plantingNote: "走访备注XYZ-种植区",
  raisingNote: "走访备注XYZ-养殖区",
  seen: "走访备注XYZ-所见",
  problems: "糖尿病XYZ，需定期复查",
  measures: "走访备注XYZ-措施",
  helpNeeded: "轮椅XYZ一台",
};
/** How health, disability and the poverty cause read on a page (zh-CN), and the history's field label. */
const CARE_WORDS = ["残疾", "慢性病", "因残", "健康状况", "致贫原因"];
const CARE_MARKERS = ["走访备注XYZ", "糖尿病XYZ", "轮椅XYZ"];
/** The stored values themselves, as the loader data would carry them. */
const CARE_VALUES = ['"disabled"', '"chronic"', '"disability"'];

type World = Awaited<ReturnType<typeof setUp>>;

async function setUp() {
  const d = await db();
  const world = await f.createWorld(d);
  const official = await f.createUser(d, world, "official");
  const cadre = await f.createUser(d, world, "cadre");
  const coop = await f.createCooperative(d, world);
  const clerk = await f.createUser(d, world, "clerk", { cooperativeId: coop.id });
  const h = await f.createHouseholdWith(d, world, { members: 3, povertyCause: "illness" });
  await f.assignCadre(d, world, h.id, cadre.id);
  const membership = await f.joinCooperative(d, world, coop.id, h.id);
  const buyer = await f.createBuyer(d, world);
  const order = await f.createPurchaseOrder(d, world, { cooperativeId: coop.id, buyerId: buyer.id });
  const allocation = await f.createOrderAllocation(d, world, {
    orderId: order.id,
    householdId: h.id,
    membershipId: membership.id,
    quantityKg: 300,
  });
  await f.createDelivery(d, world, { allocationId: allocation.id, quantityKg: 120 });

  // the changes go through the models, so the history holds real before/after snapshots of care fields
  const officialScope = scopeOf(official);
  const [head, spouse] = h.members;
  await updateHousehold({
    scope: officialScope,
    id: h.id,
    version: 1,
    input: { villageId: h.villageId, povertyStatus: "registered", povertyCause: "disability" },
  });
  const [spouseRow] = await d.select().from(members).where(eq(members.id, spouse.id));
  await updateMember({
    scope: officialScope,
    memberId: spouse.id,
    version: spouseRow.version,
    member: {
      name: spouse.name,
      idNumber: spouse.idNumber,
      relation: "spouse",
      sex: "female",
      birthDate: spouse.birthDate,
      health: "disabled",
      labourAbility: "none",
    },
  });
  await d.update(members).set({ health: "chronic" }).where(eq(members.id, head.id));

  const today = todayISO();
  const bytes = await sharp({ create: { width: 8, height: 8, channels: 3, background: "#a64" } })
    .jpeg()
    .toBuffer();
  const check = await recordCheck({
    scope: scopeOf(cadre),
    householdId: h.id,
    input: { visitedOn: today, livingStatus: "on_track", plantingStatus: "behind", raisingStatus: "problem", ...NOTES },
    photos: [{ name: "院子.jpg", bytes: new Uint8Array(bytes) }],
    today,
  });
  const [photo] = await d.select({ id: checkPhotos.id }).from(checkPhotos).where(eq(checkPhotos.checkId, check.id));
  const [{ code }] = await d.select({ code: households.code }).from(households).where(eq(households.id, h.id));

  const cookies = {
    official: await signIn(official.username),
    cadre: await signIn(cadre.username),
    clerk: await signIn(clerk.username),
  };
  return { d, world, official, cadre, clerk, coop, h, code, membership, order, photo: photo.id, cookies };
}

let addressSeq = 0;
async function signIn(username: string) {
  const res = await handle(
    new Request(`${ORIGIN}/login`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN, Host: "localhost" },
      body: new URLSearchParams({ username, password: f.TEST_PASSWORD }),
    }),
    { clientAddress: `198.51.100.${++addressSeq}` } as AppLoadContext,
  );
  expect(res.status, `sign-in as ${username}`).toBe(302);
  return res.headers.get("Set-Cookie")!.split(";")[0];
}

async function get(url: string, cookie: string) {
  const res = await handle(new Request(`${ORIGIN}${url}`, { headers: { Cookie: cookie, "Accept-Language": "zh-CN" } }));
  return {
    status: res.status,
    type: res.headers.get("Content-Type") ?? "",
    bytes: new Uint8Array(await res.arrayBuffer()),
  };
}

async function text(url: string, cookie: string) {
  const r = await get(url, cookie);
  expect(r.status, `GET ${url}`).toBe(200);
  return new TextDecoder().decode(r.bytes);
}

/** Every cell of an XLSX file, as one text. */
async function xlsxText(url: string, cookie: string) {
  const r = await get(url, cookie);
  expect(r.status, `GET ${url}`).toBe(200);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(r.bytes.buffer as ArrayBuffer);
  const cells: string[] = [];
  book.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((cell) => cells.push(String(cell.value ?? "")))));
  return cells.join("\n");
}

/** A route's loader data as Remix serialises it into the page, asked for with the user's cookie. */
async function loaderData(
  routeId: string,
  url: string,
  params: Record<string, string>,
  cookie: string,
): Promise<unknown> {
  const request = new Request(`${ORIGIN}${url}`, { headers: { Cookie: cookie, "Accept-Language": "zh-CN" } });
  const result: unknown = await build.routes[routeId].module.loader!({ request, params, context: {} });
  return JSON.parse(JSON.stringify(result instanceof Response ? await result.json() : result));
}

const CARE_KEYS = new Set([
  "health",
  "povertyCause",
  "livingNote",
  "plantingNote",
  "raisingNote",
  "seen",
  "problems",
  "measures",
  "helpNeeded",
]);
/** Every care field with a value, anywhere in the data, as "path=value". */
function careFieldsIn(value: unknown, at = ""): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => careFieldsIn(v, `${at}[${i}]`));
  if (!value || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([k, v]) =>
    CARE_KEYS.has(k) && v !== null && v !== undefined
      ? [`${at}.${k}=${JSON.stringify(v)}`]
      : careFieldsIn(v, `${at}.${k}`),
  );
}

const HOUSEHOLD_ROUTE = "routes/_app.households.$householdId._index";
const CHECKS_ROUTE = "routes/_app.households.$householdId.checks._index";
const CARD_ROUTE = "routes/_app.households.$householdId.card";
const PLAN_ROUTE = "routes/_app.households.$householdId.plan";
const LIST_ROUTE = "routes/_app.households._index";

/** Everything a role can read of the household: pages, the data they carry, exports. */
async function everythingReadable(w: World, cookie: string) {
  const base = `/households/${w.h.id}`;
  const pages = [base, `${base}/checks`, `${base}/card`, `${base}/plan`, `/households`, `/orders/${w.order.id}`];
  // single fetch: a page's loader data travels as /path.data (and in the document's own stream, read with
  // the page); the loaders are also asked directly below, for the fields' values rather than their text
  const data = [`${base}.data`, `${base}/checks.data`, `${base}/card.data`, `${base}/plan.data`, `/households.data`];
  const csv = [`${base}/checks/export?format=csv`, `/households/export?format=csv`];
  const xlsx = [`${base}/checks/export?format=xlsx`, `/households/export?format=xlsx`];
  const out: Record<string, string> = {};
  // the whole document: its markup and the data its scripts carry (the dictionary is a file of its own)
  for (const url of pages) out[url] = await text(url, cookie);
  for (const url of data) out[url] = await text(url, cookie);
  for (const url of csv) out[url] = await text(url, cookie);
  for (const url of xlsx) out[url] = await xlsxText(url, cookie);
  return out;
}

describe("a clerk of the household's cooperative", () => {
  let w: World;
  let readable: Record<string, string>;
  beforeAll(async () => {
    w = await setUp();
    readable = await everythingReadable(w, w.cookies.clerk);
  }, 120_000);

  test("reads the household: its name, members and orders", () => {
    const page = readable[`/households/${w.h.id}`];
    for (const m of w.h.members) expect(page).toContain(m.name);
    expect(page).toContain(`/orders/${w.order.id}`);
    expect(readable[`/households/${w.h.id}/card`]).toContain(w.h.members[1].name);
    expect(readable["/households/export?format=csv"]).toContain(w.code);
  });

  test("finds no health, disability, poverty cause or visit note in any page, loader data or export", () => {
    for (const [url, body] of Object.entries(readable)) {
      for (const word of [...CARE_WORDS, ...CARE_MARKERS]) expect(body, `${url} shows ${word}`).not.toContain(word);
      for (const value of CARE_VALUES) expect(body, `${url} carries ${value}`).not.toContain(value);
    }
  });

  test("the loaders hand the page null for every care field, and no photo", async () => {
    const params = { householdId: w.h.id };
    const base = `/households/${w.h.id}`;
    const all = [
      await loaderData(HOUSEHOLD_ROUTE, base, params, w.cookies.clerk),
      await loaderData(CHECKS_ROUTE, `${base}/checks`, params, w.cookies.clerk),
      await loaderData(CARD_ROUTE, `${base}/card`, params, w.cookies.clerk),
      await loaderData(PLAN_ROUTE, `${base}/plan`, params, w.cookies.clerk),
      await loaderData(LIST_ROUTE, "/households?cause=disability&sort=cause", {}, w.cookies.clerk),
    ];
    const found = all.flatMap((data) => careFieldsIn(data));
    expect(found).toEqual([]);
    const page = all[0] as {
      household: { povertyCause: unknown; members: { health: unknown }[] };
      recentChecks: { photoIds: string[] }[];
      history: { action: string; changed: string[] }[];
    };
    expect(page.household.members.map((m) => m.health)).toEqual([null, null, null]);
    expect(page.recentChecks.map((c) => c.photoIds)).toEqual([[]]);
    // the history still says what happened, without naming the care fields that changed
    // (files exported from the household's checks are on its history too: earlier tests in this file made some)
    const changes = page.history.map((e) => e.action).filter((a) => !a.startsWith("export."));
    expect(changes.sort()).toEqual(["check.create", "household.update", "member.update"]);
    expect(page.history.find((e) => e.action === "member.update")!.changed).toContain("labourAbility");
    for (const e of page.history) expect(e.changed.filter((c) => c === "health" || c === "povertyCause")).toEqual([]);
    // the list ignores a cause filter and sort it does not show
    const list = all[4] as {
      params: { cause?: string; sort: string };
      rows: { id: string }[];
      options: { povertyCauses: unknown };
    };
    expect(list.params.cause).toBeUndefined();
    expect(list.params.sort).toBe("code");
    expect(list.options.povertyCauses).toBeNull();
    expect(list.rows.map((r) => r.id)).toEqual([w.h.id]);
  });

  test("gets no visit photo, neither whole nor preview", async () => {
    expect((await get(`/photos/${w.photo}`, w.cookies.clerk)).status).toBe(404);
    expect((await get(`/photos/${w.photo}?preview=1`, w.cookies.clerk)).status).toBe(404);
  });

  test("a filter or sort by cause does not work for the clerk: it would tell 因病 and 因残 households apart", async () => {
    const filtered = await text(`/households/export?format=csv&cause=education`, w.cookies.clerk);
    expect(filtered).toContain(w.code);
    const sorted = await text(`/households/export?format=csv&sort=cause`, w.cookies.clerk);
    expect(sorted).toContain(w.code);
    const clerk = scopeOf(w.clerk);
    const rows = await exportHouseholdRows({
      scope: clerk,
      params: HouseholdListParamsSchema.parse({ cause: "education" }),
      year: 2026,
    });
    expect(rows.map((r) => [r.id, r.povertyCause])).toEqual([[w.h.id, null]]);
  });

  test("the models hand the clerk no care field", async () => {
    const clerk = scopeOf(w.clerk);
    const household = await getHousehold({ id: w.h.id, scope: clerk, year: 2026 });
    expect(household!.povertyCause).toBeNull();
    expect(household!.members.every((m) => m.health === null)).toBe(true);
    const card = await getHouseholdCard({ id: w.h.id, scope: clerk, year: 2026 });
    expect(card!.careDetails).toBe(false);
    expect(card!.household.povertyCause).toBeNull();
    expect(card!.members.every((m) => m.health === null)).toBe(true);
    const { rows } = await listChecks({ scope: clerk, householdId: w.h.id });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      livingNote: null,
      plantingNote: null,
      raisingNote: null,
      seen: null,
      problems: null,
      measures: null,
      helpNeeded: null,
      photoIds: [],
    });
    expect(rows[0]).toMatchObject({ livingStatus: "on_track", plantingStatus: "behind", raisingStatus: "problem" });
    const history = await householdHistory({ scope: clerk, householdId: w.h.id });
    expect(history.some((e) => "before" in e || "after" in e)).toBe(false);
    expect(history.find((e) => e.action === "check.create")!.changed).toEqual([]);
  });
});

describe.each(["official", "cadre"] as const)("the household's %s", (role) => {
  let w: World;
  let readable: Record<string, string>;
  beforeAll(async () => {
    w = await setUp();
    readable = await everythingReadable(w, w.cookies[role]);
  }, 120_000);

  test("still sees health, disability, the poverty cause and the visit notes", () => {
    const page = readable[`/households/${w.h.id}`];
    for (const word of ["残疾", "慢性病", "因残", "糖尿病XYZ", "走访备注XYZ-生活区", "轮椅XYZ"])
      expect(page).toContain(word);
    // the history names the care fields that changed
    expect(page).toContain("健康状况");
    expect(page).toContain("致贫原因");
    expect(readable[`/households/${w.h.id}.data`]).toContain('"disabled"');
    expect(readable[`/households/${w.h.id}/checks`]).toContain("走访备注XYZ-所见");
    for (const format of ["csv", "xlsx"]) {
      const checks = readable[`/households/${w.h.id}/checks/export?format=${format}`];
      for (const note of Object.values(NOTES)) expect(checks, `${format} checks export`).toContain(note);
      expect(readable[`/households/export?format=${format}`], `${format} households export`).toContain("因残");
    }
    const card = readable[`/households/${w.h.id}/card`];
    for (const word of ["残疾", "慢性病", "因残", "健康状况"]) expect(card).toContain(word);
  });

  test("gets every care field from the loaders, the same way the clerk is checked", async () => {
    const page = await loaderData(HOUSEHOLD_ROUTE, `/households/${w.h.id}`, { householdId: w.h.id }, w.cookies[role]);
    const found = careFieldsIn(page);
    expect(found).toContain('.household.povertyCause="disability"');
    const health = found.filter((f) => /^\.household\.members\[\d\]\.health=/.test(f)).map((f) => f.split("=")[1]);
    expect(health.sort()).toEqual(['"chronic"', '"disabled"', '"healthy"']);
    expect(found).toContain(`.recentChecks[0].problems=${JSON.stringify(NOTES.problems)}`);
    const withPhotos = page as { recentChecks: { photoIds: string[] }[] };
    expect(withPhotos.recentChecks[0].photoIds).toEqual([w.photo]);
  });

  test("opens the visit's photo", async () => {
    const r = await get(`/photos/${w.photo}`, w.cookies[role]);
    expect(r.status).toBe(200);
    expect(r.type).toBe("image/jpeg");
  });
});

describe("after the household leaves the cooperative", () => {
  let w: World;
  let clerk: Scope;
  beforeAll(async () => {
    w = await setUp();
    clerk = scopeOf(w.clerk);
    await leaveCooperative({ scope: clerk, membershipId: w.membership.id, leftOn: todayISO() });
  }, 120_000);

  test("the clerk finds none of its record: page, checks, card, plan, pairing and the checks export are not found", async () => {
    const base = `/households/${w.h.id}`;
    for (const url of [
      base,
      `${base}.data`,
      `${base}/checks`,
      `${base}/card`,
      `${base}/plan`,
      `${base}/assignment`,
      `${base}/checks/export?format=csv`,
    ]) {
      expect((await get(url, w.cookies.clerk)).status, url).toBe(404);
    }
    expect((await get(`/photos/${w.photo}`, w.cookies.clerk)).status).toBe(404);
    expect(await getHousehold({ id: w.h.id, scope: clerk, year: 2026 })).toBeNull();
  });

  test("the household is gone from the clerk's list and export", async () => {
    expect(await text("/households.data", w.cookies.clerk)).not.toContain(w.h.id);
    for (const format of ["csv", "xlsx"]) {
      const url = `/households/export?format=${format}`;
      const body = format === "csv" ? await text(url, w.cookies.clerk) : await xlsxText(url, w.cookies.clerk);
      expect(body, url).not.toContain(w.code);
    }
  });

  test("the order keeps the household's name as its record, without a link into the household", async () => {
    const page = await text(`/orders/${w.order.id}`, w.cookies.clerk);
    expect(page).toContain(w.h.headName);
    expect(page).not.toContain(`/households/${w.h.id}`);
    // an official of the township still follows the name to the household
    expect(await text(`/orders/${w.order.id}`, w.cookies.official)).toContain(`/households/${w.h.id}`);
  });

  test("the cooperative's past members show name and period, without a link", async () => {
    const page = await text(`/cooperatives/${w.coop.id}`, w.cookies.clerk);
    const past = page.slice(page.indexOf('data-testid="past-members"'));
    expect(past).toContain(w.h.headName);
    expect(past).toContain(todayISO());
    expect(page).not.toContain(`/households/${w.h.id}`);
  });
});
