// The administrator's regions: codes checked, rename with its version, two villages merged with every
// household's history, retirement only of what nobody is in, CSV dry run and all-or-nothing commit.
import { and, eq, inArray } from "drizzle-orm";
import { expect, test } from "vitest";
import { auditLog, checks, cooperatives, households, regions, users } from "../../db/schema";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "~/models/errors.server";
import {
  commitRegionCsv,
  createRegion,
  dryRunRegionCsv,
  getRegion,
  mergeVillage,
  regionTree,
  renameRegion,
  retireRegion,
} from "~/models/region-admin.server";
import { villagesForRegistration } from "~/models/regions.server";
import { scopeOf } from "~/models/scope.server";
import { db } from "~/utils/db.server";
import * as f from "../support/factories";

async function rejection(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the model to refuse");
}

async function fieldError(promise: Promise<unknown>, field: string) {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(ValidationError);
  return (error as ValidationError).fieldErrors[field]?.[0] ?? "";
}

/** A county of the factories with an administrator, and a township of proper codes added by the model. */
async function county() {
  const d = await db();
  const world = await f.createWorld(d);
  const admin = scopeOf(await f.createUser(d, world, "admin"));
  const code = world.county.code;
  const { id: townshipId } = await createRegion({
    scope: admin,
    input: { parentId: world.county.id, code: `${code}101`, name: "红旗乡", nameEn: "Hongqi" },
  });
  const village = async (n: string, name: string) =>
    (await createRegion({ scope: admin, input: { parentId: townshipId, code: `${code}101${n}`, name, nameEn: null } }))
      .id;
  return { d, world, admin, code, townshipId, village };
}

const read = async (id: string) => (await (await db()).select().from(regions).where(eq(regions.id, id)))[0];

test("a region is added under its parent with a code of the right length, digits, prefix, and unused", async () => {
  const { admin, world, code, townshipId } = await county();
  const t = await read(townshipId);
  expect(t).toMatchObject({ level: "township", code: `${code}101`, countyId: world.county.id, version: 1 });

  const add = (parentId: string, c: string, name = "新村") =>
    createRegion({ scope: admin, input: { parentId, code: c, name, nameEn: null } });
  expect(await fieldError(add(townshipId, `${code}10120`), "code")).toBe(
    'regions.error.codeLength.village|{"length":12}',
  );
  expect(await fieldError(add(townshipId, `${code}102201`), "code")).toBe(
    `regions.error.codePrefix|{"parent":"${code}101"}`,
  );
  expect(await fieldError(add(townshipId, `${code}10a201`), "code")).toBe("regions.error.codeDigits");
  const { id: villageId } = await add(townshipId, `${code}101201`, "东风村");
  expect(await fieldError(add(townshipId, `${code}101201`, "别的村"), "code")).toBe(
    `regions.error.codeTaken|{"code":"${code}101201"}`,
  );
  // one name beside another of the same parent would be told apart by nobody
  expect(await fieldError(add(townshipId, `${code}101202`, "东风村"), "name")).toBe("regions.error.nameTaken");

  const { id: groupId } = await add(villageId, `${code}10120101`, "一组");
  expect((await read(groupId)).level).toBe("group");
  expect(await fieldError(add(villageId, `${code}101201001`), "code")).toBe(
    'regions.error.codeLength.group|{"length":14}',
  );
  // a group has no children
  expect(await fieldError(add(groupId, `${code}1012010101`), "parentId")).toBe("field.choice");

  const [audit] = await (
    await db()
  )
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.entity, "region"), eq(auditLog.entityId, villageId)));
  expect(audit).toMatchObject({ action: "region.create", before: null });
  expect(audit.after).toMatchObject({ code: `${code}101201`, name: "东风村" });

  const tree = await regionTree({ scope: admin });
  const tw = tree.townships.find((x) => x.id === townshipId)!;
  expect(tw.villages.map((v) => [v.name, v.groups.map((g) => g.name)])).toEqual([["东风村", ["一组"]]]);
});

test("only the administrator, and only in their county", async () => {
  const { d, world, admin, townshipId } = await county();
  const official = scopeOf(await f.createUser(d, world, "official"));
  expect(await rejection(getRegion({ scope: official, id: townshipId }))).toBeInstanceOf(ForbiddenError);
  const other = await county();
  expect(await getRegion({ scope: other.admin, id: townshipId })).toBeNull();
  expect(
    await rejection(
      renameRegion({ scope: other.admin, id: townshipId, version: 1, input: { name: "x", nameEn: null } }),
    ),
  ).toBeInstanceOf(NotFoundError);
  expect(
    await rejection(
      createRegion({
        scope: other.admin,
        input: { parentId: townshipId, code: `${other.code}101209`, name: "x", nameEn: null },
      }),
    ),
  ).toBeInstanceOf(NotFoundError);
  expect(await getRegion({ scope: admin, id: townshipId })).not.toBeNull();
});

test("a rename is version-checked: the second save of the same page is refused", async () => {
  const { admin, townshipId } = await county();
  const first = await renameRegion({
    scope: admin,
    id: townshipId,
    version: 1,
    input: { name: "红星乡", nameEn: "Hongxing" },
  });
  expect(first.version).toBe(2);
  expect(
    await rejection(
      renameRegion({ scope: admin, id: townshipId, version: 1, input: { name: "红光乡", nameEn: null } }),
    ),
  ).toBeInstanceOf(ConflictError);
  expect(await read(townshipId)).toMatchObject({ name: "红星乡", nameEn: "Hongxing", version: 2 });
  const [audit] = await (
    await db()
  )
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.entityId, townshipId), eq(auditLog.action, "region.rename")));
  expect(audit.before).toMatchObject({ name: "红旗乡", version: 1 });
  expect(audit.after).toMatchObject({ name: "红星乡", version: 2 });
});

test("merging a village moves its households with their history, its groups and cooperatives; it stays, retired", async () => {
  const { d, world, admin, code, townshipId, village } = await county();
  const a = await village("201", "前进村");
  const b = await village("202", "胜利村");
  const c = await village("203", "光明村");
  const groupA1 = (
    await createRegion({ scope: admin, input: { parentId: a, code: `${code}10120101`, name: "一组", nameEn: null } })
  ).id;
  const groupA2 = (
    await createRegion({ scope: admin, input: { parentId: a, code: `${code}10120102`, name: "三组", nameEn: null } })
  ).id;
  await createRegion({ scope: admin, input: { parentId: b, code: `${code}10120201`, name: "一组", nameEn: null } });
  const here = { ...world, villages: [await read(a), await read(b)] } as unknown as typeof world;
  const moved = [
    await f.createHousehold(d, here, { villageIndex: 0 }),
    await f.createHousehold(d, here, { villageIndex: 0 }),
  ];
  await d.update(households).set({ groupId: groupA1 }).where(eq(households.id, moved[0].id));
  const stays = await f.createHousehold(d, here, { villageIndex: 1 });
  const cadre = await f.createUser(d, world, "cadre");
  const visit = await f.createCheck(d, world, moved[0].id, cadre.id, "2026-03-01");
  const coop = await f.createCooperative(d, world, 0);
  await d.update(cooperatives).set({ villageId: a }).where(eq(cooperatives.id, coop.id));

  // not into itself, another township's village, or a group
  const other = await createRegion({
    scope: admin,
    input: { parentId: world.county.id, code: `${code}102`, name: "二乡", nameEn: null },
  });
  const far = (
    await createRegion({
      scope: admin,
      input: { parentId: other.id, code: `${code}102201`, name: "远村", nameEn: null },
    })
  ).id;
  for (const intoId of [a, far, groupA1])
    expect(await fieldError(mergeVillage({ scope: admin, id: a, version: 1, intoId }), "intoId")).toBe(
      "regions.error.mergeTarget",
    );
  expect(await rejection(mergeVillage({ scope: admin, id: a, version: 7, intoId: b }))).toBeInstanceOf(ConflictError);

  const result = await mergeVillage({ scope: admin, id: a, version: 1, intoId: b });
  expect(result).toMatchObject({ households: 2, groups: 2, cooperatives: 1 });

  const rows = await d
    .select()
    .from(households)
    .where(inArray(households.id, [...moved.map((h) => h.id), stays.id]));
  expect(rows.every((h) => h.villageId === b && h.townshipId === townshipId)).toBe(true);
  // the household is the same record: its code, its visits
  expect(rows.find((h) => h.id === moved[0].id)).toMatchObject({ code: moved[0].code, groupId: groupA1, version: 2 });
  expect((await d.select().from(checks).where(eq(checks.id, visit.id)))[0].householdId).toBe(moved[0].id);
  // groups renumbered under the surviving village; 一组 told apart by the village it came from
  expect(await read(groupA1)).toMatchObject({ parentId: b, code: `${code}10120202`, name: "前进村一组" });
  expect(await read(groupA2)).toMatchObject({ parentId: b, code: `${code}10120203`, name: "三组" });
  expect((await d.select().from(cooperatives).where(eq(cooperatives.id, coop.id)))[0].villageId).toBe(b);

  const retired = await read(a);
  expect(retired.retiredAt).not.toBeNull();
  expect(retired.mergedIntoId).toBe(b);
  // each household's history shows the move; the region's audit has before and after
  const householdAudit = await d
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.householdId, moved[1].id), eq(auditLog.action, "household.village_merge")));
  expect(householdAudit).toHaveLength(1);
  expect(householdAudit[0].before).toMatchObject({ villageId: a, village: "前进村" });
  expect(householdAudit[0].after).toMatchObject({ villageId: b, village: "胜利村" });
  const [regionAudit] = await d
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.entityId, a), eq(auditLog.action, "region.merge")));
  expect(regionAudit.before).toMatchObject({ retiredAt: null, mergedIntoId: null });
  expect(regionAudit.after).toMatchObject({ mergedIntoId: b, households: 2 });

  // gone from the pickers, still named by the records
  const official = scopeOf(await f.createUser(d, world, "official"));
  const picker = await villagesForRegistration({ ...official, townshipId } as typeof official);
  expect(picker.map((v) => v.id).sort()).toEqual([b, c].sort());
  expect((await getRegion({ scope: admin, id: a }))?.mergedInto?.id).toBe(b);
  expect(await rejection(mergeVillage({ scope: admin, id: a, version: retired.version, intoId: c }))).toMatchObject({
    formErrors: ["regions.error.retired"],
  });
});

test("a region is retired only when nobody is in it: households, active villages, accounts", async () => {
  const { d, world, admin, townshipId, village } = await county();
  const v = await village("201", "一村");
  const here = { ...world, villages: [await read(v)] } as unknown as typeof world;
  await f.createHousehold(d, here, { villageIndex: 0 });
  expect(await rejection(retireRegion({ scope: admin, id: v, version: 1 }))).toMatchObject({
    formErrors: ['regions.error.retireHouseholds.village|{"count":1}'],
  });
  const page = await getRegion({ scope: admin, id: townshipId });
  expect(page?.can.retire).toBe(false);
  expect(page?.retireBlockers).toEqual([
    'regions.error.retireHouseholds.township|{"count":1}',
    'regions.error.retireVillages|{"count":1}',
  ]);

  const empty = await village("202", "二村");
  const { id: group } = await createRegion({
    scope: admin,
    input: { parentId: empty, code: `${(await read(empty)).code}01`, name: "一组", nameEn: null },
  });
  await retireRegion({ scope: admin, id: empty, version: 1 });
  // its groups go with it
  expect((await read(group)).retiredAt).not.toBeNull();
  expect(
    await rejection(renameRegion({ scope: admin, id: empty, version: 2, input: { name: "x", nameEn: null } })),
  ).toMatchObject({
    formErrors: ["regions.error.retired"],
  });

  // a township: its villages first, then its accounts
  const { id: t2 } = await createRegion({
    scope: admin,
    input: { parentId: world.county.id, code: `${world.county.code}103`, name: "三乡", nameEn: null },
  });
  const v3 = (
    await createRegion({
      scope: admin,
      input: { parentId: t2, code: `${world.county.code}103201`, name: "三村", nameEn: null },
    })
  ).id;
  const official = await f.createUser(d, world, "official");
  await d.update(users).set({ townshipId: t2 }).where(eq(users.id, official.id));
  expect(await rejection(retireRegion({ scope: admin, id: t2, version: 1 }))).toMatchObject({
    formErrors: ['regions.error.retireVillages|{"count":1}', 'regions.error.retireUsers|{"count":1}'],
  });
  await retireRegion({ scope: admin, id: v3, version: 1 });
  await d.update(users).set({ active: false }).where(eq(users.id, official.id));
  await retireRegion({ scope: admin, id: t2, version: 1 });
  const tree = await regionTree({ scope: admin });
  expect(tree.townships.map((t) => t.id)).not.toContain(t2);
  expect((await regionTree({ scope: admin, retired: true })).townships.map((t) => t.id)).toContain(t2);
  // the county stays
  expect(await getRegion({ scope: admin, id: world.county.id })).toBeNull();
});

const utf8 = (text: string, bom = false) =>
  new Uint8Array(Buffer.concat([Buffer.from(bom ? "\ufeff" : ""), Buffer.from(text)]));

test("a CSV dry run names every wrong row; its commit writes all or nothing, and only what the dry run showed", async () => {
  const { d, admin, code, townshipId } = await county();
  await createRegion({
    scope: admin,
    input: { parentId: townshipId, code: `${code}101201`, name: "东风村", nameEn: null },
  });
  const bad = [
    "代码,名称,英文名",
    `${code}101,红旗镇,Hongqi Town`, // 2: rename
    `${code}101202,新华村,`, // 3: add
    `${code}10120201,一组,Group 1`, // 4: add, its village in the file
    `${code}1x1203,坏村`, // 5: not digits
    `${code}10120,短村`, // 6: wrong length
    `${code}101202,重复村`, // 7: duplicate of row 3
    `${code}109201,孤村`, // 8: township neither here nor in the file
    `999999101201,外县村`, // 9: another county
    `${code}101204,`, // 10: no name
    `${code}101205,东风村`, // 11: name taken beside it
  ].join("\r\n");
  const run = await dryRunRegionCsv({ scope: admin, bytes: utf8(bad, true) });
  expect(run.encoding).toBe("utf-8");
  expect(run.plan.errors.map((e) => [e.row, e.message.split("|")[0]])).toEqual([
    [5, "regions.error.codeDigits"],
    [6, "regions.csv.error.codeLength"],
    [7, "regions.csv.error.duplicate"],
    [8, "regions.csv.error.orphan"],
    [9, "regions.csv.error.otherCounty"],
    [10, "regions.csv.error.noName"],
    [11, "regions.csv.error.nameTaken"],
  ]);
  expect(run.plan.adds.map((a) => [a.row, a.code, a.level])).toEqual([
    [3, `${code}101202`, "village"],
    [4, `${code}10120201`, "group"],
  ]);
  expect(run.plan.renames).toMatchObject([
    { row: 2, before: { name: "红旗乡" }, after: { name: "红旗镇", nameEn: "Hongqi Town" } },
  ]);

  // a file with a wrong row writes nothing, not even its good rows
  const before = await d.select().from(regions).where(eq(regions.countyId, admin.countyId));
  expect(
    await rejection(commitRegionCsv({ scope: admin, text: run.text, fingerprint: run.plan.fingerprint })),
  ).toMatchObject({
    formErrors: ["regions.csv.error.stillWrong"],
  });
  expect(await d.select().from(regions).where(eq(regions.countyId, admin.countyId))).toEqual(before);

  // the good rows alone, in GBK: 测试村 in its two-byte code
  const good = Buffer.concat([
    Buffer.from(`${code}101,HQ,Hongqi Town\n${code}101202,`),
    Buffer.from([0xb2, 0xe2, 0xca, 0xd4, 0xb4, 0xe5]),
    Buffer.from(`\n${code}10120201,G1,Group 1\n`),
  ]);
  const gbk = await dryRunRegionCsv({ scope: admin, bytes: new Uint8Array(good) });
  expect(gbk.encoding).toBe("gbk");
  expect(gbk.plan.errors).toEqual([]);
  expect(gbk.plan.adds.map((a) => a.name)).toEqual(["测试村", "G1"]);
  expect(gbk.plan.renames).toHaveLength(1);

  // a rename from the page between the dry run and the commit: what the dry run showed is no longer true
  await renameRegion({ scope: admin, id: townshipId, version: 1, input: { name: "红旗乡", nameEn: "Changed" } });
  expect(
    await rejection(commitRegionCsv({ scope: admin, text: gbk.text, fingerprint: gbk.plan.fingerprint })),
  ).toBeInstanceOf(ConflictError);
  const again = await dryRunRegionCsv({ scope: admin, bytes: new Uint8Array(good) });
  expect(await commitRegionCsv({ scope: admin, text: again.text, fingerprint: again.plan.fingerprint })).toEqual({
    added: 2,
    renamed: 1,
  });
  const [village] = await d
    .select()
    .from(regions)
    .where(eq(regions.code, `${code}101202`));
  expect(village).toMatchObject({ name: "测试村", level: "village", parentId: townshipId });
  const [group] = await d
    .select()
    .from(regions)
    .where(eq(regions.code, `${code}10120201`));
  expect(group).toMatchObject({ parentId: village.id, level: "group" });
  expect(await read(townshipId)).toMatchObject({ name: "HQ", nameEn: "Hongqi Town" });
  const audits = await d
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.entity, "region"), inArray(auditLog.entityId, [village.id, group.id, townshipId])));
  expect(audits.filter((x) => x.after && (x.after as { source?: string }).source === "csv")).toHaveLength(3);
  // a second run finds everything in place
  const third = await dryRunRegionCsv({ scope: admin, bytes: new Uint8Array(good) });
  expect(third.plan).toMatchObject({ adds: [], renames: [], errors: [] });
});
