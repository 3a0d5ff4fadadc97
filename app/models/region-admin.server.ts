// The county's divisions, kept by its administrator (docs/decisions/027-regions-admin.md):
// - codes follow the statistical division codes: the county's 6 digits, a township 3 more, a village 3
//   more (12 in all); a group (村民组) 2 more under its village, as the seed numbers them. A code starts
//   with its parent's and is never reused, so a code once printed on a card keeps meaning one place;
// - a region is never deleted: retired, it is offered nowhere (pickers, filters, coverage rows), and the
//   records that name it still show its name. A merged village is retired pointing at the village that took
//   its households;
// - every write is the admin's county only, in one transaction, version-checked on the row the page
//   showed, and audited with before and after.
import crypto from "node:crypto";
import { and, asc, count, eq, inArray, isNull, or, sql } from "drizzle-orm";
import Papa from "papaparse";
import type { DbOrTx, Tx } from "../../db/client";
import { cooperatives, households, regions, users } from "../../db/schema";
import { message } from "~/schemas/fields";
import { REGION_NAME_EN_MAX, REGION_NAME_MAX, type RegionCreateInput, type RegionRenameInput } from "~/schemas/regions";
import { db } from "~/utils/db.server";
import { writeAudit, writeAudits, type AuditEntry } from "./audit.server";
import { ConflictError, NotFoundError, ValidationError, isUniqueViolation } from "./errors.server";
import { decodeCsv } from "./import-parse.server";
import { assertCan, type Scope } from "./scope.server";

type Level = (typeof regions.$inferSelect)["level"];
type Region = typeof regions.$inferSelect;

/** Digits of a code at each level. */
export const CODE_LENGTH: Record<Level, number> = { county: 6, township: 9, village: 12, group: 14 };
type ChildLevel = Exclude<Level, "county">;
const CHILD: Partial<Record<Level, ChildLevel>> = { county: "township", township: "village", village: "group" };
const LEVEL_BY_LENGTH = new Map(Object.entries(CODE_LENGTH).map(([level, n]) => [n, level as Level]));

/** The code a child at `level` may have under `parentCode`, or the message saying why not (shape only). */
function codeProblem(code: string, level: Level, parentCode: string): string | null {
  if (!/^\d+$/.test(code)) return "regions.error.codeDigits";
  if (code.length !== CODE_LENGTH[level])
    return message(`regions.error.codeLength.${level}`, { length: CODE_LENGTH[level] });
  if (!code.startsWith(parentCode)) return message("regions.error.codePrefix", { parent: parentCode });
  return null;
}

/** The county's own row and every row under it. */
const inCounty = (scope: Scope) => or(eq(regions.countyId, scope.countyId), eq(regions.id, scope.countyId))!;

// ---------- reading ----------

/** The tree as the administrator sees it: townships, their villages with households, the villages' groups. */
export async function regionTree({ scope, retired = false }: { scope: Scope; retired?: boolean }) {
  assertCan(scope, "region.manage");
  const d = await db();
  const [rows, perVillage] = await Promise.all([
    d
      .select({
        id: regions.id,
        code: regions.code,
        name: regions.name,
        nameEn: regions.nameEn,
        level: regions.level,
        parentId: regions.parentId,
        retiredAt: regions.retiredAt,
      })
      .from(regions)
      .where(and(inCounty(scope), retired ? undefined : isNull(regions.retiredAt)))
      .orderBy(asc(regions.code)),
    d
      .select({ villageId: households.villageId, n: count() })
      .from(households)
      .where(eq(households.countyId, scope.countyId))
      .groupBy(households.villageId),
  ]);
  const counts = new Map(perVillage.map((r) => [r.villageId, Number(r.n)]));
  const county = rows.find((r) => r.id === scope.countyId);
  if (!county) throw new NotFoundError("region");
  const under = (id: string) => rows.filter((r) => r.parentId === id);
  const townships = under(county.id).map((t) => {
    const villages = under(t.id).map((v) => ({ ...v, households: counts.get(v.id) ?? 0, groups: under(v.id) }));
    return { ...t, households: villages.reduce((n, v) => n + v.households, 0), villages };
  });
  return { county, townships };
}

export type RegionPage = NonNullable<Awaited<ReturnType<typeof getRegion>>>;

/** One township, village or group of the county with what its page offers; null outside the county. */
export async function getRegion({ scope, id }: { scope: Scope; id: string }) {
  assertCan(scope, "region.manage");
  const d = await db();
  const [row] = await d
    .select()
    .from(regions)
    .where(and(eq(regions.id, id), eq(regions.countyId, scope.countyId)));
  if (!row) return null;
  const parent = (await d.select().from(regions).where(eq(regions.id, row.parentId!)))[0];
  type Ref = { id: string; name: string; code: string };
  const [children, householdCount, activeUsers, coopCount, mergedInto, siblings] = await Promise.all([
    d
      .select({ id: regions.id, code: regions.code, name: regions.name, retiredAt: regions.retiredAt })
      .from(regions)
      .where(eq(regions.parentId, row.id))
      .orderBy(asc(regions.code)),
    householdsIn(d, row),
    row.level === "township" ? activeUsersIn(d, row.id) : Promise.resolve(0),
    row.level === "township" ? cooperativesIn(d, row.id) : Promise.resolve(0),
    row.mergedIntoId
      ? d
          .select({ id: regions.id, name: regions.name, code: regions.code })
          .from(regions)
          .where(eq(regions.id, row.mergedIntoId))
          .then((r): Ref | null => r[0] ?? null)
      : Promise.resolve<Ref | null>(null),
    row.level === "village" && !row.retiredAt
      ? d
          .select({ id: regions.id, name: regions.name, code: regions.code })
          .from(regions)
          .where(
            and(
              eq(regions.parentId, row.parentId!),
              eq(regions.level, "village"),
              isNull(regions.retiredAt),
              sql`${regions.id} <> ${row.id}`,
            ),
          )
          .orderBy(asc(regions.code))
      : Promise.resolve<Ref[]>([]),
  ]);
  const activeChildren = children.filter((c) => !c.retiredAt).length;
  const live = !row.retiredAt;
  const retireBlockers = live ? blockers(row.level, householdCount, activeChildren, activeUsers, coopCount) : [];
  const childLevel = CHILD[row.level] ?? null;
  return {
    region: row,
    parent: { id: parent.id, name: parent.name, code: parent.code, level: parent.level },
    children,
    childLevel,
    childCodeLength: childLevel ? CODE_LENGTH[childLevel] : null,
    households: householdCount,
    activeUsers,
    cooperatives: coopCount,
    mergedInto,
    siblings,
    retireBlockers,
    can: {
      rename: live,
      addChild: live && childLevel !== null,
      merge: live && row.level === "village" && siblings.length > 0,
      retire: live && retireBlockers.length === 0,
    },
  };
}

async function householdsIn(d: DbOrTx, region: Pick<Region, "id" | "level">): Promise<number> {
  const column =
    region.level === "township"
      ? households.townshipId
      : region.level === "village"
        ? households.villageId
        : households.groupId;
  const [{ n }] = await d.select({ n: count() }).from(households).where(eq(column, region.id));
  return Number(n);
}

async function activeUsersIn(d: DbOrTx, townshipId: string): Promise<number> {
  const [{ n }] = await d
    .select({ n: count() })
    .from(users)
    .where(and(eq(users.townshipId, townshipId), eq(users.active, true)));
  return Number(n);
}

async function cooperativesIn(d: DbOrTx, townshipId: string): Promise<number> {
  const [{ n }] = await d.select({ n: count() }).from(cooperatives).where(eq(cooperatives.townshipId, townshipId));
  return Number(n);
}

/** Why a region may not be retired now, as messages; none when it may. */
function blockers(level: Level, householdCount: number, activeChildren: number, activeUsers: number, coops: number) {
  const out: string[] = [];
  if (level === "county") out.push("regions.error.countyStays");
  if (householdCount > 0) out.push(message(`regions.error.retireHouseholds.${level}`, { count: householdCount }));
  // a village's groups go with it; a township's villages must each be merged or retired first
  if (level === "township" && activeChildren > 0)
    out.push(message("regions.error.retireVillages", { count: activeChildren }));
  if (activeUsers > 0) out.push(message("regions.error.retireUsers", { count: activeUsers }));
  if (coops > 0) out.push(message("regions.error.retireCooperatives", { count: coops }));
  return out;
}

// ---------- writing ----------

/** The row the page showed, locked for the change, in the county, at its version, not yet retired. */
async function lockRegion(tx: Tx, scope: Scope, id: string, version: number) {
  const [row] = await tx
    .select()
    .from(regions)
    .where(and(eq(regions.id, id), eq(regions.countyId, scope.countyId)))
    .for("update");
  if (!row) throw new NotFoundError("region");
  if (row.version !== version) throw new ConflictError("region");
  if (row.retiredAt) throw ValidationError.form("regions.error.retired");
  return row;
}

/** Two live regions side by side under one parent with one name would be told apart by nobody. */
async function assertNameFree(tx: Tx, parentId: string, name: string, except?: string) {
  const [same] = await tx
    .select({ id: regions.id })
    .from(regions)
    .where(
      and(
        eq(regions.parentId, parentId),
        eq(regions.name, name),
        isNull(regions.retiredAt),
        except ? sql`${regions.id} <> ${except}` : undefined,
      ),
    )
    .limit(1);
  if (same) throw ValidationError.field("name", "regions.error.nameTaken");
}

const audit = (scope: Scope, action: string, entityId: string, before: unknown, after: unknown): AuditEntry => ({
  countyId: scope.countyId,
  userId: scope.userId,
  action,
  entity: "region",
  entityId,
  before,
  after,
});

/** A township under the county, a village under a township, a group under a village. */
export async function createRegion({ scope, input }: { scope: Scope; input: RegionCreateInput }) {
  assertCan(scope, "region.manage");
  const d = await db();
  const taken = () => ValidationError.field("code", message("regions.error.codeTaken", { code: input.code }));
  try {
    return await d.transaction(async (tx) => {
      const [parent] = await tx
        .select()
        .from(regions)
        .where(and(eq(regions.id, input.parentId), inCounty(scope)))
        .for("update");
      if (!parent) throw new NotFoundError("region");
      const level = CHILD[parent.level];
      if (!level) throw ValidationError.field("parentId", "field.choice");
      if (parent.retiredAt) throw ValidationError.form("regions.error.parentRetired");
      const problem = codeProblem(input.code, level, parent.code);
      if (problem) throw ValidationError.field("code", problem);
      const [existing] = await tx.select({ id: regions.id }).from(regions).where(eq(regions.code, input.code));
      if (existing) throw taken();
      await assertNameFree(tx, parent.id, input.name);
      const [created] = await tx
        .insert(regions)
        .values({
          code: input.code,
          name: input.name,
          nameEn: input.nameEn,
          level,
          parentId: parent.id,
          countyId: scope.countyId,
        })
        .returning();
      await writeAudit(tx, audit(scope, "region.create", created.id, null, created));
      return { id: created.id };
    });
  } catch (error) {
    if (isUniqueViolation(error, "regions_code_uq")) throw taken();
    throw error;
  }
}

export async function renameRegion({
  scope,
  id,
  version,
  input,
}: {
  scope: Scope;
  id: string;
  version: number;
  input: RegionRenameInput;
}) {
  assertCan(scope, "region.manage");
  const d = await db();
  return d.transaction(async (tx) => {
    const before = await lockRegion(tx, scope, id, version);
    if (before.name !== input.name) await assertNameFree(tx, before.parentId!, input.name, before.id);
    const [after] = await tx
      .update(regions)
      .set({ name: input.name, nameEn: input.nameEn, version: sql`${regions.version} + 1` })
      .where(and(eq(regions.id, before.id), eq(regions.version, before.version)))
      .returning();
    if (!after) throw new ConflictError("region");
    await writeAudit(tx, audit(scope, "region.rename", after.id, before, after));
    return { id: after.id, version: after.version };
  });
}

/**
 * Merge a village into another of the same township: its households (each keeping its record, plans,
 * visits and history, which hang on the household), its groups and the cooperatives based there go to
 * the surviving village; the merged one is retired, pointing at it. Each household's history shows the move.
 */
export async function mergeVillage({
  scope,
  id,
  version,
  intoId,
}: {
  scope: Scope;
  id: string;
  version: number;
  intoId: string;
}) {
  assertCan(scope, "region.manage");
  const d = await db();
  return d.transaction(async (tx) => {
    // both rows locked in one order, so two merges crossing each other wait instead of deadlocking
    const locked = await tx
      .select()
      .from(regions)
      .where(and(inArray(regions.id, [id, intoId]), eq(regions.countyId, scope.countyId)))
      .orderBy(asc(regions.id))
      .for("update");
    const source = locked.find((r) => r.id === id);
    if (!source) throw new NotFoundError("region");
    if (source.version !== version) throw new ConflictError("region");
    if (source.retiredAt) throw ValidationError.form("regions.error.retired");
    if (source.level !== "village") throw ValidationError.form("regions.error.mergeVillagesOnly");
    const target = locked.find((r) => r.id === intoId);
    if (
      !target ||
      target.id === source.id ||
      target.level !== "village" ||
      target.parentId !== source.parentId ||
      target.retiredAt
    )
      throw ValidationError.field("intoId", "regions.error.mergeTarget");

    // groups: renumbered under the surviving village, their code starting with its code like every code
    const [moving, staying] = await Promise.all([
      tx.select().from(regions).where(eq(regions.parentId, source.id)).orderBy(asc(regions.code)).for("update"),
      tx.select().from(regions).where(eq(regions.parentId, target.id)),
    ]);
    const suffixLength = CODE_LENGTH.group - CODE_LENGTH.village;
    let nextNumber = staying.reduce((max, g) => Math.max(max, Number(g.code.slice(target.code.length)) || 0), 0) + 1;
    const names = new Set(staying.filter((g) => !g.retiredAt).map((g) => g.name));
    const groupMoves: { id: string; before: { code: string; name: string }; after: { code: string; name: string } }[] =
      [];
    for (const group of moving) {
      if (nextNumber >= 10 ** suffixLength) throw ValidationError.form("regions.error.tooManyGroups");
      const code = `${target.code}${String(nextNumber++).padStart(suffixLength, "0")}`;
      // 一组 of each village: the moved one is told apart by the village it came from
      const name = names.has(group.name) ? `${source.name}${group.name}` : group.name;
      if (!group.retiredAt) names.add(name);
      await tx
        .update(regions)
        .set({ parentId: target.id, code, name, version: sql`${regions.version} + 1` })
        .where(eq(regions.id, group.id));
      groupMoves.push({ id: group.id, before: { code: group.code, name: group.name }, after: { code, name } });
    }

    const moved = await tx
      .update(households)
      .set({ villageId: target.id, version: sql`${households.version} + 1`, updatedAt: new Date() })
      .where(eq(households.villageId, source.id))
      .returning({ id: households.id, code: households.code, groupId: households.groupId });
    const coops = await tx
      .update(cooperatives)
      .set({ villageId: target.id, version: sql`${cooperatives.version} + 1`, updatedAt: new Date() })
      .where(eq(cooperatives.villageId, source.id))
      .returning({ id: cooperatives.id, name: cooperatives.name });

    const [retired] = await tx
      .update(regions)
      .set({ retiredAt: new Date(), mergedIntoId: target.id, version: sql`${regions.version} + 1` })
      .where(and(eq(regions.id, source.id), eq(regions.version, source.version)))
      .returning();
    if (!retired) throw new ConflictError("region");

    const from = { villageId: source.id, village: source.name, code: source.code };
    const to = { villageId: target.id, village: target.name, code: target.code };
    const summary = { households: moved.length, groups: groupMoves, cooperatives: coops };
    await writeAudits(tx, [
      audit(scope, "region.merge", source.id, source, { ...retired, into: to, ...summary }),
      audit(scope, "region.merge_into", target.id, null, { from, ...summary }),
      ...moved.map((h) => ({
        countyId: scope.countyId,
        userId: scope.userId,
        action: "household.village_merge",
        entity: "household" as const,
        entityId: h.id,
        householdId: h.id,
        before: from,
        after: to,
      })),
      ...coops.map((c) => ({
        countyId: scope.countyId,
        userId: scope.userId,
        action: "cooperative.village_merge",
        entity: "cooperative" as const,
        entityId: c.id,
        before: from,
        after: to,
      })),
    ]);
    return { id: target.id, households: moved.length, groups: groupMoves.length, cooperatives: coops.length };
  });
}

/** Retire a region nobody is in any more; a village's groups retire with it. */
export async function retireRegion({ scope, id, version }: { scope: Scope; id: string; version: number }) {
  assertCan(scope, "region.manage");
  const d = await db();
  return d.transaction(async (tx) => {
    const before = await lockRegion(tx, scope, id, version);
    // households are locked out of a village while a new one is registered there (its row is locked for
    // update by the registration), so the count below cannot be overtaken
    const [householdCount, children, activeUsers, coops] = await Promise.all([
      householdsIn(tx, before),
      tx
        .select({ id: regions.id })
        .from(regions)
        .where(and(eq(regions.parentId, before.id), isNull(regions.retiredAt))),
      before.level === "township" ? activeUsersIn(tx, before.id) : Promise.resolve(0),
      before.level === "township" ? cooperativesIn(tx, before.id) : Promise.resolve(0),
    ]);
    const problems = blockers(before.level, householdCount, children.length, activeUsers, coops);
    if (problems.length > 0) throw new ValidationError({}, problems);
    const now = new Date();
    const [after] = await tx
      .update(regions)
      .set({ retiredAt: now, version: sql`${regions.version} + 1` })
      .where(and(eq(regions.id, before.id), eq(regions.version, before.version)))
      .returning();
    if (!after) throw new ConflictError("region");
    const entries = [audit(scope, "region.retire", after.id, before, after)];
    if (before.level === "village" && children.length > 0) {
      const groups = await tx
        .update(regions)
        .set({ retiredAt: now, version: sql`${regions.version} + 1` })
        .where(
          inArray(
            regions.id,
            children.map((c) => c.id),
          ),
        )
        .returning();
      for (const g of groups) entries.push(audit(scope, "region.retire", g.id, { ...g, retiredAt: null }, g));
    }
    await writeAudits(tx, entries);
    return { id: after.id, version: after.version };
  });
}

// ---------- loading the codes from a CSV ----------

export type RegionCsvProblem = { row: number; code?: string; message: string };
export type RegionCsvAdd = { row: number; code: string; name: string; nameEn: string | null; level: Level };
export type RegionCsvRename = {
  row: number;
  id: string;
  code: string;
  level: Level;
  before: { name: string; nameEn: string | null };
  after: { name: string; nameEn: string | null };
};
export type RegionCsvPlan = {
  rows: number;
  adds: RegionCsvAdd[];
  renames: RegionCsvRename[];
  unchanged: number;
  errors: RegionCsvProblem[];
  /** what would change, fingerprinted: the commit refuses when it is no longer what the dry run showed */
  fingerprint: string;
};

export const REGION_CSV_MAX_ROWS = 20_000;
/** the rows shown per list on the page; the counts are always whole */
export const REGION_CSV_SHOWN = 300;

const HEADERS: Record<"code" | "name" | "nameEn", string[]> = {
  code: ["code", "代码", "区划代码", "统计用区划代码", "编码"],
  name: ["name", "名称", "区划名称", "名字"],
  nameEn: ["name_en", "nameen", "英文名", "英文名称", "english"],
};

/** GB/T 2260 extended to 12 digits pads a county with 000000 and a township with 000: both are accepted. */
function normaliseCode(raw: string): string {
  const code = raw.replace(/[\s\u3000]/g, "");
  if (/^\d{12}$/.test(code)) {
    if (code.endsWith("000000")) return code.slice(0, 6);
    if (code.endsWith("000")) return code.slice(0, 9);
  }
  return code;
}

type CsvLine = { row: number; code: string; name: string; nameEn: string | null };

function readLines(text: string): CsvLine[] {
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: false });
  const table = parsed.data;
  let start = 0;
  let columns = { code: 0, name: 1, nameEn: 2 as number | -1 };
  const first = table.findIndex((r) => r.some((c) => c.trim() !== ""));
  if (first < 0) throw ValidationError.field("file", "regions.csv.error.empty");
  const head = table[first].map((c) => c.trim().toLowerCase());
  if (!/^\d/.test(head[0] ?? "")) {
    const find = (names: string[]) => head.findIndex((h) => names.includes(h));
    columns = { code: find(HEADERS.code), name: find(HEADERS.name), nameEn: find(HEADERS.nameEn) };
    if (columns.code < 0 || columns.name < 0) throw ValidationError.field("file", "regions.csv.error.header");
    start = first + 1;
  }
  const lines: CsvLine[] = [];
  for (let i = start; i < table.length; i++) {
    const cells = table[i];
    if (!cells.some((c) => c.trim() !== "")) continue;
    const cell = (j: number) => (j >= 0 ? (cells[j] ?? "").replace(/\u3000/g, " ").trim() : "");
    lines.push({
      row: i + 1,
      code: cell(columns.code),
      name: cell(columns.name),
      nameEn: cell(columns.nameEn) || null,
    });
    if (lines.length > REGION_CSV_MAX_ROWS)
      throw ValidationError.field("file", message("regions.csv.error.tooManyRows", { max: REGION_CSV_MAX_ROWS }));
  }
  if (lines.length === 0) throw ValidationError.field("file", "regions.csv.error.empty");
  return lines;
}

/** What the file would add and rename in the county, and every row that is wrong, by its row number. */
async function planCsv(d: DbOrTx, scope: Scope, text: string): Promise<RegionCsvPlan> {
  const lines = readLines(text);
  const known = await d
    .select({
      id: regions.id,
      code: regions.code,
      name: regions.name,
      nameEn: regions.nameEn,
      level: regions.level,
      parentId: regions.parentId,
      retiredAt: regions.retiredAt,
    })
    .from(regions)
    .where(inCounty(scope));
  const county = known.find((r) => r.id === scope.countyId);
  if (!county) throw new NotFoundError("region");
  const byCode = new Map(known.map((r) => [r.code, r]));
  const byId = new Map(known.map((r) => [r.id, r]));
  // codes used anywhere else (another county's rows) are not free either
  const elsewhere = new Set(
    (
      await d
        .select({ code: regions.code })
        .from(regions)
        .where(
          and(
            inArray(regions.code, [...new Set(lines.map((l) => normaliseCode(l.code)))].slice(0, REGION_CSV_MAX_ROWS)),
            sql`coalesce(${regions.countyId}, ${regions.id}) <> ${scope.countyId}`,
          ),
        )
    ).map((r) => r.code),
  );

  const errors: RegionCsvProblem[] = [];
  const firstRow = new Map<string, number>();
  const valid: (CsvLine & { level: Level })[] = [];
  for (const line of lines) {
    const code = normaliseCode(line.code);
    const wrong = (key: string, vars?: Record<string, string | number>) =>
      errors.push({ row: line.row, code: line.code, message: message(key, vars) });
    if (!code) {
      wrong("regions.csv.error.noCode");
      continue;
    }
    if (!/^\d+$/.test(code)) {
      wrong("regions.error.codeDigits");
      continue;
    }
    const level = LEVEL_BY_LENGTH.get(code.length);
    if (!level) {
      wrong("regions.csv.error.codeLength");
      continue;
    }
    if (!code.startsWith(county.code)) {
      wrong("regions.csv.error.otherCounty", { county: county.code });
      continue;
    }
    const seen = firstRow.get(code);
    if (seen !== undefined) {
      wrong("regions.csv.error.duplicate", { row: seen });
      continue;
    }
    firstRow.set(code, line.row);
    if (!line.name) {
      wrong("regions.csv.error.noName");
      continue;
    }
    if (line.name.length > REGION_NAME_MAX) {
      wrong("field.tooLong", { max: REGION_NAME_MAX });
      continue;
    }
    if (line.nameEn && line.nameEn.length > REGION_NAME_EN_MAX) {
      wrong("field.tooLong", { max: REGION_NAME_EN_MAX });
      continue;
    }
    if (elsewhere.has(code)) {
      wrong("regions.error.codeTaken", { code });
      continue;
    }
    valid.push({ ...line, code, level });
  }

  const adds: RegionCsvAdd[] = [];
  const renames: RegionCsvRename[] = [];
  let unchanged = 0;
  // the names that will stand beside each other under each parent code, to refuse a second 一组
  const namesUnder = new Map<string, Map<string, string>>();
  const nameIn = (parentCode: string) => {
    let names = namesUnder.get(parentCode);
    if (!names) {
      const parent = byCode.get(parentCode);
      names = new Map(
        known
          .filter((r) => parent && r.parentId === parent.id && !r.retiredAt)
          .map((r) => [r.name, r.code] as [string, string]),
      );
      namesUnder.set(parentCode, names);
    }
    return names;
  };
  const adding = new Set<string>();
  // parents before children, so a village's township added in the same file is known when the village is read
  for (const line of valid.sort((a, b) => a.code.length - b.code.length || a.row - b.row)) {
    const wrong = (key: string, vars?: Record<string, string | number>) =>
      errors.push({ row: line.row, code: line.code, message: message(key, vars) });
    const existing = byCode.get(line.code);
    if (line.level === "county") {
      // the county itself is the administrator's account, not the file's to rename
      unchanged++;
      continue;
    }
    const parentCode = line.code.slice(0, line.code.length - (line.level === "group" ? 2 : 3));
    if (existing) {
      if (existing.retiredAt) {
        if (existing.name !== line.name) wrong("regions.csv.error.retired");
        else unchanged++;
        continue;
      }
      const nameEn = line.nameEn ?? existing.nameEn;
      if (existing.name === line.name && existing.nameEn === nameEn) {
        unchanged++;
        continue;
      }
      const parent = existing.parentId ? byId.get(existing.parentId) : undefined;
      const names = nameIn(parent?.code ?? parentCode);
      const holder = names.get(line.name);
      if (holder && holder !== line.code) {
        wrong("regions.csv.error.nameTaken", { name: line.name });
        continue;
      }
      names.delete(existing.name);
      names.set(line.name, line.code);
      renames.push({
        row: line.row,
        id: existing.id,
        code: line.code,
        level: existing.level,
        before: { name: existing.name, nameEn: existing.nameEn },
        after: { name: line.name, nameEn },
      });
      continue;
    }
    const parent = byCode.get(parentCode);
    if (parent?.retiredAt) {
      wrong("regions.error.parentRetired");
      continue;
    }
    if (!parent && !adding.has(parentCode)) {
      wrong("regions.csv.error.orphan", { parent: parentCode });
      continue;
    }
    const names = nameIn(parentCode);
    if (names.has(line.name)) {
      wrong("regions.csv.error.nameTaken", { name: line.name });
      continue;
    }
    names.set(line.name, line.code);
    adding.add(line.code);
    adds.push({ row: line.row, code: line.code, name: line.name, nameEn: line.nameEn, level: line.level });
  }
  errors.sort((a, b) => a.row - b.row);
  const fingerprint = crypto
    .createHash("sha256")
    .update(
      JSON.stringify({ adds: adds.map(({ row: _r, ...a }) => a), renames: renames.map(({ row: _r, ...r }) => r) }),
    )
    .digest("hex");
  return { rows: lines.length, adds, renames, unchanged, errors, fingerprint };
}

/** The dry run: the file decoded as the registry import decodes it (UTF-8 with or without BOM, else GBK). */
export async function dryRunRegionCsv({ scope, bytes }: { scope: Scope; bytes: Uint8Array }) {
  assertCan(scope, "region.manage");
  const { text, encoding } = decodeCsv(bytes);
  const plan = await planCsv(await db(), scope, text);
  return { text, encoding, plan };
}

/**
 * The commit, all or nothing: the file is read again inside the transaction, under a lock on the county
 * row that every CSV commit takes, and written only when no row is wrong and what would change is what the
 * dry run showed (its fingerprint); else nothing is written.
 */
export async function commitRegionCsv({
  scope,
  text,
  fingerprint,
}: {
  scope: Scope;
  text: string;
  fingerprint: string;
}) {
  assertCan(scope, "region.manage");
  const d = await db();
  try {
    return await d.transaction(async (tx) => {
      await tx.select({ id: regions.id }).from(regions).where(eq(regions.id, scope.countyId)).for("update");
      const plan = await planCsv(tx, scope, text);
      if (plan.errors.length > 0) throw ValidationError.form("regions.csv.error.stillWrong");
      if (plan.fingerprint !== fingerprint) throw new ConflictError("region");
      const ids = new Map(
        (await tx.select({ id: regions.id, code: regions.code }).from(regions).where(inCounty(scope))).map((r) => [
          r.code,
          r.id,
        ]),
      );
      const entries: AuditEntry[] = [];
      // one level at a time: each insert finds its parents among the rows already there
      for (const level of ["township", "village", "group"] as const) {
        const batch = plan.adds.filter((a) => a.level === level);
        for (let i = 0; i < batch.length; i += 500) {
          const created = await tx
            .insert(regions)
            .values(
              batch.slice(i, i + 500).map((a) => ({
                code: a.code,
                name: a.name,
                nameEn: a.nameEn,
                level: a.level,
                parentId: ids.get(a.code.slice(0, a.code.length - (a.level === "group" ? 2 : 3)))!,
                countyId: scope.countyId,
              })),
            )
            .returning();
          for (const r of created) {
            ids.set(r.code, r.id);
            entries.push(audit(scope, "region.create", r.id, null, { ...r, source: "csv" }));
          }
        }
      }
      for (const r of plan.renames) {
        const [before] = await tx.select().from(regions).where(eq(regions.id, r.id)).for("update");
        const [after] = await tx
          .update(regions)
          .set({ name: r.after.name, nameEn: r.after.nameEn, version: sql`${regions.version} + 1` })
          .where(and(eq(regions.id, r.id), eq(regions.version, before.version)))
          .returning();
        entries.push(audit(scope, "region.rename", r.id, before, { ...after, source: "csv" }));
      }
      await writeAudits(tx, entries);
      return { added: plan.adds.length, renamed: plan.renames.length };
    });
  } catch (error) {
    // a code taken between the read and the insert, by a region added from the page meanwhile
    if (isUniqueViolation(error, "regions_code_uq")) throw new ConflictError("region");
    throw error;
  }
}
