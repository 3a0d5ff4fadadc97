// Each role sees its scope and nothing else: an out-of-scope household is simply not found.
import { expect, test } from "vitest";
import { HouseholdListParamsSchema, listHouseholds } from "~/models/household-list.server";
import { getHousehold } from "~/models/households.server";
import { scopeOf } from "~/models/scope.server";
import { db } from "~/utils/db.server";
import {
  assignCadre,
  createCooperative,
  createHousehold,
  createUser,
  createWorld,
  joinCooperative,
} from "../support/factories";

const YEAR = 2026;
const firstPage = (size: number) => HouseholdListParamsSchema.parse({ size: String(size) });
const scope = (u: {
  id: string;
  role: "admin" | "official" | "cadre" | "clerk";
  countyId: string;
  townshipId: string | null;
  cooperativeId: string | null;
}) => scopeOf(u);

test("a cadre sees the households assigned to them now, and not another cadre's", async () => {
  const d = await db();
  const world = await createWorld(d);
  const me = await createUser(d, world, "cadre");
  const other = await createUser(d, world, "cadre");
  const mine = await createHousehold(d, world);
  const theirs = await createHousehold(d, world);
  await assignCadre(d, world, mine.id, me.id);
  await assignCadre(d, world, theirs.id, other.id);

  const found = await getHousehold({ id: mine.id, scope: scope(me), year: YEAR });
  expect(found?.headName).toBe(mine.headName);
  expect(await getHousehold({ id: theirs.id, scope: scope(me), year: YEAR })).toBeNull();

  const list = await listHouseholds({ scope: scope(me), params: firstPage(20), year: YEAR });
  expect(list.total).toBe(1);
  expect(list.rows.map((r) => r.id)).toEqual([mine.id]);
});

test("a cadre loses a household handed over to another cadre", async () => {
  const d = await db();
  const world = await createWorld(d);
  const me = await createUser(d, world, "cadre");
  const next = await createUser(d, world, "cadre");
  const h = await createHousehold(d, world);
  const a = await assignCadre(d, world, h.id, me.id);
  const { eq } = await import("drizzle-orm");
  const { cadreAssignments } = await import("../../db/schema");
  await d.update(cadreAssignments).set({ endsOn: "2026-06-30" }).where(eq(cadreAssignments.id, a.id));
  await assignCadre(d, world, h.id, next.id, "2026-07-01");
  expect(await getHousehold({ id: h.id, scope: scope(me), year: YEAR })).toBeNull();
  expect(await getHousehold({ id: h.id, scope: scope(next), year: YEAR })).not.toBeNull();
});

test("an official sees their township and not the neighbouring one", async () => {
  const d = await db();
  const world = await createWorld(d);
  const official = await createUser(d, world, "official", { townshipIndex: 0 });
  const here = await createHousehold(d, world, { villageIndex: 0 });
  const alsoHere = await createHousehold(d, world, { villageIndex: 1 });
  const there = await createHousehold(d, world, { villageIndex: 2 });
  expect(await getHousehold({ id: here.id, scope: scope(official), year: YEAR })).not.toBeNull();
  expect(await getHousehold({ id: there.id, scope: scope(official), year: YEAR })).toBeNull();
  const list = await listHouseholds({ scope: scope(official), params: firstPage(100), year: YEAR });
  expect(list.rows.map((r) => r.id).sort()).toEqual([here.id, alsoHere.id].sort());
});

test("a clerk sees their cooperative's member households only", async () => {
  const d = await db();
  const world = await createWorld(d);
  const coop = await createCooperative(d, world);
  const otherCoop = await createCooperative(d, world);
  const clerk = await createUser(d, world, "clerk", { cooperativeId: coop.id });
  const member = await createHousehold(d, world);
  const neighbour = await createHousehold(d, world);
  await joinCooperative(d, world, coop.id, member.id);
  await joinCooperative(d, world, otherCoop.id, neighbour.id);
  expect(await getHousehold({ id: member.id, scope: scope(clerk), year: YEAR })).not.toBeNull();
  expect(await getHousehold({ id: neighbour.id, scope: scope(clerk), year: YEAR })).toBeNull();
});

test("an administrator sees the whole county", async () => {
  const d = await db();
  const world = await createWorld(d);
  const otherWorld = await createWorld(d);
  const admin = await createUser(d, world, "admin");
  const a = await createHousehold(d, world, { villageIndex: 0 });
  const b = await createHousehold(d, world, { villageIndex: 3 });
  const elsewhere = await createHousehold(d, otherWorld);
  expect(await getHousehold({ id: a.id, scope: scope(admin), year: YEAR })).not.toBeNull();
  expect(await getHousehold({ id: b.id, scope: scope(admin), year: YEAR })).not.toBeNull();
  expect(await getHousehold({ id: elsewhere.id, scope: scope(admin), year: YEAR })).toBeNull();
});

test("ID numbers come back masked", async () => {
  const d = await db();
  const world = await createWorld(d);
  const official = await createUser(d, world, "official");
  const h = await createHousehold(d, world);
  const found = await getHousehold({ id: h.id, scope: scope(official), year: YEAR });
  const head = found!.members.find((m) => m.relation === "head")!;
  expect(head.idNumber).toBe(`${h.members[0].idNumber.slice(0, 6)}********${h.members[0].idNumber.slice(-4)}`);
});
