// A signed-in user's refused request is on the audit log: a 403 (not for their role) and a 404 on a
// record's URL, whether they asked for the page, its data or a file, without the query string. Not an
// anonymous request (sent to sign in), not an unknown URL; no more than REFUSALS_PER_MINUTE rows a
// minute for one user; and a failure to write the row never changes the answer.
import sharp from "sharp";
import { and, asc, eq, sql } from "drizzle-orm";
import { expect, test, vi } from "vitest";
import { queryRows } from "../../db/client";
import { auditLog } from "../../db/schema";
import { REFUSALS_PER_MINUTE } from "~/models/audit.server";
import { recordCheck } from "~/models/checks.server";
import { scopeOf } from "~/models/scope.server";
import { todayISO } from "~/utils/dates";
import { db } from "~/utils/db.server";
import { get, post, signIn } from "../support/built-app";
import { assignCadre, createHousehold, createUser, createWorld } from "../support/factories";

/** Two cadres of one township, each with a household and a visit with a photo. */
async function township() {
  const d = await db();
  const world = await createWorld(d);
  const [cadre, other] = [await createUser(d, world, "cadre"), await createUser(d, world, "cadre")];
  const mine = await createHousehold(d, world);
  const theirs = await createHousehold(d, world);
  await assignCadre(d, world, mine.id, cadre.id);
  await assignCadre(d, world, theirs.id, other.id);
  const bytes = await sharp({ create: { width: 8, height: 8, channels: 3, background: "#6a4" } })
    .jpeg()
    .toBuffer();
  const today = todayISO();
  await recordCheck({
    scope: scopeOf(other),
    householdId: theirs.id,
    input: { visitedOn: today, livingStatus: "on_track", plantingStatus: "on_track", raisingStatus: "not_applicable" },
    photos: [{ name: "院子.jpg", bytes: new Uint8Array(bytes) }],
    today,
  });
  const [photo] = await queryRows<{ id: string }>(
    d,
    sql`select p.id from check_photos p join checks c on c.id = p.check_id where c.household_id = ${theirs.id}`,
  );
  return { world, cadre, other, mine, theirs, photo: photo.id, cookie: await signIn(cadre.username) };
}

async function refusals(userId: string) {
  const d = await db();
  return d
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.userId, userId), eq(auditLog.action, "access.refused")))
    .orderBy(asc(auditLog.id));
}

/** Every audit row at all, whoever wrote it: what a request that must write nothing is checked against. */
async function allRows() {
  const d = await db();
  const [row] = await d.select({ n: sql<number>`count(*)::int` }).from(auditLog);
  return Number(row.n);
}

test("a cadre asking for another cadre's household — page, data, file, photo — writes one row each, the path without its query", async () => {
  const { cadre, theirs, photo, cookie } = await township();
  const page = "routes/_app.households.$householdId._index";
  const asks = [
    { url: `/households/${theirs.id}?tab=history`, path: `/households/${theirs.id}`, routeId: page },
    {
      url: `/households/${theirs.id}?_data=${encodeURIComponent(page)}`,
      path: `/households/${theirs.id}`,
      routeId: page,
    },
    { url: `/households/${theirs.id}.data`, path: `/households/${theirs.id}`, routeId: page },
    {
      url: `/households/${theirs.id}/checks/export?format=csv`,
      path: `/households/${theirs.id}/checks/export`,
      routeId: "routes/households.$householdId.checks.export",
    },
    { url: `/photos/${photo}?preview=1`, path: `/photos/${photo}`, routeId: "routes/photos.$photoId" },
  ];
  // Remix warns on every ?_data request of a single-fetch app
  vi.spyOn(console, "error").mockImplementation(() => {});
  for (const ask of asks) {
    const before = (await refusals(cadre.id)).length;
    const res = await get(ask.url, cookie);
    expect(res.status, ask.url).toBe(404);
    const written = (await refusals(cadre.id)).slice(before);
    expect(written, ask.url).toHaveLength(1);
    expect(written[0]).toMatchObject({
      countyId: cadre.countyId,
      entity: "route",
      entityId: cadre.id,
      householdId: null,
      after: { path: ask.path, method: "GET", status: 404, routeId: ask.routeId },
    });
    expect(JSON.stringify(written[0].after), ask.url).not.toMatch(/[?]|tab=|format=|preview|_data/);
  }
  vi.restoreAllMocks();
});

test("a page not for the role (403) and a form posted to a household out of scope are written too", async () => {
  const { cadre, theirs, cookie } = await township();
  expect((await get("/dashboard?year=2026", cookie)).status).toBe(403);
  expect((await post(`/households/${theirs.id}/edit`, cookie, { headName: "改名" })).status).toBe(404);
  expect((await refusals(cadre.id)).map((r) => r.after)).toEqual([
    { path: "/dashboard", method: "GET", status: 403, routeId: "routes/_app.dashboard" },
    {
      path: `/households/${theirs.id}/edit`,
      method: "POST",
      status: 404,
      routeId: "routes/_app.households.$householdId.edit",
    },
  ]);
});

test("an anonymous request is sent to sign in and writes nothing", async () => {
  const { theirs, photo } = await township();
  const before = await allRows();
  for (const url of [
    `/households/${theirs.id}`,
    `/households/${theirs.id}.data`,
    `/photos/${photo}`,
    `/households/${theirs.id}/checks/export?format=csv`,
    "/dashboard",
  ]) {
    const res = await get(url);
    expect([302, 202, 204], url).toContain(res.status);
  }
  // a session cookie that names no session is anonymous too
  expect((await get(`/households/${theirs.id}`, "ty_session=forged")).status).toBe(302);
  expect(await allRows()).toBe(before);
});

test("an unknown URL is a 404 but not a refusal: nothing is written", async () => {
  const { cadre, theirs, cookie } = await township();
  for (const url of ["/no-such-page", `/households/${theirs.id}/no-such-tab`, "/photos", "/no-such-page.data"]) {
    expect((await get(url, cookie)).status, url).toBe(404);
  }
  expect(await refusals(cadre.id)).toEqual([]);
});

test(`no more than ${REFUSALS_PER_MINUTE} refusals of one user are written a minute; others are still written`, async () => {
  const { cadre, other, mine, theirs, cookie } = await township();
  for (let i = 0; i < REFUSALS_PER_MINUTE + 5; i++) {
    expect((await get(`/households/${theirs.id}`, cookie)).status).toBe(404);
  }
  expect(await refusals(cadre.id)).toHaveLength(REFUSALS_PER_MINUTE);
  // another user is not held back by the first one's flood
  expect((await get(`/households/${mine.id}`, await signIn(other.username))).status).toBe(404);
  expect(await refusals(other.id)).toHaveLength(1);
  // a minute later the first one's refusals are written again
  const d = await db();
  await d.execute(sql`update audit_log set at = at - interval '61 seconds' where user_id = ${cadre.id}`);
  expect((await get(`/households/${theirs.id}`, cookie)).status).toBe(404);
  expect(await refusals(cadre.id)).toHaveLength(REFUSALS_PER_MINUTE + 1);
});

test("a failure to write the refusal changes nothing in the answer, and is logged", async () => {
  const { cadre, theirs, photo, cookie } = await township();
  const answers = async () => [
    await get(`/households/${theirs.id}`, cookie),
    await get(`/photos/${photo}`, cookie),
    await get("/dashboard", cookie),
  ];
  const written = await answers();
  const d = await db();
  const errors = vi.spyOn(console, "error").mockImplementation(() => {});
  await d.execute(sql`alter table audit_log rename to audit_log_away`);
  try {
    const unwritten = await answers();
    expect(unwritten.map((r) => r.status)).toEqual(written.map((r) => r.status));
    expect(unwritten.map((r) => r.text().length)).toEqual(written.map((r) => r.text().length));
    expect(errors.mock.calls.filter(([message]) => String(message).includes("refused access"))).toHaveLength(3);
  } finally {
    await d.execute(sql`alter table audit_log_away rename to audit_log`);
    errors.mockRestore();
  }
  expect(await refusals(cadre.id)).toHaveLength(3);
});
