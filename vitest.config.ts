import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = { "~": path.resolve(import.meta.dirname, "app") };
const integration = (name: string, env: Record<string, string>) => ({
  resolve: { alias },
  test: {
    name,
    include: ["tests/integration/**/*.test.ts"],
    globalSetup: ["tests/support/global-db.ts"],
    setupFiles: ["tests/support/use-test-db.ts"],
    env,
    // One process and module cache per worker for all its files: a process per file cost ~1-3 s each
    // (start, imports, a database copy). tests/support/use-test-db.ts gives each file a clean slate
    // instead. TEST_ISOLATE=1 brings back a process per file, to tell a leak between files from a bug.
    isolate: process.env.TEST_ISOLATE === "1",
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});

// Three kinds of test: unit (pure), integration (model layer on a real database: PGlite always,
// PostgreSQL when TEST_DATABASE_URL is set), e2e (the built app in Debian's Chromium).
export default defineConfig({
  test: {
    projects: [
      { resolve: { alias }, test: { name: "unit", include: ["tests/unit/**/*.test.ts"] } },
      integration("integration-pglite", { TEST_DB_KIND: "pglite" }),
      ...(process.env.TEST_DATABASE_URL ? [integration("integration-postgres", { TEST_DB_KIND: "postgres" })] : []),
      {
        resolve: { alias },
        test: {
          name: "e2e",
          include: ["tests/e2e/**/*.test.ts"],
          globalSetup: ["tests/e2e/server.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
          // a page after a form post can take seconds on a loaded 2-core machine; the 1 s default flakes
          expect: { poll: { timeout: 10_000 } },
        },
      },
    ],
  },
});
