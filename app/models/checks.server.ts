// Progress checks (走访): recorded only by the cadre in charge or an official of the township; never
// edited after a set time, only corrected by a new entry that points to the one it corrects.
import { and, count, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import { queryRows, type Tx } from "../../db/client";
import { checkPhotos, checks, households, plans, regions, users } from "../../db/schema";
import { can, type ScopeWith } from "~/permissions";
import type { CheckInput } from "~/schemas/check";
import { todayISO } from "~/utils/dates";
import { db } from "~/utils/db.server";
import { pageOf, type ListPage, type SortDir } from "~/utils/list-params";
import type { HouseholdChecksParams, OverdueListParams } from "~/utils/lists";
import { writeAudit } from "./audit.server";
import { dueIntervals, dueOfSql, overdueSql, visitStateJoin } from "./due.server";
import { ForbiddenError, NotFoundError, ValidationError } from "./errors.server";
import { checkUploads, readPhoto, removeCheckPhotos, storePhotos, type PhotoUpload } from "./photos.server";
import { assertCan, careDetail, householdInScope, type Scope } from "./scope.server";
import { settingsFor } from "./settings.server";

export async function recordCheck({
  scope,
  householdId,
  input,
  photos = [],
  today,
}: {
  scope: Scope;
  householdId: string;
  input: CheckInput;
  photos?: PhotoUpload[];
  today: string;
}) {
  assertCan(scope, "check.record");
  const { planVersion, planAcknowledged, ...fields } = input;
  // sent again (a sync whose answer was lost): the check its first post recorded, whoever holds the household now
  const earlier = fields.clientId ? await checkByClientId(scope.userId, fields.clientId) : undefined;
  if (earlier) return { ...earlier, duplicate: true as const };
  if (input.visitedOn > today) throw ValidationError.field("visitedOn", "check.error.visitInFuture");
  if (input.nextDueOn && input.nextDueOn < input.visitedOn) {
    throw ValidationError.field("nextDueOn", "check.error.nextDueBeforeVisit");
  }
  const problems = await checkUploads(photos);
  if (Object.keys(problems).length) throw new ValidationError({ photos: Object.values(problems) });

  const d = await db();
  const checkId = crypto.randomUUID();
  let stored = false;
  try {
    return await d.transaction(async (tx) => {
      // a cadre's scope is the households in their charge now: that is the "cadre in charge" rule
      const [household] = await tx
        .select({ id: households.id, countyId: households.countyId })
        .from(households)
        .where(and(eq(households.id, householdId), householdInScope(scope)))
        .for("update", { of: households });
      if (!household) throw new NotFoundError("household");
      if (input.correctsCheckId) {
        const [original] = await tx
          .select({ id: checks.id })
          .from(checks)
          .where(and(eq(checks.id, input.correctsCheckId), eq(checks.householdId, householdId)));
        if (!original) throw ValidationError.form("check.error.correctsUnknown");
      }
      const [plan] = await tx
        .select({ id: plans.id, version: plans.version })
        .from(plans)
        .where(and(eq(plans.householdId, householdId), eq(plans.year, Number(input.visitedOn.slice(0, 4)))));
      // the form showed this year's plan: a visit of another year was not written against it
      const sameYear = input.visitedOn.slice(0, 4) === today.slice(0, 4);
      if (planVersion !== undefined && sameYear && !planAcknowledged && (plan?.version ?? 0) !== planVersion) {
        throw ValidationError.form("check.error.planChanged");
      }
      const [row] = await tx
        .insert(checks)
        .values({
          ...fields,
          id: checkId,
          countyId: household.countyId,
          householdId,
          planId: plan?.id ?? null,
          cadreId: scope.userId,
        })
        .onConflictDoNothing({ target: checks.clientId })
        .returning();
      if (!row) {
        // the same post, sent twice at once: the other one recorded it
        const other = await checkByClientId(scope.userId, fields.clientId!, tx);
        if (!other) throw ValidationError.form("check.error.clientIdTaken");
        return { ...other, duplicate: true as const };
      }
      if (photos.length) {
        stored = true;
        const files = await storePhotos(checkId, photos);
        await tx.insert(checkPhotos).values(files.map((f) => ({ ...f, checkId, countyId: household.countyId })));
      }
      await writeAudit(tx, {
        countyId: household.countyId,
        userId: scope.userId,
        action: input.correctsCheckId ? "check.correct" : "check.create",
        entity: "check",
        entityId: checkId,
        householdId,
        after: { ...row, photos: photos.length },
      });
      return { ...row, duplicate: false as const };
    });
  } catch (error) {
    // nothing half written: photos of a check that was not saved go too
    if (stored) await removeCheckPhotos(checkId);
    throw error;
  }
}

/** The check this user recorded from the form with this client id, if any: a phone's retried upload. */
export async function findCheckByClientId(scope: Scope, clientId: string) {
  return checkByClientId(scope.userId, clientId);
}

/** The check a cadre's form recorded under this client id (another author's id is not theirs to find). */
async function checkByClientId(authorId: string, clientId: string, tx?: Tx) {
  const d = tx ?? (await db());
  const [row] = await d
    .select()
    .from(checks)
    .where(and(eq(checks.clientId, clientId), eq(checks.cadreId, authorId)));
  return row;
}

/**
 * Edits the notes of a check by its own author within the edit window; afterwards only a correcting
 * entry can change the record.
 */
export async function amendCheck({
  scope,
  checkId,
  input,
  now = new Date(),
}: {
  scope: Scope;
  checkId: string;
  input: CheckInput;
  now?: Date;
}) {
  const d = await db();
  return d.transaction(async (tx) => {
    const [current] = await tx
      .select({ check: checks, townshipId: households.townshipId })
      .from(checks)
      .innerJoin(households, eq(households.id, checks.householdId))
      .where(and(eq(checks.id, checkId), householdInScope(scope)))
      .for("update", { of: checks });
    if (!current) throw new NotFoundError("check");
    if (current.check.cadreId !== scope.userId) throw new ForbiddenError("check.amend");
    // the window the check was written under: a change of the setting since does not reopen or close it
    const written = todayISO(new Date(current.check.createdAt));
    const windowHours = (await settingsFor(current.townshipId, tx, written))["check.editWindowHours"];
    if (now.getTime() - new Date(current.check.createdAt).getTime() > windowHours * 3_600_000) {
      throw ValidationError.form("check.error.editWindowClosed");
    }
    const {
      correctsCheckId: _ignored,
      clientId: _client,
      planVersion: _plan,
      planAcknowledged: _ack,
      ...fields
    } = input;
    const [row] = await tx.update(checks).set(fields).where(eq(checks.id, checkId)).returning();
    await writeAudit(tx, {
      countyId: row.countyId,
      userId: scope.userId,
      action: "check.amend",
      entity: "check",
      entityId: checkId,
      householdId: row.householdId,
      before: current.check,
      after: row,
    });
    return row;
  });
}

/**
 * A household's checks, newest first, a page at a time, with photo previews and corrections. A role that
 * does not see care details gets each visit's date, cadre and zone statuses: notes null, no photos.
 */
/** Exports stop here: years of visits to one household are a few hundred rows. */
export const HOUSEHOLD_CHECKS_EXPORT_LIMIT = 100_000;

/**
 * A household's checks as its checks page shows them and its export writes them: newest first, one page (or,
 * with `all`, every check). Null when the household is not in the caller's scope (the route's 404).
 */
export async function householdCheckList(
  scope: Scope,
  householdId: string,
  params: HouseholdChecksParams,
  { all = false }: { all?: boolean } = {},
) {
  const d = await db();
  const [household] = await d
    .select({ id: households.id, code: households.code, headName: households.headName })
    .from(households)
    .where(and(eq(households.id, householdId), householdInScope(scope)));
  if (!household) return null;
  const pageSize = all ? HOUSEHOLD_CHECKS_EXPORT_LIMIT : params.size;
  const read = (page: number) => listChecks({ scope, householdId: household.id, page, pageSize });
  let list = await read(all ? 1 : params.page);
  // a page past the end (a check corrected away, a stale link) shows the last page
  if (list.page > list.pageCount) list = await read(list.pageCount);
  return { household, params, ...list, pageSize };
}

export async function listChecks({
  scope,
  householdId,
  page = 1,
  pageSize = 10,
}: {
  scope: Scope;
  householdId: string;
  page?: number;
  pageSize?: number;
}) {
  const d = await db();
  const where = and(eq(checks.householdId, householdId), householdInScope(scope));
  // one statement: the page's rows carry the count of all (a window over the rows before the limit) and
  // their photos' ids; a visit's photos are care detail, like its notes
  const rows = await d
    .select({
      id: checks.id,
      visitedOn: checks.visitedOn,
      createdAt: checks.createdAt,
      cadre: users.displayName,
      livingStatus: checks.livingStatus,
      livingNote: careDetail(scope, checks.livingNote),
      plantingStatus: checks.plantingStatus,
      plantingNote: careDetail(scope, checks.plantingNote),
      raisingStatus: checks.raisingStatus,
      raisingNote: careDetail(scope, checks.raisingNote),
      seen: careDetail(scope, checks.seen),
      problems: careDetail(scope, checks.problems),
      measures: careDetail(scope, checks.measures),
      helpNeeded: careDetail(scope, checks.helpNeeded),
      nextDueOn: checks.nextDueOn,
      problemSolvedOn: checks.problemSolvedOn,
      correctsCheckId: checks.correctsCheckId,
      photoIds: can(scope, "care.read")
        ? sql<
            string[]
          >`coalesce((select json_agg(${checkPhotos.id} order by ${checkPhotos.createdAt}, ${checkPhotos.id}) from ${checkPhotos} where ${checkPhotos.checkId} = ${checks.id}), '[]'::json)`
        : sql<string[]>`'[]'::json`,
      total: sql<number>`count(*) over ()`.mapWith(Number),
    })
    .from(checks)
    .innerJoin(households, eq(households.id, checks.householdId))
    .innerJoin(users, eq(users.id, checks.cadreId))
    .where(where)
    .orderBy(desc(checks.visitedOn), desc(checks.createdAt))
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  // past the last page there is no row to carry the count
  const total =
    rows[0]?.total ??
    (page > 1
      ? (
          await d
            .select({ n: count() })
            .from(checks)
            .innerJoin(households, eq(households.id, checks.householdId))
            .where(where)
        )[0].n
      : 0);
  return {
    total,
    page,
    pageCount: Math.max(1, Math.ceil(total / pageSize)),
    rows: rows.map(({ total: _total, ...r }) => r),
  };
}

/** A photo's bytes, only for a user whose scope holds its household and who sees the visits' details. */
export async function getPhoto({ scope, photoId, preview }: { scope: Scope; photoId: string; preview: boolean }) {
  // a visit's photos show the home and the people in it: a care detail, like the notes
  if (!can(scope, "care.read")) return null;
  const d = await db();
  const [row] = await d
    .select({
      storagePath: checkPhotos.storagePath,
      previewPath: checkPhotos.previewPath,
      mimeType: checkPhotos.mimeType,
    })
    .from(checkPhotos)
    .innerJoin(checks, eq(checks.id, checkPhotos.checkId))
    .innerJoin(households, eq(households.id, checks.householdId))
    .where(and(eq(checkPhotos.id, photoId), householdInScope(scope)));
  if (!row) return null;
  const usePreview = preview && row.previewPath;
  const bytes = await readPhoto(usePreview ? row.previewPath! : row.storagePath);
  if (!bytes) return null;
  return { bytes, mimeType: usePreview ? "image/webp" : row.mimeType };
}

type OverdueScope = ScopeWith<"overdue.read">;
const townshipOf = (scope: OverdueScope) => (scope.role === "official" ? scope.townshipId : null);
type OverdueSortKey = OverdueListParams["sort"];

const householdFilter = (scope: OverdueScope) =>
  scope.role === "official" ? sql`h.township_id = ${scope.townshipId}` : sql`h.county_id = ${scope.countyId}`;

/** The cadres the overdue page names, most overdue first; the rest are counted, and reached by the list's filter. */
export const OVERDUE_CADRES_SHOWN = 50;

type OverdueCount = { id: string; name: string; households: number; overdue: number };

/**
 * Overdue checks in the caller's scope: per village of an official's township, per township of the
 * county for an admin (a county's 2,400 villages and 8,000 cadres are no page), and for the cadres with
 * the most overdue households (OVERDUE_CADRES_SHOWN of `totals.cadres`). One pass over the households,
 * both groupings at once (grouping sets), names joined after.
 */
export async function overdueSummary({ scope, today }: { scope: OverdueScope; today: string }) {
  const d = await db();
  const intervals = await dueIntervals(townshipOf(scope));
  const region = sql.raw(scope.role === "official" ? "h.village_id" : "h.township_id");
  const rows = await queryRows<{
    regionId: string | null;
    cadreId: string | null;
    households: number;
    overdue: number;
  }>(
    d,
    sql`select ${region} as "regionId", due.cadre_id as "cadreId", count(*)::int as households,
          count(*) filter (where ${overdueSql(today)})::int as overdue
        from households h
        ${visitStateJoin()}
        left join lateral ${dueOfSql(today, intervals)} due on true
        where ${householdFilter(scope)}
        group by grouping sets ((${region}), (due.cadre_id))`,
  );
  const regionRows = rows.filter((r) => r.regionId !== null);
  // a region grouping row has a null cadre; a cadre grouping row a null region (households without a cadre: both null)
  const cadreRows = rows
    .filter((r) => r.regionId === null && r.cadreId !== null)
    .sort((a, b) => b.overdue - a.overdue || b.households - a.households);
  const shown = cadreRows.slice(0, OVERDUE_CADRES_SHOWN);
  const regionIds = regionRows.map((r) => r.regionId!);
  const cadreIds = shown.map((r) => r.cadreId!);
  const [regionNames, cadreNames] = await Promise.all([
    regionIds.length
      ? d
          .select({ id: regions.id, name: regions.name, code: regions.code })
          .from(regions)
          .where(inArray(regions.id, regionIds))
      : [],
    cadreIds.length
      ? d.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, cadreIds))
      : [],
  ]);
  const regionOf = new Map(regionNames.map((r) => [r.id, r]));
  const cadreName = new Map(cadreNames.map((r) => [r.id, r.name]));
  const byRegion: OverdueCount[] = regionRows
    .map((r) => ({
      id: r.regionId!,
      name: regionOf.get(r.regionId!)?.name ?? "",
      households: r.households,
      overdue: r.overdue,
    }))
    .sort((a, b) => (regionOf.get(a.id)?.code ?? "").localeCompare(regionOf.get(b.id)?.code ?? ""));
  const byCadre: OverdueCount[] = shown
    .map((r) => ({
      id: r.cadreId!,
      name: cadreName.get(r.cadreId!) ?? "",
      households: r.households,
      overdue: r.overdue,
    }))
    .sort((a, b) => b.overdue - a.overdue || a.name.localeCompare(b.name, "zh-CN"));
  return {
    /** villages (official) or townships (admin) */
    regionLevel: scope.role === "official" ? ("village" as const) : ("township" as const),
    byRegion,
    byCadre,
    totals: {
      households: byRegion.reduce((n, r) => n + r.households, 0),
      overdue: byRegion.reduce((n, r) => n + r.overdue, 0),
      cadres: cadreRows.length,
    },
  };
}

type OverdueRow = {
  id: string;
  headName: string;
  village: string;
  cadre: string;
  lastVisit: string | null;
  dueOn: string;
  daysOverdue: number;
};

/** Whitelisted sort keys → SQL; each ends in the list's own order, so pages never overlap. */
const OVERDUE_ORDER: Record<OverdueSortKey, SQL> = {
  due: sql`due.due_on`,
  head: sql`h.head_name`,
  // the administrative order of villages (their codes)
  village: sql`v.code`,
  cadre: sql`u.display_name`,
};

async function overdueRows({
  scope,
  today,
  townshipId,
  villageId,
  cadreId,
  sort = "due",
  dir = "asc",
  limit,
  offset = 0,
}: {
  scope: OverdueScope;
  today: string;
  townshipId?: string;
  villageId?: string;
  cadreId?: string;
  sort?: OverdueSortKey;
  dir?: SortDir;
  limit: number;
  offset?: number;
}) {
  const d = await db();
  const intervals = await dueIntervals(townshipOf(scope));
  const direction = sql.raw(dir === "desc" ? "desc" : "asc");
  // one pass over the households in scope with their visit state; only the overdue ones are joined to
  // their village and cadre, sorted and counted
  return queryRows<OverdueRow & { total: number }>(
    d,
    sql`select h.id, h.head_name as "headName", v.name as village, u.display_name as cadre,
          due.last_visit::text as "lastVisit", due.due_on::text as "dueOn",
          (${today}::date - due.due_on)::int as "daysOverdue", (count(*) over ())::int as total
        from households h
        ${visitStateJoin()}
        left join lateral ${dueOfSql(today, intervals)} due on true
        join regions v on v.id = h.village_id
        join users u on u.id = due.cadre_id
        where ${householdFilter(scope)} and ${overdueSql(today)}
          ${townshipId ? sql`and h.township_id = ${townshipId}` : sql``}
          ${villageId ? sql`and h.village_id = ${villageId}` : sql``}
          ${cadreId ? sql`and due.cadre_id = ${cadreId}` : sql``}
        order by ${OVERDUE_ORDER[sort]} ${direction}, due.due_on asc, h.head_name, h.id
        limit ${limit} offset ${offset}`,
  );
}

/** The households behind an overdue number: by village, by cadre, or all; most overdue first. */
export async function overdueHouseholds({
  limit = 500,
  ...query
}: {
  scope: OverdueScope;
  today: string;
  townshipId?: string;
  villageId?: string;
  cadreId?: string;
  limit?: number;
}): Promise<OverdueRow[]> {
  const rows = await overdueRows({ ...query, limit });
  return rows.map(({ total: _total, ...row }) => row);
}

/** Exports stop here: a county's overdue households are a few thousand at worst. */
export const OVERDUE_EXPORT_LIMIT = 200_000;

/**
 * The overdue list as its page shows it and its export writes it: filtered by village or cadre, sorted,
 * one page (or, with `all`, every row up to the cap). A page past the end shows the last page.
 */
export async function overdueList(
  scope: OverdueScope,
  params: OverdueListParams,
  { today, all = false }: { today: string; all?: boolean },
): Promise<ListPage<OverdueRow> & { params: OverdueListParams }> {
  const query = {
    scope,
    today,
    townshipId: params.township,
    villageId: params.village,
    cadreId: params.cadre,
    sort: params.sort,
    dir: params.dir,
  };
  if (all) {
    const rows = (await overdueRows({ ...query, limit: OVERDUE_EXPORT_LIMIT })).map(({ total: _t, ...r }) => r);
    return { params, rows, total: rows.length, page: 1, pageSize: Math.max(1, rows.length), pageCount: 1 };
  }
  let rows = await overdueRows({ ...query, limit: params.size, offset: (params.page - 1) * params.size });
  let total = rows[0]?.total ?? 0;
  if (rows.length === 0 && params.page > 1) {
    // past the end: the total from the first row, then the last page
    total = (await overdueRows({ ...query, limit: 1 }))[0]?.total ?? 0;
    if (total > 0)
      rows = await overdueRows({ ...query, limit: params.size, offset: pageOf(total, 1e9, params.size).offset });
  }
  const { offset: _offset, ...paging } = pageOf(total, params.page, params.size);
  return { params, rows: rows.map(({ total: _t, ...r }) => r), ...paging };
}
