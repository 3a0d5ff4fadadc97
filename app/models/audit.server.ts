// Every change is kept: who, when, what before, what after (domain rule 5). Written in the same
// transaction as the change itself, so a change and its audit row stand or fall together.
import { and, desc, eq, lt } from "drizzle-orm";
import type { DbOrTx } from "../../db/client";
import { auditLog, households, users } from "../../db/schema";
import { db } from "~/utils/db.server";
import { householdInScope, seesCareDetails, type Scope } from "./scope.server";

export type AuditEntry = {
  countyId: string;
  userId: string;
  action: string;
  entity:
    | "household"
    | "member"
    | "plan"
    | "assignment"
    | "check"
    | "project"
    | "allocation"
    | "order"
    | "delivery"
    | "membership"
    | "membership_request"
    | "cooperative"
    | "user"
    | "buyer"
    | "broker"
    | "import";
  entityId: string;
  householdId?: string | null;
  before?: unknown;
  after?: unknown;
};

/** JSON-safe copy (dates to strings) so jsonb holds exactly what the page showed. */
function snapshot(value: unknown) {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}

export async function writeAudit(tx: DbOrTx, entry: AuditEntry) {
  await tx.insert(auditLog).values({
    countyId: entry.countyId,
    userId: entry.userId,
    action: entry.action,
    entity: entry.entity,
    entityId: entry.entityId,
    householdId: entry.householdId ?? null,
    before: snapshot(entry.before),
    after: snapshot(entry.after),
  });
}

/** Snapshot fields of a household or member that are care details (see seesCareDetails). */
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
  const care = seesCareDetails(scope);
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
