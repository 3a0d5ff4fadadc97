// npm run db:seed -- [--households 500] [--no-demo]
// With DATABASE_URL: that PostgreSQL database. Without: the embedded PGlite in $DATA_DIR/pglite (the app's).
// Migrates first, then seeds; refuses a database that already has households.
import { sql } from "drizzle-orm";
import { openConfigured, queryRows } from "./client";
import { DEMO_PASSWORD, seed } from "./seed";

function usage(message?: string): never {
  if (message) console.error(message);
  console.error("usage: npm run db:seed -- [--households N] [--no-demo]");
  process.exit(2);
}

function parseArgs(argv: string[]) {
  let households = 500;
  let demo = true;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--households" || arg.startsWith("--households=")) {
      const value = arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : argv[++i];
      households = Number(value);
      if (!Number.isInteger(households) || households < 1)
        usage(`--households needs a positive integer, got "${value}"`);
    } else if (arg === "--no-demo") {
      demo = false;
    } else if (arg === "--demo") {
      demo = true;
    } else if (arg === "--help" || arg === "-h") {
      usage();
    } else {
      usage(`unknown argument "${arg}"`);
    }
  }
  return { households, demo };
}

async function main() {
  const { households, demo } = parseArgs(process.argv.slice(2));
  const { database, where } = await openConfigured();
  const stop = () => {
    void database.close().finally(() => process.exit(130));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  let exitCode = 0;
  try {
    await database.migrate();
    const [row] = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from households`);
    if (Number(row?.n ?? 0) > 0) {
      console.error(
        `Refusing to seed: ${where} already holds ${row.n} households. ` +
          "Seed only an empty database (drop and recreate it, or point DATA_DIR at a new folder).",
      );
      exitCode = 1;
    } else {
      console.log(`Seeding ${households} households${demo ? " with the demo accounts" : ""} into ${where}…`);
      const { ids: _ids, elapsedMs, ...counts } = await seed(database.db, { households, demo });
      console.table(counts);
      console.log(`Seeded in ${(elapsedMs / 1000).toFixed(1)} s.`);
      console.log(
        demo
          ? `Demo accounts admin / official / cadre / clerk, password "${DEMO_PASSWORD}".`
          : `Seeded users (admin-0001, official-0001, cadre-0001, clerk-0001 …) share the password "${DEMO_PASSWORD}".`,
      );
    }
  } catch (error) {
    console.error("Seeding failed:", error);
    if (error instanceof Error && error.cause) console.error("cause:", error.cause);
    exitCode = 1;
  } finally {
    await database.close();
  }
  process.exit(exitCode);
}

void main();
