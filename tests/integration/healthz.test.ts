// /healthz answers 503 when the database cannot be reached (here: a server on a closed port).
import { expect, test } from "vitest";
import { openPostgres } from "../../db/client";
import { loader } from "~/routes/healthz";
import { useDatabaseForTests } from "~/utils/db.server";

test("healthz answers 200 with a working database", async () => {
  const res = await loader();
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ status: "ok", db: "ok" });
});

test("healthz answers 503 when the database is unreachable", async () => {
  const unreachable = openPostgres("postgres://postgres@127.0.0.1:1/nothing", { max: 1 });
  useDatabaseForTests(unreachable);
  const res = await loader();
  expect(res.status).toBe(503);
  expect(await res.json()).toMatchObject({ db: "unreachable" });
  await unreachable.close();
});
