// Registering households and members: ID rules, one person one household, conflicts, audit rows.
import { parseWithZod } from "@conform-to/zod/v4";
import { and, eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { auditLog, cadreAssignments, members } from "../../db/schema";
import { ConflictError, NotFoundError, ValidationError } from "~/models/errors.server";
import { createHousehold, getHousehold, updateHousehold } from "~/models/households.server";
import { addMember, getMemberForEdit, revealIdNumber, updateMember } from "~/models/members.server";
import { scopeOf } from "~/models/scope.server";
import { NewHouseholdSchema, MemberSchema, type NewHousehold } from "~/schemas/household";
import { db } from "~/utils/db.server";
import { makeIdNumber } from "~/utils/id-number";
import { en } from "~/i18n/en";
import { zhCN } from "~/i18n/zh-CN";
import { createHousehold as householdFactory, createUser, createWorld, newIdNumber } from "../support/factories";

async function rejection(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the model to refuse");
}

function form(fields: Record<string, string>) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  return fd;
}

function newHousehold(villageId: string, over: Partial<NewHousehold> = {}): NewHousehold {
  const headId = newIdNumber("male", "1968-02-29");
  const wifeId = newIdNumber("female", "1970-09-09");
  return {
    villageId,
    povertyStatus: "registered",
    povertyCause: "lack_funds",
    courtyardArea: 650,
    members: [
      {
        name: "王福",
        idNumber: headId,
        birthDate: `${headId.slice(6, 10)}-${headId.slice(10, 12)}-${headId.slice(12, 14)}`,
        relation: "head",
        sex: "male",
        health: "healthy",
        labourAbility: "full",
      },
      {
        name: "刘英",
        idNumber: wifeId,
        birthDate: `${wifeId.slice(6, 10)}-${wifeId.slice(10, 12)}-${wifeId.slice(12, 14)}`,
        relation: "spouse",
        sex: "female",
        health: "chronic",
        labourAbility: "partial",
      },
    ],
    ...over,
  };
}

test("the form refuses a bad checksum, an impossible birth date and a sex that contradicts the number, by field", () => {
  const good = makeIdNumber("230828", "1970-05-17", 11, "male");
  const badChecksum = good.slice(0, 17) + (good[17] === "0" ? "1" : "0");
  const feb30 = "230828197002301234";
  const submission = parseWithZod(
    form({
      villageId: crypto.randomUUID(),
      povertyStatus: "registered",
      povertyCause: "illness",
      "members[0].name": "甲",
      "members[0].idNumber": badChecksum,
      "members[0].relation": "head",
      "members[0].sex": "male",
      "members[1].name": "乙",
      "members[1].idNumber": feb30,
      "members[1].relation": "spouse",
      "members[1].sex": "female",
      "members[2].name": "丙",
      "members[2].idNumber": good,
      "members[2].relation": "child",
      "members[2].sex": "female",
    }),
    { schema: NewHouseholdSchema },
  );
  expect(submission.status).toBe("error");
  const errors = submission.reply().error!;
  expect(errors["members[0].idNumber"]).toEqual(["idNumber.checksum"]);
  expect(errors["members[1].idNumber"]).toEqual(["idNumber.birthDate"]);
  expect(errors["members[2].sex"]).toEqual(["idNumber.sexMismatch"]);
});

test("the form wants exactly one head and no number twice", () => {
  const id = makeIdNumber("230828", "1980-01-01", 3, "male");
  const submission = parseWithZod(
    form({
      villageId: crypto.randomUUID(),
      povertyStatus: "registered",
      povertyCause: "illness",
      "members[0].name": "甲",
      "members[0].idNumber": id,
      "members[0].relation": "spouse",
      "members[0].sex": "male",
      "members[1].name": "乙",
      "members[1].idNumber": id,
      "members[1].relation": "child",
      "members[1].sex": "male",
    }),
    { schema: NewHouseholdSchema },
  );
  const errors = submission.reply().error!;
  expect(errors.members).toEqual(["household.error.noHead"]);
  expect(errors["members[1].idNumber"]?.[0]).toMatch(/^idNumber\.repeated\|/);
});

test("a cadre registers a household with two members and is put in charge of it", async () => {
  const d = await db();
  const world = await createWorld(d);
  const cadre = scopeOf(await createUser(d, world, "cadre"));
  const household = await createHousehold({
    scope: cadre,
    input: newHousehold(world.villages[0].id),
    today: "2026-11-26",
  });
  const found = await getHousehold({ id: household!.id, scope: cadre, year: 2026 });
  expect(found?.headName).toBe("王福");
  expect(found?.members.map((m) => m.relation)).toEqual(["head", "spouse"]);
  expect(found?.members[0].idNumber).toMatch(/^230828\*{8}\d{3}[\dX]$/);
  expect(household!.code).toBe(`${world.villages[0].code}-0001`);
  const [assignment] = await d.select().from(cadreAssignments).where(eq(cadreAssignments.householdId, household!.id));
  expect(assignment).toMatchObject({ cadreId: cadre.userId, endsOn: null });
  const [audit] = await d.select().from(auditLog).where(eq(auditLog.entityId, household!.id));
  expect(audit.action).toBe("household.create");
  // the audit row never holds a full ID number
  const saved = await d.select().from(members).where(eq(members.householdId, household!.id));
  for (const m of saved) expect(JSON.stringify(audit.after)).not.toContain(m.idNumber);
});

test("a person registered outside the caller's scope is refused without saying the number is registered at all", async () => {
  const d = await db();
  const world = await createWorld(d);
  const cadre = scopeOf(await createUser(d, world, "cadre"));
  // registered elsewhere, in the other township, out of this cadre's sight
  const elsewhere = await householdFactory(d, world, { villageIndex: 2 });
  const input = newHousehold(world.villages[0].id);
  input.members[1] = {
    ...input.members[1],
    idNumber: elsewhere.members[1].idNumber,
    birthDate: elsewhere.members[1].birthDate,
  };
  const error = (await rejection(createHousehold({ scope: cadre, input, today: "2026-11-26" }))) as ValidationError;
  expect(error).toBeInstanceOf(ValidationError);
  expect(error.fieldErrors).toEqual({ "members[1].idNumber": ["idNumber.unavailable"] });
  expect(JSON.stringify(error)).not.toContain(elsewhere.id);
  for (const dict of [zhCN, en]) expect(dict["idNumber.unavailable"]).not.toMatch(/已在|登记过|registered in|already/i);
  // nothing half-written: no household for the head either
  const heads = await d.select().from(members).where(eq(members.idNumber, input.members[0].idNumber));
  expect(heads).toHaveLength(0);
});

test("a person registered in a household the caller can see is refused as registered in another household", async () => {
  const d = await db();
  const world = await createWorld(d);
  const official = scopeOf(await createUser(d, world, "official", { townshipIndex: 0 }));
  const near = await householdFactory(d, world, { villageIndex: 0 });
  const input = newHousehold(world.villages[0].id);
  input.members[1] = { ...input.members[1], idNumber: near.members[1].idNumber, birthDate: near.members[1].birthDate };
  const error = (await rejection(createHousehold({ scope: official, input, today: "2026-11-26" }))) as ValidationError;
  expect(error.fieldErrors).toEqual({ "members[1].idNumber": ["idNumber.taken"] });
});

test("two registrations of the same person racing: one wins, the other gets the field message", async () => {
  const d = await db();
  const world = await createWorld(d);
  const cadre = scopeOf(await createUser(d, world, "cadre"));
  const official = scopeOf(await createUser(d, world, "official"));
  const a = newHousehold(world.villages[0].id);
  const b = newHousehold(world.villages[1].id);
  b.members[1] = a.members[1];
  const results = await Promise.allSettled([
    createHousehold({ scope: cadre, input: a, today: "2026-11-26" }),
    createHousehold({ scope: official, input: b, today: "2026-11-26" }),
  ]);
  expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
  expect(refused.reason).toBeInstanceOf(ValidationError);
});

test("a cadre cannot register a household in a village outside their township", async () => {
  const d = await db();
  const world = await createWorld(d);
  const cadre = scopeOf(await createUser(d, world, "cadre", { townshipIndex: 0 }));
  const error = (await rejection(
    createHousehold({ scope: cadre, input: newHousehold(world.villages[2].id), today: "2026-11-26" }),
  )) as ValidationError;
  expect(error.fieldErrors.villageId).toEqual(["field.choice"]);
});

test("editing a household: the second save from the same version is refused, the first stands, both audited once", async () => {
  const d = await db();
  const world = await createWorld(d);
  const cadre = scopeOf(await createUser(d, world, "cadre"));
  const official = scopeOf(await createUser(d, world, "official"));
  const h = (await createHousehold({ scope: cadre, input: newHousehold(world.villages[0].id), today: "2026-11-26" }))!;
  const fields = {
    villageId: world.villages[0].id,
    povertyStatus: "registered" as const,
    povertyCause: "lack_funds" as const,
  };
  await updateHousehold({ scope: cadre, id: h.id, version: 1, input: { ...fields, address: "振兴村三组12号" } });
  const conflict = await rejection(
    updateHousehold({ scope: official, id: h.id, version: 1, input: { ...fields, address: "别的地址" } }),
  );
  expect(conflict).toBeInstanceOf(ConflictError);
  const found = await getHousehold({ id: h.id, scope: official, year: 2026 });
  expect(found?.address).toBe("振兴村三组12号");
  const updates = await d
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.entityId, h.id), eq(auditLog.action, "household.update")));
  expect(updates).toHaveLength(1);
  expect((updates[0].before as { address: string | null }).address).toBeNull();
  expect((updates[0].after as { address: string }).address).toBe("振兴村三组12号");
});

test("members: a second head is refused, a taken number is refused, an edit is version-checked", async () => {
  const d = await db();
  const world = await createWorld(d);
  const cadre = scopeOf(await createUser(d, world, "cadre"));
  const h = (await createHousehold({ scope: cadre, input: newHousehold(world.villages[0].id), today: "2026-11-26" }))!;
  const other = await householdFactory(d, world);
  const childId = newIdNumber("male", "2008-06-01");
  const member = MemberSchema.parse({ name: "王小", idNumber: childId, relation: "head", sex: "male" });
  expect(
    ((await rejection(addMember({ scope: cadre, householdId: h.id, member }))) as ValidationError).fieldErrors,
  ).toEqual({
    relation: ["household.error.twoHeads"],
  });
  const taken = MemberSchema.parse({
    name: "王二",
    idNumber: other.members[0].idNumber,
    relation: "child",
    sex: "male",
  });
  expect(
    ((await rejection(addMember({ scope: cadre, householdId: h.id, member: taken }))) as ValidationError).fieldErrors,
  ).toEqual({
    idNumber: ["idNumber.unavailable"],
  });
  const child = (await addMember({ scope: cadre, householdId: h.id, member: { ...member, relation: "child" } }))!;
  await updateMember({
    scope: cadre,
    memberId: child.id,
    version: 1,
    member: { ...member, relation: "child", name: "王小明" },
  });
  expect(
    await rejection(
      updateMember({
        scope: cadre,
        memberId: child.id,
        version: 1,
        member: { ...member, relation: "child", name: "王晓" },
      }),
    ),
  ).toBeInstanceOf(ConflictError);
});

test("revealing a full ID number is in scope only, and is written to the audit log", async () => {
  const d = await db();
  const world = await createWorld(d);
  const cadre = scopeOf(await createUser(d, world, "cadre"));
  const stranger = scopeOf(await createUser(d, world, "cadre"));
  const h = (await createHousehold({ scope: cadre, input: newHousehold(world.villages[0].id), today: "2026-11-26" }))!;
  const [head] = await d
    .select()
    .from(members)
    .where(and(eq(members.householdId, h.id), eq(members.relation, "head")));
  expect(await revealIdNumber({ scope: cadre, householdId: h.id, memberId: head.id })).toBe(head.idNumber);
  expect(await rejection(revealIdNumber({ scope: stranger, householdId: h.id, memberId: head.id }))).toBeInstanceOf(
    NotFoundError,
  );
  // through another household's page (one the cadre also holds) the member is not found
  const other = (await createHousehold({
    scope: cadre,
    input: newHousehold(world.villages[0].id),
    today: "2026-11-26",
  }))!;
  expect(await rejection(revealIdNumber({ scope: cadre, householdId: other.id, memberId: head.id }))).toBeInstanceOf(
    NotFoundError,
  );
  const reveals = await d
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.entityId, head.id), eq(auditLog.action, "member.reveal_id_number")));
  expect(reveals).toHaveLength(1);
  expect(reveals[0].userId).toBe(cadre.userId);
});

test("the member editor audits a reveal when it shows the number, and a save that shows nothing audits none", async () => {
  const d = await db();
  const world = await createWorld(d);
  const cadre = scopeOf(await createUser(d, world, "cadre"));
  const h = (await createHousehold({ scope: cadre, input: newHousehold(world.villages[0].id), today: "2026-11-26" }))!;
  const [head] = await d
    .select()
    .from(members)
    .where(and(eq(members.householdId, h.id), eq(members.relation, "head")));
  const reveals = async () =>
    (
      await d
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.entityId, head.id), eq(auditLog.action, "member.reveal_id_number")))
    ).length;

  const checked = await getMemberForEdit({ scope: cadre, householdId: h.id, memberId: head.id, shown: false });
  expect(checked?.idNumber).toBe(head.idNumber);
  expect(await reveals()).toBe(0);

  await getMemberForEdit({ scope: cadre, householdId: h.id, memberId: head.id, shown: true });
  expect(await reveals()).toBe(1);
});
