// The year turns: next year's drafts copied from this year's plans (never the funds), in one go for the
// township or a village; households out of monitoring, without a plan, or with a shrunk courtyard named.
import { and, eq, sql } from "drizzle-orm";
import { expect, test } from "vitest";
import * as s from "../../db/schema";
import { previewRollover, rollOverYear } from "~/models/rollover.server";
import { scopeOf } from "~/models/scope.server";
import { db } from "~/utils/db.server";
import * as f from "../support/factories";

test("drafts for next year copy zones, crops, animals and measures; the skipped are named; a second run adds nothing", async () => {
  const d = await db();
  const world = await f.createWorld(d);
  const official = scopeOf(await f.createUser(d, world, "official", { townshipIndex: 0 }));
  const cadre = scopeOf(await f.createUser(d, world, "cadre", { townshipIndex: 0 }));
  const copied = await f.createHousehold(d, world);
  const lifted = await f.createHousehold(d, world, { villageIndex: 1 });
  const noPlan = await f.createHousehold(d, world);
  const shrunk = await f.createHousehold(d, world);
  const far = await f.createHousehold(d, world, { villageIndex: 2 });
  await d.update(s.households).set({ povertyStatus: "lifted" }).where(eq(s.households.id, lifted.id));

  const plan = await f.createPlan(d, world, copied.id, {
    status: "in_progress",
    measures: ["技术培训"],
    incomeTargetFen: 800000,
  });
  await f.addPlanItems(d, world, plan.id, {
    planting: [{ cropCode: "chili", area: 100, expectedYieldKg: 500 }],
    raising: [{ animalCode: "chicken", headCount: 20 }],
  });
  await f.createPlan(d, world, lifted.id, { status: "approved" });
  await f.createPlan(d, world, far.id, { status: "approved" });
  const big = await f.createPlan(d, world, shrunk.id, { status: "approved" });
  // the courtyard was measured again, smaller than last year's zones
  await d.execute(sql`update households set courtyard_area = ${Number(big.livingArea) + 1} where id = ${shrunk.id}`);

  await expect(previewRollover({ scope: cadre, fromYear: 2026 })).rejects.toThrow();
  const preview = await previewRollover({ scope: official, fromYear: 2026 });
  expect(preview.copies).toBe(1);
  const reasons = Object.fromEntries(preview.skipped.map((r) => [r.householdId, r.reason]));
  expect(reasons).toEqual({ [lifted.id]: "lifted", [noPlan.id]: "noPlan", [shrunk.id]: "courtyardShrunk" });

  const done = await rollOverYear({ scope: official, fromYear: 2026 });
  expect(done.created).toBe(1);
  const [next] = await d
    .select()
    .from(s.plans)
    .where(and(eq(s.plans.householdId, copied.id), eq(s.plans.year, 2027)));
  expect(next).toMatchObject({
    status: "draft",
    measures: ["技术培训"],
    incomeTargetFen: 800000,
    livingArea: plan.livingArea,
  });
  const items = async (table: typeof s.plantingItems | typeof s.raisingItems, planId: string) =>
    (await d.select().from(table).where(eq(table.planId, planId))).length;
  expect(await items(s.plantingItems, next.id)).toBe(await items(s.plantingItems, plan.id));
  expect(await items(s.raisingItems, next.id)).toBe(await items(s.raisingItems, plan.id));
  // not the funds, and the other township's household untouched
  expect(await d.select().from(s.fundAllocations).where(eq(s.fundAllocations.planId, next.id))).toHaveLength(0);
  expect(
    await d
      .select()
      .from(s.plans)
      .where(and(eq(s.plans.householdId, far.id), eq(s.plans.year, 2027))),
  ).toHaveLength(0);
  const [audit] = await d.select().from(s.auditLog).where(eq(s.auditLog.entityId, next.id));
  expect(audit).toMatchObject({ action: "plan.rollover", householdId: copied.id });

  expect((await rollOverYear({ scope: official, fromYear: 2026 })).created).toBe(0);
  expect((await previewRollover({ scope: official, fromYear: 2026 })).existing).toBe(1);
});
