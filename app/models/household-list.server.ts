// The household registry list (/households): filters, search, sort and page come from the URL, the
// database returns one page and the total, always inside the caller's scope.
//
// Paging is an offset over a "deferred join": the inner query finds the page's household ids with only
// the joins its sort key needs (an index walk for code or head name); the outer query then computes the
// per-row columns (member count, plan, cadre, last check) for those 20–100 households only. Page numbers
// and sorting by any column rule out keyset paging; at county scale (~100,000 households) an offset over
// ids stays in the tens of milliseconds (timings in the pull request).
import { and, asc, desc, eq, ilike, inArray, isNull, like, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import {
  cadreAssignments,
  households,
  householdVisitState,
  members,
  planStatus,
  plans,
  povertyStatus,
  regions,
  users,
} from "../../db/schema";
import { can } from "~/permissions";
import { db } from "~/utils/db.server";
import { hasCursors, readInBatches } from "../../db/client";
import { SHOWN_TAIL, idTailOf, maskIdNumber, maskIdNumbersIn } from "~/utils/id-number";
import { writeAudit } from "./audit.server";
import { careDetail, householdInScope, type Scope } from "./scope.server";
import { allEntries } from "./reference-lists.server";
import type { ReferenceEntry } from "~/utils/reference";
import { HOUSEHOLD_SORT_KEYS, householdListParams, type HouseholdListParams } from "~/utils/lists";

export { HOUSEHOLD_SORT_KEYS as SORT_KEYS, type HouseholdListParams };
export type HouseholdSortKey = (typeof HOUSEHOLD_SORT_KEYS)[number];
export const PAGE_SIZES = householdListParams.sizes;

/**
 * The list's URL, `queryParams(url)`. Never throws: every invalid value falls back
 * to its default, so a hand-edited or stale link still shows a list.
 */
export const HouseholdListParamsSchema = householdListParams.schema;

export function parseHouseholdListParams(url: URL): HouseholdListParams {
  return householdListParams.parse(url);
}

/** The filters that narrow the list (not the search, sort, page or size), for "filters (2)" and "clear filters". */
export function activeFilterCount(params: HouseholdListParams): number {
  return householdListParams.activeFilters(params, ["village", "group", "status", "cause", "plan", "cadre"]);
}

export type HouseholdSearch = { kind: "idTail"; tail: string } | { kind: "name"; text: string };

/**
 * Digits (the last may be X) of length 4–18 are the end of an ID number; anything else is part of the
 * head's name.
 */
export function parseSearch(q: string | undefined): HouseholdSearch | null {
  if (!q) return null;
  const tail = idTailOf(q);
  return tail ? { kind: "idTail", tail } : { kind: "name", text: q };
}

export { SHOWN_TAIL };

/**
 * The search this scope may run. A role shown masked numbers (domain rule 2) may search by what the mask
 * shows, the last 4 characters, or by a whole number it already holds. A tail of 5–17 characters would
 * let it read the hidden digits one at a time (about 35 searches for a whole number): that search is
 * refused, and the list is not narrowed by it.
 */
export function searchFor(scope: Scope, q: string | undefined): { search: HouseholdSearch | null; refused: boolean } {
  const search = parseSearch(q);
  if (search?.kind !== "idTail" || can(scope, "idNumber.read")) return { search, refused: false };
  if (search.tail.length === SHOWN_TAIL || search.tail.length === 18) return { search, refused: false };
  return { search: null, refused: true };
}

/**
 * A masked role's search by a whole ID number, or by hidden digits (refused), is written to the audit log:
 * both are how someone would probe the registry for a person. The log keeps the number masked.
 */
async function auditIdSearch(scope: Scope, q: string | undefined, refused: boolean) {
  const search = parseSearch(q);
  if (search?.kind !== "idTail" || can(scope, "idNumber.read")) return;
  if (!refused && search.tail.length !== 18) return;
  const d = await db();
  await writeAudit(d, {
    countyId: scope.countyId,
    userId: scope.userId,
    action: refused ? "household.id_search_refused" : "household.id_search",
    entity: "user",
    entityId: scope.userId,
    after: { q: maskIdNumbersIn(search.tail), length: search.tail.length },
  });
}

/**
 * The values of `right(id_number, 6)` that end in `tail`, so the search can use the expression index
 * `members_id_tail_idx` (a `LIKE '%…'` cannot). Only the last character of an ID number may be X, so
 * the characters in front of a 4- or 5-character tail are digits: 100 or 10 index probes.
 */
export function idTailKeys(tail: string): string[] {
  if (tail.length >= 6) return [tail.slice(-6)];
  const pad = 6 - tail.length;
  return Array.from({ length: 10 ** pad }, (_, i) => String(i).padStart(pad, "0") + tail);
}

function escapeLike(text: string) {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Scope and filters as one condition on `households`: the count and the page share it. */
function listCondition(scope: Scope, params: HouseholdListParams, year: number): SQL {
  const conditions: SQL[] = [householdInScope(scope)];
  if (params.village) conditions.push(eq(households.villageId, params.village));
  if (params.group) conditions.push(eq(households.groupId, params.group));
  if (params.status) conditions.push(eq(households.povertyStatus, params.status));
  // a filter by cause would tell a role that may not see it which households are 因病 or 因残
  if (params.cause && can(scope, "care.read")) conditions.push(eq(households.povertyCause, params.cause));
  if (params.plan === "none") {
    conditions.push(
      sql`not exists (select 1 from ${plans} where ${plans.householdId} = ${households.id} and ${plans.year} = ${year})`,
    );
  } else if (params.plan) {
    conditions.push(
      sql`exists (select 1 from ${plans} where ${plans.householdId} = ${households.id} and ${plans.year} = ${year} and ${plans.status} = ${params.plan})`,
    );
  }
  const activeAssignment = sql`${cadreAssignments.householdId} = ${households.id} and ${cadreAssignments.endsOn} is null`;
  if (params.cadre === "none") {
    conditions.push(sql`not exists (select 1 from ${cadreAssignments} where ${activeAssignment})`);
  } else if (params.cadre) {
    conditions.push(
      sql`exists (select 1 from ${cadreAssignments} where ${activeAssignment} and ${cadreAssignments.cadreId} = ${params.cadre})`,
    );
  }
  const { search } = searchFor(scope, params.q);
  if (search?.kind === "name") {
    // Chinese names have no case: plain LIKE is about 3× faster than ILIKE on them (county scale:
    // ~35 ms against ~115 ms for a full scan); ILIKE only when the text has Latin letters.
    const pattern = `%${escapeLike(search.text)}%`;
    conditions.push(
      /[a-z]/i.test(search.text) ? ilike(households.headName, pattern) : like(households.headName, pattern),
    );
  } else if (search?.kind === "idTail") {
    const { tail } = search;
    const length = sql.raw(String(tail.length)); // 4–18, from the regex above
    const tailMatch =
      tail.length > 6
        ? sql`right(${members.idNumber}, 6) = ${tail.slice(-6)} and right(${members.idNumber}, ${length}) = ${tail}`
        : sql`right(${members.idNumber}, 6) in ${idTailKeys(tail)}`;
    // The matching members come first, from members_id_tail_idx; "offset 0" keeps the planner from
    // turning this into a semi-join that walks the households in sort order and probes members for
    // each (measured: 115 ms → 20 ms for an official's township).
    conditions.push(
      sql`${households.id} in (select ${members.householdId} from ${members} where ${tailMatch} offset 0)`,
    );
  }
  return and(...conditions)!;
}

const village = alias(regions, "v");
const group = alias(regions, "g");
const plan = alias(plans, "p");
const assignment = alias(cadreAssignments, "a");
const cadre = alias(users, "u");

const memberCount = sql<number>`(select count(*)::int from ${members} where ${members.householdId} = ${households.id})`;
// the newest check's date, from the visit state the check triggers keep (docs/decisions/035-visit-state.md):
// the same day as the checks' max(visited_on), one primary-key probe instead of the household's checks
const lastCheck = sql<
  string | null
>`(select ${householdVisitState.lastVisit}::text from ${householdVisitState} where ${householdVisitState.householdId} = ${households.id})`;

type SortSpec = {
  /** the ORDER BY expressions, before the households.id tiebreak */
  keys: SQL[];
  /** the keys together are unique already (they end in the household code): no id tiebreak */
  unique?: boolean;
  /** nullable keys sort "nothing" first when ascending (no plan, no cadre, never visited) */
  nullable?: boolean;
  joins?: ("village" | "group" | "plan" | "cadre" | "state")[];
};

/** Whitelisted sort keys → SQL. Nothing from the URL reaches ORDER BY except through this map. */
const SORTS: Record<HouseholdSortKey, SortSpec> = {
  code: { keys: [sql`${households.code}`], unique: true },
  head: { keys: [sql`${households.headName}`] },
  // the administrative order of villages and groups (their codes), then the household number
  village: { keys: [sql`${village.code}`, sql`${households.code}`], unique: true, joins: ["village"] },
  group: {
    keys: [sql`${group.code}`, sql`${households.code}`],
    unique: true,
    nullable: true,
    joins: ["group"],
  },
  status: { keys: [sql`${households.povertyStatus}`] },
  cause: { keys: [sql`${households.povertyCause}`] },
  members: { keys: [memberCount] },
  plan: { keys: [sql`${plan.status}`], nullable: true, joins: ["plan"] },
  cadre: { keys: [sql`${cadre.displayName}`], nullable: true, joins: ["cadre"] },
  // a column of the joined visit state, not a subquery per household: a county sorted by it is one join
  // and a top-N sort, where a probe of each household's checks took 1.6 s
  lastCheck: { keys: [sql`${householdVisitState.lastVisit}`], nullable: true, joins: ["state"] },
};

/** The sort asked for; by cause only for a role that sees it (an order by cause groups 因病 and 因残 together). */
function sortFor(scope: Scope, params: HouseholdListParams): SortSpec {
  return SORTS[params.sort === "cause" && !can(scope, "care.read") ? "code" : params.sort];
}

function orderBy(expr: SQL, dir: "asc" | "desc", nullable: boolean): SQL {
  if (!nullable) return dir === "asc" ? asc(expr) : desc(expr);
  return dir === "asc" ? sql`${expr} asc nulls first` : sql`${expr} desc nulls last`;
}

export type HouseholdListRow = {
  id: string;
  code: string;
  headName: string;
  village: string;
  group: string | null;
  povertyStatus: (typeof povertyStatus.enumValues)[number];
  /** null for a role that does not see care details ("care.read") */
  povertyCause: string | null;
  memberCount: number;
  /** this year's plan; null = no plan this year */
  planStatus: (typeof planStatus.enumValues)[number] | null;
  /** the cadre in charge now (assignment without an end); null = none */
  cadreName: string | null;
  /** the latest check's date (YYYY-MM-DD); null = never visited */
  lastCheck: string | null;
};

export type HouseholdListResult = {
  rows: HouseholdListRow[];
  total: number;
  /** the page shown: a page past the end shows the last page */
  page: number;
  pageSize: number;
  pageCount: number;
  /** the search asked for hidden digits of ID numbers and was not applied (see searchFor) */
  idSearchRefused: boolean;
};

/** One page of the caller's households and the total, counted and read in one consistent snapshot. */
export async function listHouseholds({
  scope,
  params,
  year,
}: {
  scope: Scope;
  params: HouseholdListParams;
  year: number;
}): Promise<HouseholdListResult> {
  const d = await db();
  const where = listCondition(scope, params, year);
  const { refused: idSearchRefused } = searchFor(scope, params.q);
  await auditIdSearch(scope, params.q, idSearchRefused);
  const spec = sortFor(scope, params);
  const nullable = spec.nullable ?? false;
  const pageSize = params.size;

  return d.transaction(
    async (tx) => {
      const [{ total }] = await tx
        .select({ total: sql<number>`count(*)::int` })
        .from(households)
        .where(where);
      const pageCount = Math.max(1, Math.ceil(total / pageSize));
      const page = Math.min(params.page, pageCount);
      if (total === 0) return { rows: [], total, page, pageSize, pageCount, idSearchRefused };

      // Pages past the middle are read from the other end: the offset never exceeds half the list,
      // so the last page costs what the first does. The outer query restores the asked order.
      const offset = (page - 1) * pageSize;
      const count = Math.min(pageSize, total - offset);
      const fromEnd = total - offset - count < offset;
      const dir = fromEnd ? (params.dir === "asc" ? "desc" : "asc") : params.dir;
      const innerOffset = fromEnd ? total - offset - count : offset;

      // inner: the page's ids and sort keys, with only the joins the sort key needs
      // (wrapped: drizzle writes bare column names in a one-table select list, which would break the
      // correlated subqueries' references to "households")
      const keyFields = Object.fromEntries(spec.keys.map((k, i) => [`k${i}`, sql`${k}`.as(`k${i}`)])) as Record<
        string,
        SQL.Aliased
      >;
      let inner = tx
        .select({ id: households.id, ...keyFields })
        .from(households)
        .$dynamic();
      const joins = new Set(spec.joins ?? []);
      if (joins.has("village")) inner = inner.innerJoin(village, eq(village.id, households.villageId));
      if (joins.has("group")) inner = inner.leftJoin(group, eq(group.id, households.groupId));
      if (joins.has("plan")) {
        inner = inner.leftJoin(plan, and(eq(plan.householdId, households.id), eq(plan.year, year)));
      }
      if (joins.has("state")) {
        inner = inner.leftJoin(householdVisitState, eq(householdVisitState.householdId, households.id));
      }
      if (joins.has("cadre")) {
        inner = inner
          .leftJoin(assignment, and(eq(assignment.householdId, households.id), isNull(assignment.endsOn)))
          .leftJoin(cadre, eq(cadre.id, assignment.cadreId));
      }
      const tiebreak = spec.unique ? [] : [orderBy(sql`${households.id}`, dir, false)];
      const pageIds = inner
        .where(where)
        .orderBy(...spec.keys.map((k) => orderBy(k, dir, nullable)), ...tiebreak)
        .limit(count)
        .offset(innerOffset)
        .as("page_ids");

      // outer: the columns shown, for this page's households only
      const pageKeys = spec.keys.map((_, i) => (pageIds as unknown as Record<string, SQL.Aliased>)[`k${i}`]);
      const rows = await tx
        .select({
          id: households.id,
          code: households.code,
          headName: households.headName,
          village: village.name,
          group: group.name,
          povertyStatus: households.povertyStatus,
          povertyCause: careDetail(scope, households.povertyCause),
          memberCount,
          planStatus: sql<
            HouseholdListRow["planStatus"]
          >`(select ${plans.status} from ${plans} where ${plans.householdId} = ${households.id} and ${plans.year} = ${year})`,
          cadreName: sql<
            string | null
          >`(select ${users.displayName} from ${cadreAssignments} join ${users} on ${users.id} = ${cadreAssignments.cadreId} where ${cadreAssignments.householdId} = ${households.id} and ${cadreAssignments.endsOn} is null limit 1)`,
          lastCheck,
        })
        .from(pageIds)
        .innerJoin(households, eq(households.id, pageIds.id))
        .innerJoin(village, eq(village.id, households.villageId))
        .leftJoin(group, eq(group.id, households.groupId))
        .orderBy(
          ...pageKeys.map((k) => orderBy(sql`${k}`, params.dir, nullable)),
          ...(spec.unique ? [] : [orderBy(sql`${pageIds.id}`, params.dir, false)]),
        );
      return { rows, total, page, pageSize, pageCount, idSearchRefused };
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}

/** Exports stop here: a county's whole registry is ~100k rows, well inside what one sheet and one
 * response carry; a larger ask is refused rather than half written. */
export const EXPORT_ROW_LIMIT = 200_000;

export type HouseholdExportRow = HouseholdListRow & {
  /** the head's ID number, masked unless the caller's role needs it (domain rule 2) */
  headIdNumber: string | null;
};

/** Rows per read of an export: all an export holds of the registry at any moment is one batch. */
export const EXPORT_BATCH = 1000;

export type HouseholdExport = {
  /** the rows the file will hold (the audit row says so before the first byte leaves) */
  count: number;
  /** the rows in the list's order, EXPORT_BATCH at a time; ending the loop early stops the query */
  batches: AsyncGenerator<HouseholdExportRow[]>;
};

/**
 * Every household the list's filters and scope allow, in the list's order: the CSV/XLSX export, read in
 * batches so a county's file never sits in memory as one array. On PostgreSQL one query through a cursor;
 * on PGlite (no cursors) the ordered ids first, then the rows a batch of ids at a time, each batch under
 * the same scope and filters again. The per-row columns come from joins (visit state for the last check,
 * this year's plan, the open assignment), not per-row lookups.
 */
export async function exportHouseholds({
  scope,
  params,
  year,
}: {
  scope: Scope;
  params: HouseholdListParams;
  year: number;
}): Promise<HouseholdExport> {
  const d = await db();
  const where = listCondition(scope, params, year);
  const { refused: idSearchRefused } = searchFor(scope, params.q);
  await auditIdSearch(scope, params.q, idSearchRefused);
  const spec = sortFor(scope, params);
  const nullable = spec.nullable ?? false;
  const full = can(scope, "idNumber.read");
  // one probe of the members index per household gives both its size and its head's number
  const memberFacts = d
    .select({
      n: sql<number>`count(*)::int`.as("n"),
      head: sql<string | null>`min(${members.idNumber}) filter (where ${members.relation} = 'head')`.as("head"),
    })
    .from(members)
    .where(sql`${members.householdId} = ${households.id}`)
    .as("member_facts");
  const fields = {
    id: households.id,
    code: households.code,
    headName: households.headName,
    village: village.name,
    group: group.name,
    povertyStatus: households.povertyStatus,
    povertyCause: careDetail(scope, households.povertyCause),
    memberCount: sql<number>`coalesce(${memberFacts.n}, 0)`,
    planStatus: sql<HouseholdListRow["planStatus"]>`${plan.status}`,
    cadreName: sql<string | null>`${cadre.displayName}`,
    // the newest check's date, kept per household by triggers (docs/decisions/035-visit-state.md)
    lastCheck: sql<string | null>`${householdVisitState.lastVisit}::text`,
    headIdNumber: sql<string | null>`${memberFacts.head}`,
  };
  const select = (only?: SQL) =>
    d
      .select(fields)
      .from(households)
      .innerJoin(village, eq(village.id, households.villageId))
      .leftJoin(group, eq(group.id, households.groupId))
      .leftJoin(plan, and(eq(plan.householdId, households.id), eq(plan.year, year)))
      .leftJoin(assignment, and(eq(assignment.householdId, households.id), isNull(assignment.endsOn)))
      .leftJoin(cadre, eq(cadre.id, assignment.cadreId))
      .leftJoin(householdVisitState, eq(householdVisitState.householdId, households.id))
      .leftJoinLateral(memberFacts, sql`true`)
      .where(only ? and(where, only) : where);
  const order = [
    ...spec.keys.map((k) => orderBy(k, params.dir, nullable)),
    ...(spec.unique ? [] : [orderBy(sql`${households.id}`, params.dir, false)]),
  ];
  const masked = (rows: HouseholdExportRow[]) =>
    full ? rows : rows.map((r) => ({ ...r, headIdNumber: r.headIdNumber && maskIdNumber(r.headIdNumber) }));

  if (hasCursors(d)) {
    const [{ n }] = await d
      .select({ n: sql<number>`count(*)::int` })
      .from(households)
      .where(where);
    const query = select()
      .orderBy(...order)
      .limit(EXPORT_ROW_LIMIT);
    async function* batches() {
      for await (const rows of readInBatches<HouseholdExportRow>(d, query, fields, EXPORT_BATCH)) yield masked(rows);
    }
    return { count: Math.min(n, EXPORT_ROW_LIMIT), batches: batches() };
  }

  const ids = (
    await d
      .select({ id: households.id })
      .from(households)
      .innerJoin(village, eq(village.id, households.villageId))
      .leftJoin(group, eq(group.id, households.groupId))
      .leftJoin(plan, and(eq(plan.householdId, households.id), eq(plan.year, year)))
      .leftJoin(assignment, and(eq(assignment.householdId, households.id), isNull(assignment.endsOn)))
      .leftJoin(cadre, eq(cadre.id, assignment.cadreId))
      .leftJoin(householdVisitState, eq(householdVisitState.householdId, households.id))
      .where(where)
      .orderBy(...order)
      .limit(EXPORT_ROW_LIMIT)
  ).map((r) => r.id);
  async function* batches() {
    for (let i = 0; i < ids.length; i += EXPORT_BATCH) {
      const slice = ids.slice(i, i + EXPORT_BATCH);
      const rows = await select(inArray(households.id, slice));
      const byId = new Map(rows.map((r) => [r.id, r]));
      // a household deleted or moved out of scope since the ids were read is left out, not written stale
      yield masked(slice.flatMap((id) => byId.get(id) ?? []));
    }
  }
  return { count: ids.length, batches: batches() };
}

/** An export's rows in one array, for callers that need them all at once (tests); the route streams them. */
export async function exportHouseholdRows(args: Parameters<typeof exportHouseholds>[0]): Promise<HouseholdExportRow[]> {
  const rows: HouseholdExportRow[] = [];
  for await (const batch of (await exportHouseholds(args)).batches) rows.push(...batch);
  return rows;
}

export type Option = { value: string; label: string };
export type VillageOption = Option & { township: string };

export type HouseholdListFilterOptions = {
  /** villages in the caller's scope, in code order, each with its township (admin groups them) */
  villages: VillageOption[];
  /** the groups (组) of the chosen village; empty until a village is chosen */
  groups: Option[];
  /** cadres to filter by; null = no cadre filter (a cadre's list is theirs already) */
  cadres: Option[] | null;
  /** the county has thousands of cadres: an administrator picks a village first */
  cadresNeedVillage: boolean;
  /** the enums, in their order, for the status and plan selects */
  povertyStatuses: typeof povertyStatus.enumValues;
  /** the causes' list, retired ones too (old households keep them), for the cause select and the rows'
   * names; null for a role that does not see causes */
  povertyCauses: ReferenceEntry[] | null;
  planStatuses: typeof planStatus.enumValues;
};

/**
 * What the filter selects offer, inside the caller's scope. Groups and cadres follow the chosen village,
 * so the selects stay short at county scale.
 */
export async function householdListFilterOptions(
  scope: Scope,
  { villageId }: { villageId?: string } = {},
): Promise<HouseholdListFilterOptions> {
  const d = await db();
  const township = alias(regions, "t");
  const villageWhere =
    scope.role === "admin"
      ? eq(village.countyId, scope.countyId)
      : scope.role === "official"
        ? eq(village.parentId, scope.townshipId)
        : sql`exists (select 1 from ${households} where ${households.villageId} = ${
            village.id
          } and ${householdInScope(scope)})`;
  const villageRows = await d
    .select({ value: village.id, label: village.name, township: township.name })
    .from(village)
    .innerJoin(township, eq(township.id, village.parentId))
    .where(and(eq(village.level, "village"), isNull(village.retiredAt), villageWhere))
    .orderBy(village.code);

  const chosen = villageId && villageRows.some((v) => v.value === villageId) ? villageId : undefined;
  const groups = chosen
    ? await d
        .select({ value: regions.id, label: regions.name })
        .from(regions)
        .where(and(eq(regions.level, "group"), eq(regions.parentId, chosen), isNull(regions.retiredAt)))
        .orderBy(regions.code)
    : [];

  let cadreRows: { value: string; label: string; username: string }[] | null = null;
  if (scope.role === "admin" && !chosen) {
    cadreRows = [];
  } else if (scope.role !== "cadre") {
    const inCharge = (extra?: SQL) =>
      sql`exists (select 1 from ${cadreAssignments} join ${households} on ${households.id} = ${
        cadreAssignments.householdId
      }
        where ${cadreAssignments.cadreId} = ${users.id} and ${cadreAssignments.endsOn} is null
        and ${householdInScope(scope)} ${extra ? sql`and ${extra}` : sql``})`;
    const cadreWhere = chosen
      ? inCharge(eq(households.villageId, chosen))
      : scope.role === "official"
        ? eq(users.townshipId, scope.townshipId)
        : inCharge();
    cadreRows = await d
      .select({ value: users.id, label: users.displayName, username: users.username })
      .from(users)
      .where(and(eq(users.role, "cadre"), cadreWhere))
      .orderBy(users.displayName, users.username);
  }

  return {
    villages: villageRows,
    groups,
    cadres: cadreRows && disambiguate(cadreRows),
    cadresNeedVillage: scope.role === "admin" && !chosen,
    povertyStatuses: povertyStatus.enumValues,
    povertyCauses: can(scope, "care.read") ? await allEntries(d, "povertyCauses") : null,
    planStatuses: planStatus.enumValues,
  };
}

/** Two cadres with the same name (common enough) are told apart by their username. */
function disambiguate(rows: { value: string; label: string; username: string }[]): Option[] {
  const seen = new Map<string, number>();
  for (const r of rows) seen.set(r.label, (seen.get(r.label) ?? 0) + 1);
  return rows.map((r) => ({
    value: r.value,
    label: seen.get(r.label)! > 1 ? `${r.label}（${r.username}）` : r.label,
  }));
}

/**
 * Drops a group or cadre that the current options do not offer (the village changed in a form without
 * JavaScript): a hidden stale filter would otherwise empty the list with no visible reason. A cause filter
 * or sort goes too when the role is offered no causes (the model ignores them for it anyway).
 */
export function reconcileHouseholdListParams(
  params: HouseholdListParams,
  options: HouseholdListFilterOptions,
): HouseholdListParams {
  const next = { ...params };
  if (next.village && !options.villages.some((v) => v.value === next.village)) next.village = undefined;
  if (next.group && !options.groups.some((g) => g.value === next.group)) next.group = undefined;
  if (next.cause && !options.povertyCauses?.some((c) => c.code === next.cause)) next.cause = undefined;
  if (options.povertyCauses === null) {
    next.cause = undefined;
    if (next.sort === "cause") next.sort = "code";
  }
  if (options.cadres === null) next.cadre = undefined;
  else if (next.cadre && next.cadre !== "none" && !options.cadres.some((c) => c.value === next.cadre)) {
    next.cadre = undefined;
  }
  return next;
}

export type HouseholdListView = {
  /** the parameters applied: asked for, then reconciled with what the filters offer this caller */
  params: HouseholdListParams;
  options: HouseholdListFilterOptions;
};

/**
 * The registry list as the page shows it and as its export writes it: the filters the caller is offered,
 * the asked parameters reconciled with them, then one page (or, with `all`, every row up to the export's
 * cap, with the head's ID number) in the list's order. The page and its export call this and nothing else,
 * so the file holds what the pages hold.
 */
export async function householdList(
  scope: Scope,
  asked: HouseholdListParams,
  opts: { year: number; all?: false },
): Promise<HouseholdListView & HouseholdListResult>;
export async function householdList(
  scope: Scope,
  asked: HouseholdListParams,
  opts: { year: number; all: true },
): Promise<HouseholdListView & HouseholdExport>;
export async function householdList(
  scope: Scope,
  asked: HouseholdListParams,
  { year, all = false }: { year: number; all?: boolean },
) {
  const options = await householdListFilterOptions(scope, { villageId: asked.village });
  const params = reconcileHouseholdListParams(asked, options);
  if (all) return { params, options, ...(await exportHouseholds({ scope, params, year })) };
  return { params, options, ...(await listHouseholds({ scope, params, year })) };
}
