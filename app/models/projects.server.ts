// Aid projects (帮扶项目) and fund allocations. Domain rule 4: the allocations of a project never exceed its
// budget. The rule is held here, not in the form: every allocation (and every budget change) locks the
// project row (SELECT … FOR UPDATE) and sums inside the same transaction, so concurrent requests queue on
// the lock and each sees the others' committed rows.
import { and, asc, count, desc, eq, ilike, inArray, isNull, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Tx } from "../../db/client";
import { aidProjects, fundAllocations, households, plans, regions, users } from "../../db/schema";
import { can } from "~/permissions";
import { message } from "~/schemas/fields";
import type { AllocationInput, AllocationReversalInput, ProjectInput } from "~/schemas/project";
import { db } from "~/utils/db.server";
import { pageOf } from "~/utils/list-params";
import {
  projectAllocationListParams,
  type PROJECT_SORT_KEYS,
  type ProjectAllocationListParams,
  type ProjectListParams,
} from "~/utils/lists";
import { fenToYuan } from "~/utils/units";
import { writeAudit } from "./audit.server";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, isUniqueViolation } from "./errors.server";
import { assertCan, householdInScope, lockHouseholdInScope, type Scope } from "./scope.server";

export type Project = typeof aidProjects.$inferSelect;
export type ProjectSortKey = (typeof PROJECT_SORT_KEYS)[number];

/** The plan states that may receive funds (docs/decisions/015-delivery-tolerances.md, "Funds"). */
export const FUNDABLE_PLAN_STATUSES: (typeof plans.$inferSelect)["status"][] = ["approved", "in_progress", "completed"];

/**
 * The projects a scope sees, as a condition on `aid_projects`: admin — the county; official — their
 * township's projects and the county-wide ones (township null) of their county; cadre — projects that
 * reach a household assigned to them (read-only); clerk — none.
 */
export function projectInScope(scope: Scope): SQL {
  switch (scope.role) {
    case "admin":
      return eq(aidProjects.countyId, scope.countyId);
    case "official":
      return and(
        eq(aidProjects.countyId, scope.countyId),
        or(eq(aidProjects.townshipId, scope.townshipId), isNull(aidProjects.townshipId)),
      )!;
    case "cadre":
      return sql`exists (select 1 from ${fundAllocations} inner join ${households} on ${households.id} = ${fundAllocations.householdId} where ${fundAllocations.projectId} = ${aidProjects.id} and ${householdInScope(scope)})`;
    case "clerk":
      return sql`false`;
  }
}

/**
 * What the caller may do to this project: edit it (an official, their own township's project; a county-wide
 * one they allocate from but do not edit), allocate from it now (it must be active), and `manage`, whether
 * the role allocates at all, so a page can tell "read-only" from "not now".
 */
export function projectAbilities(scope: Scope, project: Pick<Project, "townshipId" | "status">) {
  const manage = can(scope, "project.allocate");
  return {
    manage,
    edit: can(scope, "project.write") && project.townshipId === scope.townshipId,
    allocate: manage && project.status === "active",
    // a wrong allocation is put right whatever the project's status: the record must be true
    reverse: manage,
  };
}

const totals = () =>
  sql`(select coalesce(sum(${fundAllocations.amountFen}), 0) from ${fundAllocations} where ${fundAllocations.projectId} = ${aidProjects.id})`;
// a household whose allocations were all reversed got nothing from the project
const reached = () =>
  sql`(select count(*) from (select 1 from ${fundAllocations} where ${fundAllocations.projectId} = ${aidProjects.id} group by ${fundAllocations.householdId} having sum(${fundAllocations.amountFen}) > 0) as reached)`;

/**
 * What is left to allocate from a project. A closed project allocates no more (allocateFunds refuses it),
 * so its unspent budget is not "remaining": counting it would promise money nobody can hand out. A planned
 * project's budget is still to be allocated once it starts.
 */
export function remainingFen(p: { status: Project["status"]; budgetFen: number; allocatedFen: number }) {
  return p.status === "closed" ? 0 : p.budgetFen - p.allocatedFen;
}

const PROJECT_SORTS: Record<ProjectSortKey, SQL> = {
  start: sql`${aidProjects.startsOn}`,
  name: sql`${aidProjects.name}`,
  budget: sql`${aidProjects.budgetFen}`,
  allocated: totals(),
};

// a closed project's unspent budget is not "remaining" (remainingFen), in SQL for the totals of every row
const remainingOf = () =>
  sql`case when ${aidProjects.status} = 'closed' then 0 else ${aidProjects.budgetFen} - ${totals()} end`;

/**
 * The projects list's totals over every project in scope, not just the page shown: the figures above a
 * paged table speak for the whole list. Remaining counts a closed project as none, as remainingFen does.
 */
export async function sumProjects({ scope, tx }: { scope: Scope; tx?: Tx }) {
  const d = tx ?? (await db());
  const [row] = await d
    .select({
      budgetFen: sql`coalesce(sum(${aidProjects.budgetFen}), 0)`.mapWith(Number),
      allocatedFen: sql`coalesce(sum(${totals()}), 0)`.mapWith(Number),
      remainingFen: sql`coalesce(sum(${remainingOf()}), 0)`.mapWith(Number),
    })
    .from(aidProjects)
    .where(projectInScope(scope));
  return row;
}

const projectColumns = {
  id: aidProjects.id,
  name: aidProjects.name,
  type: aidProjects.type,
  fundingSource: aidProjects.fundingSource,
  townshipId: aidProjects.townshipId,
  township: regions.name,
  status: aidProjects.status,
  startsOn: aidProjects.startsOn,
  endsOn: aidProjects.endsOn,
  budgetFen: aidProjects.budgetFen,
  allocatedFen: totals().mapWith(Number),
  householdsReached: reached().mapWith(Number),
};

/** Projects in scope, newest first, with budget, allocated, remaining (remainingFen) and households reached (all in fen). */
export async function listProjects({ scope }: { scope: Scope }) {
  const d = await db();
  const rows = await d
    .select(projectColumns)
    .from(aidProjects)
    .leftJoin(regions, eq(regions.id, aidProjects.townshipId))
    .where(projectInScope(scope))
    .orderBy(desc(aidProjects.startsOn), asc(aidProjects.name), asc(aidProjects.id));
  return rows.map((r) => ({ ...r, remainingFen: remainingFen(r) }));
}

export type ProjectListRow = Awaited<ReturnType<typeof listProjects>>[number];

/**
 * The projects list as the page shows it: one page of the projects in scope in the asked order, and the
 * totals over all of them. Rows, count and totals come from one snapshot, so the figures add up.
 */
export async function projectList(scope: Scope, params: ProjectListParams) {
  const d = await db();
  return d.transaction(
    async (tx) => {
      const [{ total }] = await tx
        .select({ total: sql<number>`count(*)::int` })
        .from(aidProjects)
        .where(projectInScope(scope));
      const sums = await sumProjects({ scope, tx });
      const { page, pageSize, pageCount, offset } = pageOf(total, params.page, params.size);
      const dir = params.dir === "asc" ? asc : desc;
      const rows = total
        ? await tx
            .select(projectColumns)
            .from(aidProjects)
            .leftJoin(regions, eq(regions.id, aidProjects.townshipId))
            .where(projectInScope(scope))
            // name, then id: a stable order, so paging shows every project once
            .orderBy(dir(PROJECT_SORTS[params.sort]), asc(aidProjects.name), asc(aidProjects.id))
            .limit(pageSize)
            .offset(offset)
        : [];
      return {
        params,
        rows: rows.map((r): ProjectListRow => ({ ...r, remainingFen: remainingFen(r) })),
        totals: sums,
        total,
        page,
        pageSize,
        pageCount,
      };
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}

/**
 * One project with totals and the allocations to households in the caller's scope (household head,
 * village, amount, kind/item); null if the project is out of scope.
 */
/**
 * One project as its page shows it: the figures, the households reached, and one page of the allocation
 * ledger (`page`, `size` from the page's URL), read with LIMIT/OFFSET: a project funds hundreds of
 * households and a phone cannot carry them all.
 */
export async function getProject({
  scope,
  id,
  allocations: asked = projectAllocationListParams.defaults,
}: {
  scope: Scope;
  id: string;
  allocations?: Pick<ProjectAllocationListParams, "page" | "size">;
}) {
  const d = await db();
  const [project] = await d
    .select({
      project: aidProjects,
      township: regions.name,
      allocatedFen: totals().mapWith(Number),
      householdsReached: reached().mapWith(Number),
    })
    .from(aidProjects)
    .leftJoin(regions, eq(regions.id, aidProjects.townshipId))
    .where(and(eq(aidProjects.id, id), projectInScope(scope)));
  if (!project) return null;
  const inProject = and(eq(fundAllocations.projectId, id), householdInScope(scope));
  const original = alias(fundAllocations, "original");
  const reversal = alias(fundAllocations, "reversal");
  const [{ total }] = await d
    .select({ total: count() })
    .from(fundAllocations)
    .innerJoin(households, eq(households.id, fundAllocations.householdId))
    .where(inProject);
  const place = pageOf(total, asked.page, asked.size);
  // the ledger shows both (domain rule 9): each reversal right after the original it reverses, so both
  // sort by the original's date and a reversal comes second
  const rows = await d
    .select({
      id: fundAllocations.id,
      householdId: fundAllocations.householdId,
      headName: households.headName,
      village: regions.name,
      kind: fundAllocations.kind,
      item: fundAllocations.item,
      quantity: fundAllocations.quantity,
      amountFen: fundAllocations.amountFen,
      allocatedOn: fundAllocations.allocatedOn,
      note: fundAllocations.note,
      correctsAllocationId: fundAllocations.correctsAllocationId,
      reason: fundAllocations.reason,
      createdAt: fundAllocations.createdAt,
      createdByName: users.displayName,
      reversedBy: reversal.id,
    })
    .from(fundAllocations)
    .innerJoin(households, eq(households.id, fundAllocations.householdId))
    .innerJoin(regions, eq(regions.id, households.villageId))
    .leftJoin(users, eq(users.id, fundAllocations.createdBy))
    .leftJoin(original, eq(original.id, fundAllocations.correctsAllocationId))
    .leftJoin(reversal, eq(reversal.correctsAllocationId, fundAllocations.id))
    .where(inProject)
    .orderBy(
      desc(sql`coalesce(${original.allocatedOn}, ${fundAllocations.allocatedOn})`),
      desc(sql`coalesce(${original.createdAt}, ${fundAllocations.createdAt})`),
      desc(sql`coalesce(${original.id}, ${fundAllocations.id})`),
      asc(sql`${fundAllocations.correctsAllocationId} is not null`),
    )
    .limit(place.pageSize)
    .offset(place.offset);
  // every household reached, summed in SQL over the whole ledger; a reversed allocation and its reversal
  // count as none
  const live = sql`${fundAllocations.correctsAllocationId} is null and ${reversal.id} is null`;
  const reachedRows = await d
    .select({
      householdId: fundAllocations.householdId,
      headName: households.headName,
      village: regions.name,
      amountFen: sql<number>`coalesce(sum(${fundAllocations.amountFen}), 0)`.mapWith(Number),
      count: sql<number>`count(*) filter (where ${live})`.mapWith(Number),
    })
    .from(fundAllocations)
    .innerJoin(households, eq(households.id, fundAllocations.householdId))
    .innerJoin(regions, eq(regions.id, households.villageId))
    .leftJoin(reversal, eq(reversal.correctsAllocationId, fundAllocations.id))
    .where(inProject)
    .groupBy(fundAllocations.householdId, households.headName, regions.name)
    .having(sql`count(*) filter (where ${live}) > 0`)
    .orderBy(
      desc(sql`max(${fundAllocations.allocatedOn})`),
      asc(households.headName),
      asc(fundAllocations.householdId),
    );
  const { offset: _offset, ...allocationPage } = place;
  return {
    ...project.project,
    township: project.township,
    allocatedFen: project.allocatedFen,
    remainingFen: remainingFen({ ...project.project, allocatedFen: project.allocatedFen }),
    householdsReached: project.householdsReached,
    allocations: rows,
    allocationPage,
    households: reachedRows,
    can: projectAbilities(scope, project.project),
  };
}

/** Is the project in scope? For actions: an out-of-scope id is a 404 before any input is read. */
export async function projectIsInScope({ scope, id }: { scope: Scope; id: string }) {
  const d = await db();
  const [row] = await d
    .select({ id: aidProjects.id })
    .from(aidProjects)
    .where(and(eq(aidProjects.id, id), projectInScope(scope)));
  return Boolean(row);
}

async function lockProjectInScope(tx: Tx, scope: Scope, projectId: string) {
  const [row] = await tx
    .select()
    .from(aidProjects)
    .where(and(eq(aidProjects.id, projectId), projectInScope(scope)))
    .for("update", { of: aidProjects });
  if (!row) throw new NotFoundError("project");
  return row;
}

async function allocatedFen(tx: Tx, projectId: string) {
  const [row] = await tx
    .select({ sum: sql`coalesce(sum(${fundAllocations.amountFen}), 0)`.mapWith(Number) })
    .from(fundAllocations)
    .where(eq(fundAllocations.projectId, projectId));
  return row.sum;
}

function columns(input: ProjectInput) {
  return {
    name: input.name,
    type: input.type,
    fundingSource: input.fundingSource,
    budgetFen: input.budget,
    startsOn: input.startsOn,
    endsOn: input.endsOn,
    status: input.status,
  };
}

/** An official creates a project of their township. */
export async function createProject({ scope, input }: { scope: Scope; input: ProjectInput }) {
  assertCan(scope, "project.write");
  const d = await db();
  return d.transaction(async (tx) => {
    const [project] = await tx
      .insert(aidProjects)
      .values({ ...columns(input), countyId: scope.countyId, townshipId: scope.townshipId })
      .returning();
    await writeAudit(tx, {
      countyId: scope.countyId,
      userId: scope.userId,
      action: "project.create",
      entity: "project",
      entityId: project.id,
      after: project,
    });
    return { id: project.id, version: project.version };
  });
}

/** An official edits their township's project; the budget may not drop below what is already allocated. */
export async function updateProject({
  scope,
  projectId,
  version,
  input,
}: {
  scope: Scope;
  projectId: string;
  version: number;
  input: ProjectInput;
}) {
  const d = await db();
  return d.transaction(async (tx) => {
    const current = await lockProjectInScope(tx, scope, projectId);
    if (!projectAbilities(scope, current).edit) throw new ForbiddenError("project.edit");
    if (current.version !== version) throw new ConflictError("project");
    const allocated = await allocatedFen(tx, projectId);
    if (input.budget < allocated) {
      throw ValidationError.field(
        "budget",
        message("projects.error.budgetBelowAllocated", { allocated: fenToYuan(allocated) }),
      );
    }
    const [updated] = await tx
      .update(aidProjects)
      .set({ ...columns(input), version: sql`${aidProjects.version} + 1`, updatedAt: new Date() })
      .where(and(eq(aidProjects.id, projectId), eq(aidProjects.version, version)))
      .returning();
    if (!updated) throw new ConflictError("project");
    await writeAudit(tx, {
      countyId: current.countyId,
      userId: scope.userId,
      action: "project.update",
      entity: "project",
      entityId: projectId,
      before: current,
      after: updated,
    });
    return { id: updated.id, version: updated.version };
  });
}

/**
 * Domain rule 4. An official allocates money or goods (with their value) from a project to a household of
 * their township, against that household's plan for the year of the allocation. One transaction: lock the
 * project row, lock the household, sum, refuse or insert, audit.
 */
export async function allocateFunds({
  scope,
  projectId,
  input,
}: {
  scope: Scope;
  projectId: string;
  input: AllocationInput;
}) {
  assertCan(scope, "project.allocate");
  if (input.kind === "in_kind") {
    const fieldErrors: Record<string, string[]> = {};
    if (!input.item?.trim()) fieldErrors.item = ["projects.error.itemRequired"];
    if (input.quantity == null || input.quantity <= 0) fieldErrors.quantity = ["projects.error.quantityRequired"];
    if (Object.keys(fieldErrors).length) throw new ValidationError(fieldErrors);
  }
  if (!Number.isInteger(input.amount) || input.amount <= 0) throw ValidationError.field("amount", "field.positive");
  const d = await db();
  return d.transaction(async (tx) => {
    // the project first, then the household: one lock order for every writer of allocations
    const project = await lockProjectInScope(tx, scope, projectId);
    const household = await lockHouseholdInScope(tx, scope, input.householdId);
    const year = Number(input.allocatedOn.slice(0, 4));
    const [plan] = await tx
      .select({ id: plans.id, status: plans.status })
      .from(plans)
      .where(and(eq(plans.householdId, household.id), eq(plans.year, year)));
    if (!plan) throw ValidationError.field("householdId", message("projects.error.noPlan", { year }));
    // funds follow a plan an official has approved: a draft may still change, or never be approved;
    // no lock needed, as the workflow never leads an approved plan back
    if (!FUNDABLE_PLAN_STATUSES.includes(plan.status)) {
      throw ValidationError.field("householdId", message(`projects.error.planNotApproved.${plan.status}`, { year }));
    }
    if (project.status !== "active") throw ValidationError.form(`projects.error.notActive.${project.status}`);
    if (input.allocatedOn < project.startsOn || (project.endsOn && input.allocatedOn > project.endsOn)) {
      throw ValidationError.field(
        "allocatedOn",
        message("projects.error.outsidePeriod", { start: project.startsOn, end: project.endsOn ?? "—" }),
      );
    }
    const allocated = await allocatedFen(tx, projectId);
    if (allocated + input.amount > project.budgetFen) {
      throw ValidationError.field(
        "amount",
        message("projects.error.overBudget", { remaining: fenToYuan(project.budgetFen - allocated) }),
      );
    }
    const [row] = await tx
      .insert(fundAllocations)
      .values({
        countyId: project.countyId,
        projectId,
        planId: plan.id,
        householdId: household.id,
        kind: input.kind,
        item: input.kind === "in_kind" ? input.item : null,
        quantity: input.kind === "in_kind" ? input.quantity : null,
        amountFen: input.amount,
        allocatedOn: input.allocatedOn,
        note: input.note,
        createdBy: scope.userId,
      })
      .returning();
    await writeAudit(tx, {
      countyId: project.countyId,
      userId: scope.userId,
      action: "allocation.create",
      entity: "allocation",
      entityId: row.id,
      householdId: household.id,
      after: { ...row, projectName: project.name },
    });
    return { id: row.id, remainingFen: project.budgetFen - allocated - input.amount };
  });
}

/**
 * Domain rule 9: an allocation is never edited or deleted; an official reverses it by a counter-entry of the
 * same project, plan and household with the amount (and quantity) negated, dated as the original so a year's
 * sums net it in the same year, with the reason. Under the project's lock, like every allocation, so the
 * budget sum and "at most once" hold under concurrent requests; the unique index on
 * `corrects_allocation_id` holds the latter for any caller that skips the lock.
 */
export async function reverseFundAllocation({
  scope,
  projectId,
  input,
}: {
  scope: Scope;
  projectId: string;
  input: AllocationReversalInput;
}) {
  assertCan(scope, "project.allocate");
  // the form's rule again, for callers that skip the form; the database holds it last
  if (input.reason.trim().length < 2) throw ValidationError.field("reason", "projects.error.reversalReason");
  const d = await db();
  const already = () => ValidationError.form("projects.error.alreadyReversed");
  try {
    return await d.transaction(async (tx) => {
      const project = await lockProjectInScope(tx, scope, projectId);
      // an allocation to a household outside the caller's scope is not found, as on the page
      const [original] = await tx
        .select({ allocation: fundAllocations })
        .from(fundAllocations)
        .innerJoin(households, eq(households.id, fundAllocations.householdId))
        .where(
          and(
            eq(fundAllocations.id, input.allocationId),
            eq(fundAllocations.projectId, project.id),
            householdInScope(scope),
          ),
        )
        .for("update", { of: fundAllocations });
      if (!original) throw new NotFoundError("allocation");
      const before = original.allocation;
      if (before.correctsAllocationId) throw ValidationError.form("projects.error.reverseReversal");
      const [reversed] = await tx
        .select({ id: fundAllocations.id })
        .from(fundAllocations)
        .where(eq(fundAllocations.correctsAllocationId, before.id));
      if (reversed) throw already();
      const [row] = await tx
        .insert(fundAllocations)
        .values({
          countyId: before.countyId,
          projectId: before.projectId,
          planId: before.planId,
          householdId: before.householdId,
          kind: before.kind,
          item: before.item,
          quantity: before.quantity === null ? null : -before.quantity,
          amountFen: -before.amountFen,
          allocatedOn: before.allocatedOn,
          correctsAllocationId: before.id,
          reason: input.reason,
          createdBy: scope.userId,
        })
        .returning();
      await writeAudit(tx, {
        countyId: project.countyId,
        userId: scope.userId,
        action: "allocation.reverse",
        entity: "allocation",
        entityId: before.id,
        householdId: before.householdId,
        before,
        after: { reversal: row, reason: input.reason, projectName: project.name },
      });
      return row;
    });
  } catch (error) {
    if (isUniqueViolation(error, "fund_allocations_corrects_uq")) throw already();
    throw error;
  }
}

/** Households an official may allocate to: their township's households with an approved (or later) plan for `year`, by head name. */
export async function allocatableHouseholds({
  scope,
  year,
  q,
  limit = 50,
}: {
  scope: Scope;
  year: number;
  q?: string;
  limit?: number;
}) {
  if (!can(scope, "project.allocate")) return [];
  const d = await db();
  const term = q?.trim();
  return d
    .select({ id: households.id, headName: households.headName, code: households.code, village: regions.name })
    .from(households)
    .innerJoin(
      plans,
      and(eq(plans.householdId, households.id), eq(plans.year, year), inArray(plans.status, FUNDABLE_PLAN_STATUSES)),
    )
    .innerJoin(regions, eq(regions.id, households.villageId))
    .where(
      and(
        householdInScope(scope),
        term ? ilike(households.headName, `%${term.replace(/[\\%_]/g, "\\$&")}%`) : undefined,
      ),
    )
    .orderBy(asc(regions.name), asc(households.headName))
    .limit(limit);
}

/** A household's allocations from every project (its funds ledger), newest first; [] out of scope. */
export async function householdFundLedger({ scope, householdId }: { scope: Scope; householdId: string }) {
  const d = await db();
  return d
    .select({
      id: fundAllocations.id,
      projectId: aidProjects.id,
      projectName: aidProjects.name,
      projectType: aidProjects.type,
      kind: fundAllocations.kind,
      item: fundAllocations.item,
      quantity: fundAllocations.quantity,
      amountFen: fundAllocations.amountFen,
      allocatedOn: fundAllocations.allocatedOn,
    })
    .from(fundAllocations)
    .innerJoin(households, eq(households.id, fundAllocations.householdId))
    .innerJoin(aidProjects, eq(aidProjects.id, fundAllocations.projectId))
    .where(and(eq(fundAllocations.householdId, householdId), householdInScope(scope)))
    .orderBy(desc(fundAllocations.allocatedOn));
}
