// Factories return ready rows in the test's own database; each test builds what it needs.
import crypto from "node:crypto";
import { schema, type Db } from "../../db/client";
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

export async function joinCooperative(db: Db, world: World, cooperativeId: string, householdId: string, joinedOn = "2025-03-01") {
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
  const row = {
    id: uid(),
    countyId: world.county.id,
    householdId,
    year: 2026,
    courtyardArea: 600,
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
