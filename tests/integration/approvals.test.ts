// An official's queue: the township's submitted plans, oldest first, each resubmitted one with what changed
// since it was returned; nobody else has a queue.
import { expect, test } from "vitest";
import { approvalsQueue, pendingApprovalCount } from "~/models/approvals.server";
import { transitionPlan, updatePlan } from "~/models/plans.server";
import { scopeOf } from "~/models/scope.server";
import { db } from "~/utils/db.server";
import * as f from "../support/factories";

test("submitted plans of the township, oldest first, with the difference since a return", async () => {
  const d = await db();
  const world = await f.createWorld(d);
  const official = scopeOf(await f.createUser(d, world, "official", { townshipIndex: 0 }));
  const farOfficial = scopeOf(await f.createUser(d, world, "official", { townshipIndex: 1 }));
  const cadreRow = await f.createUser(d, world, "cadre", { townshipIndex: 0 });
  const cadre = scopeOf(cadreRow);
  const first = await f.createHousehold(d, world);
  const second = await f.createHousehold(d, world);
  await f.assignCadre(d, world, first.id, cadreRow.id);
  await f.assignCadre(d, world, second.id, cadreRow.id);
  const planA = await f.createPlan(d, world, first.id, { status: "draft" });
  const planB = await f.createPlan(d, world, second.id, { status: "draft" });

  const submit = (planId: string, version: number) =>
    transitionPlan({ scope: cadre, planId, transition: { intent: "submit", version } });
  const a1 = await submit(planA.id, 1);
  await submit(planB.id, 1);
  expect(await pendingApprovalCount({ scope: official })).toBe(2);
  expect(await pendingApprovalCount({ scope: farOfficial })).toBe(0);
  expect(await pendingApprovalCount({ scope: cadre })).toBe(0);

  // A is returned, changed, submitted again: it keeps its place by its new submission, after B
  const returned = await transitionPlan({
    scope: official,
    planId: planA.id,
    transition: { intent: "return", version: a1.version, reason: "种植面积超出" },
  });
  const edited = await updatePlan({
    scope: cadre,
    planId: planA.id,
    version: returned.version,
    content: {
      courtyardArea: planA.courtyardArea,
      livingArea: 200,
      plantingArea: 250,
      raisingArea: 100,
      measures: ["技术培训"],
      incomeTargetFen: 500000,
      plantingItems: [],
      raisingItems: [],
    },
  });
  await submit(planA.id, edited.version);

  const queue = await approvalsQueue({ scope: official });
  expect(queue.map((p) => p.planId)).toEqual([planB.id, planA.id]);
  expect(queue[0].sinceReturn).toBeNull();
  expect(queue[1].sinceReturn?.reason).toBe("种植面积超出");
  expect(queue[1].sinceReturn?.fields).toEqual(expect.arrayContaining(["plantingArea"]));
  expect(await approvalsQueue({ scope: farOfficial })).toEqual([]);
  await expect(approvalsQueue({ scope: cadre })).rejects.toThrow();
});
