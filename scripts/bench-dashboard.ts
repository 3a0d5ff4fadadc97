// How long the dashboard's numbers take for the demo admin (the county) and official (a township), on an
// already seeded database (e.g. `npm run db:seed -- --households 100000` into a PostgreSQL database):
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME SESSION_SECRET=<32+ chars> npx tsx scripts/bench-dashboard.ts [runs]
// Prints each measure's median time in milliseconds.
import { sql } from "drizzle-orm";
import { queryRows } from "../db/client";
import * as dash from "~/models/dashboard.server";
import { scopeOf, type ScopeSource } from "~/models/scope.server";
import { todayISO } from "~/utils/dates";
import { db } from "~/utils/db.server";

const runs = Number(process.argv[2] ?? 3);
const today = todayISO();
const year = Number(today.slice(0, 4));
const d = await db();
const users = await queryRows<ScopeSource & { username: string }>(
  d,
  sql`select id, role, county_id as "countyId", township_id as "townshipId", cooperative_id as "cooperativeId", username
      from users where username in ('admin', 'official') order by username`,
);
const [{ n }] = await queryRows<{ n: number }>(d, sql`select count(*)::int as n from households`);
console.log(`households in the database: ${n}; ${runs} runs each, median ms`);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const user of users) {
  const scope = scopeOf(user) as Parameters<typeof dash.dashboard>[0];
  const measures: [string, () => Promise<unknown>][] = [
    ["coverage by region", () => dash.coverageByRegion(scope, today)],
    ["overdue by month", () => dash.overdueByMonth(scope, today)],
    ["plans by status", () => dash.plansByStatus(scope, year)],
    ["orders by crop", () => dash.orderFulfilmentByCrop(scope, year)],
    ["funds by type", () => dash.fundsByProjectType(scope, year)],
    ["whole dashboard", () => dash.dashboard(scope, year, today)],
  ];
  for (const [name, run] of measures) {
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      await run();
      times.push(performance.now() - t0);
    }
    console.log(`${user.username.padEnd(9)} ${name.padEnd(20)} ${Math.round(median(times))}`);
  }
}
process.exit(0);
