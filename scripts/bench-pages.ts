// Home pages and lists at county scale, per demo role, on an already seeded database (two runs each, ms):
//   DATABASE_URL=postgres://… SESSION_SECRET=<32+ chars> npx tsx scripts/bench-pages.ts
import { sql } from "drizzle-orm";
import { queryRows } from "../db/client";
import { scopeOf, type ScopeSource } from "~/models/scope.server";
import { db } from "~/utils/db.server";
import { todayISO } from "~/utils/dates";
import { listHouseholds, HouseholdListParamsSchema } from "~/models/household-list.server";
import { regionOverview, cadreWorklist } from "~/models/overview.server";
import { overdueSummary, overdueHouseholds } from "~/models/checks.server";
import { listOrders, OrderListParamsSchema } from "~/models/order-list.server";
const d = await db();
const users = await queryRows<ScopeSource & { username: string }>(
  d,
  sql`select id, role, county_id as "countyId", township_id as "townshipId", cooperative_id as "cooperativeId", username from users where username in ('admin','official','cadre','clerk') order by username`,
);
// today by default: for a day before the newest visit in household_visit_state the due dates fall back to
// the per-household lookups (docs/decisions/035-visit-state.md), which is not what a page of today runs
const today = process.env.TODAY ?? todayISO();
async function time(name: string, f: () => Promise<unknown>) {
  const t0 = performance.now();
  await f();
  const t1 = performance.now();
  await f();
  console.log(name.padEnd(40), Math.round(t1 - t0), Math.round(performance.now() - t1));
}
for (const u of users) {
  const s = scopeOf(u) as any;
  await time(`${u.username} households list`, () =>
    listHouseholds({ scope: s, params: HouseholdListParamsSchema.parse({}), year: 2026 }),
  );
  await time(`${u.username} orders list`, () => listOrders({ scope: s, params: OrderListParamsSchema.parse({}) }));
  if (u.role === "official" || u.role === "admin") {
    await time(`${u.username} overview`, () => regionOverview(s, 2026, today));
    await time(`${u.username} overdue summary`, () => overdueSummary({ scope: s, today }));
    await time(`${u.username} overdue list`, () => overdueHouseholds({ scope: s, today }));
  }
  if (u.role === "cadre") await time(`cadre worklist`, () => cadreWorklist(s, 2026, today));
}
process.exit(0);
