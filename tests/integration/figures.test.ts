// One figure, one definition: where two pages (or a row table and its total) show the same number, they
// read it from the same model function; each test builds one data set and compares the pages' figures.
import { expect, test } from "vitest";
import { assignableCadres, cadreWorkload } from "~/models/assignments.server";
import { scopeOf } from "~/models/scope.server";
import { db } from "~/utils/db.server";
import * as f from "../support/factories";

const TODAY = "2026-11-01";

test("a cadre picker's households count is the workload table's count", async () => {
  const d = await db();
  const world = await f.createWorld(d);
  const official = scopeOf(await f.createUser(d, world, "official"));
  const [a, b, idle] = [await f.createUser(d, world, "cadre"), await f.createUser(d, world, "cadre"), await f.createUser(d, world, "cadre")];
  for (let i = 0; i < 3; i++) await f.assignCadre(d, world, (await f.createHousehold(d, world)).id, a.id);
  await f.assignCadre(d, world, (await f.createHousehold(d, world, { villageIndex: 1 })).id, b.id);
  // an ended pairing is not held any more
  const gone = await f.assignCadre(d, world, (await f.createHousehold(d, world)).id, b.id);
  await f.endAssignment(d, gone.id);

  const workload = await cadreWorkload({ scope: official, today: TODAY });
  const picker = await assignableCadres(official);
  const held = (rows: { id: string; households: number }[]) => Object.fromEntries(rows.map((r) => [r.id, r.households]));
  expect(held(workload.cadres)).toEqual({ [a.id]: 3, [b.id]: 1, [idle.id]: 0 });
  expect(held(picker)).toEqual(held(workload.cadres));
});
