// The layering the README describes is held by eslint.config.js; this proves each rule bites, so a
// config edit that silently drops one fails here rather than letting the layers drift.
import { ESLint } from "eslint";
import { beforeAll, expect, test } from "vitest";

const eslint = new ESLint({ cwd: process.cwd() });

// the first lint loads the parser and the config (seconds on a busy machine): outside any one case's time limit
beforeAll(() => eslint.lintText("export const x = 1;\n", { filePath: "app/utils/x.ts" }), 60_000);

async function ruleIds(filePath: string, code: string) {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.map((m) => m.ruleId);
}

test.each([
  ["app/components/x.tsx", 'import { db } from "~/models/households.server";\nexport const y = db;\n'],
  [
    "app/utils/x.ts",
    'import { listHouseholds } from "~/models/household-list.server";\nexport const y = listHouseholds;\n',
  ],
  ["app/routes/x.tsx", 'import { loader } from "~/routes/_app.tsx";\nexport const y = loader;\n'],
  ["app/routes/x.tsx", 'import { loader } from "./_app";\nexport const y = loader;\n'],
  // a route folder's files stay inside it, and take nothing but types from their route module
  ["app/routes/x/route.tsx", 'import { loader } from "../_app";\nexport const y = loader;\n'],
  ["app/routes/x/route.tsx", 'import { loader } from "~/routes/_app";\nexport const y = loader;\n'],
  ["app/routes/x/form.tsx", 'import { loader } from "../y/route";\nexport const y = loader;\n'],
  ["app/routes/x/form.tsx", 'import { loader } from "./route";\nexport const y = loader;\n'],
  ["app/models/x.server.ts", 'import { readForm } from "~/http/form.server";\nexport const y = readForm;\n'],
  ["app/models/x.server.ts", 'import { json } from "@remix-run/node";\nexport const y = json;\n'],
  [
    "db/x.ts",
    'import { listHouseholds } from "../app/models/household-list.server";\nexport const y = listHouseholds;\n',
  ],
])("%s may not import across its layer", async (filePath, code) => {
  expect(await ruleIds(filePath, code)).toContain("@typescript-eslint/no-restricted-imports");
});

test.each([
  ["app/components/x.tsx", 'import type { Scope } from "~/models/scope.server";\nexport type Y = Scope;\n'],
  [
    "app/routes/x.tsx",
    'import { listHouseholds } from "~/models/household-list.server";\nexport const y = listHouseholds;\n',
  ],
  ["app/routes/x.tsx", 'import "./x.css";\nexport const y = 1;\n'],
  ["app/routes/x/route.tsx", 'import { Form } from "./form";\nexport const y = Form;\n'],
  ["app/routes/x/form.tsx", 'import { INTENT } from "./intents";\nexport const y = INTENT;\n'],
  ["app/routes/x/form.tsx", 'import type { loader } from "./route";\nexport type Y = typeof loader;\n'],
  ["db/x.ts", 'import { VOCABULARY } from "../app/vocabulary";\nexport const y = VOCABULARY;\n'],
])("%s may import what its layer allows", async (filePath, code) => {
  expect(await ruleIds(filePath, code)).not.toContain("@typescript-eslint/no-restricted-imports");
});

test("a delete or an update without where is refused", async () => {
  const code =
    "declare const tx: any, t: any;\nexport async function f() {\n  await tx.delete(t);\n  await tx.update(t).set({});\n}\n";
  const ids = await ruleIds("app/models/x.server.ts", code);
  expect(ids).toContain("drizzle/enforce-delete-with-where");
  expect(ids).toContain("drizzle/enforce-update-with-where");
});

test("a type used only as a type is imported as one", async () => {
  const code = 'import { Scope } from "~/permissions";\nexport type Y = Scope;\n';
  expect(await ruleIds("app/models/x.server.ts", code)).toContain("@typescript-eslint/consistent-type-imports");
});
