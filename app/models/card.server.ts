// The household aid card (明白卡): everything a family needs on one printed sheet, read in a handful of
// queries. The scope is in the first query; the rest read by the id that query let through.
import { and, asc, eq, gte, isNull, lte, ne, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import QRCode from "qrcode";
import {
  aidProjects,
  animals,
  brokers,
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
  plantingItems,
  purchaseOrders,
  raisingItems,
  regions,
  users,
  povertyCauses,
} from "../../db/schema";
import { can } from "~/permissions";
import { maskIdNumber } from "~/utils/id-number";
import { allocationNetKg } from "./order-figures.server";
import { db } from "~/utils/db.server";
import { careDetail, householdInScope, type Scope } from "./scope.server";
import { causeNames } from "./reference-lists.server";

export type HouseholdCard = NonNullable<Awaited<ReturnType<typeof getHouseholdCard>>>;

type Database = Awaited<ReturnType<typeof db>>;

/**
 * The card of a household in the caller's scope for `year`, or null (the route answers 404).
 * ID numbers are always masked and birth dates left out: the card hangs on the wall of the home. Health
 * and the poverty cause only for a role that sees care details (`careDetails`); null for any other.
 */
export async function getHouseholdCard({ id, scope, year }: { id: string; scope: Scope; year: number }) {
  const d = await db();
  const head = await cardHead(d, { id, scope, year });
  if (!head) return null;
  const [memberRows, plantingRows, raisingRows, fundRows, membershipRows, orderRows] = await Promise.all([
    cardMembers(d, id, scope),
    plannedCrops(d, id, year),
    plannedAnimals(d, id, year),
    fundsOfThePlan(d, id, year),
    currentMemberships(d, id),
    ordersOfTheYear(d, id, year),
  ]);
  return {
    careDetails: can(scope, "care.read"),
    household: head.household,
    members: memberRows.map((m) => ({ ...m, idNumber: maskIdNumber(m.idNumber) })),
    plan: head.plan ? { ...head.plan, plantingItems: plantingRows, raisingItems: raisingRows } : null,
    cadre: head.cadre?.name ? { name: head.cadre.name, phone: head.cadre.phone } : null,
    fundAllocations: fundRows,
    cooperatives: cooperativesWithBrokers(membershipRows),
    orders: orderRows,
  };
}

/** The household, this year's plan and the cadre holding it now: the one query that checks the scope. */
async function cardHead(d: Database, { id, scope, year }: { id: string; scope: Scope; year: number }) {
  const township = alias(regions, "township");
  const current = alias(cadreAssignments, "current_assignment");
  const [row] = await d
    .select({
      household: {
        id: households.id,
        code: households.code,
        headName: households.headName,
        village: regions.name,
        township: township.name,
        address: households.address,
        phone: households.phone,
        povertyStatus: households.povertyStatus,
        povertyCause: careDetail(scope, households.povertyCause),
        ...causeNames(scope),
      },
      plan: {
        id: plans.id,
        year: plans.year,
        status: plans.status,
        courtyardArea: plans.courtyardArea,
        livingArea: plans.livingArea,
        plantingArea: plans.plantingArea,
        raisingArea: plans.raisingArea,
        measures: plans.measures,
        incomeTargetFen: plans.incomeTargetFen,
      },
      cadre: { name: users.displayName, phone: users.phone },
    })
    .from(households)
    .innerJoin(regions, eq(regions.id, households.villageId))
    .innerJoin(township, eq(township.id, households.townshipId))
    .innerJoin(povertyCauses, eq(povertyCauses.code, households.povertyCause))
    .leftJoin(plans, and(eq(plans.householdId, households.id), eq(plans.year, year)))
    .leftJoin(current, and(eq(current.householdId, households.id), isNull(current.endsOn)))
    .leftJoin(users, eq(users.id, current.cadreId))
    .where(and(eq(households.id, id), householdInScope(scope)))
    .limit(1);
  return row ?? null;
}

// The steps below read by an id `cardHead` let through; none checks the scope again.

/** this year's plan of this household, for the plan's items and funds */
const thePlan = (id: string, year: number) => and(eq(plans.householdId, id), eq(plans.year, year));

/** The members, head first then by age; health only for a role that sees care details. */
function cardMembers(d: Database, id: string, scope: Scope) {
  return d
    .select({
      id: members.id,
      name: members.name,
      idNumber: members.idNumber,
      relation: members.relation,
      sex: members.sex,
      health: careDetail(scope, members.health),
      labourAbility: members.labourAbility,
    })
    .from(members)
    .where(eq(members.householdId, id))
    .orderBy(sql`${members.relation} = 'head' desc`, asc(members.birthDate), asc(members.id));
}

function plannedCrops(d: Database, id: string, year: number) {
  return d
    .select({
      cropCode: plantingItems.cropCode,
      cropZh: crops.nameZh,
      cropEn: crops.nameEn,
      cropRetiredAt: crops.retiredAt,
      area: plantingItems.area,
      expectedYieldKg: plantingItems.expectedYieldKg,
    })
    .from(plantingItems)
    .innerJoin(plans, eq(plans.id, plantingItems.planId))
    .innerJoin(crops, eq(crops.code, plantingItems.cropCode))
    .where(thePlan(id, year))
    .orderBy(asc(crops.sortOrder), asc(plantingItems.id));
}

function plannedAnimals(d: Database, id: string, year: number) {
  return d
    .select({
      animalCode: raisingItems.animalCode,
      animalZh: animals.nameZh,
      animalEn: animals.nameEn,
      animalRetiredAt: animals.retiredAt,
      headCount: raisingItems.headCount,
    })
    .from(raisingItems)
    .innerJoin(plans, eq(plans.id, raisingItems.planId))
    .innerJoin(animals, eq(animals.code, raisingItems.animalCode))
    .where(thePlan(id, year))
    .orderBy(asc(animals.sortOrder), asc(raisingItems.id));
}

function fundsOfThePlan(d: Database, id: string, year: number) {
  return d
    .select({
      id: fundAllocations.id,
      project: aidProjects.name,
      kind: fundAllocations.kind,
      item: fundAllocations.item,
      quantity: fundAllocations.quantity,
      amountFen: fundAllocations.amountFen,
      allocatedOn: fundAllocations.allocatedOn,
    })
    .from(fundAllocations)
    .innerJoin(plans, eq(plans.id, fundAllocations.planId))
    .innerJoin(aidProjects, eq(aidProjects.id, fundAllocations.projectId))
    .where(
      and(
        eq(fundAllocations.householdId, id),
        thePlan(id, year),
        // the card posted in the home lists what the household has: a reversed allocation and its
        // reversal (domain rule 9) net to nothing and are left to the project's ledger
        isNull(fundAllocations.correctsAllocationId),
        sql`not exists (select 1 from ${fundAllocations} as r where r.corrects_allocation_id = ${fundAllocations.id})`,
      ),
    )
    .orderBy(asc(fundAllocations.allocatedOn), asc(fundAllocations.id));
}

/** One row per cooperative the household belongs to now and each of its brokers (none: one row). */
function currentMemberships(d: Database, id: string) {
  return (
    d
      .select({
        cooperativeId: cooperatives.id,
        name: cooperatives.name,
        kind: cooperatives.kind,
        joinedOn: memberships.joinedOn,
        brokerName: brokers.name,
        brokerPhone: brokers.phone,
      })
      .from(memberships)
      .innerJoin(cooperatives, eq(cooperatives.id, memberships.cooperativeId))
      // a retired broker no longer answers for the cooperative
      .leftJoin(brokers, and(eq(brokers.cooperativeId, cooperatives.id), isNull(brokers.retiredAt)))
      .where(and(eq(memberships.householdId, id), isNull(memberships.leftOn)))
      .orderBy(asc(memberships.joinedOn), asc(cooperatives.id), asc(brokers.name))
  );
}

/** The household's share of each order not cancelled whose delivery window falls in this year. */
function ordersOfTheYear(d: Database, id: string, year: number) {
  return d
    .select({
      id: orderAllocations.id,
      cropCode: purchaseOrders.cropCode,
      cropZh: crops.nameZh,
      cropEn: crops.nameEn,
      cropRetiredAt: crops.retiredAt,
      buyer: buyers.name,
      cooperative: cooperatives.name,
      status: purchaseOrders.status,
      deliveryStart: purchaseOrders.deliveryStart,
      deliveryEnd: purchaseOrders.deliveryEnd,
      quantityKg: sql<number>`${allocationNetKg}`.mapWith(Number),
      unitPriceFen: purchaseOrders.unitPriceFen,
      deliveredKg:
        sql<number>`(select coalesce(sum(${deliveries.quantityKg}), 0) from ${deliveries} where ${deliveries.allocationId} = ${orderAllocations.id})`.mapWith(
          Number,
        ),
    })
    .from(orderAllocations)
    .innerJoin(purchaseOrders, eq(purchaseOrders.id, orderAllocations.orderId))
    .innerJoin(crops, eq(crops.code, purchaseOrders.cropCode))
    .innerJoin(buyers, eq(buyers.id, purchaseOrders.buyerId))
    .innerJoin(cooperatives, eq(cooperatives.id, purchaseOrders.cooperativeId))
    .where(
      and(
        eq(orderAllocations.householdId, id),
        ne(purchaseOrders.status, "cancelled"),
        // a share withdrawn by a counter-entry (domain rule 9) is no longer the household's
        sql`${allocationNetKg} > 0`,
        lte(purchaseOrders.deliveryStart, `${year}-12-31`),
        gte(purchaseOrders.deliveryEnd, `${year}-01-01`),
      ),
    )
    .orderBy(asc(purchaseOrders.deliveryStart), asc(orderAllocations.id));
}

type MembershipRow = Awaited<ReturnType<typeof currentMemberships>>[number];

/** The membership rows folded into one entry per cooperative with its brokers, in the rows' order. */
function cooperativesWithBrokers(rows: MembershipRow[]) {
  const byId = new Map<
    string,
    { id: string; name: string; kind: string; joinedOn: string; brokers: { name: string; phone: string | null }[] }
  >();
  for (const m of rows) {
    let coop = byId.get(m.cooperativeId);
    if (!coop) {
      coop = { id: m.cooperativeId, name: m.name, kind: m.kind, joinedOn: m.joinedOn, brokers: [] };
      byId.set(m.cooperativeId, coop);
    }
    if (m.brokerName) coop.brokers.push({ name: m.brokerName, phone: m.brokerPhone });
  }
  return [...byId.values()];
}

/** The QR code as an SVG string (black on white, scales to its box), drawn on the server. */
export function qrCodeSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: "svg", margin: 1, errorCorrectionLevel: "M" });
}
