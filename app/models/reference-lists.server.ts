// The lists a plan, an order and a household choose from — crops, animals, poverty causes — kept by the
// county's administrator (docs/decisions/033-reference-lists.md):
// - a code is short lowercase ASCII, given once and never changed nor reused: exports, imports and old
//   records keep meaning one thing. The names may change; the pages read them from the list;
// - an entry is never deleted: retired, it is offered for no new choice (plan editor, order form, household
//   form, registry import), and the plans, orders and households that use it still show its name, marked
//   已停用; a plan that uses it can still be saved with it. Restored, it is offered again;
// - two live entries of one list never share a Chinese name (a choice could not tell them apart): checked
//   here with the message, held by a partial unique index under concurrent requests;
// - every write is one transaction, on the row the page showed (its version), audited with before and after.
import { and, asc, count, countDistinct, eq, isNull, ne, sql } from "drizzle-orm";
import type { DbOrTx, Tx } from "../../db/client";
import {
  animals,
  crops,
  households,
  plantingItems,
  povertyCauses,
  purchaseOrders,
  raisingItems,
} from "../../db/schema";
import { message } from "~/schemas/fields";
import type { ReferenceAddInput, ReferenceListName, ReferenceRenameInput } from "~/schemas/reference-lists";
import { REFERENCE_LISTS } from "~/schemas/reference-lists";
import { db } from "~/utils/db.server";
import type { ReferenceEntry } from "~/utils/reference";
import { writeAudit } from "./audit.server";
import { calendarOf } from "./calendar.server";
import { ConflictError, NotFoundError, ValidationError, isUniqueViolation } from "./errors.server";
import { assertCan, careDetail, type Scope } from "./scope.server";

// The three tables have the same columns; one of them types the queries every list shares.
type ListTable = typeof crops;
const TABLES: Record<ReferenceListName, ListTable> = {
  crops,
  animals: animals as unknown as ListTable,
  povertyCauses: povertyCauses as unknown as ListTable,
};
const NAME_INDEX: Record<ReferenceListName, string> = {
  crops: "crops_name_zh_live_uq",
  animals: "animals_name_zh_live_uq",
  povertyCauses: "poverty_causes_name_zh_live_uq",
};
const PKEY: Record<ReferenceListName, string> = {
  crops: "crops_pkey",
  animals: "animals_pkey",
  povertyCauses: "poverty_causes_pkey",
};

export type { ReferenceEntry };

// ---------- choices ----------

/**
 * What a form offers from a list: the live entries in their order, and those of `keep` (the codes the
 * record being edited already uses) even when retired, marked so, so that saving the record does not
 * force them off it.
 */
export async function choicesOf(
  d: DbOrTx,
  list: ReferenceListName,
  keep: readonly string[] = [],
): Promise<ReferenceEntry[]> {
  const t = TABLES[list];
  const kept = [...new Set(keep)];
  const rows = await d
    .select({ code: t.code, nameZh: t.nameZh, nameEn: t.nameEn, retiredAt: t.retiredAt })
    .from(t)
    .where(
      kept.length
        ? sql`(${t.retiredAt} is null or ${t.code} = any(${`{${kept.map(quoteArrayItem).join(",")}}`}::text[]))`
        : isNull(t.retiredAt),
    )
    .orderBy(asc(t.sortOrder), asc(t.code));
  return rows.map(({ retiredAt, ...r }) => ({ ...r, retired: retiredAt !== null }));
}

/** Every entry of the list, retired ones marked: for a filter over old records and the names they show. */
export async function allEntries(d: DbOrTx, list: ReferenceListName): Promise<ReferenceEntry[]> {
  const t = TABLES[list];
  const rows = await d
    .select({ code: t.code, nameZh: t.nameZh, nameEn: t.nameEn, retiredAt: t.retiredAt })
    .from(t)
    .orderBy(asc(t.sortOrder), asc(t.code));
  return rows.map(({ retiredAt, ...r }) => ({ ...r, retired: retiredAt !== null }));
}

/** Codes are checked before they reach here, but an array literal is quoted all the same. */
const quoteArrayItem = (v: string) => `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`;

/** The crops and animals a plan editor offers, keeping those the plan being edited already has. */
export async function planChoices(keep: { crops: readonly string[]; animals: readonly string[] }) {
  const d = await db();
  const [cropRows, animalRows] = await Promise.all([
    choicesOf(d, "crops", keep.crops),
    choicesOf(d, "animals", keep.animals),
  ]);
  return { crops: cropRows, animals: animalRows };
}

/** The live poverty causes' Chinese names, in order: what an import file may name. */
export async function liveCauseNames() {
  return (await choicesOf(await db(), "povertyCauses")).map((c) => c.nameZh);
}

/** The poverty causes a household form offers, keeping the one the household being edited has. */
export async function causeChoices(current?: string | null) {
  return choicesOf(await db(), "povertyCauses", current ? [current] : []);
}

/**
 * The codes of `codes` that may be chosen: live ones, and retired ones the record had before (`kept`).
 * Anything else — unknown, or retired and new to the record — is refused by the caller with its own message.
 */
export async function allowedCodes(
  tx: DbOrTx,
  list: ReferenceListName,
  codes: readonly string[],
  kept: readonly string[] = [],
): Promise<Set<string>> {
  const asked = [...new Set(codes)];
  if (!asked.length) return new Set();
  const t = TABLES[list];
  // shared locks: an entry retired meanwhile waits for this write, which then used it while it was live
  const rows = await tx
    .select({ code: t.code, retiredAt: t.retiredAt })
    .from(t)
    .where(sql`${t.code} = any(${`{${asked.map(quoteArrayItem).join(",")}}`}::text[])`)
    .for("share");
  const keptSet = new Set(kept);
  return new Set(rows.filter((r) => r.retiredAt === null || keptSet.has(r.code)).map((r) => r.code));
}

/** A household's poverty cause, when it may be chosen: a live one, or the one the household has already. */
export async function assertCauseAllowed(tx: DbOrTx, code: string, current?: string) {
  const allowed = await allowedCodes(tx, "povertyCauses", [code], current ? [current] : []);
  if (!allowed.has(code)) throw ValidationError.field("povertyCause", "field.choice");
}

/** The names of a household's poverty cause (joined on povertyCauses), for a role that sees it, null for others. */
export const causeNames = (scope: Scope) => ({
  causeZh: careDetail(scope, povertyCauses.nameZh),
  causeEn: careDetail(scope, povertyCauses.nameEn),
  causeRetiredAt: careDetail(scope, povertyCauses.retiredAt),
});

// ---------- the administrator's page ----------

export type ReferenceListsPage = Awaited<ReturnType<typeof referenceListsPage>>;

/** One list with each entry's use in the administrator's county: plans (and orders) or households. */
export async function referenceListsPage({ scope, list }: { scope: Scope; list: ReferenceListName }) {
  assertCan(scope, "reference.manage");
  const d = await db();
  const t = TABLES[list];
  const [rows, uses] = await Promise.all([
    d.select().from(t).orderBy(asc(t.sortOrder), asc(t.code)),
    usesIn(d, scope.countyId, list),
  ]);
  return {
    list,
    lists: REFERENCE_LISTS,
    entries: rows.map((r) => ({
      code: r.code,
      nameZh: r.nameZh,
      nameEn: r.nameEn,
      version: r.version,
      retiredAt: r.retiredAt ? r.retiredAt.toISOString() : null,
      plans: uses.plans.get(r.code) ?? 0,
      orders: uses.orders.get(r.code) ?? 0,
      households: uses.households.get(r.code) ?? 0,
      calendar: list === "povertyCauses" ? null : calendarOf(list, r),
      can: { rename: true, retire: r.retiredAt === null, restore: r.retiredAt !== null },
    })),
  };
}

/** How many of the county's plans, orders or households name each code of the list. */
async function usesIn(d: DbOrTx, countyId: string, list: ReferenceListName) {
  const none = new Map<string, number>();
  const tally = (rows: { code: string; n: number }[]) => new Map(rows.map((r) => [r.code, Number(r.n)]));
  switch (list) {
    case "crops": {
      const [planRows, orderRows] = await Promise.all([
        d
          .select({ code: plantingItems.cropCode, n: countDistinct(plantingItems.planId) })
          .from(plantingItems)
          .where(eq(plantingItems.countyId, countyId))
          .groupBy(plantingItems.cropCode),
        d
          .select({ code: purchaseOrders.cropCode, n: count() })
          .from(purchaseOrders)
          .where(eq(purchaseOrders.countyId, countyId))
          .groupBy(purchaseOrders.cropCode),
      ]);
      return { plans: tally(planRows), orders: tally(orderRows), households: none };
    }
    case "animals": {
      const planRows = await d
        .select({ code: raisingItems.animalCode, n: countDistinct(raisingItems.planId) })
        .from(raisingItems)
        .where(eq(raisingItems.countyId, countyId))
        .groupBy(raisingItems.animalCode);
      return { plans: tally(planRows), orders: none, households: none };
    }
    case "povertyCauses": {
      const householdRows = await d
        .select({ code: households.povertyCause, n: count() })
        .from(households)
        .where(eq(households.countyId, countyId))
        .groupBy(households.povertyCause);
      return { plans: none, orders: none, households: tally(householdRows) };
    }
  }
}

// ---------- writing ----------

const audit = (scope: Scope, action: string, list: ReferenceListName, before: unknown, after: unknown) => ({
  countyId: scope.countyId,
  userId: scope.userId,
  action: `reference.${action}`,
  entity: "reference" as const,
  entityId: null,
  before: before && { list, ...before },
  after: after && { list, ...after },
});

/** No live entry of the list but `except` has this Chinese name. */
async function assertNameFree(tx: Tx, list: ReferenceListName, nameZh: string, except?: string) {
  const t = TABLES[list];
  const [same] = await tx
    .select({ code: t.code })
    .from(t)
    .where(and(eq(t.nameZh, nameZh), isNull(t.retiredAt), except ? ne(t.code, except) : undefined))
    .limit(1);
  if (same) throw nameTaken(nameZh);
}
const nameTaken = (name: string) => ValidationError.field("nameZh", message("reference.error.nameTaken", { name }));

/** The entry the page showed, locked for the change, at its version. */
async function lockEntry(tx: Tx, list: ReferenceListName, code: string, version: number) {
  const t = TABLES[list];
  const [row] = await tx.select().from(t).where(eq(t.code, code)).for("update");
  if (!row) throw new NotFoundError("reference");
  if (row.version !== version) throw new ConflictError("reference");
  return row;
}

/** A new entry, after the list's others (its "other" entry stays last). */
export async function addEntry({ scope, input }: { scope: Scope; input: ReferenceAddInput }) {
  assertCan(scope, "reference.manage");
  const { list, code, nameZh } = input;
  const nameEn = input.nameEn ?? nameZh;
  const t = TABLES[list];
  const codeTaken = () => ValidationError.field("code", message("reference.error.codeTaken", { code }));
  const d = await db();
  try {
    return await d.transaction(async (tx) => {
      const [existing] = await tx.select({ code: t.code }).from(t).where(eq(t.code, code));
      // a retired code too: a code once used keeps meaning that entry
      if (existing) throw codeTaken();
      await assertNameFree(tx, list, nameZh);
      const [{ last }] = await tx
        .select({ last: sql<number>`coalesce(max(${t.sortOrder}) filter (where ${t.code} <> 'other'), 0)` })
        .from(t);
      const sortOrder = Number(last) + 1;
      // "other" is kept after every other entry
      await tx
        .update(t)
        .set({ sortOrder: sql`greatest(${t.sortOrder}, ${sortOrder + 1})` })
        .where(eq(t.code, "other"));
      const [created] = await tx.insert(t).values({ code, nameZh, nameEn, sortOrder }).returning();
      await writeAudit(tx, audit(scope, "add", list, null, created));
      return { code: created.code };
    });
  } catch (error) {
    if (isUniqueViolation(error, PKEY[list])) throw codeTaken();
    if (isUniqueViolation(error, NAME_INDEX[list])) throw nameTaken(nameZh);
    throw error;
  }
}

/** New names for an entry; its code stays. */
export async function renameEntry({ scope, input }: { scope: Scope; input: ReferenceRenameInput }) {
  assertCan(scope, "reference.manage");
  const { list, code, version, nameZh } = input;
  const t = TABLES[list];
  const d = await db();
  try {
    return await d.transaction(async (tx) => {
      const before = await lockEntry(tx, list, code, version);
      if (!before.retiredAt && before.nameZh !== nameZh) await assertNameFree(tx, list, nameZh, code);
      const [after] = await tx
        .update(t)
        .set({ nameZh, nameEn: input.nameEn ?? nameZh, version: sql`${t.version} + 1`, updatedAt: new Date() })
        .where(and(eq(t.code, code), eq(t.version, version)))
        .returning();
      if (!after) throw new ConflictError("reference");
      await writeAudit(tx, audit(scope, "rename", list, before, after));
      return { code, version: after.version };
    });
  } catch (error) {
    if (isUniqueViolation(error, NAME_INDEX[list])) throw nameTaken(nameZh);
    throw error;
  }
}

/** Offered for no new choice from now on; the records that use it keep it and still show its name. */
export async function retireEntry(args: { scope: Scope; list: ReferenceListName; code: string; version: number }) {
  return setRetired({ ...args, retired: true });
}

/** Offered again; refused while a live entry has taken its Chinese name. */
export async function restoreEntry(args: { scope: Scope; list: ReferenceListName; code: string; version: number }) {
  return setRetired({ ...args, retired: false });
}

async function setRetired({
  scope,
  list,
  code,
  version,
  retired,
}: {
  scope: Scope;
  list: ReferenceListName;
  code: string;
  version: number;
  retired: boolean;
}) {
  assertCan(scope, "reference.manage");
  const t = TABLES[list];
  const d = await db();
  let name = "";
  try {
    return await d.transaction(async (tx) => {
      const before = await lockEntry(tx, list, code, version);
      name = before.nameZh;
      if (retired && before.retiredAt) throw ValidationError.form("reference.error.alreadyRetired");
      if (!retired && !before.retiredAt) throw ValidationError.form("reference.error.notRetired");
      if (!retired) await assertNameFree(tx, list, before.nameZh, code).catch(() => restoreBlocked(before.nameZh));
      const [after] = await tx
        .update(t)
        .set({ retiredAt: retired ? new Date() : null, version: sql`${t.version} + 1`, updatedAt: new Date() })
        .where(and(eq(t.code, code), eq(t.version, version)))
        .returning();
      if (!after) throw new ConflictError("reference");
      await writeAudit(tx, audit(scope, retired ? "retire" : "restore", list, before, after));
      return { code, version: after.version };
    });
  } catch (error) {
    if (isUniqueViolation(error, NAME_INDEX[list])) restoreBlocked(name);
    throw error;
  }
}

function restoreBlocked(name: string): never {
  throw ValidationError.form(message("reference.error.restoreNameTaken", { name }));
}
