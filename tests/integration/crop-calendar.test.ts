// The crop calendar (docs/decisions/039-crop-calendar.md): the administrator's key dates of crops and
// animals (version-checked, audited, bad input refused in Chinese), the visits a running plan proposes at
// them, and those visits in the due-date rule: the earlier of the interval and the next calendar visit not
// made, a check in the visit's window making it, every figure alike.
import { asc, eq, sql } from "drizzle-orm";
import { expect, test } from "vitest";
import { queryRows } from "../../db/client";
import { auditLog, calendarVisits, crops } from "../../db/schema";
import { messageText } from "~/i18n";
import { translator } from "~/i18n/dictionaries.server";
import { openCalendarVisits, setCalendar, householdSeason } from "~/models/calendar.server";
import { overdueHouseholds, overdueSummary } from "~/models/checks.server";
import { coverageRegister } from "~/models/coverage.server";
import { overdueByMonth } from "~/models/dashboard.server";
import { ConflictError } from "~/models/errors.server";
import { cadreWorklist, regionOverview } from "~/models/overview.server";
import { scopeOf, type Scope } from "~/models/scope.server";
import { ReferenceCalendarSchema } from "~/schemas/reference-lists";
import { proposedVisits } from "~/utils/calendar";
import { db } from "~/utils/db.server";
import * as f from "../support/factories";

type Cadre = Extract<Scope, { role: "cadre" }>;
const zh = translator("zh-CN");

async function setup() {
  const d = await db();
  const world = await f.createWorld(d);
  const admin = scopeOf(await f.createUser(d, world, "admin"));
  const official = scopeOf(await f.createUser(d, world, "official")) as Extract<Scope, { role: "official" }>;
  const cadreUser = await f.createUser(d, world, "cadre");
  const cadre = scopeOf(cadreUser) as Cadre;
  return { d, world, admin, official, cadre, cadreUser };
}

/** The file's tests change chili's dates: each starts from the season the migration seeds. */
async function seededChili() {
  await (
    await db()
  )
    .update(crops)
    .set({ transplantMonth: 5, transplantDay: 1, floweringMonth: 6, floweringDay: 15, harvestMonth: 8, harvestDay: 20 })
    .where(eq(crops.code, "chili"));
}

const chiliVersion = async () => {
  const [row] = await (await db()).select({ version: crops.version }).from(crops).where(eq(crops.code, "chili"));
  return row.version;
};

test("the administrator sets a crop's key dates: at the version shown, audited with before and after", async () => {
  const { d, admin } = await setup();
  await seededChili();
  const version = await chiliVersion();
  const input = ReferenceCalendarSchema.parse({
    list: "crops",
    code: "chili",
    version,
    transplant: "5-10",
    flowering: "06-20",
    harvest: "",
  });
  const saved = await setCalendar({ scope: admin, input });
  expect(saved.version).toBe(version + 1);
  const [row] = await d.select().from(crops).where(eq(crops.code, "chili"));
  expect([row.transplantMonth, row.transplantDay, row.floweringMonth, row.floweringDay, row.harvestMonth]).toEqual([
    5,
    10,
    6,
    20,
    null,
  ]);
  const [audit] = await d
    .select()
    .from(auditLog)
    .where(eq(auditLog.action, "reference.calendar"))
    .orderBy(asc(auditLog.at));
  expect([audit.before, audit.after]).toEqual([
    { list: "crops", code: "chili", calendar: { transplant: "05-01", flowering: "06-15", harvest: "08-20" } },
    { list: "crops", code: "chili", calendar: { transplant: "05-10", flowering: "06-20", harvest: null } },
  ]);
  // a second save from the page as it was is refused, the first kept
  await expect(setCalendar({ scope: admin, input: { ...input, transplant: { month: 4, day: 1 } } })).rejects.toThrow(
    ConflictError,
  );
  const [kept] = await d.select().from(crops).where(eq(crops.code, "chili"));
  expect([kept.transplantMonth, kept.transplantDay]).toEqual([5, 10]);
});

test("a key date that is no day of the year is refused with a Chinese message next to its field", () => {
  const messages = (values: Record<string, string>) => {
    const r = ReferenceCalendarSchema.safeParse({ list: "crops", code: "chili", version: 1, ...values });
    expect(r.success).toBe(false);
    return Object.fromEntries(r.error!.issues.map((i) => [i.path.join("."), messageText(zh, i.message)]));
  };
  expect(messages({ transplant: "五月一日" })).toEqual({ transplant: "请按“月-日”填写，如 05-01" });
  expect(messages({ flowering: "02-29", harvest: "13-01" })).toEqual({
    flowering: "没有这一天（月份 1–12；2 月按 28 天计）",
    harvest: "没有这一天（月份 1–12；2 月按 28 天计）",
  });
});

test("a running plan proposes visits at its crops' and animals' key dates, as the written rule has them", async () => {
  const { d, world } = await setup();
  await seededChili();
  const h = await f.createHousehold(d, world);
  const plan = await f.createPlan(d, world, h.id, { status: "draft" });
  await f.addPlanItems(d, world, plan.id, {
    planting: [{ cropCode: "chili", area: 100 }],
    raising: [{ animalCode: "pig", headCount: 2 }],
  });
  const kept = async () =>
    (
      await d
        .select()
        .from(calendarVisits)
        .where(eq(calendarVisits.planId, plan.id))
        .orderBy(asc(calendarVisits.dueOn), asc(calendarVisits.code), asc(calendarVisits.stage))
    ).map((v) => [v.kind, v.code, v.stage, v.dueOn, v.opensOn]);
  // a draft proposes nothing
  expect(await kept()).toEqual([]);

  await d.execute(
    sql`update plans set status = 'approved', approved_at = '2026-05-05T02:00:00Z' where id = ${plan.id}`,
  );
  const calendar = [
    { kind: "crop" as const, code: "chili", dates: { transplant: "05-01", flowering: "06-15", harvest: "08-20" } },
    { kind: "animal" as const, code: "pig", dates: { buyIn: "03-15", sell: "12-20" } },
  ];
  const expected = proposedVisits({ year: 2026, status: "approved", approvedOn: "2026-05-05" }, calendar).map((v) => [
    v.kind,
    v.code,
    v.stage,
    v.dueOn,
    v.opensOn,
  ]);
  // none before the approval; harvest and selling a week ahead; each window a week before
  expect(expected).toEqual([
    ["crop", "chili", "flowering", "2026-06-15", "2026-06-08"],
    ["crop", "chili", "harvest", "2026-08-13", "2026-08-06"],
    ["animal", "pig", "sell", "2026-12-13", "2026-12-06"],
  ]);
  expect(await kept()).toEqual(expected);

  // the administrator moves chili's flowering: the running plan's visit moves with it
  await setCalendar({
    scope: scopeOf(await f.createUser(d, world, "admin")),
    input: ReferenceCalendarSchema.parse({
      list: "crops",
      code: "chili",
      version: await chiliVersion(),
      transplant: "05-01",
      flowering: "07-01",
      harvest: "08-20",
    }),
  });
  expect((await kept()).map((v) => v[3])).toEqual(["2026-07-01", "2026-08-13", "2026-12-13"]);
  // the crop leaves the plan: its visits go
  await d.execute(sql`delete from plan_planting_items where plan_id = ${plan.id}`);
  expect(await kept()).toEqual([["animal", "pig", "sell", "2026-12-13", "2026-12-06"]]);
});

test("the due date is the earlier of the interval and the next calendar visit; a check in its window makes it", async () => {
  const { d, world, official, cadre, cadreUser } = await setup();
  await seededChili();
  // the township visits every 60 days: the calendar is what brings a visit forward
  await f.setSetting("check.intervalDays", 60, world.townships[0].id);
  const h = await f.createHouseholdWith(d, world, { registeredOn: "2025-01-01" });
  await f.assignCadre(d, world, h.id, cadreUser.id, "2026-01-01");
  const plan = await f.createPlan(d, world, h.id, { status: "approved" });
  await f.addPlanItems(d, world, plan.id, { planting: [{ cropCode: "chili", area: 100 }] });
  // visited 04-20: the interval says 06-19, chili's transplanting 05-01
  await f.createCheck(d, world, h.id, cadreUser.id, "2026-04-20");

  const figures = async (today: string) => ({
    worklist: (await cadreWorklist(cadre, 2026, today)).map((r) => [r.dueOn, r.calendarVisit?.stage ?? null]),
    overdue: (await overdueHouseholds({ scope: official, today })).map((r) => r.dueOn),
    home: (await regionOverview(official, 2026, today)).totals.overdue,
    summary: (await overdueSummary({ scope: official, today })).totals.overdue,
    coverage: (await coverageRegister({ scope: official, today })).totals.conditions.checkWindow.missing,
  });
  expect(await figures("2026-04-28")).toEqual({
    worklist: [["2026-05-01", "transplant"]],
    overdue: [],
    home: 0,
    summary: 0,
    coverage: 0,
  });
  // the day passed without a check: overdue everywhere alike, though the interval has days left
  expect(await figures("2026-05-03")).toEqual({
    worklist: [["2026-05-01", "transplant"]],
    overdue: ["2026-05-01"],
    home: 1,
    summary: 1,
    coverage: 1,
  });
  // and the dashboard counts it at May's end had nobody come
  const may = (await overdueByMonth(official, "2026-06-10")).find((m) => m.month === "2026-05")!;
  expect(may.overdue).toBe(1);

  // a check inside the window (from 04-24) makes it: next the flowering visit, earlier than the interval
  await f.createCheck(d, world, h.id, cadreUser.id, "2026-04-26");
  expect(await figures("2026-05-03")).toEqual({
    worklist: [["2026-06-15", "flowering"]],
    overdue: [],
    home: 0,
    summary: 0,
    coverage: 0,
  });
  expect((await overdueByMonth(official, "2026-06-10")).find((m) => m.month === "2026-05")!.overdue).toBe(0);
  expect((await overdueByMonth(official, "2026-06-10")).find((m) => m.month === "2026-05")!.tracked).toBe(1);
  // the check form names the visit whose window is open
  await f.createCheck(d, world, h.id, cadreUser.id, "2026-06-01");
  const open = await openCalendarVisits({ scope: cadre, householdId: h.id, today: "2026-06-10" });
  expect(open.map((v) => [v.stage, v.itemZh, v.dueOn])).toEqual([["flowering", "辣椒", "2026-06-15"]]);
  expect(messageText(zh, `calendar.visit.${open[0].stage}|${JSON.stringify({ item: open[0].itemZh })}`)).toBe(
    "辣椒开花期走访",
  );
  // a scope that does not hold the household sees none
  const other = scopeOf(await f.createUser(d, world, "cadre"));
  expect(await openCalendarVisits({ scope: other, householdId: h.id, today: "2026-06-10" })).toEqual([]);

  // the season on the household page: the key dates, the visits, which are made
  const season = await householdSeason({ scope: cadre, householdId: h.id, year: 2026 });
  expect(season?.rows.map((r) => [r.code, r.dates, r.visits])).toEqual([
    [
      "chili",
      { transplant: "05-01", flowering: "06-15", harvest: "08-20" },
      [
        { stage: "transplant", dueOn: "2026-05-01", made: true },
        { stage: "flowering", dueOn: "2026-06-15", made: false },
        { stage: "harvest", dueOn: "2026-08-13", made: false },
      ],
    ],
  ]);
  const rows = await queryRows<{ n: number }>(
    d,
    sql`select count(*)::int as n from calendar_visits where household_id = ${h.id} and plan_id = ${plan.id}`,
  );
  expect(rows[0].n).toBe(3);
});
