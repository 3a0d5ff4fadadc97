// The administrator's reference lists (crops, animals, poverty causes): add, rename, retire and restore,
// each version-checked and audited; a retired entry offered for no new choice (plan editor, order form,
// household form, registry import) but kept, by name, on the plans, orders and households that use it.
import { and, eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { animals, auditLog, crops, households, povertyCauses } from "../../db/schema";
import { messageText } from "~/i18n";
import { translator } from "~/i18n/dictionaries.server";
import { ConflictError, ForbiddenError, ValidationError } from "~/models/errors.server";
import { getHousehold, createHousehold as registerHousehold, updateHousehold } from "~/models/households.server";
import { checkImport } from "~/models/import-check.server";
import { IMPORT_COLUMNS, parseSpreadsheet } from "~/models/import-parse.server";
import { createOrder, orderFormOptions } from "~/models/orders.server";
import { createPlan, getHouseholdPlans, referenceLists, updatePlan } from "~/models/plans.server";
import {
  addEntry,
  causeChoices,
  referenceListsPage,
  renameEntry,
  restoreEntry,
  retireEntry,
} from "~/models/reference-lists.server";
import { scopeOf } from "~/models/scope.server";
import { OrderSchema } from "~/schemas/orders";
import type { PlanContent } from "~/schemas/plan";
import { ReferenceAddSchema } from "~/schemas/reference-lists";
import { db } from "~/utils/db.server";
import * as f from "../support/factories";
import { raceTest } from "../support/test-db";

const zh = translator("zh-CN");

async function rejection(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the model to refuse");
}

/** The message a refusal shows next to a field (or above the form), as a Chinese reader sees it. */
async function refusal(promise: Promise<unknown>, field?: string) {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(ValidationError);
  const v = error as ValidationError;
  const raw = field ? v.fieldErrors[field]?.[0] : v.formErrors[0];
  expect(raw, JSON.stringify({ fieldErrors: v.fieldErrors, formErrors: v.formErrors })).toBeTruthy();
  return messageText(zh, raw!);
}

let n = 0;
/** A code and a Chinese name nobody else in this file uses. */
const fresh = (stem: string) => {
  n += 1;
  return { code: `t_${stem}_${n}`, nameZh: `测试${stem}${n}` };
};

async function setup() {
  const d = await db();
  const world = await f.createWorld(d);
  const admin = scopeOf(await f.createUser(d, world, "admin"));
  const official = scopeOf(await f.createUser(d, world, "official"));
  const cadreUser = await f.createUser(d, world, "cadre");
  return { d, world, admin, official, cadre: scopeOf(cadreUser), cadreUser };
}

const content = (over: Partial<PlanContent> = {}): PlanContent => ({
  courtyardArea: 600,
  livingArea: 200,
  plantingArea: 300,
  raisingArea: 80,
  plantingItems: [{ cropCode: "chili", area: 150, expectedYieldKg: 450 }],
  raisingItems: [{ animalCode: "chicken", headCount: 30 }],
  measures: ["种植辣椒"],
  incomeTargetFen: 1_000_000,
  ...over,
});

test("an entry is added with a code given once and a Chinese name no live entry has; audited; before 其他", async () => {
  const { d, admin } = await setup();
  const e = fresh("crop");
  await addEntry({ scope: admin, input: { list: "crops", ...e, nameEn: null } });
  const [row] = await d.select().from(crops).where(eq(crops.code, e.code));
  // no English name given: the English pages show the Chinese one
  expect(row).toMatchObject({ nameZh: e.nameZh, nameEn: e.nameZh, version: 1, retiredAt: null });
  const [other] = await d.select().from(crops).where(eq(crops.code, "other"));
  expect(other.sortOrder).toBeGreaterThan(row.sortOrder);
  const page = await referenceListsPage({ scope: admin, list: "crops" });
  expect(page.entries.at(-1)!.code).toBe("other");

  // the same code again, or the Chinese name of a live entry: refused in Chinese next to the field
  expect(
    await refusal(
      addEntry({ scope: admin, input: { list: "crops", code: e.code, nameZh: "别名", nameEn: null } }),
      "code",
    ),
  ).toBe(`代码 ${e.code} 已被使用（含已停用的条目），请换一个`);
  expect(
    await refusal(
      addEntry({ scope: admin, input: { list: "crops", code: "t_dup_chili", nameZh: "辣椒", nameEn: null } }),
      "nameZh",
    ),
  ).toBe("“辣椒”已在列表中，请换一个名称");
  // a name is unique within its list only: 其他 is on each list
  const c = fresh("cause");
  await addEntry({ scope: admin, input: { list: "povertyCauses", code: c.code, nameZh: "辣椒", nameEn: "Chili?" } });

  // the code's shape is the form's: lowercase ASCII, short
  for (const bad of ["Chili", "辣椒", "1abc", "a-b", "x".repeat(31)])
    expect(ReferenceAddSchema.safeParse({ list: "crops", code: bad, nameZh: "某" }).success, bad).toBe(false);

  const [audit] = await d
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, "reference.add"), eq(auditLog.userId, admin.userId)));
  expect(audit).toMatchObject({ entity: "reference", before: null });
  expect(audit.after).toMatchObject({ list: "crops", code: e.code, nameZh: e.nameZh });
});

test("a rename keeps the code, is checked against the version shown and the list's live names, and is audited", async () => {
  const { d, admin } = await setup();
  const e = fresh("animal");
  await addEntry({ scope: admin, input: { list: "animals", ...e, nameEn: "Test animal" } });
  const renamed = await renameEntry({
    scope: admin,
    input: { list: "animals", code: e.code, version: 1, nameZh: `${e.nameZh}改`, nameEn: "Renamed" },
  });
  expect(renamed.version).toBe(2);
  // a second save from the same page (version 1) is refused, nothing overwritten
  expect(
    await rejection(
      renameEntry({ scope: admin, input: { list: "animals", code: e.code, version: 1, nameZh: "又改", nameEn: null } }),
    ),
  ).toBeInstanceOf(ConflictError);
  expect(
    await refusal(
      renameEntry({ scope: admin, input: { list: "animals", code: e.code, version: 2, nameZh: "鸡", nameEn: null } }),
      "nameZh",
    ),
  ).toBe("“鸡”已在列表中，请换一个名称");
  const [row] = await d.select().from(animals).where(eq(animals.code, e.code));
  expect(row).toMatchObject({ nameZh: `${e.nameZh}改`, nameEn: "Renamed", version: 2 });
  const [audit] = await d
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, "reference.rename"), eq(auditLog.userId, admin.userId)));
  expect(audit.before).toMatchObject({ list: "animals", code: e.code, nameZh: e.nameZh, version: 1 });
  expect(audit.after).toMatchObject({ list: "animals", code: e.code, nameZh: `${e.nameZh}改`, version: 2 });
});

test("retire and restore: version-checked, audited; a restore waits for its name to be free; a retired code stays taken", async () => {
  const { d, admin } = await setup();
  const e = fresh("cause");
  await addEntry({ scope: admin, input: { list: "povertyCauses", ...e, nameEn: null } });
  await retireEntry({ scope: admin, list: "povertyCauses", code: e.code, version: 1 });
  expect(
    await rejection(retireEntry({ scope: admin, list: "povertyCauses", code: e.code, version: 1 })),
  ).toBeInstanceOf(ConflictError);
  expect(await refusal(retireEntry({ scope: admin, list: "povertyCauses", code: e.code, version: 2 }))).toBe(
    "这一条已经停用了",
  );
  // the name of a retired entry is free for a new one; its code is not
  const again = fresh("cause");
  await addEntry({ scope: admin, input: { list: "povertyCauses", code: again.code, nameZh: e.nameZh, nameEn: null } });
  expect(
    await refusal(
      addEntry({ scope: admin, input: { list: "povertyCauses", code: e.code, nameZh: "新名", nameEn: null } }),
      "code",
    ),
  ).toContain("已被使用");
  // two live entries of one name cannot be: the restore says so
  expect(await refusal(restoreEntry({ scope: admin, list: "povertyCauses", code: e.code, version: 2 }))).toBe(
    `不能恢复：列表中已有在用的“${e.nameZh}”。请先给其中一个改名`,
  );
  await renameEntry({
    scope: admin,
    input: { list: "povertyCauses", code: again.code, version: 1, nameZh: `${e.nameZh}乙`, nameEn: null },
  });
  await restoreEntry({ scope: admin, list: "povertyCauses", code: e.code, version: 2 });
  const [row] = await d.select().from(povertyCauses).where(eq(povertyCauses.code, e.code));
  expect(row).toMatchObject({ retiredAt: null, version: 3 });
  const actions = (
    await d
      .select({ action: auditLog.action, before: auditLog.before, after: auditLog.after })
      .from(auditLog)
      // a table has no order of its own: rows reused after a delete come back anywhere
      .orderBy(auditLog.at)
  ).filter((a) => (a.after as { code?: string } | null)?.code === e.code);
  expect(actions.map((a) => a.action)).toEqual(["reference.add", "reference.retire", "reference.restore"]);
  expect(actions[1].before).toMatchObject({ retiredAt: null });
  expect((actions[1].after as { retiredAt: string | null }).retiredAt).not.toBeNull();
});

test("only the administrator keeps the lists", async () => {
  const { admin, official, cadre } = await setup();
  const e = fresh("crop");
  for (const scope of [official, cadre]) {
    expect(await rejection(referenceListsPage({ scope, list: "crops" }))).toBeInstanceOf(ForbiddenError);
    expect(await rejection(addEntry({ scope, input: { list: "crops", ...e, nameEn: null } }))).toBeInstanceOf(
      ForbiddenError,
    );
    expect(await rejection(retireEntry({ scope, list: "crops", code: "chili", version: 1 }))).toBeInstanceOf(
      ForbiddenError,
    );
  }
  expect((await referenceListsPage({ scope: admin, list: "crops" })).entries.some((c) => c.code === e.code)).toBe(
    false,
  );
});

test("a retired crop and animal are offered for no new plan or order, and stay on the plan that has them", async () => {
  const { d, world, admin, official, cadre, cadreUser } = await setup();
  const crop = fresh("crop");
  const animal = fresh("animal");
  await addEntry({ scope: admin, input: { list: "crops", ...crop, nameEn: "Test crop" } });
  await addEntry({ scope: admin, input: { list: "animals", ...animal, nameEn: null } });
  const household = await f.createHousehold(d, world);
  await f.assignCadre(d, world, household.id, cadreUser.id);
  const withBoth = content({
    plantingItems: [
      { cropCode: "chili", area: 100, expectedYieldKg: 300 },
      { cropCode: crop.code, area: 100, expectedYieldKg: 200 },
    ],
    raisingItems: [{ animalCode: animal.code, headCount: 5 }],
  });
  const plan = await createPlan({ scope: cadre, householdId: household.id, year: 2026, content: withBoth });

  await retireEntry({ scope: admin, list: "crops", code: crop.code, version: 1 });
  await retireEntry({ scope: admin, list: "animals", code: animal.code, version: 1 });

  // new choices: not offered
  const blank = await referenceLists();
  expect(blank.crops.some((c) => c.code === crop.code)).toBe(false);
  expect(blank.animals.some((a) => a.code === animal.code)).toBe(false);
  expect((await orderFormOptions({ scope: official })).crops.some((c) => c.code === crop.code)).toBe(false);

  // the plan's own editor offers them, marked, so saving it does not force them off
  const [saved] = await getHouseholdPlans({ scope: cadre, householdId: household.id });
  const editing = await referenceLists(saved);
  expect(editing.crops.find((c) => c.code === crop.code)).toMatchObject({ retired: true, nameZh: crop.nameZh });
  expect(editing.animals.find((a) => a.code === animal.code)).toMatchObject({ retired: true });
  expect(saved.plantingItems.find((i) => i.cropCode === crop.code)).toMatchObject({ cropZh: crop.nameZh });
  expect(saved.plantingItems.find((i) => i.cropCode === crop.code)!.cropRetiredAt).not.toBeNull();
  expect(saved.plantingItems.find((i) => i.cropCode === "chili")!.cropRetiredAt).toBeNull();

  const updated = await updatePlan({
    scope: cadre,
    planId: plan.id,
    version: 1,
    content: { ...withBoth, incomeTargetFen: 1_100_000 },
  });
  expect(updated.version).toBe(2);

  // another household's new plan, or a retired crop new to this plan: refused
  const second = await f.createHousehold(d, world);
  await f.assignCadre(d, world, second.id, cadreUser.id);
  const refused = await rejection(createPlan({ scope: cadre, householdId: second.id, year: 2026, content: withBoth }));
  expect((refused as ValidationError).fieldErrors).toMatchObject({
    "plantingItems[1].cropCode": ["plan.error.unknownCrop"],
    "raisingItems[0].animalCode": ["plan.error.unknownAnimal"],
  });
  const dropped = await updatePlan({
    scope: cadre,
    planId: plan.id,
    version: 2,
    content: { ...withBoth, raisingItems: [{ animalCode: "chicken", headCount: 5 }] },
  });
  const readded = await rejection(
    updatePlan({ scope: cadre, planId: plan.id, version: dropped.version, content: withBoth }),
  );
  expect((readded as ValidationError).fieldErrors["raisingItems[0].animalCode"]).toEqual(["plan.error.unknownAnimal"]);

  // the admin's page counts the plans that use each entry
  const page = await referenceListsPage({ scope: admin, list: "crops" });
  expect(page.entries.find((c) => c.code === crop.code)).toMatchObject({ plans: 1, can: { restore: true } });

  // an order: a retired crop is refused for a new one
  const coop = await f.createCooperative(d, world, 0);
  const clerk = scopeOf(await f.createUser(d, world, "clerk", { cooperativeId: coop.id }));
  const buyer = await f.createBuyer(d, world);
  const order = OrderSchema.parse({
    buyerId: buyer.id,
    cropCode: crop.code,
    quantityKg: 1000,
    unitPriceFen: 1,
    season: "2026年秋季",
    deliveryStart: "2026-09-01",
    deliveryEnd: "2026-10-15",
  });
  const orderRefused = await rejection(createOrder({ scope: clerk, cooperativeId: coop.id, input: order }));
  expect((orderRefused as ValidationError).fieldErrors.cropCode).toEqual(["orders.error.unknownCrop"]);
  await restoreEntry({ scope: admin, list: "crops", code: crop.code, version: 2 });
  expect(await createOrder({ scope: clerk, cooperativeId: coop.id, input: order })).toMatchObject({
    cropCode: crop.code,
  });
});

test("a household keeps a retired poverty cause and shows its name; a new choice must be a live cause", async () => {
  const { d, world, admin, official } = await setup();
  const cause = fresh("cause");
  await addEntry({ scope: admin, input: { list: "povertyCauses", ...cause, nameEn: "Test cause" } });
  const household = await f.createHouseholdWith(d, world, { povertyCause: cause.code });
  await retireEntry({ scope: admin, list: "povertyCauses", code: cause.code, version: 1 });

  const shown = await getHousehold({ id: household.id, scope: official, year: 2026 });
  expect(shown).toMatchObject({ povertyCause: cause.code, causeZh: cause.nameZh, causeEn: "Test cause" });
  expect(shown!.causeRetiredAt).not.toBeNull();

  expect((await causeChoices()).some((c) => c.code === cause.code)).toBe(false);
  expect((await causeChoices(cause.code)).find((c) => c.code === cause.code)).toMatchObject({ retired: true });

  const fields = {
    villageId: household.villageId,
    povertyStatus: "monitored" as const,
    povertyCause: cause.code,
    courtyardArea: 600,
  };
  // the household's other fields saved, its retired cause kept
  const row = await updateHousehold({ scope: official, id: household.id, version: 1, input: fields });
  expect(row).toMatchObject({ povertyStatus: "monitored", povertyCause: cause.code });

  // another household may not take it, nor this one an unknown cause
  const other = await f.createHousehold(d, world);
  expect(
    await refusal(updateHousehold({ scope: official, id: other.id, version: 1, input: fields }), "povertyCause"),
  ).toBe(zh("field.choice"));
  expect(
    await refusal(
      updateHousehold({ scope: official, id: household.id, version: 2, input: { ...fields, povertyCause: "nope" } }),
      "povertyCause",
    ),
  ).toBe(zh("field.choice"));
  const head = f.newIdNumber("male", "1970-01-01");
  const registering = registerHousehold({
    scope: official,
    today: "2026-03-02",
    input: {
      ...fields,
      members: [
        {
          name: "新户主",
          idNumber: head,
          birthDate: "1970-01-01",
          relation: "head",
          sex: "male",
          health: "healthy",
          labourAbility: "full",
        },
      ],
    },
  });
  expect(await refusal(registering, "povertyCause")).toBe(zh("field.choice"));

  const page = await referenceListsPage({ scope: admin, list: "povertyCauses" });
  expect(page.entries.find((c) => c.code === cause.code)).toMatchObject({ households: 1 });
  expect(page.entries.find((c) => c.code === "illness")!.households).toBeGreaterThanOrEqual(1);
  expect((await d.select().from(households).where(eq(households.id, other.id)))[0].povertyCause).toBe("illness");
});

test("the registry import refuses a retired or unknown poverty cause by name, and takes a live one", async () => {
  const { d, world, admin, official } = await setup();
  const cause = fresh("cause");
  await addEntry({ scope: admin, input: { list: "povertyCauses", ...cause, nameEn: null } });
  const header = IMPORT_COLUMNS.map((c) => c.header);
  const row = (key: string, causeCell: string) => {
    const id = f.newIdNumber("male", "1961-01-01");
    const cells: Record<string, string> = {
      户编号: key,
      村: world.villages[0].name,
      姓名: `测试${key}`,
      身份证号: id,
      与户主关系: "户主",
      性别: "男",
      贫困状态: "建档立卡贫困户",
      致贫原因: causeCell,
    };
    return header.map((h) => cells[h] ?? "").join(",");
  };
  const file = async (...rows: string[]) =>
    parseSpreadsheet(new TextEncoder().encode([header.join(","), ...rows].join("\n") + "\n"), "csv");

  const live = await checkImport(d, official, await file(row("A", cause.nameZh), row("B", "缺资金")));
  expect(live.errors).toEqual([]);
  expect(live.households.map((h) => h.povertyCause)).toEqual([cause.code, "lack_funds"]);

  await retireEntry({ scope: admin, list: "povertyCauses", code: cause.code, version: 1 });
  const checked = await checkImport(
    d,
    official,
    await file(row("A", cause.nameZh), row("B", "懒惰"), row("C", "因病")),
  );
  const messages = checked.errors.map((e) => [e.row, messageText(zh, e.message)]);
  expect(messages).toHaveLength(2);
  expect(messages[0][0]).toBe(2);
  expect(messages[0][1]).toMatch(new RegExp(`^「致贫原因」的「${cause.nameZh}」已停用，请改填：因病、`));
  expect(messages[0][1]).not.toContain(cause.nameZh + "、");
  expect(messages[1]).toEqual([3, expect.stringMatching(/^「致贫原因」不能填「懒惰」，可填：因病、因残/)]);
});

raceTest(
  "two entries of one Chinese name added at once, and two saves from one version: one of each wins",
  async () => {
    const { d, admin } = await setup();
    const name = fresh("race").nameZh;
    const adds = await Promise.allSettled(
      [1, 2, 3].map((i) =>
        addEntry({
          scope: admin,
          input: { list: "crops", code: `${fresh("race").code}_${i}`, nameZh: name, nameEn: null },
        }),
      ),
    );
    expect(adds.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of adds.filter((r): r is PromiseRejectedResult => r.status === "rejected")) {
      expect(r.reason).toBeInstanceOf(ValidationError);
      expect(messageText(zh, (r.reason as ValidationError).fieldErrors.nameZh[0])).toBe(
        `“${name}”已在列表中，请换一个名称`,
      );
    }
    expect(await d.select().from(crops).where(eq(crops.nameZh, name))).toHaveLength(1);

    const e = fresh("race");
    await addEntry({ scope: admin, input: { list: "animals", ...e, nameEn: null } });
    const saves = await Promise.allSettled([
      renameEntry({
        scope: admin,
        input: { list: "animals", code: e.code, version: 1, nameZh: `${e.nameZh}甲`, nameEn: null },
      }),
      retireEntry({ scope: admin, list: "animals", code: e.code, version: 1 }),
      renameEntry({
        scope: admin,
        input: { list: "animals", code: e.code, version: 1, nameZh: `${e.nameZh}乙`, nameEn: null },
      }),
    ]);
    expect(saves.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of saves.filter((r): r is PromiseRejectedResult => r.status === "rejected"))
      expect(r.reason).toBeInstanceOf(ConflictError);
    expect((await d.select().from(animals).where(eq(animals.code, e.code)))[0].version).toBe(2);
  },
);
