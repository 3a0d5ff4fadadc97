import { sql } from "drizzle-orm";
import type { Db } from "./client";
import { queryRows } from "./client";
import { seed } from "./seed";

/** First start of a demo installation: fill an empty database, never touch one that has data. */
export async function seedDemoIfEmpty(db: Db): Promise<boolean> {
  const [row] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from users`);
  if (row && Number(row.n) > 0) return false;
  const started = Date.now();
  const summary = await seed(db, { households: 500, demo: true });
  console.log(`[tingyuan] demo data seeded in ${Date.now() - started} ms`, summary);
  return true;
}
