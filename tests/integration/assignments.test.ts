// Pairing (结对帮扶): one cadre in charge of a household at a time, the assignment history (from, to, by
// whom), bulk assignment by village and by a checked list, hand-over and leave, the official-only rule and
// the township scope, and the workload numbers — held by the model layer on PGlite and PostgreSQL.
import { and, eq, inArray, isNull } from "drizzle-orm";
import { expect, test } from "vitest";
import { auditLog, cadreAssignments, checks, households, users } from "../../db/schema";
import {
  assignCadre,
  assignmentHistory,
  assignVillage,
  cadreWorkload,
  endAssignment,
  transferHouseholds,
} from "~/models/assignments.server";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "~/models/errors.server";
import { scopeOf, type Scope } from "~/models/scope.server";
import { settingsFor } from "~/models/settings.server";
import { HouseholdAssignFormSchema, HouseholdEndFormSchema } from "~/schemas/pairing";
import { dueOn } from "~/utils/due";
import { db } from "~/utils/db.server";
import { parseForm } from "~/utils/zod-messages";
import {
  assignCadre as seedAssignment,
  createCheck,
  createCooperative,
  createHousehold,
  createUser,
  createWorld,
  setSetting,
} from "../support/factories";

const TODAY = "2026-11-01";

async function setup() {
  const d = await db();
  const world = await createWorld(d);
  const officialUser = await createUser(d, world, "official");
  const a = await createUser(d, world, "cadre");
  const b = await createUser(d, world, "cadre");
  return { d, world, officialUser, official: scopeOf(officialUser), a, b };
}

async function rejection(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the model to refuse");
}

async function openAssignments(householdId: string) {
  const d = await db();
  return d
    .select()
    .from(cadreAssignments)
    .where(and(eq(cadreAssignments.householdId, householdId), isNull(cadreAssignments.endsOn)));
}

async function allAssignments(householdId: string) {
  const d = await db();
  return d.select().from(cadreAssignments).where(eq(cadreAssignments.householdId, householdId));
}

test("assigning a second cadre ends the first; the history keeps both, with who and when", async () => {
  const { d, world, official, officialUser, a, b } = await setup();
  const h = await createHousehold(d, world);

  expect(
    await assignCadre({ scope: official, householdIds: [h.id], cadreId: a.id, startsOn: "2026-03-01", today: TODAY }),
  ).toEqual({
    assigned: 1,
    unchanged: 0,
    skipped: 0,
  });
  expect(
    await assignCadre({ scope: official, householdIds: [h.id], cadreId: b.id, startsOn: "2026-06-01", today: TODAY }),
  ).toMatchObject({
    assigned: 1,
  });

  const open = await openAssignments(h.id);
  expect(open).toHaveLength(1);
  expect(open[0]).toMatchObject({ cadreId: b.id, startsOn: "2026-06-01", assignedBy: officialUser.id });

  const history = await assignmentHistory({ scope: official, householdId: h.id });
  expect(history!.current).toMatchObject({ cadreId: b.id, cadreName: b.displayName });
  expect(
    history!.rows.map((r) => [r.cadreName, r.startsOn, r.endsOn, r.assignedByName, r.endedByName, r.endReason]),
  ).toEqual([
    [b.displayName, "2026-06-01", null, officialUser.displayName, null, null],
    [a.displayName, "2026-03-01", "2026-05-31", officialUser.displayName, officialUser.displayName, "改派"],
  ]);

  const audit = await d
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.householdId, h.id), eq(auditLog.entity, "assignment")))
    .orderBy(auditLog.id);
  expect(audit.map((r) => [r.action, r.userId])).toEqual([
    ["assignment.assign", officialUser.id],
    ["assignment.assign", officialUser.id],
  ]);
  expect(audit[0].before).toEqual({ cadreId: null, cadreName: null });
  expect(audit[0].after).toMatchObject({ cadreId: a.id, cadreName: a.displayName });
  expect(audit[1].before).toMatchObject({ cadreId: a.id, cadreName: a.displayName, endsOn: "2026-05-31" });
  expect(audit[1].after).toMatchObject({ cadreId: b.id, cadreName: b.displayName, startsOn: "2026-06-01" });

  // the same cadre again: nothing changes, nothing is written
  expect(
    await assignCadre({ scope: official, householdIds: [h.id], cadreId: b.id, startsOn: "2026-07-01", today: TODAY }),
  ).toEqual({
    assigned: 0,
    unchanged: 1,
    skipped: 0,
  });
  expect(await allAssignments(h.id)).toHaveLength(2);
  expect(await d.select().from(auditLog).where(eq(auditLog.householdId, h.id))).toHaveLength(2);
});

test("a hand-over on the day the current pairing started ends it that same day", async () => {
  const { d, world, official, a, b } = await setup();
  const h = await createHousehold(d, world);
  await assignCadre({ scope: official, householdIds: [h.id], cadreId: a.id, startsOn: "2026-06-01", today: TODAY });
  await assignCadre({
    scope: official,
    householdIds: [h.id],
    cadreId: b.id,
    startsOn: "2026-06-01",
    reason: "工作调动",
    today: TODAY,
  });
  const rows = await allAssignments(h.id);
  const first = rows.find((r) => r.cadreId === a.id)!;
  expect(first).toMatchObject({ startsOn: "2026-06-01", endsOn: "2026-06-01", endReason: "工作调动" });
  expect(rows.filter((r) => r.endsOn === null).map((r) => r.cadreId)).toEqual([b.id]);
});

test("dates: not before the household's last pairing, not in the future, a real date", async () => {
  const { d, world, official, a, b } = await setup();
  const h = await createHousehold(d, world);
  await assignCadre({ scope: official, householdIds: [h.id], cadreId: a.id, startsOn: "2026-06-01", today: TODAY });

  const early = await rejection(
    assignCadre({ scope: official, householdIds: [h.id], cadreId: b.id, startsOn: "2026-05-01", today: TODAY }),
  );
  expect((early as ValidationError).fieldErrors.startsOn).toEqual([
    'pairing.error.startsBeforeHistory|{"date":"2026-06-01"}',
  ]);

  // after a leave, a new pairing may not reach back into the ended one
  await endAssignment({ scope: official, householdId: h.id, endsOn: "2026-08-31", reason: "离岗", today: TODAY });
  const overlap = await rejection(
    assignCadre({ scope: official, householdIds: [h.id], cadreId: b.id, startsOn: "2026-08-01", today: TODAY }),
  );
  expect((overlap as ValidationError).fieldErrors.startsOn[0]).toMatch(
    /^pairing\.error\.startsBeforeHistory\|.*2026-08-31/,
  );

  const future = await rejection(
    assignCadre({ scope: official, householdIds: [h.id], cadreId: b.id, startsOn: "2026-11-02", today: TODAY }),
  );
  expect((future as ValidationError).fieldErrors.startsOn).toEqual(["pairing.error.future"]);
  const bogus = await rejection(
    assignCadre({ scope: official, householdIds: [h.id], cadreId: b.id, startsOn: "2026-02-30", today: TODAY }),
  );
  expect((bogus as ValidationError).fieldErrors.startsOn).toEqual(["field.date"]);
  expect(await allAssignments(h.id)).toHaveLength(1);
});

test("two officials assigning the same household to two cadres at once: exactly one is in charge", async () => {
  const { d, world, official, a, b } = await setup();
  const second = scopeOf(await createUser(d, world, "official"));
  const h = await createHousehold(d, world);

  // both saw the household without a cadre: the second to commit is refused, not overwriting the first
  const results = await Promise.allSettled([
    assignCadre({
      scope: official,
      householdIds: [h.id],
      cadreId: a.id,
      startsOn: "2026-10-01",
      expected: { [h.id]: null },
      today: TODAY,
    }),
    assignCadre({
      scope: second,
      householdIds: [h.id],
      cadreId: b.id,
      startsOn: "2026-10-01",
      expected: { [h.id]: null },
      today: TODAY,
    }),
  ]);
  expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
  expect(refused).toHaveLength(1);
  expect(refused[0].reason).toBeInstanceOf(ConflictError);
  const open = await openAssignments(h.id);
  expect(open).toHaveLength(1);
  expect(await allAssignments(h.id)).toHaveLength(1);
  const winner = results[0].status === "fulfilled" ? a.id : b.id;
  expect(open[0].cadreId).toBe(winner);
  expect(await d.select().from(auditLog).where(eq(auditLog.householdId, h.id))).toHaveLength(1);
});

test("without an expectation the changes queue on the household lock: one in charge, the history a sequence", async () => {
  const { d, world, official, a, b } = await setup();
  const second = scopeOf(await createUser(d, world, "official"));
  const hs = await Promise.all([1, 2, 3, 4, 5].map(() => createHousehold(d, world)));
  const ids = hs.map((h) => h.id);
  // opposite orders in the two requests: locking in id order means no deadlock
  const results = await Promise.allSettled([
    assignCadre({ scope: official, householdIds: ids, cadreId: a.id, startsOn: "2026-10-01", today: TODAY }),
    assignCadre({
      scope: second,
      householdIds: [...ids].reverse(),
      cadreId: b.id,
      startsOn: "2026-10-01",
      today: TODAY,
    }),
  ]);
  for (const r of results) if (r.status === "rejected") expect(r.reason).toBeInstanceOf(ConflictError);
  expect(results.filter((r) => r.status === "fulfilled").length).toBeGreaterThanOrEqual(1);
  const rows = await d.select().from(cadreAssignments).where(inArray(cadreAssignments.householdId, ids));
  for (const id of ids) {
    const mine = rows.filter((r) => r.householdId === id);
    expect(mine.filter((r) => r.endsOn === null)).toHaveLength(1);
    // every ended pairing was ended by someone, with a reason
    for (const r of mine.filter((r) => r.endsOn !== null)) {
      expect(r.endedBy).not.toBeNull();
      expect(r.endReason).toBe("改派");
    }
  }
  // all five went the same way: the later request found the earlier one's cadre and replaced it
  const current = new Set(rows.filter((r) => r.endsOn === null).map((r) => r.cadreId));
  expect(current.size).toBe(1);
});

test("assign by village: only the unassigned, then all; other villages untouched", async () => {
  const { d, world, official, a, b } = await setup();
  const [h1, h2, h3, h4] = await Promise.all([0, 0, 0, 0].map((v) => createHousehold(d, world, { villageIndex: v })));
  const elsewhere = await createHousehold(d, world, { villageIndex: 1 });
  await seedAssignment(d, world, h1.id, a.id, "2026-01-01");
  await seedAssignment(d, world, h2.id, b.id, "2026-01-01");

  const first = await assignVillage({
    scope: official,
    villageId: world.villages[0].id,
    cadreId: a.id,
    startsOn: "2026-09-01",
    onlyUnassigned: true,
    today: TODAY,
  });
  expect(first).toEqual({ assigned: 2, unchanged: 1, skipped: 1 });
  expect((await openAssignments(h2.id))[0].cadreId).toBe(b.id);
  expect((await openAssignments(h3.id))[0].cadreId).toBe(a.id);
  expect((await openAssignments(h4.id))[0].cadreId).toBe(a.id);

  const second = await assignVillage({
    scope: official,
    villageId: world.villages[0].id,
    cadreId: b.id,
    startsOn: "2026-10-01",
    onlyUnassigned: false,
    today: TODAY,
  });
  expect(second).toEqual({ assigned: 3, unchanged: 1, skipped: 0 });
  for (const h of [h1, h2, h3, h4]) expect((await openAssignments(h.id)).map((r) => r.cadreId)).toEqual([b.id]);
  expect(await allAssignments(elsewhere.id)).toHaveLength(0);
  expect(await d.select().from(auditLog).where(eq(auditLog.householdId, h3.id))).toHaveLength(2);

  // a village of another township is not the official's
  expect(
    await rejection(
      assignVillage({
        scope: official,
        villageId: world.villages[2].id,
        cadreId: a.id,
        startsOn: "2026-10-01",
        onlyUnassigned: true,
        today: TODAY,
      }),
    ),
  ).toBeInstanceOf(NotFoundError);
});

test("a checked list whose state changed meanwhile is refused as a whole", async () => {
  const { d, world, official, a, b } = await setup();
  const h1 = await createHousehold(d, world);
  const h2 = await createHousehold(d, world);
  await seedAssignment(d, world, h2.id, b.id, "2026-01-01");
  // the official saw both without a cadre; h2 got one since
  const error = await rejection(
    assignCadre({
      scope: official,
      householdIds: [h1.id, h2.id],
      cadreId: a.id,
      startsOn: "2026-10-01",
      expected: { [h1.id]: null, [h2.id]: null },
      today: TODAY,
    }),
  );
  expect(error).toBeInstanceOf(ConflictError);
  expect(await allAssignments(h1.id)).toHaveLength(0);
  expect((await openAssignments(h2.id))[0].cadreId).toBe(b.id);
  // with what is there now, it goes through
  expect(
    await assignCadre({
      scope: official,
      householdIds: [h1.id, h2.id],
      cadreId: a.id,
      startsOn: "2026-10-01",
      expected: { [h1.id]: null, [h2.id]: b.id },
      today: TODAY,
    }),
  ).toEqual({ assigned: 2, unchanged: 0, skipped: 0 });
});

test("transfer: all of a cadre's households go to another, with the history and audit of a hand-over", async () => {
  const { d, world, official, officialUser, a, b } = await setup();
  const hs = await Promise.all([0, 0, 1].map((v) => createHousehold(d, world, { villageIndex: v })));
  const bs = await createHousehold(d, world);
  for (const h of hs) await seedAssignment(d, world, h.id, a.id, "2026-02-01");
  await seedAssignment(d, world, bs.id, b.id, "2026-02-01");

  // a household that is not the from-cadre's: the request is refused, nothing moves
  expect(
    await rejection(
      transferHouseholds({
        scope: official,
        fromCadreId: a.id,
        toCadreId: b.id,
        startsOn: "2026-10-01",
        householdIds: [hs[0].id, bs.id],
        today: TODAY,
      }),
    ),
  ).toBeInstanceOf(ConflictError);
  expect((await openAssignments(hs[0].id))[0].cadreId).toBe(a.id);

  const sameCadre = await rejection(
    transferHouseholds({ scope: official, fromCadreId: a.id, toCadreId: a.id, startsOn: "2026-10-01", today: TODAY }),
  );
  expect((sameCadre as ValidationError).fieldErrors.toCadreId).toEqual(["pairing.error.sameCadre"]);

  expect(
    await transferHouseholds({
      scope: official,
      fromCadreId: a.id,
      toCadreId: b.id,
      startsOn: "2026-10-01",
      today: TODAY,
    }),
  ).toEqual({
    assigned: 3,
    unchanged: 0,
    skipped: 0,
  });
  const open = await d
    .select({ cadreId: cadreAssignments.cadreId })
    .from(cadreAssignments)
    .where(
      and(
        inArray(
          cadreAssignments.householdId,
          [...hs, bs].map((h) => h.id),
        ),
        isNull(cadreAssignments.endsOn),
      ),
    );
  expect(open.map((r) => r.cadreId)).toEqual([b.id, b.id, b.id, b.id]);
  const history = await assignmentHistory({ scope: official, householdId: hs[2].id });
  expect(history!.rows[1]).toMatchObject({
    cadreId: a.id,
    endsOn: "2026-09-30",
    endedByName: officialUser.displayName,
    endReason: "移交",
  });
  const [audit] = await d.select().from(auditLog).where(eq(auditLog.householdId, hs[2].id));
  expect(audit).toMatchObject({ action: "assignment.transfer", entity: "assignment" });

  // a cadre who has left (inactive) can still hand over; an inactive cadre cannot receive
  await d.update(users).set({ active: false }).where(eq(users.id, b.id));
  const c = await createUser(d, world, "cadre");
  expect(
    await transferHouseholds({
      scope: official,
      fromCadreId: b.id,
      toCadreId: c.id,
      startsOn: "2026-10-15",
      householdIds: [bs.id],
      today: TODAY,
    }),
  ).toMatchObject({
    assigned: 1,
  });
  const toInactive = await rejection(
    transferHouseholds({ scope: official, fromCadreId: c.id, toCadreId: b.id, startsOn: "2026-10-20", today: TODAY }),
  );
  expect((toInactive as ValidationError).fieldErrors.toCadreId).toEqual(["pairing.error.cadreInactive"]);
});

test("the household page's forms and the model refuse a bad day or reason with the same message", async () => {
  const { d, world, official, a, b } = await setup();
  const h = await createHousehold(d, world);
  await assignCadre({ scope: official, householdIds: [h.id], cadreId: a.id, startsOn: "2026-04-01", today: TODAY });
  const formErrors = (
    schema: typeof HouseholdAssignFormSchema | typeof HouseholdEndFormSchema,
    fields: Record<string, string>,
  ) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.set(k, v);
    const submission = parseForm(form, { schema });
    if (submission.status !== "error") throw new Error(`the form took ${JSON.stringify(fields)}`);
    return submission.error;
  };
  const long = "调".repeat(201);
  for (const spoil of [{ endsOn: "2026-02-30" }, { reason: " 好 " }, { reason: long }]) {
    const input = { endsOn: "2026-09-30", reason: "离岗", ...spoil };
    const model = (await rejection(
      endAssignment({ scope: official, householdId: h.id, ...input, today: TODAY }),
    )) as ValidationError;
    expect(model.fieldErrors, JSON.stringify(spoil)).toEqual(
      formErrors(HouseholdEndFormSchema, { intent: "end", expectedCadreId: a.id, ...input }),
    );
  }
  for (const spoil of [{ startsOn: "2026-02-30" }, { reason: long }]) {
    const input = { startsOn: "2026-09-30", reason: "调整", ...spoil };
    const model = (await rejection(
      assignCadre({ scope: official, householdIds: [h.id], cadreId: b.id, ...input, today: TODAY }),
    )) as ValidationError;
    expect(model.fieldErrors, JSON.stringify(spoil)).toEqual(
      formErrors(HouseholdAssignFormSchema, { intent: "assign", cadreId: b.id, expectedCadreId: a.id, ...input }),
    );
  }
  expect(
    formErrors(HouseholdEndFormSchema, { intent: "end", expectedCadreId: a.id, endsOn: "2026-09-30", reason: long }),
  ).toEqual({
    reason: ['field.reasonTooLong|{"max":200}'],
  });
});

test("leave: the pairing ends, the household has no cadre until reassigned, and the cadre no longer sees it", async () => {
  const { d, world, official, officialUser, a, b } = await setup();
  const h = await createHousehold(d, world);
  await assignCadre({ scope: official, householdIds: [h.id], cadreId: a.id, startsOn: "2026-04-01", today: TODAY });
  const cadreScope = scopeOf(a);
  expect(await assignmentHistory({ scope: cadreScope, householdId: h.id })).not.toBeNull();

  const noReason = await rejection(
    endAssignment({ scope: official, householdId: h.id, endsOn: "2026-09-30", reason: " ", today: TODAY }),
  );
  expect((noReason as ValidationError).fieldErrors.reason).toEqual(["field.reasonRequired"]);
  const tooEarly = await rejection(
    endAssignment({ scope: official, householdId: h.id, endsOn: "2026-03-31", reason: "离岗", today: TODAY }),
  );
  expect((tooEarly as ValidationError).fieldErrors.endsOn).toEqual([
    'pairing.error.endsBeforeStart|{"date":"2026-04-01"}',
  ]);
  const stale = await rejection(
    endAssignment({
      scope: official,
      householdId: h.id,
      endsOn: "2026-09-30",
      reason: "离岗",
      expectedCadreId: b.id,
      today: TODAY,
    }),
  );
  expect(stale).toBeInstanceOf(ConflictError);

  await endAssignment({
    scope: official,
    householdId: h.id,
    endsOn: "2026-09-30",
    reason: "干部离岗",
    expectedCadreId: a.id,
    today: TODAY,
  });
  expect(await openAssignments(h.id)).toHaveLength(0);
  const history = await assignmentHistory({ scope: official, householdId: h.id });
  expect(history!.current).toBeNull();
  expect(history!.rows[0]).toMatchObject({
    cadreId: a.id,
    endsOn: "2026-09-30",
    endedByName: officialUser.displayName,
    endReason: "干部离岗",
  });
  const [audit] = await d
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.householdId, h.id), eq(auditLog.action, "assignment.end")));
  expect(audit.before).toMatchObject({ cadreId: a.id, cadreName: a.displayName });
  expect(audit.after).toMatchObject({ cadreId: null, cadreName: null, endsOn: "2026-09-30", reason: "干部离岗" });
  // out of the cadre's scope now
  expect(await assignmentHistory({ scope: cadreScope, householdId: h.id })).toBeNull();
  const workload = await cadreWorkload({ scope: official, today: TODAY });
  expect(workload.noCadre).toBe(1);

  const again = await rejection(
    endAssignment({ scope: official, householdId: h.id, endsOn: "2026-10-01", reason: "离岗", today: TODAY }),
  );
  expect((again as ValidationError).formErrors).toEqual(["pairing.error.noCurrent"]);
  // reassigned later: the history goes on
  await assignCadre({
    scope: official,
    householdIds: [h.id],
    cadreId: b.id,
    startsOn: "2026-10-08",
    expected: { [h.id]: null },
    today: TODAY,
  });
  expect((await assignmentHistory({ scope: official, householdId: h.id }))!.rows.map((r) => r.cadreId)).toEqual([
    b.id,
    a.id,
  ]);
});

test("scope: another township's official gets not found, a cadre or clerk is forbidden, a foreign cadre cannot be assigned", async () => {
  const { d, world, official, a } = await setup();
  const h = await createHousehold(d, world);
  await seedAssignment(d, world, h.id, a.id, "2026-01-01");
  const farOfficial = scopeOf(await createUser(d, world, "official", { townshipIndex: 1 }));
  const farCadre = await createUser(d, world, "cadre", { townshipIndex: 1 });

  expect(
    await rejection(
      assignCadre({
        scope: farOfficial,
        householdIds: [h.id],
        cadreId: farCadre.id,
        startsOn: "2026-10-01",
        today: TODAY,
      }),
    ),
  ).toBeInstanceOf(NotFoundError);
  expect(
    await rejection(
      endAssignment({ scope: farOfficial, householdId: h.id, endsOn: "2026-10-01", reason: "离岗", today: TODAY }),
    ),
  ).toBeInstanceOf(NotFoundError);
  expect(
    await rejection(
      transferHouseholds({
        scope: farOfficial,
        fromCadreId: a.id,
        toCadreId: farCadre.id,
        startsOn: "2026-10-01",
        today: TODAY,
      }),
    ),
  ).toBeInstanceOf(ValidationError); // a is not a cadre of their township
  expect(await assignmentHistory({ scope: farOfficial, householdId: h.id })).toBeNull();

  const cooperative = await createCooperative(d, world);
  const clerk = scopeOf(await createUser(d, world, "clerk", { cooperativeId: cooperative.id }));
  const admin = scopeOf(await createUser(d, world, "admin"));
  for (const scope of [scopeOf(a), clerk, admin] as Scope[]) {
    expect(
      await rejection(
        assignCadre({ scope, householdIds: [h.id], cadreId: a.id, startsOn: "2026-10-01", today: TODAY }),
      ),
    ).toBeInstanceOf(ForbiddenError);
    expect(
      await rejection(
        assignVillage({
          scope,
          villageId: world.villages[0].id,
          cadreId: a.id,
          startsOn: "2026-10-01",
          onlyUnassigned: true,
          today: TODAY,
        }),
      ),
    ).toBeInstanceOf(ForbiddenError);
    expect(
      await rejection(
        transferHouseholds({ scope, fromCadreId: a.id, toCadreId: a.id, startsOn: "2026-10-01", today: TODAY }),
      ),
    ).toBeInstanceOf(ForbiddenError);
    expect(
      await rejection(endAssignment({ scope, householdId: h.id, endsOn: "2026-10-01", reason: "离岗", today: TODAY })),
    ).toBeInstanceOf(ForbiddenError);
    expect(await rejection(cadreWorkload({ scope, today: TODAY }))).toBeInstanceOf(ForbiddenError);
  }

  // the official's own township, but a cadre of another one, or someone who is not a cadre
  for (const target of [farCadre.id, (await createUser(d, world, "official")).id, "not-a-uuid"]) {
    const error = await rejection(
      assignCadre({ scope: official, householdIds: [h.id], cadreId: target, startsOn: "2026-10-01", today: TODAY }),
    );
    expect((error as ValidationError).fieldErrors.cadreId).toEqual(["pairing.error.cadreNotInTownship"]);
  }
  // a household id that does not exist, or is not an id at all
  for (const id of [crypto.randomUUID(), "nope"]) {
    expect(
      await rejection(
        assignCadre({ scope: official, householdIds: [id], cadreId: a.id, startsOn: "2026-10-01", today: TODAY }),
      ),
    ).toBeInstanceOf(NotFoundError);
  }
  expect((await openAssignments(h.id)).map((r) => r.cadreId)).toEqual([a.id]);
});

test("workload: households in charge, overdue checks and households without a cadre match a brute-force count", async () => {
  const { d, world, official, a, b } = await setup();
  const c = await createUser(d, world, "cadre");
  const gone = await createUser(d, world, "cadre");
  const idle = await createUser(d, world, "cadre");
  const hs = await Promise.all(
    Array.from({ length: 14 }, (_, i) => createHousehold(d, world, { villageIndex: i % 2 })),
  );
  // registered on different days, some monitored (the shorter interval)
  for (const [i, h] of hs.entries()) {
    await d
      .update(households)
      .set({
        registeredOn: i % 3 === 0 ? "2026-10-20" : "2025-12-01",
        povertyStatus: i % 4 === 0 ? "monitored" : "registered",
      })
      .where(eq(households.id, h.id));
  }
  const holders = [a, a, a, a, a, b, b, b, c, gone, gone, null, null, null];
  for (const [i, h] of hs.entries()) if (holders[i]) await seedAssignment(d, world, h.id, holders[i]!.id, "2026-01-01");
  // an ended pairing does not count
  const ended = await seedAssignment(d, world, hs[11].id, a.id, "2025-01-01");
  await d.update(cadreAssignments).set({ endsOn: "2025-12-31" }).where(eq(cadreAssignments.id, ended.id));
  // checks: recent, long ago, with a next due date in the past or the future
  await createCheck(d, world, hs[0].id, a.id, "2026-10-25");
  await createCheck(d, world, hs[1].id, a.id, "2026-08-01");
  const [late] = await d
    .insert(checks)
    .values({ ...(await checkRow(world, hs[2].id, a.id, "2026-10-20")), nextDueOn: "2026-10-25" })
    .returning();
  await d.insert(checks).values({ ...(await checkRow(world, hs[5].id, b.id, "2026-10-01")), nextDueOn: "2026-12-01" });
  await createCheck(d, world, hs[6].id, b.id, "2026-10-10");
  await createCheck(d, world, hs[6].id, b.id, "2026-07-10");
  expect(late).toBeDefined();
  await d.update(users).set({ active: false }).where(eq(users.id, gone.id));
  // a household of the other township never counts
  const far = await createHousehold(d, world, { villageIndex: 2 });
  await seedAssignment(d, world, far.id, a.id, "2026-01-01");

  const workload = await cadreWorkload({ scope: official, today: TODAY });

  // brute force: every household of the township, its open pairing, its newest check, the due rule
  const settings = await settingsFor(world.townships[0].id);
  const houses = await d.select().from(households).where(eq(households.townshipId, world.townships[0].id));
  const open = await d.select().from(cadreAssignments).where(isNull(cadreAssignments.endsOn));
  const allChecks = await d.select().from(checks);
  const cadreOf = new Map(open.map((r) => [r.householdId, r.cadreId]));
  const expected = new Map<string, { households: number; overdue: number }>();
  for (const h of houses) {
    const cadreId = cadreOf.get(h.id);
    if (!cadreId) continue;
    const last = allChecks
      .filter((k) => k.householdId === h.id)
      .sort((x, y) => (x.visitedOn < y.visitedOn ? 1 : x.visitedOn > y.visitedOn ? -1 : 0))[0];
    const due = dueOn(
      {
        lastVisit: last?.visitedOn ?? null,
        nextDueOn: last?.nextDueOn ?? null,
        registeredOn: h.registeredOn ?? h.createdAt.toISOString().slice(0, 10),
        assignedOn: open.find((a) => a.householdId === h.id)!.startsOn,
        monitored: h.povertyStatus === "monitored",
      },
      settings,
    );
    const e = expected.get(cadreId) ?? { households: 0, overdue: 0 };
    e.households += 1;
    if (due < TODAY) e.overdue += 1;
    expected.set(cadreId, e);
  }
  const got = new Map(workload.cadres.map((r) => [r.id, { households: r.households, overdue: r.overdue }]));
  for (const cadre of [a, b, c, gone]) expect(got.get(cadre.id)).toEqual(expected.get(cadre.id));
  expect(got.get(idle.id)).toEqual({ households: 0, overdue: 0 });
  expect(workload.cadres.find((r) => r.id === gone.id)!.active).toBe(false);
  expect(workload.cadres.map((r) => r.id).sort()).toEqual([a.id, b.id, c.id, gone.id, idle.id].sort());
  expect(workload.households).toBe(14);
  expect(workload.noCadre).toBe(houses.filter((h) => !cadreOf.has(h.id)).length);
  expect(workload.noCadre).toBe(3);
  // the numbers the brute force found are not all zero
  expect(expected.get(a.id)).toEqual({ households: 5, overdue: expect.any(Number) });
  expect(expected.get(a.id)!.overdue).toBeGreaterThan(0);
  expect(workload.maxHouseholds).toBe(30);
  expect(workload.overLimit).toBe(0);
});

test("the over-limit flag follows the township's cadre.maxHouseholds setting", async () => {
  const { d, world, official, a, b } = await setup();
  const hs = await Promise.all([1, 2, 3, 4, 5].map(() => createHousehold(d, world)));
  await assignCadre({
    scope: official,
    householdIds: hs.slice(0, 3).map((h) => h.id),
    cadreId: a.id,
    startsOn: "2026-10-01",
    today: TODAY,
  });
  await assignCadre({
    scope: official,
    householdIds: hs.slice(3).map((h) => h.id),
    cadreId: b.id,
    startsOn: "2026-10-01",
    today: TODAY,
  });

  await setSetting("cadre.maxHouseholds", 2, world.townships[0].id);
  const workload = await cadreWorkload({ scope: official, today: TODAY });
  expect(workload.maxHouseholds).toBe(2);
  const flag = Object.fromEntries(workload.cadres.map((r) => [r.id, [r.households, r.overLimit]]));
  expect(flag[a.id]).toEqual([3, true]);
  expect(flag[b.id]).toEqual([2, false]);
  expect(workload.overLimit).toBe(1);

  // another township keeps the county-wide default
  const farOfficial = scopeOf(await createUser(d, world, "official", { townshipIndex: 1 }));
  expect((await cadreWorkload({ scope: farOfficial, today: TODAY })).maxHouseholds).toBe(30);
});

async function checkRow(
  world: Awaited<ReturnType<typeof createWorld>>,
  householdId: string,
  cadreId: string,
  visitedOn: string,
) {
  return {
    countyId: world.county.id,
    householdId,
    cadreId,
    visitedOn,
    livingStatus: "on_track" as const,
    plantingStatus: "on_track" as const,
    raisingStatus: "on_track" as const,
  };
}
