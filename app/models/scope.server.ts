// One module computes what a user may see. Every model function takes a Scope and puts it into the
// query itself (never a filter after it), so an out-of-scope record simply is not found → 404.
import { and, eq, isNull, sql, type AnyColumn, type SQL } from "drizzle-orm";
import type { Tx } from "../../db/client";
import { cadreAssignments, households, memberships } from "../../db/schema";
import { can, type Capability, type Role, type Scope, type ScopeWith } from "~/permissions";
import { db } from "~/utils/db.server";
import { ForbiddenError, NotFoundError } from "./errors.server";

// The types live in the plain module, so components need no server file for them; the models keep
// importing them from here, next to the scope's queries.
export type { Role, Scope } from "~/permissions";

export type ScopeSource = {
  id: string;
  role: Role;
  countyId: string;
  townshipId: string | null;
  cooperativeId: string | null;
};

export function scopeOf(user: ScopeSource): Scope {
  switch (user.role) {
    case "admin":
      return { role: "admin", userId: user.id, countyId: user.countyId };
    case "official":
    case "cadre":
      if (!user.townshipId) throw new Error(`${user.role} ${user.id} has no township`);
      return { role: user.role, userId: user.id, countyId: user.countyId, townshipId: user.townshipId };
    case "clerk":
      if (!user.cooperativeId) throw new Error(`clerk ${user.id} has no cooperative`);
      return { role: "clerk", userId: user.id, countyId: user.countyId, cooperativeId: user.cooperativeId };
  }
}

/**
 * The households a scope holds, as a condition on `households`:
 * admin — the county; official — the township; cadre — households assigned to them now;
 * clerk — households that are members of their cooperative now. A former member's record leaves the
 * clerk's scope the moment the leave is recorded, whatever date it carries (docs/domain.md, "Users"): the
 * cooperative keeps its order records, which name the household, not a view into the household.
 */
export function householdInScope(scope: Scope): SQL {
  switch (scope.role) {
    case "admin":
      return eq(households.countyId, scope.countyId);
    case "official":
      return eq(households.townshipId, scope.townshipId);
    case "cadre":
      return sql`exists (select 1 from ${cadreAssignments} where ${and(
        eq(cadreAssignments.householdId, households.id),
        eq(cadreAssignments.cadreId, scope.userId),
        isNull(cadreAssignments.endsOn),
      )})`;
    case "clerk":
      return sql`exists (select 1 from ${memberships} where ${and(
        eq(memberships.householdId, households.id),
        eq(memberships.cooperativeId, scope.cooperativeId),
        isNull(memberships.leftOn),
      )})`;
  }
}

/** Refuses (403) a scope whose role does not hold the capability; after it, the scope's type says which roles remain. */
export function assertCan<C extends Capability>(scope: Scope, capability: C): asserts scope is ScopeWith<C> {
  if (!can(scope, capability)) throw new ForbiddenError(capability);
}

/**
 * A care-detail column (domain rule 12) for a role that sees them ("care.read"), else SQL null: for
 * everyone else the value never leaves the database, so no page, loader data or export can carry it.
 */
export function careDetail<C extends AnyColumn>(scope: Scope, column: C): SQL<C["_"]["data"] | null> {
  return can(scope, "care.read") ? sql<C["_"]["data"] | null>`${column}` : sql<null>`null`;
}

/** Whether the household is in scope: an action asks before it reads the form, so out of scope is 404 whatever was posted. */
export async function householdIsInScope({ scope, id }: { scope: Scope; id: string }): Promise<boolean> {
  const d = await db();
  const [row] = await d
    .select({ id: households.id })
    .from(households)
    .where(and(eq(households.id, id), householdInScope(scope)));
  return Boolean(row);
}

/** The household, locked for this transaction, if it is in scope (else 404): orders concurrent writers. */
export async function lockHouseholdInScope(tx: Tx, scope: Scope, householdId: string) {
  const [row] = await tx
    .select({ id: households.id, countyId: households.countyId })
    .from(households)
    .where(and(eq(households.id, householdId), householdInScope(scope)))
    .for("update", { of: households });
  if (!row) throw new NotFoundError("household");
  return row;
}
