// Factories return ready rows in the test's own database; each test builds what it needs.
import crypto from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import { schema, type Db } from "../../db/client";
import { SINCE_ALWAYS, type SettingKey } from "~/models/settings.server";
import { db } from "~/utils/db.server";
import { makeIdNumber } from "~/utils/id-number";
import { makeCreditCode } from "~/utils/credit-code";
import { hashPassword } from "~/utils/password.server";

const uid = () => crypto.randomUUID();
let counter = 0;
const next = () => ++counter;
const digits = (n: number, width: number) => String(n).padStart(width, "0");

let passwordHash: Promise<string> | undefined;
export const TEST_PASSWORD = "correct horse battery";
function sharedHash() {
  passwordHash ??= hashPassword(TEST_PASSWORD);
  return passwordHash;
}

export type World = Awaited<ReturnType<typeof createWorld>>;

/** A county with two townships, two villages each. */
export async function createWorld(db: Db) {
  const n = next();
  const county = { id: uid(), code: `99${digits(n, 4)}`, name: `测试县${n}`, level: "county" as const };
  const townships = [1, 2].map((i) => ({
    id: uid(),
    code: `${county.code}${i}`,
    name: `测试乡${n}-${i}`,
    level: "township" as const,
    parentId: county.id,
    countyId: county.id,
  }));
  const villages = townships.flatMap((t, ti) =>
    [1, 2].map((i) => ({
      id: uid(),
      code: `${t.code}${i}`,
      name: `测试村${n}-${ti + 1}-${i}`,
      level: "village" as const,
      parentId: t.id,
      countyId: county.id,
    })),
  );
  await db.insert(schema.regions).values([county, ...townships, ...villages]);
  return { county, townships, villages };
}

export async function createUser(
  db: Db,
  world: World,
  role: "admin" | "official" | "cadre" | "clerk",
  opts: { townshipIndex?: number; cooperativeId?: string; username?: string } = {},
) {
  const n = next();
  const row = {
    id: uid(),
    username: opts.username ?? `${role}-${n}-${crypto.randomBytes(3).toString("hex")}`,
    passwordHash: await sharedHash(),
    displayName: `${role}${n}`,
    role,
    countyId: world.county.id,
    townshipId: role === "official" || role === "cadre" ? world.townships[opts.townshipIndex ?? 0].id : null,
    cooperativeId: role === "clerk" ? opts.cooperativeId! : null,
  };
  await db.insert(schema.users).values(row);
  return row;
}

let personSeq = 0;
export function newIdNumber(sex: "male" | "female" = "male", birthDate = "1970-05-17") {
  personSeq += 1;
  // vary the birth date so sequence numbers never run out across a test run
  const d = new Date(`${birthDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + Math.floor(personSeq / 400));
  return makeIdNumber("230828", d.toISOString().slice(0, 10), personSeq % 400, sex);
}

export async function createHousehold(
  db: Db,
  world: World,
  opts: { villageIndex?: number; members?: number; courtyardArea?: number } = {},
) {
  const village = world.villages[opts.villageIndex ?? 0];
  const n = next();
  const id = uid();
  const headId = newIdNumber("male");
  const household = {
    id,
    countyId: world.county.id,
    townshipId: village.parentId,
    villageId: village.id,
    code: `${village.code}-${digits(n, 5)}-${crypto.randomBytes(2).toString("hex")}`,
    headName: `张${n}`,
    povertyStatus: "registered" as const,
    povertyCause: "illness" as const,
    courtyardArea: opts.courtyardArea ?? 600,
  };
  await db.insert(schema.households).values(household);
  const memberRows = [
    {
      id: uid(),
      countyId: world.county.id,
      householdId: id,
      name: household.headName,
      idNumber: headId,
      relation: "head" as const,
      sex: "male" as const,
      birthDate: `${headId.slice(6, 10)}-${headId.slice(10, 12)}-${headId.slice(12, 14)}`,
    },
  ];
  for (let i = 1; i < (opts.members ?? 2); i++) {
    const idNumber = newIdNumber("female", "1972-03-08");
    memberRows.push({
      id: uid(),
      countyId: world.county.id,
      householdId: id,
      name: `李${n}-${i}`,
      idNumber,
      relation: (i === 1 ? "spouse" : "child") as "head",
      sex: "female" as "male",
      birthDate: `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`,
    });
  }
  await db.insert(schema.members).values(memberRows);
  return { ...household, members: memberRows };
}

export async function assignCadre(db: Db, world: World, householdId: string, cadreId: string, startsOn = "2026-01-01") {
  const row = { id: uid(), countyId: world.county.id, householdId, cadreId, startsOn };
  await db.insert(schema.cadreAssignments).values(row);
  return row;
}

export async function createCooperative(db: Db, world: World, townshipIndex = 0) {
  const n = next();
  const row = {
    id: uid(),
    countyId: world.county.id,
    townshipId: world.townships[townshipIndex].id,
    name: `测试合作社${n}`,
    kind: "planting" as const,
    registrationCode: makeCreditCode(`93230828${digits(n, 4)}${crypto.randomInt(10000, 99999)}`),
  };
  await db.insert(schema.cooperatives).values(row);
  return row;
}

export async function joinCooperative(
  db: Db,
  world: World,
  cooperativeId: string,
  householdId: string,
  joinedOn = "2025-03-01",
) {
  const row = { id: uid(), countyId: world.county.id, cooperativeId, householdId, joinedOn };
  await db.insert(schema.memberships).values(row);
  return row;
}

export async function createPlan(
  db: Db,
  world: World,
  householdId: string,
  values: Partial<typeof schema.plans.$inferInsert> = {},
) {
  // a plan is drawn on the household's registered courtyard (the database holds that too)
  const { eq } = await import("drizzle-orm");
  const [household] = await db
    .select({ courtyardArea: schema.households.courtyardArea })
    .from(schema.households)
    .where(eq(schema.households.id, householdId));
  const row = {
    id: uid(),
    countyId: world.county.id,
    householdId,
    year: 2026,
    courtyardArea: household?.courtyardArea ?? 600,
    livingArea: 200,
    plantingArea: 300,
    raisingArea: 100,
    ...values,
  };
  await db.insert(schema.plans).values(row);
  return row;
}

export function creditCode() {
  return makeCreditCode(`91230828${crypto.randomInt(100000000, 999999999)}`);
}

// ---------- household list (issue: registry list) ----------

/** A group (组) in one of the world's villages. */
export async function createGroup(db: Db, world: World, villageIndex = 0, name = "一组") {
  const village = world.villages[villageIndex];
  const row = {
    id: uid(),
    code: `${village.code}${digits(next(), 5)}`,
    name,
    level: "group" as const,
    parentId: village.id,
    countyId: world.county.id,
  };
  await db.insert(schema.regions).values(row);
  return row;
}

/** A household with the list's columns chosen: head name, status, cause, group, member count. */
export async function createHouseholdWith(
  db: Db,
  world: World,
  opts: {
    villageIndex?: number;
    members?: number;
    headName?: string;
    groupId?: string | null;
    povertyStatus?: "registered" | "monitored" | "lifted";
    /** a code of the poverty causes' list */
    povertyCause?: string;
    registeredOn?: string | null;
  } = {},
) {
  const household = await createHousehold(db, world, { villageIndex: opts.villageIndex, members: opts.members });
  const set = {
    headName: opts.headName ?? household.headName,
    groupId: opts.groupId ?? null,
    povertyStatus: opts.povertyStatus ?? household.povertyStatus,
    povertyCause: opts.povertyCause ?? household.povertyCause,
    registeredOn: opts.registeredOn ?? null,
  };
  const { eq } = await import("drizzle-orm");
  await db.update(schema.households).set(set).where(eq(schema.households.id, household.id));
  return { ...household, ...set };
}

/** Adds a member with the given ID number to a household. */
export async function addMemberWithId(db: Db, world: World, householdId: string, idNumber: string) {
  const row = {
    id: uid(),
    countyId: world.county.id,
    householdId,
    name: `王${next()}`,
    idNumber,
    relation: "child" as const,
    sex: "female" as const,
    birthDate: `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`,
  };
  await db.insert(schema.members).values(row);
  return row;
}

/** A fresh valid ID number whose check character is X. */
export function newIdNumberEndingInX() {
  for (;;) {
    const id = newIdNumber("female", "1990-01-01");
    if (id.endsWith("X")) return id;
  }
}

/** A progress check of a household on a day. */
export async function createCheck(db: Db, world: World, householdId: string, cadreId: string, visitedOn: string) {
  const row = {
    id: uid(),
    countyId: world.county.id,
    householdId,
    cadreId,
    visitedOn,
    livingStatus: "on_track" as const,
    plantingStatus: "on_track" as const,
    raisingStatus: "on_track" as const,
  };
  await db.insert(schema.checks).values(row);
  return row;
}

/** Ends a cadre assignment (a hand-over). */
export async function endAssignment(db: Db, assignmentId: string, endsOn = "2026-06-30") {
  const { eq } = await import("drizzle-orm");
  await db.update(schema.cadreAssignments).set({ endsOn }).where(eq(schema.cadreAssignments.id, assignmentId));
}

// ---------- household aid card (明白卡): plan items, funds, brokers, buyers, orders, deliveries ----------

export async function addPlanItems(
  db: Db,
  world: World,
  planId: string,
  items: {
    planting?: { cropCode: string; area: number; expectedYieldKg?: number }[];
    raising?: { animalCode: string; headCount: number }[];
  },
) {
  const planting = (items.planting ?? []).map((i) => ({ id: uid(), countyId: world.county.id, planId, ...i }));
  const raising = (items.raising ?? []).map((i) => ({ id: uid(), countyId: world.county.id, planId, ...i }));
  if (planting.length) await db.insert(schema.plantingItems).values(planting);
  if (raising.length) await db.insert(schema.raisingItems).values(raising);
  return { planting, raising };
}

export async function createAidProject(
  db: Db,
  world: World,
  values: Partial<typeof schema.aidProjects.$inferInsert> = {},
) {
  const n = next();
  const row = {
    id: uid(),
    countyId: world.county.id,
    townshipId: world.townships[0].id,
    name: `测试帮扶项目${n}`,
    type: "industry" as const,
    fundingSource: "中央财政衔接资金",
    budgetFen: 10_000_000,
    startsOn: "2026-01-01",
    ...values,
  };
  await db.insert(schema.aidProjects).values(row);
  return row;
}

export async function createFundAllocation(
  db: Db,
  world: World,
  values: { projectId: string; planId: string; householdId: string } & Partial<
    typeof schema.fundAllocations.$inferInsert
  >,
) {
  const row = { id: uid(), countyId: world.county.id, amountFen: 100_000, allocatedOn: "2026-04-01", ...values };
  await db.insert(schema.fundAllocations).values(row);
  return row;
}

export async function createBroker(db: Db, world: World, cooperativeId: string, phone: string | null = "13900000000") {
  const row = { id: uid(), countyId: world.county.id, cooperativeId, name: `经纪人${next()}`, phone };
  await db.insert(schema.brokers).values(row);
  return row;
}

export async function createBuyer(db: Db, world: World) {
  const row = { id: uid(), countyId: world.county.id, name: `测试农商企业${next()}`, creditCode: creditCode() };
  await db.insert(schema.buyers).values(row);
  return row;
}

export async function createPurchaseOrder(
  db: Db,
  world: World,
  values: { cooperativeId: string; buyerId: string } & Partial<typeof schema.purchaseOrders.$inferInsert>,
) {
  const row = {
    id: uid(),
    countyId: world.county.id,
    cropCode: "chili",
    quantityKg: 5000,
    unitPriceFen: 500,
    season: "秋季",
    deliveryStart: "2026-08-15",
    deliveryEnd: "2026-09-30",
    status: "signed" as const,
    signedOn: "2026-04-01",
    ...values,
  };
  await db.insert(schema.purchaseOrders).values(row);
  return row;
}

export async function createOrderAllocation(
  db: Db,
  world: World,
  values: { orderId: string; householdId: string; membershipId: string; quantityKg: number },
) {
  const row = { id: uid(), countyId: world.county.id, ...values };
  await db.insert(schema.orderAllocations).values(row);
  return row;
}

export async function createDelivery(
  db: Db,
  world: World,
  values: { allocationId: string; quantityKg: number; unitPriceFen?: number; deliveredOn?: string },
) {
  // by default at the contract price, on 1 September or the nearest day of the order's delivery window
  const { eq } = await import("drizzle-orm");
  const [order] = await db
    .select({
      unitPriceFen: schema.purchaseOrders.unitPriceFen,
      start: schema.purchaseOrders.deliveryStart,
      end: schema.purchaseOrders.deliveryEnd,
    })
    .from(schema.orderAllocations)
    .innerJoin(schema.purchaseOrders, eq(schema.purchaseOrders.id, schema.orderAllocations.orderId))
    .where(eq(schema.orderAllocations.id, values.allocationId));
  const september = `${order?.start.slice(0, 4) ?? "2026"}-09-01`;
  const deliveredOn = !order
    ? september
    : september < order.start
      ? order.start
      : september > order.end
        ? order.end
        : september;
  const unitPriceFen = values.unitPriceFen ?? order?.unitPriceFen ?? 500;
  const row = {
    id: uid(),
    countyId: world.county.id,
    deliveredOn,
    ...values,
    unitPriceFen,
    amountFen: Math.round(values.quantityKg * unitPriceFen),
  };
  await db.insert(schema.deliveries).values(row);
  return row;
}

/**
 * A rule value written straight into the table, in effect from `effectiveFrom` (by default since always,
 * replacing the default): a test's setup. The app changes values through saveSettings, audited and
 * never in the past.
 */
export async function setSetting(
  key: SettingKey,
  value: number | null,
  regionId: string | null = null,
  effectiveFrom = SINCE_ALWAYS,
) {
  const d = await db();
  await d.transaction(async (tx) => {
    await tx
      .delete(schema.settings)
      .where(
        and(
          eq(schema.settings.key, key),
          regionId ? eq(schema.settings.regionId, regionId) : isNull(schema.settings.regionId),
          eq(schema.settings.effectiveFrom, effectiveFrom),
        ),
      );
    await tx.insert(schema.settings).values({ key, regionId, value, effectiveFrom });
  });
}
