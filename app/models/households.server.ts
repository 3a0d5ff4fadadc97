// Households and their members: every read takes the caller's scope and puts it in the query.
import { and, asc, count, desc, eq, isNull, sql } from "drizzle-orm";
import {
  cadreAssignments,
  households,
  members,
  plans,
  regions,
  users,
} from "../../db/schema";
import { maskIdNumber } from "~/utils/id-number";
import { db } from "~/utils/db.server";
import { householdInScope, type Scope } from "./scope.server";

export type HouseholdListParams = { scope: Scope; page: number; pageSize: number; year: number };

export async function listHouseholds({ scope, page, pageSize, year }: HouseholdListParams) {
  const d = await db();
  const where = householdInScope(scope);
  return d.transaction(async (tx) => {
    const [{ total }] = await tx.select({ total: count() }).from(households).where(where);
    const rows = await tx
      .select({
        id: households.id,
        code: households.code,
        headName: households.headName,
        village: regions.name,
        povertyStatus: households.povertyStatus,
        planStatus: plans.status,
      })
      .from(households)
      .innerJoin(regions, eq(regions.id, households.villageId))
      .leftJoin(plans, and(eq(plans.householdId, households.id), eq(plans.year, year)))
      .where(where)
      .orderBy(asc(regions.code), asc(households.code))
      .limit(pageSize)
      .offset((page - 1) * pageSize);
    return { rows, total };
  });
}

/** The household if it is in the caller's scope, else null (the route answers 404). */
export async function getHousehold({ id, scope, year }: { id: string; scope: Scope; year: number }) {
  const d = await db();
  const [household] = await d
    .select({
      id: households.id,
      code: households.code,
      headName: households.headName,
      address: households.address,
      phone: households.phone,
      povertyStatus: households.povertyStatus,
      povertyCause: households.povertyCause,
      courtyardArea: households.courtyardArea,
      village: regions.name,
      version: households.version,
    })
    .from(households)
    .innerJoin(regions, eq(regions.id, households.villageId))
    .where(and(eq(households.id, id), householdInScope(scope)))
    .limit(1);
  if (!household) return null;

  const [memberRows, [cadre], [plan]] = await Promise.all([
    d
      .select({
        id: members.id,
        name: members.name,
        idNumber: members.idNumber,
        relation: members.relation,
        sex: members.sex,
        birthDate: members.birthDate,
        health: members.health,
        labourAbility: members.labourAbility,
      })
      .from(members)
      .where(eq(members.householdId, id))
      .orderBy(sql`${members.relation} = 'head' desc`, asc(members.birthDate)),
    d
      .select({ name: users.displayName, phone: users.phone, since: cadreAssignments.startsOn })
      .from(cadreAssignments)
      .innerJoin(users, eq(users.id, cadreAssignments.cadreId))
      .where(and(eq(cadreAssignments.householdId, id), isNull(cadreAssignments.endsOn)))
      .limit(1),
    d
      .select({ id: plans.id, year: plans.year, status: plans.status })
      .from(plans)
      .where(and(eq(plans.householdId, id), eq(plans.year, year)))
      .orderBy(desc(plans.year))
      .limit(1),
  ]);

  return {
    ...household,
    // masked for everyone here; showing a number in full is a separate, audited action
    members: memberRows.map((m) => ({ ...m, idNumber: maskIdNumber(m.idNumber) })),
    cadre: cadre ?? null,
    plan: plan ?? null,
  };
}
