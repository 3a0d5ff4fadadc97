// Rule values (规则参数): who changes which, from which day, what the days before keep, the audit, and two
// people saving the same value. The due-date rule's side is tests/integration/due.test.ts.
import { and, eq, isNull } from "drizzle-orm";
import { expect, test } from "vitest";
import { auditLog, settings } from "../../db/schema";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "~/models/errors.server";
import { leagueTable, pointsCard } from "~/models/points.server";
import { scopeOf, type Scope } from "~/models/scope.server";
import { saveSettings, settingsFor, settingsPage, type SettingKey } from "~/models/settings.server";
import { SETTING_KEYS, type SettingsInput } from "~/schemas/settings";
import { addDays } from "~/utils/due";
import { db } from "~/utils/db.server";
import * as f from "../support/factories";
import { raceTest } from "../support/test-db";

const TODAY = "2026-11-10";

async function setup() {
  const d = await db();
  const world = await f.createWorld(d);
  const admin = scopeOf(await f.createUser(d, world, "admin"));
  const official = scopeOf(await f.createUser(d, world, "official", { townshipIndex: 0 }));
  const official2 = scopeOf(await f.createUser(d, world, "official", { townshipIndex: 0 }));
  const farOfficial = scopeOf(await f.createUser(d, world, "official", { townshipIndex: 1 }));
  return { d, world, admin, official, official2, farOfficial, t0: world.townships[0].id, t1: world.townships[1].id };
}

async function rejection(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the model to refuse");
}

/** The form as the page sends it: every value as shown, then the changes the user typed. */
async function formOf(
  scope: Scope,
  townshipId: string | null,
  effectiveFrom: string,
  typed: Partial<Record<SettingKey, number | null>>,
  today = TODAY,
): Promise<SettingsInput> {
  const page = await settingsPage({ scope, townshipId, today });
  const changes: SettingsInput["changes"] = {};
  for (const v of page.values) {
    changes[v.key] = { value: v.key in typed ? typed[v.key]! : v.own, shown: v.own, version: v.version };
  }
  return { effectiveFrom, changes };
}

const save = (scope: Scope, townshipId: string | null, input: SettingsInput, today = TODAY) =>
  saveSettings({ scope, townshipId, input, today });

test("an official overrides a value of their township from a day on; the days before keep the county value, and clearing it follows the county again", async () => {
  const { d, official, t0, t1 } = await setup();
  const from = addDays(TODAY, 5);
  const input = await formOf(official, null, from, { "check.intervalDays": 20 });
  expect(await save(official, null, input)).toEqual({ changed: 1 });

  expect((await settingsFor(t0, d, addDays(from, -1)))["check.intervalDays"]).toBe(30);
  expect((await settingsFor(t0, d, from))["check.intervalDays"]).toBe(20);
  expect((await settingsFor(t1, d, from))["check.intervalDays"]).toBe(30);
  expect((await settingsFor(null, d, from))["check.intervalDays"]).toBe(30);

  const page = await settingsPage({ scope: official, townshipId: null, today: TODAY });
  expect(page.region?.id).toBe(t0);
  const interval = page.values.find((v) => v.key === "check.intervalDays")!;
  expect(interval).toMatchObject({ own: null, county: { today: 30 }, ahead: [{ from, value: 20 }] });
  expect(interval.history).toMatchObject([{ effectiveFrom: from, value: 20, by: expect.any(String) }]);

  const [audit] = await d
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, "setting.change"), eq(auditLog.userId, official.userId)));
  expect(audit).toMatchObject({
    entity: "setting",
    before: { key: "check.intervalDays", regionId: t0, effectiveFrom: from, value: null },
    after: { key: "check.intervalDays", regionId: t0, effectiveFrom: from, value: 20 },
  });

  // a week after it took effect, the official clears it: the township follows the county from then on
  const later = addDays(from, 7);
  const clear = await formOf(official, null, later, { "check.intervalDays": null }, later);
  expect(await save(official, null, clear, later)).toEqual({ changed: 1 });
  expect((await settingsFor(t0, d, addDays(later, -1)))["check.intervalDays"]).toBe(20);
  expect((await settingsFor(t0, d, later))["check.intervalDays"]).toBe(30);
  const rows = await d
    .select({ from: settings.effectiveFrom, value: settings.value })
    .from(settings)
    .where(and(eq(settings.key, "check.intervalDays"), eq(settings.regionId, t0)))
    .orderBy(settings.effectiveFrom);
  expect(rows).toEqual([
    { from, value: 20 },
    { from: later, value: null },
  ]);
});

test("a change takes effect today or later, never in the past; each value keeps to its range", async () => {
  const { d, admin, official, t0 } = await setup();
  const past = await formOf(official, null, addDays(TODAY, -1), { "points.checkOnTime": 5 });
  expect(await rejection(save(official, null, past))).toMatchObject({
    fieldErrors: { effectiveFrom: ["settings.error.past"] },
  });
  expect(
    await rejection(save(official, null, await formOf(official, null, TODAY, { "points.checkLate": -101 }))),
  ).toMatchObject({
    fieldErrors: { points_checkLate: ['settings.error.range|{"min":-100,"max":100}'] },
  });
  expect(
    await rejection(save(official, null, await formOf(official, null, TODAY, { "check.monitoredIntervalDays": 31 }))),
  ).toMatchObject({
    fieldErrors: { check_monitoredIntervalDays: [`settings.error.monitoredLongerOn|{"date":"${TODAY}"}`] },
  });
  // the county may not have an empty value
  expect(
    await rejection(save(admin, null, await formOf(admin, null, TODAY, { "check.intervalDays": null }))),
  ).toBeInstanceOf(ValidationError);
  expect(await d.select().from(settings).where(eq(settings.regionId, t0))).toEqual([]);
});

test("a county change that would leave a township's monitored interval longer than its own is refused, naming the township", async () => {
  const { admin, official, world } = await setup();
  // the township keeps a shorter normal interval of its own; its monitored one follows the county's 15
  await save(official, null, await formOf(official, null, TODAY, { "check.intervalDays": 20 }));
  const far = "2090-01-01";
  // 25 ≤ the county's 30, but longer than the township's 20 from the day it would apply
  const refused = await rejection(
    save(admin, null, await formOf(admin, null, far, { "check.monitoredIntervalDays": 25 })),
  );
  expect(refused).toMatchObject({
    fieldErrors: {
      check_monitoredIntervalDays: [
        `settings.error.monitoredLongerIn|${JSON.stringify({ township: world.townships[0].name, date: far })}`,
      ],
    },
  });
});

test("scope: an official only their township, the administrator the county and its townships, no one else at all", async () => {
  const { admin, official, farOfficial, t0, t1 } = await setup();
  const d = await db();
  const otherWorld = await f.createWorld(d);
  const cadre = scopeOf(await f.createUser(d, otherWorld, "cadre"));
  const input = await formOf(official, null, TODAY, { "cadre.maxHouseholds": 25 });
  expect(await rejection(save(official, t1, input))).toBeInstanceOf(NotFoundError);
  expect(await rejection(settingsPage({ scope: farOfficial, townshipId: t0 }))).toBeInstanceOf(NotFoundError);
  expect(await rejection(save(admin, otherWorld.townships[0].id, input))).toBeInstanceOf(NotFoundError);
  expect(await rejection(save(cadre, null, input))).toBeInstanceOf(ForbiddenError);
  // the administrator edits the township's overrides as the official would
  const asAdmin = await formOf(admin, t0, TODAY, { "cadre.maxHouseholds": 25 });
  expect(await save(admin, t0, asAdmin)).toEqual({ changed: 1 });
  expect((await settingsFor(t0, d, TODAY))["cadre.maxHouseholds"]).toBe(25);
  expect((await settingsFor(t1, d, TODAY))["cadre.maxHouseholds"]).toBe(30);
});

test("two officials save the same value: the second is refused with a conflict unless they saved the same; values left as shown are not written", async () => {
  const { d, official, official2, t0 } = await setup();
  const first = await formOf(official, null, TODAY, { "points.problemSolved": 5 });
  const secondSame = await formOf(official2, null, TODAY, { "points.problemSolved": 5 });
  const secondOther = await formOf(official2, null, TODAY, { "points.problemSolved": 6 });
  const secondElsewhere = await formOf(official2, null, TODAY, { "points.problemFound": 2 });
  expect(await save(official, null, first)).toEqual({ changed: 1 });
  expect(await save(official2, null, secondSame)).toEqual({ changed: 0 });
  expect(await rejection(save(official2, null, secondOther))).toBeInstanceOf(ConflictError);
  // a page read before the first save still changes another value: the one it left alone is not touched
  expect(await save(official2, null, secondElsewhere)).toEqual({ changed: 1 });
  const s = await settingsFor(t0, d, TODAY);
  expect([s["points.problemSolved"], s["points.problemFound"]]).toEqual([5, 2]);
  expect(
    await d
      .select({ id: settings.id })
      .from(settings)
      .where(and(eq(settings.regionId, t0))),
  ).toHaveLength(2);
});

raceTest(
  "two officials saving different values for the same key at once: one is saved, the other refused",
  async () => {
    const { official, official2, t0 } = await setup();
    const a = await formOf(official, null, TODAY, { "check.editWindowHours": 48 });
    const b = await formOf(official2, null, TODAY, { "check.editWindowHours": 72 });
    const results = await Promise.allSettled([save(official, null, a), save(official2, null, b)]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(ConflictError);
    const value = (await settingsFor(t0, await db(), TODAY))["check.editWindowHours"];
    expect([48, 72]).toContain(value);
  },
);

test("a change planned for a day is replaced by a later change for the same day; the audit keeps what was planned", async () => {
  const { d, official, t0 } = await setup();
  const from = addDays(TODAY, 30);
  await save(official, null, await formOf(official, null, from, { "cadre.maxHouseholds": 40 }));
  await save(official, null, await formOf(official, null, from, { "cadre.maxHouseholds": 35 }));
  const rows = await d
    .select({ value: settings.value })
    .from(settings)
    .where(and(eq(settings.key, "cadre.maxHouseholds"), eq(settings.regionId, t0)));
  expect(rows).toEqual([{ value: 35 }]);
  const audits = await d
    .select({ before: auditLog.before, after: auditLog.after })
    .from(auditLog)
    .where(and(eq(auditLog.action, "setting.change"), eq(auditLog.userId, official.userId)))
    .orderBy(auditLog.id);
  expect(audits.map((a) => [(a.before as { planned?: number }).planned, (a.after as { value: number }).value])).toEqual(
    [
      [undefined, 40],
      [40, 35],
    ],
  );
  expect((await settingsFor(t0, d, TODAY))["cadre.maxHouseholds"]).toBe(30);
});

test("points count with the values of the day of each entry, on the card and in the league alike", async () => {
  const { d, world, official, t0 } = await setup();
  const cadre = await f.createUser(d, world, "cadre", { townshipIndex: 0 });
  const h1 = await f.createHousehold(d, world, { villageIndex: 0 });
  const h2 = await f.createHousehold(d, world, { villageIndex: 1 });
  await f.assignCadre(d, world, h1.id, cadre.id, "2026-09-01");
  await f.assignCadre(d, world, h2.id, cadre.id, "2026-09-01");
  // October: a visit on the 5th under the old value, one on the 20th under the new one from the 15th
  await save(
    official,
    null,
    await formOf(official, null, "2026-10-15", { "points.checkOnTime": 4 }, "2026-10-01"),
    "2026-10-01",
  );
  await f.createCheck(d, world, h1.id, cadre.id, "2026-10-05");
  await f.createCheck(d, world, h2.id, cadre.id, "2026-10-20");
  const card = await pointsCard({ scope: scopeOf(cadre), month: "2026-10", today: "2026-11-01" });
  expect(card.entries.filter((e) => e.kind === "checkOnTime").map((e) => [e.date, e.points])).toEqual([
    ["2026-10-05", 2],
    ["2026-10-20", 4],
  ]);
  const league = await leagueTable({ scope: official, month: "2026-10", today: "2026-11-01" });
  expect(league.rows.find((r) => r.cadreId === cadre.id)?.total).toBe(card.total);
  // the rules shown are those of the month's last day
  expect(card.values.checkOnTime).toBe(4);
  expect(SETTING_KEYS).toContain("points.checkOnTime");
  expect(
    await d
      .select()
      .from(settings)
      .where(and(eq(settings.regionId, t0), isNull(settings.createdBy))),
  ).toEqual([]);
});
