// Every SQL statement the app sends, counted where drizzle hands it to the driver (the same hook on PGlite
// and postgres.js): a page's round trips, which on a busy server cost more than their SQL.
import type { Logger } from "drizzle-orm";
import { db } from "~/utils/db.server";

type Session = { logger: Logger; options: { logger?: Logger } };

/** The statements (transaction control left out) sent while `work` ran. */
export async function statementsOf(work: () => Promise<unknown>): Promise<string[]> {
  const session = (await db()) as unknown as { session: Session };
  const seen: string[] = [];
  const logger: Logger = { logQuery: (query) => void seen.push(query) };
  const before = { logger: session.session.logger, options: session.session.options.logger };
  // the session's own logger for plain queries; its options' for the sessions a transaction opens
  session.session.logger = logger;
  session.session.options.logger = logger;
  try {
    await work();
  } finally {
    session.session.logger = before.logger;
    session.session.options.logger = before.options;
  }
  return seen.filter((q) => !/^\s*(begin|commit|rollback|savepoint|release|set transaction)\b/i.test(q));
}
