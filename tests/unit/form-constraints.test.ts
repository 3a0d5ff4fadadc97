// The pages print the forms' HTML constraints from app/schemas/constraints.ts, written from the schemas by
// scripts/form-constraints.ts: a schema changed without running it would leave the browser checking old limits.
import fs from "node:fs";
import { expect, test } from "vitest";
import { constraintsModule, OUTPUT } from "../../scripts/form-constraints";

test("the forms' constraints are the ones their schemas give", async () => {
  expect(fs.readFileSync(OUTPUT, "utf8")).toBe(await constraintsModule());
});
