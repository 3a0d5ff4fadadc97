// Rules the model holds itself, not only the form: each bad input is handed straight to the model
// function (no schema in between) and must be refused at its field, with nothing written.
import { count, eq, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import { expect, test } from "vitest";
import {
  auditLog,
  buyers,
  deliveries,
  fundAllocations,
  households,
  members,
  plans,
  plantingItems,
} from "../../db/schema";
import { ValidationError } from "~/models/errors.server";
import { createHousehold, updateHousehold } from "~/models/households.server";
import { addMember, updateMember } from "~/models/members.server";
import { createBuyer } from "~/models/buyers.server";
import { recordDelivery } from "~/models/orders.server";
import { createPlan, updatePlan } from "~/models/plans.server";
import { allocateFunds } from "~/models/projects.server";
import { scopeOf } from "~/models/scope.server";
import type { DeliveryInput } from "~/schemas/orders";
import type { PlanContent } from "~/schemas/plan";
import { db } from "~/utils/db.server";
import { makeCreditCode } from "~/utils/credit-code";
import { translator } from "~/i18n/dictionaries.server";
import type { MessageKey } from "~/i18n";
import * as f from "../support/factories";
import { CREDIT_CODE_PER_CHECK_CHAR, ID_NUMBER_PER_REMAINDER } from "../fixtures/check-characters";
import { queryRows } from "../../db/client";
import {
  DELIVERY_DAYS_AFTER_WINDOW,
  DELIVERY_DAYS_BEFORE_WINDOW,
  DELIVERY_PRICE_TOLERANCE_PERCENT,
} from "~/schemas/orders";

async function rejection(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the model to refuse");
}

/** The refusal is a ValidationError whose only field is `path`; returns that field's messages. */
function refusedAt(error: unknown, path: string) {
  expect(error).toBeInstanceOf(ValidationError);
  const v = error as ValidationError;
  expect(Object.keys(v.fieldErrors)).toEqual([path]);
  return v.fieldErrors[path];
}

/** The message as a person reads it in zh-CN (the default locale), placeholders filled. */
function zh(message: string) {
  const [key, vars] = message.split("|");
  const text = translator("zh-CN")(key as MessageKey, vars ? JSON.parse(vars) : undefined);
  expect(text).not.toBe(key);
  return text;
}

const rows = async (table: PgTable) => {
  const d = await db();
  const [{ n }] = await d.select({ n: count() }).from(table);
  return n;
};

/** A valid number with its check character replaced by a wrong one. */
function wrongCheckChar(valid: string) {
  return valid.slice(0, 17) + (valid[17] === "1" ? "2" : "1");
}

async function world() {
  const d = await db();
  const w = await f.createWorld(d);
  const cadre = scopeOf(await f.createUser(d, w, "cadre"));
  const official = scopeOf(await f.createUser(d, w, "official"));
  return { d, w, cadre, official };
}

// ---------- rule 1: GB 11643 and GB 32100 check characters ----------

test("a member with a wrong ID check character is refused at idNumber (add and edit); nothing is written", async () => {
  const { d, w, cadre } = await world();
  const h = await f.createHousehold(d, w);
  await f.assignCadre(d, w, h.id, cadre.userId);
  const good = f.newIdNumber("female", "1999-04-01");
  const bad = wrongCheckChar(good);
  const before = { members: await rows(members), audit: await rows(auditLog) };
  const member = {
    name: "赵梅",
    idNumber: bad,
    birthDate: "1999-04-01",
    relation: "child" as const,
    sex: "female" as const,
    health: "healthy" as const,
    labourAbility: "full" as const,
  };
  const added = await rejection(addMember({ scope: cadre, householdId: h.id, member }));
  expect(refusedAt(added, "idNumber")).toEqual(["idNumber.checksum"]);
  expect(zh("idNumber.checksum")).toContain("身份证号");

  // an impossible birth date (30 February) with a correct check character is refused too
  const feb30 = "23082819990230002";
  const { idNumberCheckChar } = await import("~/utils/id-number");
  const impossible = await rejection(
    addMember({ scope: cadre, householdId: h.id, member: { ...member, idNumber: feb30 + idNumberCheckChar(feb30) } }),
  );
  expect(refusedAt(impossible, "idNumber")).toEqual(["idNumber.birthDate"]);

  const head = h.members[0];
  const edited = await rejection(
    updateMember({
      scope: cadre,
      memberId: head.id,
      version: 1,
      member: { ...member, name: head.name, relation: "head", sex: "male", idNumber: wrongCheckChar(head.idNumber) },
    }),
  );
  expect(refusedAt(edited, "idNumber")).toEqual(["idNumber.checksum"]);
  expect(await rows(members)).toBe(before.members);
  expect(await rows(auditLog)).toBe(before.audit);
  const [stored] = await d.select().from(members).where(eq(members.id, head.id));
  expect(stored.idNumber).toBe(head.idNumber);
});

test("registering a household with a wrong ID check character is refused at that member's idNumber", async () => {
  const { d, w, cadre } = await world();
  const headId = f.newIdNumber("male", "1965-07-07");
  const wifeId = f.newIdNumber("female", "1966-08-08");
  const before = { households: await rows(households), members: await rows(members) };
  const error = await rejection(
    createHousehold({
      scope: cadre,
      today: "2026-05-01",
      input: {
        villageId: w.villages[0].id,
        povertyStatus: "registered",
        povertyCause: "illness",
        courtyardArea: 300,
        members: [
          {
            name: "孙强",
            idNumber: headId,
            birthDate: "1965-07-07",
            relation: "head",
            sex: "male",
            health: "healthy",
            labourAbility: "full",
          },
          {
            name: "周兰",
            idNumber: wrongCheckChar(wifeId),
            birthDate: "1966-08-08",
            relation: "spouse",
            sex: "female",
            health: "healthy",
            labourAbility: "full",
          },
        ],
      },
    }),
  );
  expect(refusedAt(error, "members[1].idNumber")).toEqual(["idNumber.checksum"]);
  expect(await rows(households)).toBe(before.households);
  expect(await rows(members)).toBe(before.members);
  void d;
});

test("a buyer with a wrong credit-code check character is refused at creditCode; nothing is written", async () => {
  const { d, w } = await world();
  const coop = await f.createCooperative(d, w, 0);
  const clerk = scopeOf(await f.createUser(d, w, "clerk", { cooperativeId: coop.id }));
  const good = makeCreditCode("91230828MA1B2C3D4");
  const before = await rows(buyers);
  const error = await rejection(
    createBuyer({
      scope: clerk,
      input: {
        name: "汤原县某农产品公司",
        creditCode: wrongCheckChar(good),
        contactName: null,
        phone: null,
        address: null,
      },
    }),
  );
  expect(refusedAt(error, "creditCode")).toEqual(["orders.error.creditCode.checksum"]);
  expect(zh("orders.error.creditCode.checksum")).toContain("统一社会信用代码");
  expect(await rows(buyers)).toBe(before);
});

test("the database refuses a wrong ID check character and a wrong credit-code check character by itself", async () => {
  const { d, w } = await world();
  const h = await f.createHousehold(d, w);
  await expect(f.addMemberWithId(d, w, h.id, wrongCheckChar(f.newIdNumber("female", "2001-01-01")))).rejects.toThrow();
  await expect(
    d
      .insert(buyers)
      .values({ countyId: w.county.id, name: "x", creditCode: wrongCheckChar(makeCreditCode("91230828MA1B2C3D5")) }),
  ).rejects.toThrow();
});

test("the database's check functions agree with the standards on every check character", async () => {
  const d = await db();
  const valid = async (fn: "gb11643_valid" | "gb32100_valid", value: string) => {
    const [row] = await queryRows<{ ok: boolean }>(d, sql`select ${sql.raw(fn)}(${value}) as ok`);
    return row.ok;
  };
  for (const [, idNumber] of ID_NUMBER_PER_REMAINDER) {
    expect(await valid("gb11643_valid", idNumber)).toBe(true);
    expect(await valid("gb11643_valid", wrongCheckChar(idNumber))).toBe(false);
  }
  // 30 February with its proper check character, and a year before 1900
  expect(await valid("gb11643_valid", "230828199902300023")).toBe(false);
  expect(await valid("gb11643_valid", "230828189912310015")).toBe(false);
  for (const code of CREDIT_CODE_PER_CHECK_CHAR) {
    expect(await valid("gb32100_valid", code)).toBe(true);
    expect(await valid("gb32100_valid", code.slice(0, 17) + (code[17] === "1" ? "2" : "1"))).toBe(false);
  }
});

// ---------- rule 2: the plan takes the household's courtyard area ----------

const planContent = (over: Partial<PlanContent> = {}): PlanContent => ({
  courtyardArea: 100,
  livingArea: 40,
  plantingArea: 40,
  raisingArea: 0,
  plantingItems: [{ cropCode: "chili", area: 30, expectedYieldKg: 90 }],
  raisingItems: [],
  measures: ["种植辣椒"],
  incomeTargetFen: 300_000,
  ...over,
});

test("a 100 m² yard cannot take a 5,000 m² plan: refused at courtyardArea on create and update", async () => {
  const { d, w, cadre } = await world();
  const h = await f.createHousehold(d, w, { courtyardArea: 100 });
  await f.assignCadre(d, w, h.id, cadre.userId);
  const before = { plans: await rows(plans), audit: await rows(auditLog) };
  const big = planContent({ courtyardArea: 5000, livingArea: 1000, plantingArea: 3000 });
  const error = await rejection(createPlan({ scope: cadre, householdId: h.id, year: 2026, content: big }));
  const [msg] = refusedAt(error, "courtyardArea");
  expect(zh(msg)).toContain("庭院面积");
  expect(zh(msg)).toContain("100");
  expect(await rows(plans)).toBe(before.plans);
  expect(await rows(auditLog)).toBe(before.audit);

  const plan = await createPlan({ scope: cadre, householdId: h.id, year: 2026, content: planContent() });
  const later = await rejection(updatePlan({ scope: cadre, planId: plan.id, version: 1, content: big }));
  refusedAt(later, "courtyardArea");
  const [stored] = await d.select().from(plans).where(eq(plans.id, plan.id));
  expect(stored).toMatchObject({ courtyardArea: 100, version: 1 });
});

test("the database refuses a plan whose courtyard area is not the household's", async () => {
  const { d, w } = await world();
  const h = await f.createHousehold(d, w, { courtyardArea: 100 });
  await expect(
    f.createPlan(d, w, h.id, { courtyardArea: 5000, livingArea: 100, plantingArea: 100, raisingArea: 0 }),
  ).rejects.toThrow();
});

test("a change of area is an edit of the household: its editable plan follows, a smaller yard than the zones is refused", async () => {
  const { d, w, cadre } = await world();
  const h = await f.createHousehold(d, w, { courtyardArea: 100 });
  await f.assignCadre(d, w, h.id, cadre.userId);
  const plan = await createPlan({ scope: cadre, householdId: h.id, year: 2026, content: planContent() });
  const fields = {
    villageId: w.villages[0].id,
    povertyStatus: "registered" as const,
    povertyCause: "illness" as const,
  };
  await updateHousehold({ scope: cadre, id: h.id, version: 1, input: { ...fields, courtyardArea: 120 } });
  const [grown] = await d.select().from(plans).where(eq(plans.id, plan.id));
  expect(grown.courtyardArea).toBe(120);

  const error = await rejection(
    updateHousehold({ scope: cadre, id: h.id, version: 2, input: { ...fields, courtyardArea: 50 } }),
  );
  const [msg] = refusedAt(error, "courtyardArea");
  expect(zh(msg)).toContain("2026");
  const [kept] = await d.select().from(households).where(eq(households.id, h.id));
  expect(kept.courtyardArea).toBe(120);
});

// ---------- rule 5: one line per crop ----------

test("辣椒 twice in one plan is refused at the second line's cropCode; nothing is written", async () => {
  const { d, w, cadre } = await world();
  const h = await f.createHousehold(d, w, { courtyardArea: 100 });
  await f.assignCadre(d, w, h.id, cadre.userId);
  const twice = planContent({
    plantingItems: [
      { cropCode: "chili", area: 10, expectedYieldKg: 30 },
      { cropCode: "chili", area: 10, expectedYieldKg: 30 },
    ],
  });
  const before = { plans: await rows(plans), items: await rows(plantingItems) };
  const error = await rejection(createPlan({ scope: cadre, householdId: h.id, year: 2026, content: twice }));
  const [msg] = refusedAt(error, "plantingItems[1].cropCode");
  expect(zh(msg)).toContain("作物");
  expect(await rows(plans)).toBe(before.plans);
  expect(await rows(plantingItems)).toBe(before.items);

  const plan = await createPlan({ scope: cadre, householdId: h.id, year: 2026, content: planContent() });
  refusedAt(
    await rejection(updatePlan({ scope: cadre, planId: plan.id, version: 1, content: twice })),
    "plantingItems[1].cropCode",
  );
  // and the database holds it too
  await expect(f.addPlanItems(d, w, plan.id, { planting: [{ cropCode: "chili", area: 1 }] })).rejects.toThrow();
});

// ---------- rule 3: deliveries near the contract's price and window ----------

async function orderWithAllocation() {
  const { d, w } = await world();
  const coop = await f.createCooperative(d, w, 0);
  const clerk = scopeOf(await f.createUser(d, w, "clerk", { cooperativeId: coop.id }));
  const buyer = await f.createBuyer(d, w);
  // 5 元/kg, delivered from 15 August to 30 September
  const order = await f.createPurchaseOrder(d, w, {
    cooperativeId: coop.id,
    buyerId: buyer.id,
    quantityKg: 1000,
    unitPriceFen: 500,
  });
  const h = await f.createHousehold(d, w);
  const m = await f.joinCooperative(d, w, coop.id, h.id);
  const allocation = await f.createOrderAllocation(d, w, {
    orderId: order.id,
    householdId: h.id,
    membershipId: m.id,
    quantityKg: 500,
  });
  return { d, w, clerk, order, allocation };
}

const delivery = (over: Partial<DeliveryInput> = {}): DeliveryInput => ({
  deliveredOn: "2026-09-01",
  quantityKg: 10,
  grade: "first",
  unitPriceFen: 500,
  paidFen: 0,
  ...over,
});

test("a delivery at 1 fen/kg against a 5 元/kg contract is refused at unitPriceFen; nothing is written", async () => {
  const { d, clerk, allocation } = await orderWithAllocation();
  const before = { deliveries: await rows(deliveries), audit: await rows(auditLog) };
  const error = await rejection(
    recordDelivery({ scope: clerk, allocationId: allocation.id, input: delivery({ unitPriceFen: 1 }) }),
  );
  const [msg] = refusedAt(error, "unitPriceFen");
  expect(zh(msg)).toContain("合同价");
  expect(zh(msg)).toContain("5.00");
  expect(await rows(deliveries)).toBe(before.deliveries);
  expect(await rows(auditLog)).toBe(before.audit);

  // the tolerance's edges: ±30 % of 500 fen is 350 to 650 fen
  expect(DELIVERY_PRICE_TOLERANCE_PERCENT).toBe(30);
  for (const unitPriceFen of [349, 651]) {
    refusedAt(
      await rejection(recordDelivery({ scope: clerk, allocationId: allocation.id, input: delivery({ unitPriceFen }) })),
      "unitPriceFen",
    );
  }
  for (const unitPriceFen of [350, 650]) {
    await recordDelivery({ scope: clerk, allocationId: allocation.id, input: delivery({ unitPriceFen }) });
  }
  expect(await rows(deliveries)).toBe(before.deliveries + 2);
  void d;
});

test("a delivery dated outside the order's window (with its tolerance) is refused at deliveredOn; nothing is written", async () => {
  const { clerk, allocation } = await orderWithAllocation();
  const before = await rows(deliveries);
  expect([DELIVERY_DAYS_BEFORE_WINDOW, DELIVERY_DAYS_AFTER_WINDOW]).toEqual([7, 15]);
  // window 2026-08-15 … 2026-09-30: accepted from 2026-08-08 to 2026-10-15
  for (const deliveredOn of ["2027-03-01", "2026-08-07", "2026-10-16"]) {
    const error = await rejection(
      recordDelivery({ scope: clerk, allocationId: allocation.id, input: delivery({ deliveredOn }) }),
    );
    const [msg] = refusedAt(error, "deliveredOn");
    expect(zh(msg)).toContain("交货期");
  }
  expect(await rows(deliveries)).toBe(before);
  for (const deliveredOn of ["2026-08-08", "2026-10-15"]) {
    await recordDelivery({ scope: clerk, allocationId: allocation.id, input: delivery({ deliveredOn }) });
  }
  expect(await rows(deliveries)).toBe(before + 2);
});

test("the database refuses a delivery far from the contract's price or window", async () => {
  const { d, w, allocation } = await orderWithAllocation();
  await expect(
    f.createDelivery(d, w, { allocationId: allocation.id, quantityKg: 10, unitPriceFen: 1 }),
  ).rejects.toThrow();
  await expect(
    f.createDelivery(d, w, { allocationId: allocation.id, quantityKg: 10, deliveredOn: "2027-03-01" }),
  ).rejects.toThrow();
  await f.createDelivery(d, w, {
    allocationId: allocation.id,
    quantityKg: 10,
    unitPriceFen: 350,
    deliveredOn: "2026-10-15",
  });
});

// ---------- rule 4: funds only to an approved plan ----------

test("funds to a draft plan are refused at householdId, saying the plan must be approved; nothing is written", async () => {
  const { d, w, official } = await world();
  const h = await f.createHousehold(d, w);
  await f.createPlan(d, w, h.id, { year: 2026, status: "draft" });
  const project = await f.createAidProject(d, w, {
    budgetFen: 1_000_000,
    startsOn: "2026-01-01",
    endsOn: "2026-12-31",
  });
  const before = { allocations: await rows(fundAllocations), audit: await rows(auditLog) };
  for (const status of ["draft", "submitted", "returned"] as const) {
    await d.update(plans).set({ status }).where(eq(plans.householdId, h.id));
    const error = await rejection(
      allocateFunds({
        scope: official,
        projectId: project.id,
        input: {
          householdId: h.id,
          kind: "cash",
          item: null,
          quantity: null,
          amount: 10_000,
          allocatedOn: "2026-04-01",
          note: null,
        },
      }),
    );
    const [msg] = refusedAt(error, "householdId");
    expect(zh(msg)).toContain("批准");
  }
  expect(await rows(fundAllocations)).toBe(before.allocations);
  expect(await rows(auditLog)).toBe(before.audit);

  await d.update(plans).set({ status: "approved" }).where(eq(plans.householdId, h.id));
  await allocateFunds({
    scope: official,
    projectId: project.id,
    input: {
      householdId: h.id,
      kind: "cash",
      item: null,
      quantity: null,
      amount: 10_000,
      allocatedOn: "2026-04-01",
      note: null,
    },
  });
  expect(await rows(fundAllocations)).toBe(before.allocations + 1);
});

test("the database refuses funds to a plan that is not approved", async () => {
  const { d, w } = await world();
  const h = await f.createHousehold(d, w);
  const plan = await f.createPlan(d, w, h.id, { year: 2026, status: "draft" });
  const project = await f.createAidProject(d, w);
  await expect(
    f.createFundAllocation(d, w, { projectId: project.id, planId: plan.id, householdId: h.id }),
  ).rejects.toThrow();
});
