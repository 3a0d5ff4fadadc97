// The county reports and the homes' model functions in-process, on an already seeded database, per demo
// role: the median and the slowest of RUNS runs after one warm-up (ms), and the load average beside them.
//   DATABASE_URL=postgres://… SESSION_SECRET=<32+ chars> npx tsx scripts/bench-reports.ts [filter]
import os from "node:os";
import { sql } from "drizzle-orm";
import { queryRows } from "../db/client";
import { scopeOf, type ScopeSource } from "~/models/scope.server";
import { db } from "~/utils/db.server";
import { todayISO } from "~/utils/dates";
import { listHouseholds, HouseholdListParamsSchema } from "~/models/household-list.server";
import { regionOverview } from "~/models/overview.server";
import { overdueList, overdueSummary } from "~/models/checks.server";
import { coverageGapCount, coverageRegisterList, parseCoverageParams } from "~/models/coverage.server";
import { dashboard } from "~/models/dashboard.server";
import { leagueTable } from "~/models/points.server";
import { overdueListParams } from "~/utils/lists";

const d = await db();
const users = await queryRows<ScopeSource & { username: string }>(
  d,
  sql`select id, role, county_id as "countyId", township_id as "townshipId", cooperative_id as "cooperativeId", username
    from users where username in ('admin','official') order by username`,
);
const today = process.env.TODAY ?? todayISO();
const year = Number(today.slice(0, 4));
const RUNS = Number(process.env.RUNS ?? 5);
const only = process.argv[2];

async function time(name: string, f: () => Promise<unknown>) {
  if (only && !name.includes(only)) return;
  await f();
  const ms: number[] = [];
  for (let k = 0; k < RUNS; k++) {
    const t0 = performance.now();
    await f();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  const load = os.loadavg()[0].toFixed(1);
  console.log(
    name.padEnd(36),
    String(Math.round(ms[Math.floor(ms.length / 2)])).padStart(6),
    String(Math.round(ms[ms.length - 1])).padStart(6),
    `load ${load}`,
  );
}

console.log("measure".padEnd(36), "median".padStart(6), "max".padStart(6));
for (const u of users) {
  const s = scopeOf(u) as any;
  const who = u.username;
  await time(`${who} home overview`, () => regionOverview(s, year, today));
  if (u.role === "official") await time(`${who} home coverage gaps`, () => coverageGapCount(s, today));
  await time(`${who} coverage register`, () =>
    coverageRegisterList(s, parseCoverageParams(new URL("http://x/coverage")), { today }),
  );
  await time(`${who} dashboard`, () => dashboard(s, year, today));
  await time(`${who} overdue summary+list`, () =>
    Promise.all([
      overdueSummary({ scope: s, today }),
      overdueList(s, overdueListParams.parse(new URL("http://x/checks/overdue")), { today }),
    ]),
  );
  await time(`${who} households by last check`, () =>
    listHouseholds({ scope: s, params: HouseholdListParamsSchema.parse({ sort: "lastCheck" }), year }),
  );
  if (u.role === "official")
    await time(`${who} points league`, () => leagueTable({ scope: s, month: today.slice(0, 7), today }));
}
process.exit(0);
