// Households and their members: every read takes the caller's scope and puts it in the query.
import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import {
  aidProjects,
  buyers,
  cadreAssignments,
  cooperatives,
  crops,
  deliveries,
  fundAllocations,
  households,
  members,
  memberships,
  orderAllocations,
  plans,
  povertyCauses,
  purchaseOrders,
  regions,
  users,
} from "../../db/schema";
import { can } from "~/permissions";
import { todayISO } from "~/utils/dates";
import { queryRows } from "../../db/client";
import { dueIntervals, householdDue, type DueIntervals } from "./due.server";
import { maskIdNumber } from "~/utils/id-number";
import { allocationNetKg, allocationPaidFen } from "./order-figures.server";
import { jsonRows, named } from "./json-rows.server";
import { db } from "~/utils/db.server";
import { assertCan, careDetail, householdInScope, type Scope } from "./scope.server";
import type { HouseholdFields, NewHousehold } from "~/schemas/household";
import { memberListViolations } from "~/schemas/household";
import { message } from "~/schemas/fields";
import { EDITABLE } from "./plans.server";
import { writeAudit } from "./audit.server";
import { ConflictError, NotFoundError, ValidationError } from "./errors.server";
import { assertCauseAllowed, causeNames } from "./reference-lists.server";
import { assertIdNumbersFree, checkMemberIdNumber, mapMemberWriteError, memberForAudit } from "./members.server";
import type { Tx } from "../../db/client";

/**
 * The household if it is in the caller's scope, else null (the route answers 404). Health and the
 * poverty cause come only to a role that sees care details, null to any other.
 */
export async function getHousehold({
  id,
  scope,
  year,
  today = todayISO(),
}: {
  id: string;
  scope: Scope;
  year: number;
  today?: string;
}) {
  const d = await db();
  type MemberRow = {
    id: string;
    name: string;
    idNumber: string;
    relation: (typeof members.$inferSelect)["relation"];
    sex: (typeof members.$inferSelect)["sex"];
    birthDate: string;
    health: (typeof members.$inferSelect)["health"] | null;
    labourAbility: (typeof members.$inferSelect)["labourAbility"];
  };
  type PlanRow = { id: string; year: number; status: (typeof plans.$inferSelect)["status"] };
  type CadreRow = { name: string; phone: string | null; since: string };
  // the household with its members, its cadre and this year's plan in one statement; the due intervals
  // (every township's, so they need not wait for the household's) alongside it
  const [[household], intervals] = await Promise.all([
    d
      .select({
        id: households.id,
        code: households.code,
        headName: households.headName,
        address: households.address,
        phone: households.phone,
        povertyStatus: households.povertyStatus,
        povertyCause: careDetail(scope, households.povertyCause),
        ...causeNames(scope),
        courtyardArea: households.courtyardArea,
        village: regions.name,
        townshipId: households.townshipId,
        version: households.version,
        members: sql<
          MemberRow[]
        >`(select coalesce(json_agg(json_build_object('id', ${members.id}, 'name', ${members.name},
            'idNumber', ${members.idNumber}, 'relation', ${members.relation}, 'sex', ${members.sex},
            'birthDate', ${members.birthDate}, 'health', ${careDetail(scope, members.health)},
            'labourAbility', ${members.labourAbility})
            order by ${members.relation} = 'head' desc, ${members.birthDate} asc), '[]'::json)
          from ${members} where ${members.householdId} = ${households.id})`,
        cadre: sql<CadreRow | null>`(select json_build_object('name', ${users.displayName}, 'phone', ${users.phone},
            'since', ${cadreAssignments.startsOn})
          from ${cadreAssignments} join ${users} on ${users.id} = ${cadreAssignments.cadreId}
          where ${cadreAssignments.householdId} = ${households.id} and ${cadreAssignments.endsOn} is null limit 1)`,
        plan: sql<PlanRow | null>`(select json_build_object('id', ${plans.id}, 'year', ${plans.year}, 'status', ${plans.status})
          from ${plans} where ${plans.householdId} = ${households.id} and ${plans.year} = ${year} limit 1)`,
      })
      .from(households)
      .innerJoin(regions, eq(regions.id, households.villageId))
      .innerJoin(povertyCauses, eq(povertyCauses.code, households.povertyCause))
      .where(and(eq(households.id, id), householdInScope(scope)))
      .limit(1),
    // a clerk keeps the books, not the visits
    can(scope, "care.read") ? dueIntervals(null) : null,
  ]);
  if (!household) return null;
  const visit = intervals ? await visitDue(id, today, intervals) : null;

  const { townshipId: _township, members: memberRows, cadre, plan, ...shown } = household;
  return {
    ...shown,
    // masked for everyone here; showing a number in full is a separate, audited action
    members: memberRows.map((m) => ({ ...m, idNumber: maskIdNumber(m.idNumber) })),
    cadre,
    plan,
    visit,
  };
}

/** The household's id and head's name if it is in the caller's scope, else null: for a page that shows no more. */
export async function getHouseholdHead({ id, scope }: { id: string; scope: Scope }) {
  const d = await db();
  const [row] = await d
    .select({ id: households.id, headName: households.headName })
    .from(households)
    .where(and(eq(households.id, id), householdInScope(scope)));
  return row ?? null;
}

/**
 * The household's next visit by the due-date rule (domain rule 8), as the worklist and the overdue lists
 * count it: its due date, its last visit, and the days overdue (negative: days left). Null without a cadre
 * in charge: no one's visit is due.
 */
async function visitDue(householdId: string, today: string, intervals: DueIntervals) {
  const d = await db();
  const [row] = await queryRows<{ dueOn: string; lastVisit: string | null; daysOverdue: number }>(
    d,
    sql`select due.due_on::text as "dueOn", due.last_visit::text as "lastVisit",
          (${today}::date - due.due_on)::int as "daysOverdue"
        from ${householdDue(sql`h.id = ${householdId}`, today, intervals)} due
        where due.cadre_id is not null`,
  );
  return row ?? null;
}

/** A village (and group) the caller may register households in: their township's. */
async function villageInScope(tx: Tx, scope: Scope, villageId: string, groupId?: string) {
  assertCan(scope, "household.write");
  const [village] = await tx
    .select({ id: regions.id, code: regions.code, townshipId: regions.parentId, countyId: regions.countyId })
    .from(regions)
    .where(
      and(
        eq(regions.id, villageId),
        eq(regions.level, "village"),
        eq(regions.parentId, scope.townshipId),
        isNull(regions.retiredAt),
      ),
    )
    .for("update");
  if (!village) throw ValidationError.field("villageId", "field.choice");
  if (groupId) {
    const [group] = await tx
      .select({ id: regions.id })
      .from(regions)
      .where(
        and(
          eq(regions.id, groupId),
          eq(regions.level, "group"),
          eq(regions.parentId, villageId),
          isNull(regions.retiredAt),
        ),
      );
    if (!group) throw ValidationError.field("groupId", "household.error.groupNotInVillage");
  }
  return { ...village, townshipId: village.townshipId!, countyId: village.countyId! };
}

/** Registers a household with its members; a cadre who registers one is put in charge of it. */
export async function createHousehold({
  scope,
  input: raw,
  today,
}: {
  scope: Scope;
  input: NewHousehold;
  today: string;
}) {
  assertCan(scope, "household.write");
  const input = { ...raw, members: raw.members.map((m, i) => checkMemberIdNumber(m, `members[${i}].`)) };
  const violations = memberListViolations(input.members);
  if (violations.length) {
    const fieldErrors: Record<string, string[]> = {};
    for (const v of violations) (fieldErrors[v.path] ??= []).push(v.message);
    throw new ValidationError(fieldErrors);
  }
  const d = await db();
  try {
    return await d.transaction(async (tx) => {
      // the village row lock also serialises household numbering within the village
      const village = await villageInScope(tx, scope, input.villageId, input.groupId);
      await assertCauseAllowed(tx, input.povertyCause);
      await assertIdNumbersFree(
        tx,
        scope,
        input.members.map((m, i) => ({ idNumber: m.idNumber, path: `members[${i}].idNumber` })),
      );
      const [{ n }] = await tx
        .select({ n: sql<number>`coalesce(max(substring(${households.code} from '-([0-9]+)$')::int), 0)` })
        .from(households)
        .where(sql`${households.code} like ${village.code + "-%"}`);
      const head = input.members.find((m) => m.relation === "head")!;
      const { members: memberInputs, ...fields } = input;
      const [household] = await tx
        .insert(households)
        .values({
          ...fields,
          countyId: village.countyId,
          townshipId: village.townshipId,
          code: `${village.code}-${String(Number(n) + 1).padStart(4, "0")}`,
          headName: head.name,
          registeredOn: today,
        })
        .returning();
      const memberRows = await tx
        .insert(members)
        .values(memberInputs.map((m) => ({ ...m, householdId: household.id, countyId: village.countyId })))
        .returning();
      if (scope.role === "cadre") {
        await tx.insert(cadreAssignments).values({
          countyId: village.countyId,
          householdId: household.id,
          cadreId: scope.userId,
          startsOn: today,
          assignedBy: scope.userId,
        });
      }
      await writeAudit(tx, {
        countyId: village.countyId,
        userId: scope.userId,
        action: "household.create",
        entity: "household",
        entityId: household.id,
        householdId: household.id,
        after: { ...household, members: memberRows.map(memberForAudit) },
      });
      return household;
    });
  } catch (error) {
    mapMemberWriteError(error, "members");
  }
}

export async function updateHousehold({
  scope,
  id,
  version,
  input,
}: {
  scope: Scope;
  id: string;
  version: number;
  input: HouseholdFields;
}) {
  assertCan(scope, "household.write");
  const d = await db();
  return d.transaction(async (tx) => {
    const [current] = await tx
      .select()
      .from(households)
      .where(and(eq(households.id, id), householdInScope(scope)))
      .for("update");
    if (!current) throw new NotFoundError("household");
    if (current.version !== version) throw new ConflictError("household");
    const village = await villageInScope(tx, scope, input.villageId, input.groupId);
    // a cause retired since the household was registered stays on it; a new choice must be a live one
    await assertCauseAllowed(tx, input.povertyCause, current.povertyCause);
    const [row] = await tx
      .update(households)
      .set({
        ...input,
        groupId: input.groupId ?? null,
        address: input.address ?? null,
        phone: input.phone ?? null,
        courtyardArea: input.courtyardArea ?? null,
        townshipId: village.townshipId,
        version: sql`${households.version} + 1`,
        updatedAt: new Date(),
      })
      .where(and(eq(households.id, id), eq(households.version, version)))
      .returning();
    if (!row) throw new ConflictError("household");
    // after the household's own row: the plans' area check reads the new registered area
    if (row.courtyardArea !== current.courtyardArea) await carryAreaToEditablePlans(tx, id, row.courtyardArea);
    await writeAudit(tx, {
      countyId: row.countyId,
      userId: scope.userId,
      action: "household.update",
      entity: "household",
      entityId: id,
      householdId: id,
      before: current,
      after: row,
    });
    return row;
  });
}

/**
 * A plan is drawn on the household's registered courtyard (domain rule 3), so a new area is carried to
 * the plans still being written (draft or returned); approved and later plans keep the area they were
 * approved with. Refused when such a plan's zones no longer fit, or when the area would be cleared.
 */
async function carryAreaToEditablePlans(tx: Tx, householdId: string, courtyardArea: number | null) {
  const editable = await tx
    .select({
      id: plans.id,
      year: plans.year,
      zones: sql<string>`${plans.livingArea} + ${plans.plantingArea} + ${plans.raisingArea}`,
    })
    .from(plans)
    .where(and(eq(plans.householdId, householdId), inArray(plans.status, EDITABLE)))
    .orderBy(asc(plans.year))
    .for("update");
  if (editable.length === 0) return;
  if (courtyardArea === null) {
    throw ValidationError.field("courtyardArea", message("household.error.planNeedsArea", { year: editable[0].year }));
  }
  const tooSmall = editable.find((p) => Number(p.zones) > courtyardArea);
  if (tooSmall) {
    throw ValidationError.field(
      "courtyardArea",
      message("household.error.planZonesExceedArea", { year: tooSmall.year, zones: Number(tooSmall.zones) }),
    );
  }
  await tx
    .update(plans)
    .set({ courtyardArea, version: sql`${plans.version} + 1`, updatedAt: new Date() })
    .where(
      inArray(
        plans.id,
        editable.map((p) => p.id),
      ),
    );
}

/** The household's own fields, with its version, for the edit form: only for a role that may edit. */
export async function getHouseholdForEdit({ id, scope }: { id: string; scope: Scope }) {
  // the form carries the poverty cause: a role that may not edit gets no form data at all
  if (!can(scope, "household.write")) return null;
  const d = await db();
  const [row] = await d
    .select({
      id: households.id,
      version: households.version,
      headName: households.headName,
      villageId: households.villageId,
      groupId: households.groupId,
      address: households.address,
      phone: households.phone,
      povertyStatus: households.povertyStatus,
      povertyCause: households.povertyCause,
      courtyardArea: households.courtyardArea,
    })
    .from(households)
    .where(and(eq(households.id, id), householdInScope(scope)));
  return row ?? null;
}

/**
 * What the household's record links to (一户一档): cooperative memberships (current and past), order
 * allocations with what was delivered and paid, the fund ledger across projects, and how many checks.
 */
export async function getHouseholdLinks({ scope, householdId }: { scope: Scope; householdId: string }) {
  const d = await db();
  type Membership = { id: string; cooperative: string; joinedOn: string; leftOn: string | null };
  type Order = {
    id: string;
    orderId: string;
    cropZh: string;
    cropEn: string;
    cropRetiredAt: string | null;
    buyer: string;
    cooperative: string;
    season: (typeof purchaseOrders.$inferSelect)["season"];
    status: (typeof purchaseOrders.$inferSelect)["status"];
    quantityKg: number;
    unitPriceFen: number;
    deliveredKg: number;
    paidFen: number;
  };
  type Fund = {
    id: string;
    projectId: string;
    project: string;
    year: number;
    kind: (typeof fundAllocations.$inferSelect)["kind"];
    item: string | null;
    quantity: number | null;
    amountFen: number;
    allocatedOn: string;
  };
  const membershipList = d
    .select(
      named({
        id: memberships.id,
        cooperative: cooperatives.name,
        joinedOn: memberships.joinedOn,
        leftOn: memberships.leftOn,
      }),
    )
    .from(memberships)
    .innerJoin(cooperatives, eq(cooperatives.id, memberships.cooperativeId))
    .where(eq(memberships.householdId, householdId));
  const orderList = d
    .select(
      named({
        id: orderAllocations.id,
        orderId: purchaseOrders.id,
        cropZh: crops.nameZh,
        cropEn: crops.nameEn,
        cropRetiredAt: crops.retiredAt,
        buyer: buyers.name,
        cooperative: cooperatives.name,
        season: purchaseOrders.season,
        status: purchaseOrders.status,
        // net of changes and withdrawals (domain rule 9)
        quantityKg: allocationNetKg,
        unitPriceFen: purchaseOrders.unitPriceFen,
        deliveredKg: sql`coalesce((select sum(${deliveries.quantityKg}) from ${deliveries} where ${deliveries.allocationId} = ${orderAllocations.id}), 0)`,
        paidFen: allocationPaidFen,
        deliveryStart: purchaseOrders.deliveryStart,
      }),
    )
    .from(orderAllocations)
    .innerJoin(purchaseOrders, eq(purchaseOrders.id, orderAllocations.orderId))
    .innerJoin(crops, eq(crops.code, purchaseOrders.cropCode))
    .innerJoin(buyers, eq(buyers.id, purchaseOrders.buyerId))
    .innerJoin(cooperatives, eq(cooperatives.id, purchaseOrders.cooperativeId))
    .where(eq(orderAllocations.householdId, householdId));
  const fundList = d
    .select(
      named({
        id: fundAllocations.id,
        projectId: aidProjects.id,
        project: aidProjects.name,
        year: plans.year,
        kind: fundAllocations.kind,
        item: fundAllocations.item,
        quantity: fundAllocations.quantity,
        amountFen: fundAllocations.amountFen,
        allocatedOn: fundAllocations.allocatedOn,
      }),
    )
    .from(fundAllocations)
    .innerJoin(aidProjects, eq(aidProjects.id, fundAllocations.projectId))
    .innerJoin(plans, eq(plans.id, fundAllocations.planId))
    .where(eq(fundAllocations.householdId, householdId));
  // one statement: the scope's answer, and (only for a household in scope) the visits' count and the lists
  const [inScope] = await d
    .select({
      id: households.id,
      // spelled out: drizzle writes a one-table select's columns unqualified, which inside this subquery
      // would name the checks' own columns
      checkCount: sql<number>`(select count(*) from checks c where c.household_id = "households"."id")`.mapWith(Number),
      memberships: sql<Membership[]>`${jsonRows(membershipList, sql`t."joinedOn" desc`)}`,
      orders: sql<(Order & { deliveryStart: string })[]>`${jsonRows(orderList, sql`t."deliveryStart" desc`)}`,
      funds: sql<Fund[]>`${jsonRows(fundList, sql`t."allocatedOn" desc`)}`,
    })
    .from(households)
    .where(and(eq(households.id, householdId), householdInScope(scope)));
  if (!inScope) return null;
  const { checkCount } = inScope;
  const membershipRows = inScope.memberships;
  const orderRows = inScope.orders.map(({ deliveryStart: _start, ...o }) => ({
    ...o,
    cropRetiredAt: o.cropRetiredAt === null ? null : new Date(o.cropRetiredAt),
    quantityKg: Number(o.quantityKg),
    deliveredKg: Number(o.deliveredKg),
    paidFen: Number(o.paidFen),
  }));
  const fundRows = inScope.funds;
  return {
    memberships: membershipRows,
    orders: orderRows,
    funds: fundRows,
    fundTotalFen: fundRows.reduce((sum, f) => sum + f.amountFen, 0),
    checkCount,
  };
}
