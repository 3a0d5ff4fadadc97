// An official's approvals queue: the township's plans and plan amendments waiting for them, oldest
// submission first. A plan comes with what the cadre changed since the official last returned it (the audit
// keeps every saved version), an amendment with its changes against the plan as it is now and, when
// resubmitted, what changed since its return — so a second look reads only the difference.
import { and, asc, count, eq, inArray, sql } from "drizzle-orm";
import {
  auditLog,
  cadreAssignments,
  households,
  members,
  planAmendments,
  planEvents,
  plans,
  regions,
  users,
} from "../../db/schema";
import { db } from "~/utils/db.server";
import { planChanges, type PlanChange } from "~/utils/plan-diff";
import { itemNames } from "./amendments.server";
import { changedFields } from "./audit.server";
import { planContents } from "./plans.server";
import { queryRows } from "../../db/client";
import { assertCan, householdInScope, type Scope } from "./scope.server";

/** The plan fields a difference is told in, in the order a plan page shows them. */
export const PLAN_DIFF_FIELDS = [
  "courtyardArea",
  "livingArea",
  "plantingArea",
  "raisingArea",
  "plantingItems",
  "raisingItems",
  "measures",
  "incomeTargetFen",
] as const;
export type PlanDiffField = (typeof PLAN_DIFF_FIELDS)[number];

const waiting = (scope: Scope) => and(eq(plans.status, "submitted"), householdInScope(scope));

const amendmentWaiting = (scope: Scope) => and(eq(planAmendments.status, "submitted"), householdInScope(scope));

/** How many plans and amendments wait for the official: the home page's count. */
export async function pendingApprovalCount({ scope }: { scope: Scope }) {
  if (scope.role !== "official") return 0;
  const d = await db();
  const [[planRow], [amendmentRow]] = await Promise.all([
    d
      .select({ n: count() })
      .from(plans)
      .innerJoin(households, eq(households.id, plans.householdId))
      .where(waiting(scope)),
    d
      .select({ n: count() })
      .from(planAmendments)
      .innerJoin(plans, eq(plans.id, planAmendments.planId))
      .innerJoin(households, eq(households.id, plans.householdId))
      .where(amendmentWaiting(scope)),
  ]);
  return Number(planRow.n) + Number(amendmentRow.n);
}

const headName = sql<
  string | null
>`(select ${members.name} from ${members} where ${members.householdId} = ${households.id} and ${members.relation} = 'head' limit 1)`;
const cadreName = sql<
  string | null
>`(select u.display_name from ${cadreAssignments} a join ${users} u on u.id = a.cadre_id where a.household_id = ${households.id} and a.ends_on is null limit 1)`;

export type QueuedAmendment = {
  amendmentId: string;
  planId: string;
  year: number;
  householdId: string;
  code: string;
  village: string;
  head: string | null;
  cadre: string | null;
  proposedBy: string | null;
  reason: string;
  submittedAt: Date;
  /** against the plan as it is now */
  changes: PlanChange[];
  /** a resubmission: when and why it was returned, and what changed since */
  sinceReturn: { returnedAt: Date | null; reason: string | null; changes: PlanChange[] } | null;
};

/** The township's amendments waiting for the official, oldest submission first. */
export async function amendmentQueue({ scope }: { scope: Scope }): Promise<QueuedAmendment[]> {
  assertCan(scope, "plan.approve");
  const d = await db();
  const rows = await d
    .select({
      a: planAmendments,
      year: plans.year,
      householdId: households.id,
      code: households.code,
      village: regions.name,
      head: headName,
      cadre: cadreName,
      proposedBy: users.displayName,
    })
    .from(planAmendments)
    .innerJoin(plans, eq(plans.id, planAmendments.planId))
    .innerJoin(households, eq(households.id, plans.householdId))
    .innerJoin(regions, eq(regions.id, households.villageId))
    .leftJoin(users, eq(users.id, planAmendments.proposedBy))
    .where(amendmentWaiting(scope))
    .orderBy(asc(planAmendments.submittedAt), asc(planAmendments.id))
    .limit(500);
  if (rows.length === 0) return [];
  const [contents, names] = await Promise.all([
    planContents(
      d,
      rows.map((r) => r.a.planId),
    ),
    itemNames(),
  ]);
  return rows.map(({ a, ...r }) => {
    const current = contents.get(a.planId);
    return {
      ...r,
      amendmentId: a.id,
      planId: a.planId,
      reason: a.reason,
      submittedAt: a.submittedAt,
      changes: current ? planChanges(current, a.content, names) : [],
      sinceReturn: a.returnedContent
        ? {
            returnedAt: a.returnedAt,
            reason: a.returnReason,
            changes: planChanges(a.returnedContent, a.content, names),
          }
        : null,
    };
  });
}

export async function approvalsQueue({ scope }: { scope: Scope }) {
  assertCan(scope, "plan.approve");
  const d = await db();
  const rows = await d
    .select({
      planId: plans.id,
      year: plans.year,
      submittedAt: plans.submittedAt,
      householdId: households.id,
      code: households.code,
      village: regions.name,
      head: headName,
      submittedBy: users.displayName,
      cadre: cadreName,
    })
    .from(plans)
    .innerJoin(households, eq(households.id, plans.householdId))
    .innerJoin(regions, eq(regions.id, households.villageId))
    .leftJoin(users, eq(users.id, plans.submittedBy))
    .where(waiting(scope))
    .orderBy(asc(plans.submittedAt), asc(plans.id))
    .limit(500);
  const changes = await changesSinceReturn(rows.map((r) => r.planId));
  return rows.map((r) => ({ ...r, sinceReturn: changes.get(r.planId) ?? null }));
}

/**
 * For plans that were returned before: when, why, and which fields differ between the version returned
 * and the one submitted now (the first saved "before" after the return against the last saved "after").
 */
async function changesSinceReturn(planIds: string[]) {
  const out = new Map<string, { returnedAt: Date; reason: string | null; fields: PlanDiffField[] }>();
  if (planIds.length === 0) return out;
  const d = await db();
  const returns = await d
    .selectDistinctOn([planEvents.planId], { planId: planEvents.planId, at: planEvents.at, reason: planEvents.reason })
    .from(planEvents)
    .where(and(inArray(planEvents.planId, planIds), eq(planEvents.toStatus, "returned")))
    .orderBy(planEvents.planId, sql`${planEvents.at} desc`);
  if (returns.length === 0) return out;
  // every saved version of the returned plans in one read; each plan keeps those after its last return
  const updates = await d
    .select({ planId: auditLog.entityId, at: auditLog.at, before: auditLog.before, after: auditLog.after })
    .from(auditLog)
    .where(
      and(
        eq(auditLog.entity, "plan"),
        eq(auditLog.action, "plan.update"),
        inArray(
          auditLog.entityId,
          returns.map((r) => r.planId),
        ),
      ),
    )
    .orderBy(asc(auditLog.at), asc(auditLog.id));
  for (const ret of returns) {
    const since = updates.filter((u) => u.planId === ret.planId && u.at > ret.at);
    const fields =
      since.length === 0
        ? []
        : (changedFields(since[0].before, since[since.length - 1].after).filter((f) =>
            (PLAN_DIFF_FIELDS as readonly string[]).includes(f),
          ) as PlanDiffField[]);
    out.set(ret.planId, { returnedAt: ret.at, reason: ret.reason, fields });
  }
  return out;
}

// ---------- returned to the cadre ----------

export type ReturnedItem = {
  kind: "plan" | "amendment";
  /** the plan's id, or the amendment's */
  id: string;
  year: number;
  householdId: string;
  code: string;
  head: string;
  village: string;
  cadre: string | null;
  reason: string | null;
  returnedAt: string | null;
};

/**
 * Plans and amendments an official returned and nobody has resubmitted yet: work waiting on the cadre. The
 * official's home counts them and its list shows them; the cadre's worklist shows their own. Both kinds in
 * one query, most recently returned first; `total` counts them all, `rows` holds at most `limit`.
 */
export async function returnedWork({ scope, limit = 500 }: { scope: Scope; limit?: number }) {
  const d = await db();
  const inScope = householdInScope(scope);
  const items = sql`
    select 'plan' as kind, p.id, p.year, p.household_id, p.return_reason as reason,
      (select max(e.at) from plan_events e where e.plan_id = p.id and e.to_status = 'returned') as returned_at
    from plans p join households on households.id = p.household_id
    where p.status = 'returned' and ${inScope}
    union all
    select 'amendment', a.id, p.year, p.household_id, a.return_reason, a.returned_at
    from plan_amendments a join plans p on p.id = a.plan_id join households on households.id = p.household_id
    where a.status = 'returned' and ${inScope}`;
  const [counted, rows] = await Promise.all([
    queryRows<{ n: number }>(d, sql`select count(*)::int as n from (${items}) i`),
    limit > 0
      ? queryRows<ReturnedItem>(
          d,
          sql`select i.kind, i.id, i.year, i.household_id as "householdId", h.code, h.head_name as head,
            v.name as village, i.reason, i.returned_at::text as "returnedAt",
            (select u.display_name from cadre_assignments ca join users u on u.id = ca.cadre_id
              where ca.household_id = h.id and ca.ends_on is null limit 1) as cadre
          from (${items}) i join households h on h.id = i.household_id join regions v on v.id = h.village_id
          order by i.returned_at desc nulls last, i.id
          limit ${limit}`,
        )
      : Promise.resolve([] as ReturnedItem[]),
  ]);
  return { total: counted[0]?.n ?? 0, rows };
}
