// Amendments of an approved or running plan (domain rule 10): a cadre proposes a change (a crop failed, a
// new project) while the plan keeps running as approved; the change goes submitted → approved / returned
// like the plan itself, and only an official of the township approves it. Approving writes the content into
// the plan in the same transaction, under the plan's lock, if the plan still is what the proposal was drawn
// on. Every write locks the plan first and the amendment second, so two writers queue in one order.
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Tx } from "../../db/client";
import { animals, crops, households, planAmendments, plans, users } from "../../db/schema";
import { can } from "~/permissions";
import type { AmendmentDecision, PlanContent } from "~/schemas/plan";
import { db } from "~/utils/db.server";
import { contentOf, planChanges, type Named } from "~/utils/plan-diff";
import { writeAudit } from "./audit.server";
import { ConflictError, NotFoundError, ValidationError, isUniqueViolation } from "./errors.server";
import {
  checkCourtyardIsHouseholds,
  checkReferences,
  lockPlanInScope,
  planSnapshot,
  writeItems,
  type PlanStatus,
} from "./plans.server";
import { assertCan, householdInScope, type Scope } from "./scope.server";

export type AmendmentStatus = (typeof planAmendments.$inferSelect)["status"];
type AmendmentRow = typeof planAmendments.$inferSelect;

/** The plans an amendment may change: approved, or running. A draft is edited; a completed plan is history. */
export const AMENDABLE: PlanStatus[] = ["approved", "in_progress"];
const OPEN: AmendmentStatus[] = ["submitted", "returned"];

const alreadyOpen = () => ValidationError.form("amendment.error.open");

/** The plan's current content, read under its lock. */
async function currentContent(tx: Tx, planId: string): Promise<PlanContent> {
  const snapshot = await planSnapshot(tx, planId);
  if (!snapshot) throw new NotFoundError("plan");
  return contentOf(snapshot) as PlanContent;
}

/**
 * Rule 3 and the reference lists on the proposed content, as the plan editor's own checks: a crop or animal
 * the plan already has may stay after it was retired.
 */
async function checkContent(tx: Tx, householdId: string, content: PlanContent, base: PlanContent) {
  await checkCourtyardIsHouseholds(tx, householdId, content);
  await checkReferences(tx, content, {
    crops: base.plantingItems.map((i) => i.cropCode),
    animals: base.raisingItems.map((i) => i.animalCode),
  });
}

function refuseNoChange(before: PlanContent, after: PlanContent) {
  if (planChanges(before, after).length === 0) throw ValidationError.form("amendment.error.noChange");
}

/** The amendment and its plan, both locked (plan first), when the plan's household is in scope: else 404. */
async function lockAmendment(tx: Tx, scope: Scope, amendmentId: string, householdId?: string) {
  const [ref] = await tx
    .select({ planId: planAmendments.planId })
    .from(planAmendments)
    .innerJoin(plans, eq(plans.id, planAmendments.planId))
    .innerJoin(households, eq(households.id, plans.householdId))
    .where(
      and(
        eq(planAmendments.id, amendmentId),
        householdId ? eq(plans.householdId, householdId) : undefined,
        householdInScope(scope),
      ),
    );
  if (!ref) throw new NotFoundError("amendment");
  const plan = await lockPlanInScope(tx, scope, ref.planId, householdId);
  const [amendment] = await tx.select().from(planAmendments).where(eq(planAmendments.id, amendmentId)).for("update");
  if (!amendment) throw new NotFoundError("amendment");
  return { plan, amendment };
}

/** The state first (someone decided it meanwhile: say what became of it), then the version the user saw. */
function checkOpen(amendment: AmendmentRow, version: number, allowed: AmendmentStatus[]) {
  if (!allowed.includes(amendment.status)) throw ValidationError.form(`amendment.error.already.${amendment.status}`);
  if (amendment.version !== version) throw new ConflictError("amendment");
}

function checkPlanAmendable(status: PlanStatus) {
  if (!AMENDABLE.includes(status)) throw ValidationError.form("amendment.error.planNotRunning");
}

async function auditAmendment(
  tx: Tx,
  scope: Scope,
  householdId: string,
  action: string,
  before: AmendmentRow | null,
  after: AmendmentRow,
) {
  const view = (a: AmendmentRow) => ({
    status: a.status,
    reason: a.reason,
    content: a.content,
    returnReason: a.returnReason,
    version: a.version,
  });
  await writeAudit(tx, {
    countyId: after.countyId,
    userId: scope.userId,
    action: `amendment.${action}`,
    entity: "amendment",
    entityId: after.id,
    householdId,
    before: before ? view(before) : null,
    after: view(after),
  });
}

/** A cadre (or official) proposes a change to the household's approved or running plan. */
export async function proposeAmendment(input: {
  scope: Scope;
  householdId: string;
  planId: string;
  content: PlanContent;
  reason: string;
}) {
  const { scope, householdId, planId, content, reason } = input;
  assertCan(scope, "plan.write");
  const d = await db();
  try {
    return await d.transaction(async (tx) => {
      const plan = await lockPlanInScope(tx, scope, planId, householdId);
      checkPlanAmendable(plan.status);
      const [open] = await tx
        .select({ id: planAmendments.id })
        .from(planAmendments)
        .where(and(eq(planAmendments.planId, planId), inArray(planAmendments.status, OPEN)));
      if (open) throw alreadyOpen();
      const base = await currentContent(tx, planId);
      await checkContent(tx, plan.householdId, content, base);
      refuseNoChange(base, content);
      const [row] = await tx
        .insert(planAmendments)
        .values({
          countyId: plan.countyId,
          planId,
          content,
          reason,
          basePlanVersion: plan.version,
          baseContent: base,
          proposedBy: scope.userId,
        })
        .returning();
      await auditAmendment(tx, scope, plan.householdId, "propose", null, row);
      return row;
    });
  } catch (error) {
    // two proposals for one plan at once: the partial unique index lets one through
    if (isUniqueViolation(error, "plan_amendments_open_uq")) throw alreadyOpen();
    throw error;
  }
}

/**
 * The proposer changes an open amendment: a returned one goes back to the official (the content as it was
 * returned is kept, so the official reads what changed since); a submitted one stays in its place in the
 * queue, at a new version, so an official's approval of the content they read is refused as a conflict.
 */
export async function reviseAmendment(input: {
  scope: Scope;
  householdId: string;
  amendmentId: string;
  version: number;
  content: PlanContent;
  reason: string;
}) {
  const { scope, householdId, amendmentId, version, content, reason } = input;
  assertCan(scope, "plan.write");
  const d = await db();
  return d.transaction(async (tx) => {
    const { plan, amendment } = await lockAmendment(tx, scope, amendmentId, householdId);
    checkOpen(amendment, version, OPEN);
    checkPlanAmendable(plan.status);
    const base = await currentContent(tx, plan.id);
    await checkContent(tx, plan.householdId, content, base);
    refuseNoChange(base, content);
    const resubmitted = amendment.status === "returned";
    const [row] = await tx
      .update(planAmendments)
      .set({
        content,
        reason,
        status: "submitted",
        basePlanVersion: plan.version,
        baseContent: base,
        ...(resubmitted ? { returnedContent: amendment.content, submittedAt: new Date() } : {}),
        version: sql`${planAmendments.version} + 1`,
      })
      .where(and(eq(planAmendments.id, amendmentId), eq(planAmendments.version, version)))
      .returning();
    if (!row) throw new ConflictError("amendment");
    await auditAmendment(tx, scope, plan.householdId, resubmitted ? "resubmit" : "revise", amendment, row);
    return row;
  });
}

/**
 * An official of the township approves: the content is written into the plan (zones, items, measures,
 * target), the plan's version moves on and its status stays, the amendment records who approved it and the
 * content it replaced. Refused when the plan's content changed since the proposal was drawn on it.
 */
async function approve(tx: Tx, scope: Scope, householdId: string, amendmentId: string, version: number) {
  const { plan, amendment } = await lockAmendment(tx, scope, amendmentId, householdId);
  checkOpen(amendment, version, ["submitted"]);
  checkPlanAmendable(plan.status);
  const before = await planSnapshot(tx, plan.id);
  if (!before) throw new NotFoundError("plan");
  const current = contentOf(before) as PlanContent;
  // a step of the workflow (started) moves the version too; only a change of content makes the proposal stale
  if (plan.version !== amendment.basePlanVersion && planChanges(amendment.baseContent, current).length > 0) {
    throw ValidationError.form("amendment.error.planChanged");
  }
  const content = amendment.content;
  try {
    await checkContent(tx, plan.householdId, content, current);
  } catch (error) {
    // the household's courtyard was corrected since: the official reads why, above the buttons
    if (error instanceof ValidationError)
      throw new ValidationError({}, [...error.formErrors, ...Object.values(error.fieldErrors).flat()]);
    throw error;
  }
  const now = new Date();
  const { plantingItems: _p, raisingItems: _r, ...columns } = content;
  await tx
    .update(plans)
    .set({ ...columns, version: sql`${plans.version} + 1`, updatedAt: now })
    .where(eq(plans.id, plan.id));
  await writeItems(tx, plan.countyId, plan.id, content);
  const [row] = await tx
    .update(planAmendments)
    .set({
      status: "approved",
      decidedBy: scope.userId,
      decidedAt: now,
      replacedContent: current,
      version: sql`${planAmendments.version} + 1`,
    })
    .where(eq(planAmendments.id, amendmentId))
    .returning();
  await writeAudit(tx, {
    countyId: plan.countyId,
    userId: scope.userId,
    action: "plan.amend",
    entity: "plan",
    entityId: plan.id,
    householdId: plan.householdId,
    before,
    after: await planSnapshot(tx, plan.id),
  });
  await auditAmendment(tx, scope, plan.householdId, "approve", amendment, row);
  return row;
}

/** An approval, a return or a withdrawal, from the plan's page: each in one transaction. */
export async function decideAmendment(input: { scope: Scope; householdId: string; decision: AmendmentDecision }) {
  const { scope, householdId, decision } = input;
  const d = await db();
  switch (decision.intent) {
    case "amendment-approve":
      assertCan(scope, "plan.approve");
      return d.transaction((tx) => approve(tx, scope, householdId, decision.amendmentId, decision.version));
    case "amendment-return":
      assertCan(scope, "plan.approve");
      return d.transaction(async (tx) => {
        const { plan, amendment } = await lockAmendment(tx, scope, decision.amendmentId, householdId);
        checkOpen(amendment, decision.version, ["submitted"]);
        const [row] = await tx
          .update(planAmendments)
          .set({
            status: "returned",
            returnReason: decision.reason,
            returnedBy: scope.userId,
            returnedAt: new Date(),
            version: sql`${planAmendments.version} + 1`,
          })
          .where(eq(planAmendments.id, amendment.id))
          .returning();
        await auditAmendment(tx, scope, plan.householdId, "return", amendment, row);
        return row;
      });
    case "amendment-withdraw":
      assertCan(scope, "plan.write");
      return d.transaction(async (tx) => {
        const { plan, amendment } = await lockAmendment(tx, scope, decision.amendmentId, householdId);
        checkOpen(amendment, decision.version, OPEN);
        const [row] = await tx
          .update(planAmendments)
          .set({
            status: "withdrawn",
            decidedBy: scope.userId,
            decidedAt: new Date(),
            version: sql`${planAmendments.version} + 1`,
          })
          .where(eq(planAmendments.id, amendment.id))
          .returning();
        await auditAmendment(tx, scope, plan.householdId, "withdraw", amendment, row);
        return row;
      });
  }
}

// ---------- reading ----------

/** A crop's or an animal's words by its code, for telling the changes. */
export async function itemNames(): Promise<(code: string) => Named> {
  const d = await db();
  const [cropRows, animalRows] = await Promise.all([
    d.select({ code: crops.code, zh: crops.nameZh, en: crops.nameEn }).from(crops),
    d.select({ code: animals.code, zh: animals.nameZh, en: animals.nameEn }).from(animals),
  ]);
  const all = new Map([...cropRows, ...animalRows].map((r) => [r.code, r]));
  return (code) => all.get(code) ?? { code, zh: code, en: code };
}

const proposer = alias(users, "proposer");
const decider = alias(users, "decider");
const returner = alias(users, "returner");

/**
 * A plan's amendments for its page: the open one (with its changes against the plan as it is now, and
 * since its last return) and every one decided, each with its changes field by field, who proposed it and
 * who decided it. Null when the plan is not in scope.
 */
export async function getPlanAmendments({ scope, planId }: { scope: Scope; planId: string }) {
  const d = await db();
  // the plan (in scope) and its amendments in one statement: most plans have none, and then it is the only one
  const joined = await d
    .select({
      planStatus: plans.status,
      a: planAmendments,
      proposedByName: proposer.displayName,
      decidedByName: decider.displayName,
      returnedByName: returner.displayName,
    })
    .from(plans)
    .innerJoin(households, eq(households.id, plans.householdId))
    .leftJoin(planAmendments, eq(planAmendments.planId, plans.id))
    .leftJoin(proposer, eq(proposer.id, planAmendments.proposedBy))
    .leftJoin(decider, eq(decider.id, planAmendments.decidedBy))
    .leftJoin(returner, eq(returner.id, planAmendments.returnedBy))
    .where(and(eq(plans.id, planId), householdInScope(scope)))
    .orderBy(desc(planAmendments.proposedAt), desc(planAmendments.id));
  if (joined.length === 0) return null;
  const plan = { status: joined[0].planStatus };
  const rows = joined.flatMap((r) => (r.a ? [{ ...r, a: r.a, proposedByName: r.proposedByName ?? "" }] : []));
  if (rows.length === 0) {
    return { open: null, past: [], can: { propose: can(scope, "plan.write") && AMENDABLE.includes(plan.status) } };
  }
  // the plan as it is now matters only against an open amendment
  const hasOpen = rows.some((r) => OPEN.includes(r.a.status));
  const [snapshot, names] = await Promise.all([hasOpen ? planSnapshot(d, planId) : null, itemNames()]);
  if (hasOpen && !snapshot) return null;
  const current = snapshot ? (contentOf(snapshot) as PlanContent) : null;
  const view = (r: (typeof rows)[number]) => ({
    id: r.a.id,
    status: r.a.status,
    version: r.a.version,
    reason: r.a.reason,
    returnReason: r.a.returnReason,
    returnedAt: r.a.returnedAt,
    returnedByName: r.returnedByName,
    proposedAt: r.a.proposedAt,
    submittedAt: r.a.submittedAt,
    proposedByName: r.proposedByName,
    decidedAt: r.a.decidedAt,
    decidedByName: r.decidedByName,
  });
  const openRow = rows.find((r) => OPEN.includes(r.a.status));
  const open = openRow
    ? {
        ...view(openRow),
        content: openRow.a.content,
        changes: planChanges(current!, openRow.a.content, names),
        sinceReturn: openRow.a.returnedContent
          ? planChanges(openRow.a.returnedContent, openRow.a.content, names)
          : null,
        can: {
          edit: can(scope, "plan.write"),
          withdraw: can(scope, "plan.write"),
          approve: can(scope, "plan.approve") && openRow.a.status === "submitted",
          return: can(scope, "plan.approve") && openRow.a.status === "submitted",
        },
      }
    : null;
  const past = rows
    .filter((r) => !OPEN.includes(r.a.status))
    .map((r) => ({
      ...view(r),
      changes: planChanges(r.a.replacedContent ?? r.a.baseContent, r.a.content, names),
    }));
  return {
    open,
    past,
    can: { propose: can(scope, "plan.write") && AMENDABLE.includes(plan.status) && !open },
  };
}
