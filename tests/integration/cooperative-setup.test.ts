// A county sets up its cooperatives in the app: an official registers their township's, the administrator
// any township's; details are corrected at the version the page showed; a broker is corrected or retired,
// and a retired broker leaves the cooperative's page and the households' cards but stays on record.
import { eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { auditLog, brokers, cooperatives } from "../../db/schema";
import { getBuyer, updateBuyer } from "~/models/buyers.server";
import { getHouseholdCard } from "~/models/card.server";
import {
  createCooperative,
  getCooperative,
  retireBroker,
  updateBroker,
  updateCooperative,
} from "~/models/cooperatives.server";
import { ConflictError, ForbiddenError, type ValidationError } from "~/models/errors.server";
import { scopeOf } from "~/models/scope.server";
import { db } from "~/utils/db.server";
import * as f from "../support/factories";

const input = (over: Record<string, unknown> = {}) => ({
  name: "庭院辣椒专业合作社",
  kind: "planting" as const,
  townshipId: undefined as string | undefined,
  villageId: undefined as string | undefined,
  registrationCode: undefined as string | undefined,
  contactName: "李社长",
  phone: "13900000005",
  ...over,
});

async function rejection(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the model to refuse");
}

test("an official registers in their township, the administrator in any; codes are checked and unique", async () => {
  const d = await db();
  const world = await f.createWorld(d);
  const official = scopeOf(await f.createUser(d, world, "official", { townshipIndex: 0 }));
  const admin = scopeOf(await f.createUser(d, world, "admin"));
  const clerkCoop = await f.createCooperative(d, world, 0);
  const clerk = scopeOf(await f.createUser(d, world, "clerk", { cooperativeId: clerkCoop.id }));

  // an official's township is their own, whatever the form says
  const own = await createCooperative({ scope: official, input: input({ townshipId: world.townships[1].id }) });
  expect(own.townshipId).toBe(world.townships[0].id);
  // a village of another township is not theirs to choose
  const farVillage = (await rejection(
    createCooperative({ scope: official, input: input({ villageId: world.villages[2].id }) }),
  )) as ValidationError;
  expect(farVillage.fieldErrors.villageId).toEqual(["field.choice"]);

  const code = f.creditCode();
  const far = await createCooperative({
    scope: admin,
    input: input({ townshipId: world.townships[1].id, villageId: world.villages[2].id, registrationCode: code }),
  });
  expect(far).toMatchObject({
    townshipId: world.townships[1].id,
    villageId: world.villages[2].id,
    registrationCode: code,
  });
  const taken = (await rejection(
    createCooperative({ scope: admin, input: input({ townshipId: world.townships[0].id, registrationCode: code }) }),
  )) as ValidationError;
  expect(taken.fieldErrors.registrationCode).toEqual(["orders.error.registrationCode.duplicate"]);
  expect(await rejection(createCooperative({ scope: clerk, input: input() }))).toBeInstanceOf(ForbiddenError);
  const [audit] = await d.select().from(auditLog).where(eq(auditLog.entityId, own.id));
  expect(audit.action).toBe("cooperative.create");
});

test("details at the version shown; a broker corrected, then retired off the page and the card", async () => {
  const d = await db();
  const world = await f.createWorld(d);
  const official = scopeOf(await f.createUser(d, world, "official", { townshipIndex: 0 }));
  const coop = await f.createCooperative(d, world, 0);
  const clerk = scopeOf(await f.createUser(d, world, "clerk", { cooperativeId: coop.id }));
  const updated = await updateCooperative({
    scope: official,
    cooperativeId: coop.id,
    version: 1,
    input: input({ name: "新名字" }),
  });
  expect(updated).toMatchObject({ name: "新名字", version: 2, townshipId: world.townships[0].id });
  expect(
    await rejection(updateCooperative({ scope: official, cooperativeId: coop.id, version: 1, input: input() })),
  ).toBeInstanceOf(ConflictError);

  const household = await f.createHousehold(d, world);
  await f.joinCooperative(d, world, coop.id, household.id, "2026-03-01");
  const broker = await f.createBroker(d, world, coop.id);
  const fixed = await updateBroker({
    scope: clerk,
    cooperativeId: coop.id,
    brokerId: broker.id,
    version: 1,
    name: "王经纪",
    phone: null,
  });
  expect(fixed).toMatchObject({ name: "王经纪", phone: null, version: 2 });
  expect(
    await rejection(
      updateBroker({ scope: clerk, cooperativeId: coop.id, brokerId: broker.id, version: 1, name: "x", phone: null }),
    ),
  ).toBeInstanceOf(ConflictError);
  const card = async () => (await getHouseholdCard({ scope: official, id: household.id, year: 2026 }))!;
  expect(JSON.stringify(await card())).toContain("王经纪");

  await retireBroker({ scope: clerk, cooperativeId: coop.id, brokerId: broker.id, version: 2 });
  expect((await getCooperative({ scope: clerk, id: coop.id }))!.brokers).toEqual([]);
  expect(JSON.stringify(await card())).not.toContain("王经纪");
  const [row] = await d.select().from(brokers).where(eq(brokers.id, broker.id));
  expect(row.retiredAt).not.toBeNull();
  const retiredAgain = (await rejection(
    retireBroker({ scope: clerk, cooperativeId: coop.id, brokerId: broker.id, version: 3 }),
  )) as ValidationError;
  expect(retiredAgain.formErrors).toEqual(["orders.coop.error.brokerRetired"]);
  // a cooperative of another township is not the official's to correct
  const farCoop = await f.createCooperative(d, world, 1);
  await expect(
    updateCooperative({ scope: official, cooperativeId: farCoop.id, version: 1, input: input() }),
  ).rejects.toThrow();
  expect((await d.select().from(cooperatives).where(eq(cooperatives.id, farCoop.id)))[0].version).toBe(1);
});

test("a buyer is corrected at the version shown; the credit code is checked again and stays unique", async () => {
  const d = await db();
  const world = await f.createWorld(d);
  const coop = await f.createCooperative(d, world, 0);
  const clerk = scopeOf(await f.createUser(d, world, "clerk", { cooperativeId: coop.id }));
  const cadre = scopeOf(await f.createUser(d, world, "cadre", { townshipIndex: 0 }));
  const buyer = await f.createBuyer(d, world);
  const other = await f.createBuyer(d, world);
  const details = {
    name: "改名企业",
    creditCode: buyer.creditCode.toLowerCase(),
    contactName: "王",
    phone: null,
    address: null,
  };
  const saved = await updateBuyer({ scope: clerk, id: buyer.id, version: 1, input: details });
  expect(saved).toMatchObject({ name: "改名企业", creditCode: buyer.creditCode, version: 2 });
  expect(await rejection(updateBuyer({ scope: clerk, id: buyer.id, version: 1, input: details }))).toBeInstanceOf(
    ConflictError,
  );
  const taken = (await rejection(
    updateBuyer({ scope: clerk, id: buyer.id, version: 2, input: { ...details, creditCode: other.creditCode } }),
  )) as ValidationError;
  expect(taken.fieldErrors.creditCode).toEqual(["orders.error.creditCode.duplicate"]);
  expect(await rejection(updateBuyer({ scope: cadre, id: buyer.id, version: 2, input: details }))).toBeInstanceOf(
    ForbiddenError,
  );
  const farWorld = await f.createWorld(d);
  const farBuyer = await f.createBuyer(d, farWorld);
  expect(await getBuyer({ scope: clerk, id: farBuyer.id })).toBeNull();
  const [audit] = await d.select().from(auditLog).where(eq(auditLog.entityId, buyer.id));
  expect(audit.action).toBe("buyer.update");
});
