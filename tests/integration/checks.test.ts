// Progress checks: who may record one, the correction rule, the edit window, photo checks and scope,
// and the due/overdue dates the worklist and the officials' reports compute in SQL.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import sharp from "sharp";
import { expect, test } from "vitest";
import { checkPhotos, checks, households } from "../../db/schema";
import {
  amendCheck,
  getPhoto,
  listChecks,
  overdueHouseholds,
  overdueSummary,
  recordCheck,
} from "~/models/checks.server";
import { ForbiddenError, NotFoundError, ValidationError } from "~/models/errors.server";
import { cadreWorklist } from "~/models/overview.server";
import { scopeOf } from "~/models/scope.server";
import type { CheckInput } from "~/schemas/check";
import { db } from "~/utils/db.server";
import { todayISO } from "~/utils/dates";
import { addDays, daysOverdue } from "~/utils/due";
import { assignCadre, createHousehold, createUser, createWorld, setSetting } from "../support/factories";

process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "tingyuan-checks-"));

const input = (over: Partial<CheckInput> = {}): CheckInput => ({
  visitedOn: "2026-11-20",
  livingStatus: "on_track",
  plantingStatus: "behind",
  plantingNote: "辣椒苗移栽晚了一周",
  raisingStatus: "on_track",
  problems: "鸡舍通风不良",
  measures: "联系合作社技术员上门",
  ...over,
});

async function rejection(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the model to refuse");
}

async function setup() {
  const d = await db();
  const world = await createWorld(d);
  const cadreUser = await createUser(d, world, "cadre");
  const household = await createHousehold(d, world);
  await assignCadre(d, world, household.id, cadreUser.id);
  return {
    d,
    world,
    household,
    cadre: scopeOf(cadreUser),
    official: scopeOf(await createUser(d, world, "official")),
    otherCadre: scopeOf(await createUser(d, world, "cadre")),
  };
}

const jpeg = () =>
  sharp({ create: { width: 800, height: 600, channels: 3, background: "#3a7" } })
    .jpeg()
    .toBuffer();

test("the cadre in charge records a check with photos; previews are made and served in scope only", async () => {
  const { d, household, cadre, otherCadre, official } = await setup();
  const photo = new Uint8Array(await jpeg());
  const check = await recordCheck({
    scope: cadre,
    householdId: household.id,
    input: input(),
    photos: [{ name: "院子.jpg", bytes: photo }],
    today: "2026-11-26",
  });
  const [stored] = await d.select().from(checkPhotos).where(eq(checkPhotos.checkId, check.id));
  expect(stored.mimeType).toBe("image/jpeg");
  const full = await getPhoto({ scope: cadre, photoId: stored.id, preview: false });
  // stored re-encoded (its metadata dropped), so the same picture but not the same bytes
  expect(full?.bytes.length).toBe(stored.sizeBytes);
  expect(await sharp(full!.bytes).metadata()).toMatchObject({ format: "jpeg", width: 800, height: 600 });
  const preview = await getPhoto({ scope: official, photoId: stored.id, preview: true });
  expect(preview?.mimeType).toBe("image/webp");
  expect((await sharp(preview!.bytes).metadata()).width).toBe(320);
  expect(await getPhoto({ scope: otherCadre, photoId: stored.id, preview: true })).toBeNull();
});

test("only the cadre in charge or an official records a check", async () => {
  const { world, household, official, otherCadre, d } = await setup();
  expect(
    await rejection(recordCheck({ scope: otherCadre, householdId: household.id, input: input(), today: "2026-11-26" })),
  ).toBeInstanceOf(NotFoundError);
  await recordCheck({ scope: official, householdId: household.id, input: input(), today: "2026-11-26" });
  const clerk = {
    role: "clerk" as const,
    userId: otherCadre.userId,
    countyId: world.county.id,
    cooperativeId: household.id,
  };
  expect(
    await rejection(recordCheck({ scope: clerk, householdId: household.id, input: input(), today: "2026-11-26" })),
  ).toBeInstanceOf(ForbiddenError);
  expect(await d.select().from(checks).where(eq(checks.householdId, household.id))).toHaveLength(1);
});

test("a file that is not an image is refused by its bytes, whatever its name, and nothing is written", async () => {
  const { d, household, cadre } = await setup();
  const error = (await rejection(
    recordCheck({
      scope: cadre,
      householdId: household.id,
      input: input(),
      photos: [{ name: "照片.jpg", bytes: new TextEncoder().encode("MZ this is an exe") }],
      today: "2026-11-26",
    }),
  )) as ValidationError;
  expect(error).toBeInstanceOf(ValidationError);
  expect(error.fieldErrors.photos[0]).toMatch(/^check\.error\.photoType\|.*照片\.jpg/);
  expect(await d.select().from(checks).where(eq(checks.householdId, household.id))).toHaveLength(0);
  const tooBig = new Uint8Array(8 * 1024 * 1024 + 1);
  tooBig.set([0xff, 0xd8, 0xff]);
  const big = (await rejection(
    recordCheck({
      scope: cadre,
      householdId: household.id,
      input: input(),
      photos: [{ name: "大.jpg", bytes: tooBig }],
      today: "2026-11-26",
    }),
  )) as ValidationError;
  expect(big.fieldErrors.photos[0]).toMatch(/^check\.error\.photoSize\|/);
});

test("dates: no visit in the future, no next due date before the visit", async () => {
  const { household, cadre } = await setup();
  const future = (await rejection(
    recordCheck({
      scope: cadre,
      householdId: household.id,
      input: input({ visitedOn: "2026-11-27" }),
      today: "2026-11-26",
    }),
  )) as ValidationError;
  expect(future.fieldErrors.visitedOn).toEqual(["check.error.visitInFuture"]);
  const backwards = (await rejection(
    recordCheck({
      scope: cadre,
      householdId: household.id,
      input: input({ nextDueOn: "2026-11-01" }),
      today: "2026-11-26",
    }),
  )) as ValidationError;
  expect(backwards.fieldErrors.nextDueOn).toEqual(["check.error.nextDueBeforeVisit"]);
});

test("the edit window is the one in effect on the day the check was written", async () => {
  const { world, household, cadre } = await setup();
  const t = world.townships[0].id;
  const first = await recordCheck({ scope: cadre, householdId: household.id, input: input(), today: "2026-11-26" });
  const written = todayISO(new Date(first.createdAt));
  // an hour's window from the day after: this check keeps the 24 hours it was written under
  await setSetting("check.editWindowHours", 1, t, addDays(written, 1));
  const twoHours = (createdAt: Date | string) => new Date(new Date(createdAt).getTime() + 2 * 3_600_000);
  await amendCheck({
    scope: cadre,
    checkId: first.id,
    input: input({ problems: "补记" }),
    now: twoHours(first.createdAt),
  });
  // from its own day the hour applies
  await setSetting("check.editWindowHours", 1, t, written);
  const second = await recordCheck({ scope: cadre, householdId: household.id, input: input(), today: "2026-11-26" });
  const closed = (await rejection(
    amendCheck({
      scope: cadre,
      checkId: second.id,
      input: input({ problems: "补记" }),
      now: twoHours(second.createdAt),
    }),
  )) as ValidationError;
  expect(closed.formErrors).toEqual(["check.error.editWindowClosed"]);
});

test("a check is amended only by its author inside the window; after it, only a correction that points to it", async () => {
  const { d, household, cadre, official } = await setup();
  const check = await recordCheck({ scope: cadre, householdId: household.id, input: input(), today: "2026-11-26" });
  const created = new Date(check.createdAt);
  await amendCheck({
    scope: cadre,
    checkId: check.id,
    input: input({ problems: "鸡舍通风不良，已联系" }),
    now: new Date(created.getTime() + 60_000),
  });
  expect(
    await rejection(
      amendCheck({ scope: official, checkId: check.id, input: input(), now: new Date(created.getTime() + 60_000) }),
    ),
  ).toBeInstanceOf(ForbiddenError);
  const late = (await rejection(
    amendCheck({
      scope: cadre,
      checkId: check.id,
      input: input({ problems: "改写" }),
      now: new Date(created.getTime() + 25 * 3_600_000),
    }),
  )) as ValidationError;
  expect(late.formErrors).toEqual(["check.error.editWindowClosed"]);

  const correction = await recordCheck({
    scope: cadre,
    householdId: household.id,
    input: input({ visitedOn: "2026-11-21", correctsCheckId: check.id, problems: "鸡舍通风不良（更正：已解决一半）" }),
    today: "2026-11-26",
  });
  expect(correction.correctsCheckId).toBe(check.id);
  const [original] = await d.select().from(checks).where(eq(checks.id, check.id));
  expect(original.problems).toBe("鸡舍通风不良，已联系");
});

test("a correction cannot point to another household's check", async () => {
  const { d, world, household, cadre } = await setup();
  const second = await createHousehold(d, world);
  await assignCadre(d, world, second.id, cadre.userId);
  const check = await recordCheck({ scope: cadre, householdId: household.id, input: input(), today: "2026-11-26" });
  const error = (await rejection(
    recordCheck({
      scope: cadre,
      householdId: second.id,
      input: input({ correctsCheckId: check.id }),
      today: "2026-11-26",
    }),
  )) as ValidationError;
  expect(error.formErrors).toEqual(["check.error.correctsUnknown"]);
});

test("checks list newest first, a page at a time", async () => {
  const { household, cadre } = await setup();
  for (let m = 1; m <= 12; m++) {
    await recordCheck({
      scope: cadre,
      householdId: household.id,
      input: input({ visitedOn: `2025-${String(m).padStart(2, "0")}-15` }),
      today: "2026-11-26",
    });
  }
  const first = await listChecks({ scope: cadre, householdId: household.id, page: 1, pageSize: 5 });
  expect(first.total).toBe(12);
  expect(first.pageCount).toBe(3);
  expect(first.rows.map((r) => r.visitedOn)).toEqual([
    "2025-12-15",
    "2025-11-15",
    "2025-10-15",
    "2025-09-15",
    "2025-08-15",
  ]);
  const last = await listChecks({ scope: cadre, householdId: household.id, page: 3, pageSize: 5 });
  expect(last.rows.map((r) => r.visitedOn)).toEqual(["2025-02-15", "2025-01-15"]);
});

test("the worklist ranks overdue first with the township's intervals, monitored households sooner, month ends right", async () => {
  const { d, world, cadre } = await setup();
  const today = "2026-03-05";
  const make = async (visitedOn: string | null, monitored = false, nextDueOn?: string) => {
    const h = await createHousehold(d, world);
    await assignCadre(d, world, h.id, cadre.userId);
    await d
      .update(households)
      .set({ povertyStatus: monitored ? "monitored" : "registered", registeredOn: "2025-01-01" })
      .where(eq(households.id, h.id));
    if (visitedOn) {
      await recordCheck({ scope: cadre, householdId: h.id, input: input({ visitedOn, nextDueOn }), today });
    }
    return h;
  };
  const janEnd = await make("2026-01-31"); // due 2026-03-02: 3 days overdue
  const monitored = await make("2026-02-10", true); // due 2026-02-25: 8 days overdue
  const promised = await make("2026-02-20", false, "2026-03-10"); // due in 5 days
  const fresh = await make("2026-03-01"); // due 2026-03-31
  const worklist = await cadreWorklist(cadre as Extract<typeof cadre, { role: "cadre" }>, 2026, today);
  const ids: string[] = [janEnd.id, monitored.id, promised.id, fresh.id];
  const mine = worklist.filter((r) => ids.includes(r.id));
  expect(mine.map((r) => [r.id, r.dueOn, r.daysOverdue])).toEqual([
    [monitored.id, "2026-02-25", 8],
    [janEnd.id, "2026-03-02", 3],
    [promised.id, "2026-03-10", -5],
    [fresh.id, "2026-03-31", -26],
  ]);
  // the SQL agrees with the pure rule
  for (const r of mine) {
    expect(
      daysOverdue(
        {
          lastVisit: r.lastVisit,
          nextDueOn: r.id === promised.id ? "2026-03-10" : null,
          registeredOn: "2025-01-01",
          assignedOn: "2026-01-01",
          monitored: r.id === monitored.id,
        },
        { "check.intervalDays": 30, "check.monitoredIntervalDays": 15 },
        today,
      ),
    ).toBe(r.daysOverdue);
  }
  // a township may set a longer interval: the January household is no longer overdue
  await setSetting("check.intervalDays", 40, world.townships[0].id);
  const relaxed = await cadreWorklist(cadre as Extract<typeof cadre, { role: "cadre" }>, 2026, today);
  expect(relaxed.find((r) => r.id === janEnd.id)?.dueOn).toBe("2026-03-12");
});

test("overdue per village and per cadre match a count by hand, and the list behind each number", async () => {
  const { d, world, cadre, official } = await setup();
  const other = scopeOf(await createUser(d, world, "cadre"));
  const today = "2026-11-26";
  const plan = [
    { village: 0, cadre, visit: "2026-09-01" }, // overdue
    { village: 0, cadre, visit: "2026-11-20" }, // fine
    { village: 1, cadre: other, visit: "2026-10-01" }, // overdue
    { village: 1, cadre: other, visit: "2026-11-01" }, // fine
  ];
  const made = [];
  for (const p of plan) {
    const h = await createHousehold(d, world, { villageIndex: p.village });
    await assignCadre(d, world, h.id, p.cadre.userId);
    await recordCheck({ scope: p.cadre, householdId: h.id, input: input({ visitedOn: p.visit }), today });
    made.push({
      ...p,
      id: h.id,
      overdue:
        daysOverdue(
          {
            lastVisit: p.visit,
            nextDueOn: null,
            registeredOn: "2026-01-01",
            assignedOn: "2026-01-01",
            monitored: false,
          },
          { "check.intervalDays": 30, "check.monitoredIntervalDays": 15 },
          today,
        ) > 0,
    });
  }
  const officialScope = official as Extract<typeof official, { role: "official" }>;
  const summary = await overdueSummary({ scope: officialScope, today });
  for (const v of [0, 1]) {
    const expected = made.filter((m) => m.village === v && m.overdue).length;
    // the setup household (never visited, registered now) is in village 0 and not yet due
    expect(summary.byRegion.find((r) => r.id === world.villages[v].id)?.overdue).toBe(expected);
  }
  expect(summary.byCadre.find((r) => r.id === other.userId)?.overdue).toBe(
    made.filter((m) => m.cadre === other && m.overdue).length,
  );
  const list = await overdueHouseholds({ scope: officialScope, today, cadreId: other.userId });
  expect(list.map((r) => r.id).sort()).toEqual(
    made
      .filter((m) => m.cadre === other && m.overdue)
      .map((m) => m.id)
      .sort(),
  );
  expect(list.every((r) => r.daysOverdue > 0)).toBe(true);
});

test("the admin's overdue summary is per township, its numbers open the township's list, and cadres come most overdue first", async () => {
  const { d, world, cadre } = await setup();
  const admin = scopeOf(await createUser(d, world, "admin")) as Extract<ReturnType<typeof scopeOf>, { role: "admin" }>;
  const other = scopeOf(await createUser(d, world, "cadre", { townshipIndex: 1 }));
  const today = "2026-11-26";
  const plan = [
    { village: 0, cadre, visit: "2026-09-01" }, // overdue, township 0
    { village: 2, cadre: other, visit: "2026-09-01" }, // overdue, township 1
    { village: 3, cadre: other, visit: "2026-10-01" }, // overdue, township 1
    { village: 3, cadre: other, visit: "2026-11-20" }, // fine
  ];
  for (const p of plan) {
    const h = await createHousehold(d, world, { villageIndex: p.village });
    await assignCadre(d, world, h.id, p.cadre.userId);
    await recordCheck({ scope: p.cadre, householdId: h.id, input: input({ visitedOn: p.visit }), today });
  }
  const summary = await overdueSummary({ scope: admin, today });
  expect(summary.regionLevel).toBe("township");
  // the setup household (never visited, registered now) is in township 0 and not yet due
  expect(summary.byRegion.map((r) => [r.id, r.households, r.overdue])).toEqual([
    [world.townships[0].id, 2, 1],
    [world.townships[1].id, 3, 2],
  ]);
  expect(summary.totals).toEqual({ households: 5, overdue: 3, cadres: 2 });
  expect(summary.byCadre.map((c) => [c.id, c.overdue])).toEqual([
    [other.userId, 2],
    [cadre.userId, 1],
  ]);
  const inTownship = await overdueHouseholds({ scope: admin, today, townshipId: world.townships[1].id });
  expect(inTownship).toHaveLength(2);
  expect(inTownship.every((r) => r.cadre === summary.byCadre[0].name)).toBe(true);
});
