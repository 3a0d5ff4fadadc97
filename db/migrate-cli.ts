// npm run db:migrate — applies the committed migrations in drizzle/ and exits.
// With DATABASE_URL: that PostgreSQL database. Without: the embedded PGlite in $DATA_DIR/pglite (the app's;
// never while the app runs on it: PGlite takes no lock on its folder).
import { openConfigured } from "./client";

const { database, where } = await openConfigured();
try {
  await database.migrate();
  console.log(`migrated ${where}`);
} catch (error) {
  console.error(`migration of ${where} failed:`, error instanceof Error && error.cause ? error.cause : error);
  process.exitCode = 1;
} finally {
  await database.close();
}
