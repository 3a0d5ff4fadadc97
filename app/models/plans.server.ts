// One plan per household per year (一户一策): content rules (domain rule 3), the workflow
// draft → submitted → approved → in progress → completed with returns (rule 5), optimistic
// concurrency (rule 6) and the audit trail — all inside one transaction per change.
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import type { DbOrTx, Tx } from "../../db/client";
import { allowedCodes, planChoices } from "./reference-lists.server";
import { animals, crops, households, planEvents, plans, plantingItems, raisingItems, users } from "../../db/schema";
import { can, type Capability } from "~/permissions";
import { message } from "~/schemas/fields";
import { planRuleViolations, type PlanContent, type PlanTransition } from "~/schemas/plan";
import { db } from "~/utils/db.server";
import { writeAudit } from "./audit.server";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, isUniqueViolation } from "./errors.server";
import { assertCan, householdInScope, lockHouseholdInScope, type Scope } from "./scope.server";

export type PlanStatus = (typeof plans.$inferSelect)["status"];

/** Which capability moves a plan from which states to which. The one place the workflow is written down. */
export const WORKFLOW: Record<
  PlanTransition["intent"],
  { from: PlanStatus[]; to: PlanStatus; capability: Capability }
> = {
  submit: { from: ["draft", "returned"], to: "submitted", capability: "plan.write" },
  approve: { from: ["submitted"], to: "approved", capability: "plan.approve" },
  return: { from: ["submitted"], to: "returned", capability: "plan.approve" },
  start: { from: ["approved"], to: "in_progress", capability: "plan.write" },
  complete: { from: ["in_progress"], to: "completed", capability: "plan.approve" },
};
export const EDITABLE: PlanStatus[] = ["draft", "returned"];

/** What the caller may do to a plan in this state: the pages offer exactly this, and the writes below refuse the rest. */
export function planAbilities(
  scope: Scope,
  status: PlanStatus,
): { edit: boolean; transitions: PlanTransition["intent"][] } {
  return {
    edit: can(scope, "plan.write") && EDITABLE.includes(status),
    transitions: (Object.keys(WORKFLOW) as PlanTransition["intent"][]).filter(
      (intent) => can(scope, WORKFLOW[intent].capability) && WORKFLOW[intent].from.includes(status),
    ),
  };
}

/** The plan, locked, if it is in scope (and, when given, of that household): else 404. */
export async function lockPlanInScope(tx: Tx, scope: Scope, planId: string, householdId?: string) {
  const [row] = await tx
    .select({ plan: plans })
    .from(plans)
    .innerJoin(households, eq(households.id, plans.householdId))
    .where(
      and(eq(plans.id, planId), householdId ? eq(plans.householdId, householdId) : undefined, householdInScope(scope)),
    )
    .for("update", { of: plans });
  if (!row) throw new NotFoundError("plan");
  return row.plan;
}

/**
 * Every crop and animal of the plan is on its list and live; one the plan already had (`kept`) may stay
 * after the administrator retired it, so saving an old plan (or amending it) never forces it off.
 */
export async function checkReferences(
  tx: Tx,
  content: PlanContent,
  kept: { crops: string[]; animals: string[] } = { crops: [], animals: [] },
) {
  const violations = planRuleViolations(content);
  const cropCodes = content.plantingItems.map((i) => i.cropCode);
  const animalCodes = content.raisingItems.map((i) => i.animalCode);
  const cropsAllowed = await allowedCodes(tx, "crops", cropCodes, kept.crops);
  const animalsAllowed = await allowedCodes(tx, "animals", animalCodes, kept.animals);
  content.plantingItems.forEach((item, i) => {
    if (!cropsAllowed.has(item.cropCode))
      violations.push({ path: `plantingItems[${i}].cropCode`, message: "plan.error.unknownCrop" });
  });
  content.raisingItems.forEach((item, i) => {
    if (!animalsAllowed.has(item.animalCode))
      violations.push({ path: `raisingItems[${i}].animalCode`, message: "plan.error.unknownAnimal" });
  });
  if (violations.length) {
    const fieldErrors: Record<string, string[]> = {};
    for (const v of violations) (fieldErrors[v.path] ??= []).push(v.message);
    throw new ValidationError(fieldErrors);
  }
}

/**
 * Domain rule 3: a plan is drawn on the courtyard the household has registered. The area is the
 * household's; changing it is an edit of the household (which carries it to the editable plans).
 */
export async function checkCourtyardIsHouseholds(tx: Tx, householdId: string, content: PlanContent) {
  const [household] = await tx
    .select({ courtyardArea: households.courtyardArea })
    .from(households)
    .where(eq(households.id, householdId));
  const registered = household?.courtyardArea ?? null;
  if (registered === null) throw ValidationError.field("courtyardArea", "plan.error.householdHasNoCourtyard");
  if (Math.round(content.courtyardArea * 100) !== Math.round(registered * 100)) {
    throw ValidationError.field("courtyardArea", message("plan.error.courtyardNotHouseholds", { registered }));
  }
}

export async function writeItems(tx: Tx, countyId: string, planId: string, content: PlanContent) {
  await tx.delete(plantingItems).where(eq(plantingItems.planId, planId));
  await tx.delete(raisingItems).where(eq(raisingItems.planId, planId));
  if (content.plantingItems.length) {
    await tx
      .insert(plantingItems)
      .values(content.plantingItems.map((i, position) => ({ ...i, countyId, planId, position })));
  }
  if (content.raisingItems.length) {
    await tx
      .insert(raisingItems)
      .values(content.raisingItems.map((i, position) => ({ ...i, countyId, planId, position })));
  }
}

/** The plan as the audit log and the editor see it: columns plus items. */
export async function planSnapshot(tx: DbOrTx, planId: string) {
  const [plan] = await tx.select().from(plans).where(eq(plans.id, planId));
  if (!plan) return null;
  const [planting, raising] = await Promise.all([
    tx
      .select({
        cropCode: plantingItems.cropCode,
        area: plantingItems.area,
        expectedYieldKg: plantingItems.expectedYieldKg,
      })
      .from(plantingItems)
      .where(eq(plantingItems.planId, planId))
      .orderBy(asc(plantingItems.position), asc(plantingItems.id)),
    tx
      .select({ animalCode: raisingItems.animalCode, headCount: raisingItems.headCount })
      .from(raisingItems)
      .where(eq(raisingItems.planId, planId))
      .orderBy(asc(raisingItems.position), asc(raisingItems.id)),
  ]);
  return { ...plan, plantingItems: planting, raisingItems: raising };
}

export async function createPlan(input: { scope: Scope; householdId: string; year: number; content: PlanContent }) {
  const { scope, householdId, year, content } = input;
  assertCan(scope, "plan.write");
  const d = await db();
  try {
    return await d.transaction(async (tx) => {
      const household = await lockHouseholdInScope(tx, scope, householdId);
      await checkCourtyardIsHouseholds(tx, householdId, content);
      await checkReferences(tx, content);
      const [existing] = await tx
        .select({ id: plans.id })
        .from(plans)
        .where(and(eq(plans.householdId, householdId), eq(plans.year, year)));
      if (existing) throw ValidationError.form("plan.error.exists");
      const { plantingItems: _p, raisingItems: _r, ...columns } = content;
      const [plan] = await tx
        .insert(plans)
        .values({ ...columns, householdId, year, countyId: household.countyId, createdBy: scope.userId })
        .returning({ id: plans.id });
      await writeItems(tx, household.countyId, plan.id, content);
      await tx.insert(planEvents).values({
        countyId: household.countyId,
        planId: plan.id,
        fromStatus: null,
        toStatus: "draft",
        userId: scope.userId,
      });
      await writeAudit(tx, {
        countyId: household.countyId,
        userId: scope.userId,
        action: "plan.create",
        entity: "plan",
        entityId: plan.id,
        householdId,
        after: await planSnapshot(tx, plan.id),
      });
      return plan;
    });
  } catch (error) {
    // two people creating the same household's plan at once: the unique key decides
    if (isUniqueViolation(error, "plans_household_year_uq")) throw ValidationError.form("plan.error.exists");
    throw error;
  }
}

export async function updatePlan(input: { scope: Scope; planId: string; version: number; content: PlanContent }) {
  const { scope, planId, version, content } = input;
  const d = await db();
  return d.transaction(async (tx) => {
    const current = await lockPlanInScope(tx, scope, planId);
    if (current.version !== version) throw new ConflictError("plan");
    if (!planAbilities(scope, current.status).edit) throw new ForbiddenError("plan.edit");
    // read after the plan's lock: a household edit that changes the area updates this plan under the same lock
    await checkCourtyardIsHouseholds(tx, current.householdId, content);
    const before = await planSnapshot(tx, planId);
    await checkReferences(tx, content, {
      crops: before?.plantingItems.map((i) => i.cropCode) ?? [],
      animals: before?.raisingItems.map((i) => i.animalCode) ?? [],
    });
    const { plantingItems: _p, raisingItems: _r, ...columns } = content;
    const updated = await tx
      .update(plans)
      .set({ ...columns, version: sql`${plans.version} + 1`, updatedAt: new Date() })
      .where(and(eq(plans.id, planId), eq(plans.version, version)))
      .returning({ id: plans.id, version: plans.version });
    if (updated.length === 0) throw new ConflictError("plan");
    await writeItems(tx, current.countyId, planId, content);
    await writeAudit(tx, {
      countyId: current.countyId,
      userId: scope.userId,
      action: "plan.update",
      entity: "plan",
      entityId: planId,
      householdId: current.householdId,
      before,
      after: await planSnapshot(tx, planId),
    });
    return updated[0];
  });
}

export async function transitionPlan(input: {
  scope: Scope;
  planId: string;
  transition: PlanTransition;
  householdId?: string;
}) {
  const { scope, planId, transition, householdId } = input;
  const step = WORKFLOW[transition.intent];
  const d = await db();
  return d.transaction(async (tx) => {
    const current = await lockPlanInScope(tx, scope, planId, householdId);
    if (current.version !== transition.version) throw new ConflictError("plan");
    if (!can(scope, step.capability)) throw new ForbiddenError(`plan.${transition.intent}`);
    if (!step.from.includes(current.status)) {
      throw ValidationError.form(`plan.error.cannot.${transition.intent}`);
    }
    const now = new Date();
    const reason = transition.intent === "return" ? transition.reason : null;
    const stamps =
      transition.intent === "submit"
        ? { submittedAt: now, submittedBy: scope.userId, returnReason: null }
        : transition.intent === "approve"
          ? { approvedAt: now, approvedBy: scope.userId, returnReason: null }
          : transition.intent === "return"
            ? { returnReason: reason }
            : {};
    const [updated] = await tx
      .update(plans)
      .set({ status: step.to, ...stamps, version: sql`${plans.version} + 1`, updatedAt: now })
      .where(and(eq(plans.id, planId), eq(plans.version, transition.version)))
      .returning({ id: plans.id, version: plans.version, status: plans.status });
    if (!updated) throw new ConflictError("plan");
    await tx.insert(planEvents).values({
      countyId: current.countyId,
      planId,
      fromStatus: current.status,
      toStatus: step.to,
      reason,
      userId: scope.userId,
      at: now,
    });
    await writeAudit(tx, {
      countyId: current.countyId,
      userId: scope.userId,
      action: `plan.${transition.intent}`,
      entity: "plan",
      entityId: planId,
      householdId: current.householdId,
      before: { status: current.status, version: current.version },
      after: { status: step.to, version: updated.version, ...(reason ? { reason } : {}) },
    });
    return updated;
  });
}

/** A household's plans, newest year first, with items and workflow history; null if out of scope. */
export async function getHouseholdPlans({ scope, householdId }: { scope: Scope; householdId: string }) {
  const d = await db();
  type Planting = {
    cropCode: string;
    cropZh: string;
    cropEn: string;
    cropRetiredAt: string | null;
    area: number;
    expectedYieldKg: number;
  };
  type Raising = {
    animalCode: string;
    animalZh: string;
    animalEn: string;
    animalRetiredAt: string | null;
    headCount: number;
  };
  type Event = {
    fromStatus: (typeof planEvents.$inferSelect)["fromStatus"];
    toStatus: (typeof planEvents.$inferSelect)["toStatus"];
    reason: string | null;
    at: string;
    userName: string | null;
  };
  // each plan with its items and events in one statement (JSON per plan), not a statement per list
  const rows = await d
    .select({
      plan: plans,
      planting: sql<Planting[]>`(select coalesce(json_agg(json_build_object('cropCode', i.crop_code,
          'cropZh', c.name_zh, 'cropEn', c.name_en, 'cropRetiredAt', c.retired_at, 'area', i.area,
          'expectedYieldKg', i.expected_yield_kg) order by i.position, i.id), '[]'::json)
        from ${plantingItems} i join ${crops} c on c.code = i.crop_code where i.plan_id = "plans"."id")`,
      raising: sql<Raising[]>`(select coalesce(json_agg(json_build_object('animalCode', i.animal_code,
          'animalZh', a.name_zh, 'animalEn', a.name_en, 'animalRetiredAt', a.retired_at,
          'headCount', i.head_count) order by i.position, i.id), '[]'::json)
        from ${raisingItems} i join ${animals} a on a.code = i.animal_code where i.plan_id = "plans"."id")`,
      events: sql<Event[]>`(select coalesce(json_agg(json_build_object('fromStatus', e.from_status,
          'toStatus', e.to_status, 'reason', e.reason, 'at', e.at, 'userName', u.display_name) order by e.at), '[]'::json)
        from ${planEvents} e left join ${users} u on u.id = e.user_id where e.plan_id = "plans"."id")`,
    })
    .from(plans)
    .innerJoin(households, eq(households.id, plans.householdId))
    .where(and(eq(plans.householdId, householdId), householdInScope(scope)))
    .orderBy(desc(plans.year));
  const date = (value: string | null) => (value === null ? null : new Date(value));
  return rows.map(({ plan, planting, raising, events }) => ({
    ...plan,
    plantingItems: planting.map((i) => ({ planId: plan.id, ...i, cropRetiredAt: date(i.cropRetiredAt) })),
    raisingItems: raising.map((i) => ({ planId: plan.id, ...i, animalRetiredAt: date(i.animalRetiredAt) })),
    events: events.map((e) => ({ planId: plan.id, ...e, at: new Date(e.at) })),
    can: planAbilities(scope, plan.status),
  }));
}

/** The crops and animals the plan editor offers: the live ones, and those the plan being edited already has. */
export async function referenceLists(plan?: {
  plantingItems: { cropCode: string }[];
  raisingItems: { animalCode: string }[];
}) {
  return planChoices({
    crops: plan?.plantingItems.map((i) => i.cropCode) ?? [],
    animals: plan?.raisingItems.map((i) => i.animalCode) ?? [],
  });
}

/** Several plans' content (zones, items, measures, target) in three reads, by plan id. */
export async function planContents(d: DbOrTx, planIds: string[]): Promise<Map<string, PlanContent>> {
  const out = new Map<string, PlanContent>();
  if (planIds.length === 0) return out;
  const [rows, planting, raising] = await Promise.all([
    d.select().from(plans).where(inArray(plans.id, planIds)),
    d
      .select()
      .from(plantingItems)
      .where(inArray(plantingItems.planId, planIds))
      .orderBy(asc(plantingItems.position), asc(plantingItems.id)),
    d
      .select()
      .from(raisingItems)
      .where(inArray(raisingItems.planId, planIds))
      .orderBy(asc(raisingItems.position), asc(raisingItems.id)),
  ]);
  for (const p of rows) {
    out.set(p.id, {
      courtyardArea: p.courtyardArea,
      livingArea: p.livingArea,
      plantingArea: p.plantingArea,
      raisingArea: p.raisingArea,
      plantingItems: planting
        .filter((i) => i.planId === p.id)
        .map((i) => ({ cropCode: i.cropCode, area: i.area, expectedYieldKg: i.expectedYieldKg })),
      raisingItems: raising
        .filter((i) => i.planId === p.id)
        .map((i) => ({ animalCode: i.animalCode, headCount: i.headCount })),
      measures: p.measures,
      incomeTargetFen: p.incomeTargetFen,
    });
  }
  return out;
}
