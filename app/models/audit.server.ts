// Every change is kept: who, when, what before, what after (domain rule 5). Written in the same
// transaction as the change itself, so a change and its audit row stand or fall together.
import { and, desc, eq, gt, lt, sql } from "drizzle-orm";
import type { DbOrTx } from "../../db/client";
import { auditLog, households, users } from "../../db/schema";
import { can } from "~/permissions";
import { db } from "~/utils/db.server";
import type { ExportFormat } from "~/http/export.server";
import { maskIdNumbersIn } from "~/utils/id-number";
import { householdInScope, type Scope } from "./scope.server";

export type AuditEntry = {
  countyId: string;
  /** null: a command run from a shell (the first administrator), not a signed-in user */
  userId: string | null;
  action: string;
  entity:
    | "household"
    | "member"
    | "plan"
    | "amendment"
    | "assignment"
    | "check"
    | "project"
    | "allocation"
    | "order"
    | "delivery"
    | "payment"
    | "membership"
    | "membership_request"
    | "cooperative"
    | "user"
    | "buyer"
    | "broker"
    | "import"
    | "region"
    | "setting"
    | "reference"
    | "route";
  /** null for a record keyed by a code, not an id (a reference list's entry: its list and code are in before/after) */
  entityId: string | null;
  householdId?: string | null;
  before?: unknown;
  after?: unknown;
};

/** JSON-safe copy (dates to strings) so jsonb holds exactly what the page showed. */
function snapshot(value: unknown) {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}

const auditRow = (entry: AuditEntry) => ({
  countyId: entry.countyId,
  userId: entry.userId,
  action: entry.action,
  entity: entry.entity,
  entityId: entry.entityId,
  householdId: entry.householdId ?? null,
  before: snapshot(entry.before),
  after: snapshot(entry.after),
});

export async function writeAudit(tx: DbOrTx, entry: AuditEntry) {
  await tx.insert(auditLog).values(auditRow(entry));
}

/** Many entries in a few inserts: a bulk change or a merge audits each record without a round trip each. */
export async function writeAudits(tx: DbOrTx, entries: AuditEntry[]) {
  for (let i = 0; i < entries.length; i += 500) {
    await tx.insert(auditLog).values(entries.slice(i, i + 500).map(auditRow));
  }
}

/** What a file holds, as its audit action says: `export.households`, … */
export type ExportKind =
  | "households"
  | "overdue_checks"
  | "coverage"
  | "coverage_gap_households"
  | "coverage_gap_persons"
  | "orders"
  | "household_checks";

export type ExportFilters = Record<string, string | number | boolean | null | undefined>;

/** A record's id in a filter (a village, a cadre): kept as it is, its digit runs are no ID number. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Every list or report exported to a file is on the record: who, which one, which format, which filters and
 * how many rows. Called before the file is built, so no file goes out without its row; should the write
 * fail, the export fails with it. Any filter but a record's id may be text someone typed: an ID number in
 * it is kept masked.
 * The row is the user's (entity "user"), like their ID-number searches; a household's own file also
 * names the household, so its history shows it.
 */
export async function auditExport({
  scope,
  kind,
  format,
  filters,
  rows,
  householdId,
}: {
  scope: Scope;
  kind: ExportKind;
  format: ExportFormat;
  filters: ExportFilters;
  /** data rows in the file, the header not counted */
  rows: number;
  householdId?: string;
}) {
  const kept = Object.fromEntries(
    Object.entries(filters)
      // a page number and size say how a page was cut, not what the whole file holds
      .filter(
        ([key, value]) => key !== "page" && key !== "size" && value !== undefined && value !== null && value !== "",
      )
      .map(([key, value]) => [key, typeof value === "string" && !UUID.test(value) ? maskIdNumbersIn(value) : value]),
  );
  await writeAudit(await db(), {
    countyId: scope.countyId,
    userId: scope.userId,
    action: `export.${kind}`,
    entity: "user",
    entityId: scope.userId,
    householdId,
    after: { format, filters: kept, rows },
  });
}

/** A client that loops on a refused URL writes no more than this many rows a minute. */
export const REFUSALS_PER_MINUTE = 20;

/**
 * A signed-in user was refused a page, its data or a file: 403 (not for their role) or 404 on a record's
 * URL (not in their scope, or not there). Kept as `access.refused` on entity "route", whose id is the
 * user: their last minute is then a short walk of the (entity, entity_id, at) index, and past
 * REFUSALS_PER_MINUTE nothing more is written. Requests in flight at once may each pass that count, so
 * a burst can overshoot by as many as run in parallel: still a bound. True when the row was written.
 */
export async function auditRefusedAccess({
  user,
  path,
  method,
  status,
  routeId,
}: {
  user: { id: string; countyId: string };
  /** without the query string, which can carry search terms (names, ID numbers) */
  path: string;
  method: string;
  status: 403 | 404;
  routeId: string | null;
}): Promise<boolean> {
  const d = await db();
  const recent = await d
    .select({ id: auditLog.id })
    .from(auditLog)
    .where(
      and(
        eq(auditLog.entity, "route"),
        eq(auditLog.entityId, user.id),
        eq(auditLog.action, "access.refused"),
        gt(auditLog.at, sql`now() - interval '1 minute'`),
      ),
    )
    .limit(REFUSALS_PER_MINUTE);
  if (recent.length >= REFUSALS_PER_MINUTE) return false;
  await writeAudit(d, {
    countyId: user.countyId,
    userId: user.id,
    action: "access.refused",
    entity: "route",
    entityId: user.id,
    after: { path, method, status, routeId },
  });
  return true;
}

/** Snapshot fields of a household or member that are care details ("care.read"). */
const CARE_FIELDS = new Set(["health", "povertyCause"]);

/**
 * The history of one household (its record, members and plans), newest first, keyset-paged. The
 * snapshots stay here: an entry carries the names of the fields that changed (without care details for a
 * role that does not see them) and, for a plan's step, its reason.
 */
export async function householdHistory({
  scope,
  householdId,
  limit = 20,
  beforeId,
}: {
  scope: Scope;
  householdId: string;
  limit?: number;
  beforeId?: number;
}) {
  const d = await db();
  const rows = await d
    .select({
      id: auditLog.id,
      at: auditLog.at,
      action: auditLog.action,
      entity: auditLog.entity,
      before: auditLog.before,
      after: auditLog.after,
      userName: users.displayName,
    })
    .from(auditLog)
    .innerJoin(households, eq(households.id, auditLog.householdId))
    .leftJoin(users, eq(users.id, auditLog.userId))
    .where(
      and(
        eq(auditLog.householdId, householdId),
        householdInScope(scope),
        beforeId ? lt(auditLog.id, beforeId) : undefined,
      ),
    )
    .orderBy(desc(auditLog.id))
    .limit(limit);
  const care = can(scope, "care.read");
  const visibleChanges = (entity: string, before: unknown, after: unknown) => {
    if (care) return changedFields(before, after);
    // a check's fields are its notes: even their names say what the visit found
    if (entity === "check") return [];
    return changedFields(before, after).filter((f) => !CARE_FIELDS.has(f));
  };
  return rows.map(({ before, after, ...entry }) => ({
    ...entry,
    changed: visibleChanges(entry.entity, before, after),
    reason: entry.action.startsWith("plan.") ? reasonOf(after) : null,
  }));
}

function reasonOf(snapshot: unknown): string | null {
  if (!snapshot || typeof snapshot !== "object" || !("reason" in snapshot)) return null;
  const { reason } = snapshot as { reason: unknown };
  return typeof reason === "string" ? reason : null;
}

/** Which fields changed between two snapshots, for a readable history line. */
export function changedFields(before: unknown, after: unknown): string[] {
  const b = (before ?? {}) as Record<string, unknown>;
  const a = (after ?? {}) as Record<string, unknown>;
  const keys = new Set([...Object.keys(b), ...Object.keys(a)]);
  return [...keys].filter(
    (k) => !["version", "updatedAt", "createdAt"].includes(k) && JSON.stringify(b[k]) !== JSON.stringify(a[k]),
  );
}
