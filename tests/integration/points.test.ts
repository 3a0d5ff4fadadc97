// The points card (积分卡): a scripted month of one cadre's checks gives exact entries and total; the
// league table adds up to the same totals; scope, validation, audit and the settings that set the values.
import crypto from "node:crypto";
import { and, eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { auditLog, checks, households, pointsAdjustments } from "../../db/schema";
import { ForbiddenError, NotFoundError, ValidationError } from "~/models/errors.server";
import { addAdjustment, leagueTable, markProblemSolved, pointsCard } from "~/models/points.server";
import { scopeOf } from "~/models/scope.server";
import { AdjustFormSchema } from "~/schemas/points";
import { db } from "~/utils/db.server";
import { parseForm } from "~/utils/zod-messages";
import {
  assignCadre,
  createCooperative,
  createHousehold,
  createUser,
  createWorld,
  type World,
  setSetting,
} from "../support/factories";

const MONTH = "2026-11";
/** "Today" for the scripted month: mid-December, so November is a closed month counted at its last day. */
const TODAY = "2026-12-15";

type Db = Awaited<ReturnType<typeof db>>;

let tick = 0;
/** A check inserted as it is stored; created_at follows insertion order so LAG's tie-break is fixed. */
async function check(
  d: Db,
  world: World,
  values: { householdId: string; cadreId: string; visitedOn: string } & Partial<typeof checks.$inferInsert>,
) {
  const row = {
    id: crypto.randomUUID(),
    countyId: world.county.id,
    livingStatus: "on_track" as const,
    plantingStatus: "on_track" as const,
    raisingStatus: "on_track" as const,
    createdAt: new Date(Date.UTC(2026, 0, 1) + ++tick * 1000),
    ...values,
  };
  await d.insert(checks).values(row);
  return row;
}

async function rejection(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the model to refuse");
}

/**
 * One township, cadre A with four households and a scripted November, cadre B with one on-time
 * visit, cadre C idle; an official; a cadre and an official of the other township.
 */
async function scriptedMonth() {
  const d = await db();
  const world = await createWorld(d);
  const cadreA = await createUser(d, world, "cadre");
  const cadreB = await createUser(d, world, "cadre");
  const cadreC = await createUser(d, world, "cadre");
  const official = await createUser(d, world, "official");
  const otherCadre = await createUser(d, world, "cadre", { townshipIndex: 1 });
  const otherOfficial = await createUser(d, world, "official", { townshipIndex: 1 });
  const [h1, h2, h3, h4, h5] = await Promise.all([1, 2, 3, 4, 5].map(() => createHousehold(d, world)));
  await d.update(households).set({ povertyStatus: "monitored" }).where(eq(households.id, h3.id));
  for (const h of [h1, h2, h3, h4]) await assignCadre(d, world, h.id, cadreA.id);
  await assignCadre(d, world, h5.id, cadreB.id);

  // h1: visited in October with a problem (due 30 days later, 11-04), on time on 11-03; the October
  // problem is marked solved on 11-03; visited again in December (not November's business).
  const h1Oct = await check(d, world, {
    householdId: h1.id,
    cadreId: cadreA.id,
    visitedOn: "2026-10-05",
    problems: "鸡舍漏雨",
  });
  await check(d, world, { householdId: h1.id, cadreId: cadreA.id, visitedOn: "2026-11-03", nextDueOn: "2026-12-03" });
  await check(d, world, { householdId: h1.id, cadreId: cadreA.id, visitedOn: "2026-12-02", nextDueOn: "2027-01-02" });
  // h2: due 10-20 by the September check, visited 21 days late on 11-10 with a problem, solved 11-20;
  // a correction of that check the next day must not earn again
  await check(d, world, { householdId: h2.id, cadreId: cadreA.id, visitedOn: "2026-09-20", nextDueOn: "2026-10-20" });
  const h2Nov = await check(d, world, {
    householdId: h2.id,
    cadreId: cadreA.id,
    visitedOn: "2026-11-10",
    plantingStatus: "problem",
    problems: "辣椒苗发黄",
    nextDueOn: "2026-12-10",
  });
  await check(d, world, {
    householdId: h2.id,
    cadreId: cadreA.id,
    visitedOn: "2026-11-10",
    plantingStatus: "problem",
    problems: "辣椒苗发黄，缺肥",
    nextDueOn: "2026-12-10",
    correctsCheckId: h2Nov.id,
  });
  // h3 (monitored, 15 days): last visited 10-01, so due 10-16 and still unvisited on 11-30
  await check(d, world, { householdId: h3.id, cadreId: cadreA.id, visitedOn: "2026-10-01" });
  // h4: registered 10-30, its first check ever on 11-25, inside the first interval (due 11-29)
  await d.update(households).set({ registeredOn: "2026-10-30" }).where(eq(households.id, h4.id));
  await check(d, world, { householdId: h4.id, cadreId: cadreA.id, visitedOn: "2026-11-25", problems: "   " });
  // h5: cadre B's first visit
  await check(d, world, { householdId: h5.id, cadreId: cadreB.id, visitedOn: "2026-11-12", nextDueOn: "2026-12-12" });
  // the other township's cadre is busy too, but in another league
  const hx = await createHousehold(d, world, { villageIndex: 2 });
  await assignCadre(d, world, hx.id, otherCadre.id);
  await check(d, world, { householdId: hx.id, cadreId: otherCadre.id, visitedOn: "2026-11-05" });

  return {
    d,
    world,
    h: { h1, h2, h3, h4, h5 },
    checks: { h1Oct, h2Nov },
    users: { cadreA, cadreB, cadreC, official, otherCadre, otherOfficial },
    scope: {
      cadreA: scopeOf(cadreA),
      cadreB: scopeOf(cadreB),
      official: scopeOf(official),
      otherCadre: scopeOf(otherCadre),
      otherOfficial: scopeOf(otherOfficial),
    },
  };
}

test("a scripted month: each check, problem, solution, overdue household and adjustment gives its exact entry", async () => {
  const { h, checks: c, users, scope } = await scriptedMonth();
  await markProblemSolved({ scope: scope.cadreA, checkId: c.h1Oct.id, solvedOn: "2026-11-03", today: TODAY });
  await markProblemSolved({ scope: scope.official, checkId: c.h2Nov.id, solvedOn: "2026-11-20", today: TODAY });
  await addAdjustment({
    scope: scope.official,
    cadreId: users.cadreA.id,
    effectiveOn: "2026-11-15",
    points: -10,
    reason: "吃拿卡要经查实",
    today: TODAY,
  });

  const card = await pointsCard({ scope: scope.cadreA, month: MONTH, today: TODAY });
  expect(card.cadre.id).toBe(users.cadreA.id);
  expect(card.entries.map((e) => [e.date, e.kind, e.points, e.headName])).toEqual([
    ["2026-11-03", "checkOnTime", 2, h.h1.headName],
    ["2026-11-03", "problemSolved", 3, h.h1.headName],
    ["2026-11-10", "checkLate", -1, h.h2.headName],
    ["2026-11-10", "problemFound", 1, h.h2.headName],
    ["2026-11-15", "adjustment", -10, null],
    ["2026-11-20", "problemSolved", 3, h.h2.headName],
    ["2026-11-25", "checkOnTime", 2, h.h4.headName],
    ["2026-11-30", "householdOverdue", -2, h.h3.headName],
  ]);
  expect(card.total).toBe(2 + 3 - 1 + 1 - 10 + 3 + 2 - 2);
  // the explanation's values
  const byKind = (kind: string, head?: string) =>
    card.entries.find((e) => e.kind === kind && (head === undefined || e.headName === head))!;
  expect(byKind("checkOnTime", h.h1.headName).values).toMatchObject({ visitedOn: "2026-11-03", dueOn: "2026-11-04" });
  expect(byKind("checkLate").values).toMatchObject({ visitedOn: "2026-11-10", dueOn: "2026-10-20", daysLate: 21 });
  expect(byKind("problemFound").values).toMatchObject({ problems: "辣椒苗发黄", solvedOn: "2026-11-20" });
  expect(byKind("problemFound").checkId).toBe(c.h2Nov.id);
  expect(byKind("problemSolved", h.h1.headName).values).toMatchObject({
    visitedOn: "2026-10-05",
    problems: "鸡舍漏雨",
  });
  expect(byKind("checkOnTime", h.h4.headName).values).toMatchObject({ dueOn: "2026-11-29", firstVisit: true });
  expect(byKind("householdOverdue").values).toMatchObject({ dueOn: "2026-10-16", daysLate: 45 });
  expect(byKind("adjustment").values).toMatchObject({ reason: "吃拿卡要经查实", by: users.official.displayName });

  // in the current month, overdue is counted today
  const current = await pointsCard({ scope: scope.cadreA, month: MONTH, today: "2026-11-28" });
  expect(current.entries.find((e) => e.kind === "householdOverdue")).toMatchObject({
    date: "2026-11-28",
    values: { daysLate: 43 },
  });
  // the official sees the same card
  const seen = await pointsCard({ scope: scope.official, cadreId: users.cadreA.id, month: MONTH, today: TODAY });
  expect(seen.entries).toHaveLength(card.entries.length);
  expect(seen.total).toBe(card.total);
});

test("the league table ranks every active cadre of the township and adds up to each cadre's card", async () => {
  const { users, scope, checks: c } = await scriptedMonth();
  await markProblemSolved({ scope: scope.cadreA, checkId: c.h2Nov.id, solvedOn: "2026-11-20", today: TODAY });
  await addAdjustment({
    scope: scope.official,
    cadreId: users.cadreA.id,
    effectiveOn: "2026-11-15",
    points: -10,
    reason: "吃拿卡要经查实",
    today: TODAY,
  });

  const league = await leagueTable({ scope: scope.official, month: MONTH, today: TODAY });
  expect(league.rows.map((r) => [r.rank, r.cadreId, r.total])).toEqual([
    [1, users.cadreB.id, 2],
    [2, users.cadreC.id, 0],
    [3, users.cadreA.id, 2 - 1 + 1 + 3 + 2 - 2 - 10],
  ]);
  expect(league.rows[2]).toMatchObject({
    checks: 3,
    onTime: 2,
    late: 1,
    problemsFound: 1,
    problemsSolved: 1,
    overdue: 1,
    adjustments: -10,
  });
  for (const row of league.rows) {
    const card = await pointsCard({ scope: scope.official, cadreId: row.cadreId, month: MONTH, today: TODAY });
    expect(card.total, row.username).toBe(row.total);
  }
  // the other township's official sees only their own cadre
  const other = await leagueTable({ scope: scope.otherOfficial, month: MONTH, today: TODAY });
  expect(other.rows.map((r) => [r.cadreId, r.total])).toEqual([[users.otherCadre.id, 2]]);
  // a cadre has no league
  expect(await rejection(leagueTable({ scope: scope.cadreA, month: MONTH }))).toBeInstanceOf(ForbiddenError);
});

test("a cadre sees only their own card; an official of another township sees none of this township's", async () => {
  const { d, world, users, scope } = await scriptedMonth();
  expect(await rejection(pointsCard({ scope: scope.cadreA, cadreId: users.cadreB.id, month: MONTH }))).toBeInstanceOf(
    NotFoundError,
  );
  expect(
    await rejection(pointsCard({ scope: scope.otherOfficial, cadreId: users.cadreA.id, month: MONTH })),
  ).toBeInstanceOf(NotFoundError);
  // an official names the cadre; a name that is not a cadre is not found
  expect(await rejection(pointsCard({ scope: scope.official, month: MONTH }))).toBeInstanceOf(NotFoundError);
  expect(
    await rejection(pointsCard({ scope: scope.official, cadreId: users.official.id, month: MONTH })),
  ).toBeInstanceOf(NotFoundError);
  const coop = await createCooperative(d, world);
  const clerk = await createUser(d, world, "clerk", { cooperativeId: coop.id });
  expect(await rejection(pointsCard({ scope: scopeOf(clerk), cadreId: users.cadreA.id, month: MONTH }))).toBeInstanceOf(
    ForbiddenError,
  );
  // the own card needs no id, and naming oneself is the same card
  const own = await pointsCard({ scope: scope.cadreB, cadreId: users.cadreB.id, month: MONTH, today: TODAY });
  expect(own.total).toBe(2);
});

test("an adjustment needs points between −100 and 100 but not 0 and a reason; it is audited", async () => {
  const { d, users, scope } = await scriptedMonth();
  const base = { scope: scope.official, cadreId: users.cadreB.id, effectiveOn: "2026-11-15", today: TODAY };
  const refused = async (input: Partial<Parameters<typeof addAdjustment>[0]>) =>
    (await rejection(addAdjustment({ ...base, points: 5, reason: "表现突出", ...input }))) as ValidationError;
  expect((await refused({ points: 0 })).fieldErrors).toEqual({ points: ["points.error.zero"] });
  expect((await refused({ points: 101 })).fieldErrors).toEqual({ points: ["points.error.range"] });
  expect((await refused({ points: -101 })).fieldErrors).toEqual({ points: ["points.error.range"] });
  expect((await refused({ points: 1.5 })).fieldErrors).toEqual({ points: ["field.integer"] });
  expect((await refused({ reason: "" })).fieldErrors).toEqual({ reason: ["field.reasonRequired"] });
  expect((await refused({ reason: "  好 " })).fieldErrors).toEqual({ reason: ["field.reasonRequired"] });
  expect((await refused({ effectiveOn: "2026-12-16" })).fieldErrors).toEqual({ effectiveOn: ["points.error.future"] });
  expect((await refused({ effectiveOn: "2026-02-30" })).fieldErrors).toEqual({ effectiveOn: ["field.date"] });
  expect((await refused({ reason: "好".repeat(201) })).fieldErrors).toEqual({
    reason: ['field.reasonTooLong|{"max":200}'],
  });
  expect(await d.select().from(pointsAdjustments).where(eq(pointsAdjustments.cadreId, users.cadreB.id))).toEqual([]);

  // only an official of the cadre's township
  expect(
    await rejection(addAdjustment({ ...base, scope: scope.cadreA, points: 5, reason: "表现突出" })),
  ).toBeInstanceOf(ForbiddenError);
  expect(
    await rejection(addAdjustment({ ...base, scope: scope.otherOfficial, points: 5, reason: "表现突出" })),
  ).toBeInstanceOf(NotFoundError);

  const row = await addAdjustment({ ...base, points: 100, reason: "  带动全村种辣椒  " });
  expect(row).toMatchObject({ points: 100, reason: "带动全村种辣椒", createdBy: users.official.id });
  const audit = await d
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.entity, "user"), eq(auditLog.entityId, users.cadreB.id)));
  expect(audit).toHaveLength(1);
  expect(audit[0]).toMatchObject({
    action: "points.adjust",
    userId: users.official.id,
    after: { adjustmentId: row.id, effectiveOn: "2026-11-15", points: 100, reason: "带动全村种辣椒" },
  });
  const card = await pointsCard({ scope: scope.cadreB, month: MONTH, today: TODAY });
  expect(card.total).toBe(102);
});

test("the page's form and the model refuse a bad adjustment with the same message", async () => {
  const { users, scope } = await scriptedMonth();
  const good = { cadreId: users.cadreB.id, effectiveOn: "2026-11-15", points: 5, reason: "表现突出" };
  const spoiled = [
    { points: 0 },
    { points: 101 },
    { points: 1.5 },
    { reason: " 好 " },
    { reason: "好".repeat(201) },
    { effectiveOn: "2026-02-30" },
    { cadreId: "x" },
  ];
  for (const spoil of spoiled) {
    const input = { ...good, ...spoil };
    const form = new FormData();
    for (const [k, v] of Object.entries({ intent: "adjust", ...input })) form.set(k, String(v));
    const submission = parseForm(form, { schema: AdjustFormSchema });
    if (submission.status !== "error") throw new Error(`the form took ${JSON.stringify(spoil)}`);
    const model = (await rejection(
      addAdjustment({ scope: scope.official, today: TODAY, ...input }),
    )) as ValidationError;
    expect(model.fieldErrors, JSON.stringify(spoil)).toEqual(submission.error);
  }
});

test("a problem is marked solved once, by the cadre in charge or an official, not before the visit", async () => {
  const { d, h, users, scope, checks: c } = await scriptedMonth();
  const mark = (s: typeof scope.cadreA, checkId: string, solvedOn: string) =>
    rejection(markProblemSolved({ scope: s, checkId, solvedOn, today: TODAY }));
  expect(((await mark(scope.cadreA, c.h2Nov.id, "2026-11-09")) as ValidationError).fieldErrors).toEqual({
    solvedOn: ["points.error.solvedBeforeVisit"],
  });
  expect(((await mark(scope.cadreA, c.h2Nov.id, "2026-12-16")) as ValidationError).fieldErrors).toEqual({
    solvedOn: ["points.error.future"],
  });
  // another cadre, and an official of another township, do not find the check
  expect(await mark(scope.cadreB, c.h2Nov.id, "2026-11-20")).toBeInstanceOf(NotFoundError);
  expect(await mark(scope.otherOfficial, c.h2Nov.id, "2026-11-20")).toBeInstanceOf(NotFoundError);
  // an id that is no id names no check: not found, not a database error
  expect(await mark(scope.official, "1", "2026-11-20")).toBeInstanceOf(NotFoundError);
  expect(
    await rejection(
      markProblemSolved({ scope: scope.official, householdId: "1", checkId: c.h2Nov.id, solvedOn: "2026-11-20" }),
    ),
  ).toBeInstanceOf(NotFoundError);
  // a check without problems, and a correction, have nothing to solve
  const [plain] = await d.select().from(checks).where(eq(checks.householdId, h.h4.id));
  expect(((await mark(scope.cadreA, plain.id, "2026-11-26")) as ValidationError).formErrors).toEqual([
    "points.error.noProblem",
  ]);
  const [correction] = await d.select().from(checks).where(eq(checks.correctsCheckId, c.h2Nov.id));
  expect(((await mark(scope.cadreA, correction.id, "2026-11-20")) as ValidationError).formErrors).toEqual([
    "points.error.noProblem",
  ]);

  await markProblemSolved({ scope: scope.cadreA, checkId: c.h2Nov.id, solvedOn: "2026-11-10", today: TODAY });
  expect(((await mark(scope.official, c.h2Nov.id, "2026-11-20")) as ValidationError).formErrors).toEqual([
    "points.error.alreadySolved",
  ]);
  const [saved] = await d.select().from(checks).where(eq(checks.id, c.h2Nov.id));
  expect(saved.problemSolvedOn).toBe("2026-11-10");
  const audit = await d
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.entity, "check"), eq(auditLog.entityId, c.h2Nov.id)));
  expect(audit).toHaveLength(1);
  expect(audit[0]).toMatchObject({
    action: "check.problem_solved",
    userId: users.cadreA.id,
    householdId: h.h2.id,
    before: { problemSolvedOn: null },
    after: { problemSolvedOn: "2026-11-10" },
  });
  // a solved problem shows as solved on the card and no longer offers the button
  const card = await pointsCard({ scope: scope.cadreA, month: MONTH, today: TODAY });
  const found = card.entries.find((e) => e.kind === "problemFound")!;
  expect(found.values).toMatchObject({ solvedOn: "2026-11-10", canMarkSolved: false });
});

test("the values come from the settings table: a township's override changes its cards and league only", async () => {
  const { world, users, scope } = await scriptedMonth();
  await setSetting("points.checkOnTime", 3, world.townships[0].id);
  await setSetting("points.householdOverdue", -5, world.townships[0].id);
  const card = await pointsCard({ scope: scope.cadreA, month: MONTH, today: TODAY });
  expect(card.entries.filter((e) => e.kind === "checkOnTime").map((e) => e.points)).toEqual([3, 3]);
  expect(card.entries.find((e) => e.kind === "householdOverdue")!.points).toBe(-5);
  expect(card.total).toBe(3 - 1 + 1 + 3 - 5);
  expect(card.values.checkOnTime).toBe(3);
  const league = await leagueTable({ scope: scope.official, month: MONTH, today: TODAY });
  expect(league.rows.find((r) => r.cadreId === users.cadreA.id)!.total).toBe(card.total);
  expect(league.rows.find((r) => r.cadreId === users.cadreB.id)!.total).toBe(3);
  // the other township keeps the county-wide value
  const other = await pointsCard({ scope: scope.otherCadre, month: MONTH, today: TODAY });
  expect(other.total).toBe(2);
});

test("a month not yet begun has no overdue entries, and a malformed month is refused", async () => {
  const { scope } = await scriptedMonth();
  const future = await pointsCard({ scope: scope.cadreA, month: "2027-01", today: TODAY });
  expect(future.entries).toEqual([]);
  expect(await rejection(pointsCard({ scope: scope.cadreA, month: "2026-13" }))).toBeInstanceOf(ValidationError);
});

test("two people marking the same problem solved at once: one is recorded, the other is told", async () => {
  const { d, scope, checks: c } = await scriptedMonth();
  const results = await Promise.allSettled([
    markProblemSolved({ scope: scope.cadreA, checkId: c.h2Nov.id, solvedOn: "2026-11-20", today: TODAY }),
    markProblemSolved({ scope: scope.official, checkId: c.h2Nov.id, solvedOn: "2026-11-21", today: TODAY }),
  ]);
  expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  const failed = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
  expect((failed.reason as ValidationError).formErrors).toEqual(["points.error.alreadySolved"]);
  const audit = await d.select().from(auditLog).where(eq(auditLog.entityId, c.h2Nov.id));
  expect(audit).toHaveLength(1);
});

test("a month's first visit is judged by the household's last check before the month, the later written on a shared day", async () => {
  const d = await db();
  const world = await createWorld(d);
  const cadre = await createUser(d, world, "cadre");
  const other = await createUser(d, world, "cadre");
  const official = await createUser(d, world, "official");
  const h = await createHousehold(d, world);
  await assignCadre(d, world, h.id, cadre.id);
  // years of history before the month; the last day before it has two checks, the later written counts
  await check(d, world, { householdId: h.id, cadreId: other.id, visitedOn: "2026-08-01", nextDueOn: "2026-12-31" });
  await check(d, world, { householdId: h.id, cadreId: other.id, visitedOn: "2026-10-01", nextDueOn: "2026-11-02" });
  await check(d, world, { householdId: h.id, cadreId: cadre.id, visitedOn: "2026-10-01", nextDueOn: "2026-11-20" });
  // on time by the later October check (due 11-20), late by the earlier one (11-02)
  await check(d, world, { householdId: h.id, cadreId: cadre.id, visitedOn: "2026-11-15", nextDueOn: "2026-11-18" });
  // the month's second visit: its previous check is the month's first, due 11-18
  await check(d, world, { householdId: h.id, cadreId: cadre.id, visitedOn: "2026-11-25" });

  const card = await pointsCard({ scope: scopeOf(cadre), month: MONTH, today: TODAY });
  expect(card.entries.filter((e) => e.date.startsWith(MONTH) && e.kind.startsWith("check"))).toMatchObject([
    { date: "2026-11-15", kind: "checkOnTime", values: { dueOn: "2026-11-20", firstVisit: false } },
    { date: "2026-11-25", kind: "checkLate", values: { dueOn: "2026-11-18", daysLate: 7 } },
  ]);
  const league = await leagueTable({ scope: scopeOf(official), month: MONTH, today: TODAY });
  expect(league.rows.find((r) => r.cadreId === cadre.id)).toMatchObject({ checks: 2, onTime: 1, late: 1 });
});
