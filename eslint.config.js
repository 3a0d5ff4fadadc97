// The layers the code keeps (see README, "Where things live"): routes call models, models call db;
// components and plain utils never reach a model; db never reaches into the app beyond its plain
// vocabulary and helpers; no route imports another route. A page too big for one file is a folder
// (`app/routes/<id>/route.tsx`) whose forms sit beside it: those files import each other with `./x`, but
// nothing reaches out of the folder into another route, and a sibling takes only types from `./route`,
// so the server's loader and action never travel into a form's module graph.
import js from "@eslint/js";
import drizzle from "eslint-plugin-drizzle";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

const modelImports = {
  group: ["~/models/*", "../models/*", "./models/*"],
  message: "Components and utils stay clear of the models: the route passes them what they need.",
  allowTypeImports: true,
};
const routeImports = {
  group: ["~/routes/*", "../routes/*", "./*", "!./*.css"],
  message: "A route does not import another route: move what both need into a component or a model.",
};
const outOfRouteFolder = {
  group: ["~/routes/*", "../*"],
  message: "A route folder's files import only each other: move what another route needs into a component or a model.",
};
const routeModuleFromSibling = {
  group: ["./route", "./route.*"],
  message: "A route folder's sibling takes only types from ./route; the route imports the sibling, not the reverse.",
  allowTypeImports: true,
};
const appInternals = {
  group: ["~/*", "../app/models/*", "../app/routes/*", "../app/components/*", "../app/http/*"],
  message: "db/ holds the schema and its tools; it may use the app's plain vocabulary and utils, nothing above them.",
};
const httpInModels = {
  group: ["~/http/*", "~/routes/*", "~/components/*", "@remix-run/*"],
  message: "Models know nothing of requests or pages: the route adapts HTTP to the model.",
  allowTypeImports: true,
};

export default tseslint.config(
  { ignores: ["build/", "public/build/", "node_modules/", ".cache/", "data/", "drizzle/", "patches/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    plugins: { drizzle },
    rules: {
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-explicit-any": "off",
      "drizzle/enforce-delete-with-where": ["error", { drizzleObjectName: ["db", "tx", "database"] }],
      "drizzle/enforce-update-with-where": ["error", { drizzleObjectName: ["db", "tx", "database"] }],
    },
  },
  {
    // tests and scripts have functions named use… that are not React hooks
    files: ["app/**/*.tsx"],
    plugins: { "react-hooks": reactHooks },
    rules: { "react-hooks/rules-of-hooks": "error", "react-hooks/exhaustive-deps": "warn" },
  },
  {
    files: ["app/components/**", "app/utils/**", "app/i18n/**", "app/schemas/**"],
    rules: { "@typescript-eslint/no-restricted-imports": ["error", { patterns: [modelImports] }] },
  },
  {
    files: ["app/routes/*"],
    rules: { "@typescript-eslint/no-restricted-imports": ["error", { patterns: [routeImports] }] },
  },
  {
    files: ["app/routes/*/**"],
    rules: {
      "@typescript-eslint/no-restricted-imports": ["error", { patterns: [outOfRouteFolder, routeModuleFromSibling] }],
    },
  },
  {
    files: ["app/models/**"],
    rules: { "@typescript-eslint/no-restricted-imports": ["error", { patterns: [httpInModels] }] },
  },
  {
    files: ["db/**"],
    rules: { "@typescript-eslint/no-restricted-imports": ["error", { patterns: [appInternals] }] },
  },
);
