// Coverage at county scale: seeds a county (default 100,000 households, with members, plans, cadre
// assignments, checks, memberships, orders and funds — db/seed.ts) into a database made for the run,
// then times the register and the gap lists as an administrator (the county) and an official (a township).
//
//   npx tsx scripts/bench-coverage.ts                     PostgreSQL at BENCH_DATABASE_URL
//                                                         (default postgres://postgres@127.0.0.1:5432/test):
//                                                         creates coverage_bench_<random>, drops it at the end
//   npx tsx scripts/bench-coverage.ts --pglite            a temporary in-memory PGlite instead
//   npx tsx scripts/bench-coverage.ts --households 20000  a smaller county
//   npx tsx scripts/bench-coverage.ts --db NAME           an already seeded PostgreSQL database: no seed, no drop
//   npx tsx scripts/bench-coverage.ts --explain           also print EXPLAIN ANALYZE of the county register
import crypto from "node:crypto";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { openPglite, openPostgres, queryRows, type Database } from "../db/client";
import { seed } from "../db/seed";
import {
  coverageGapHouseholds,
  coverageGapPersons,
  coverageRegister,
  CoverageParamsSchema,
  type CoverageScope,
} from "../app/models/coverage.server";
import { useDatabaseForTests } from "../app/utils/db.server";
import { todayISO } from "../app/utils/dates";

function args() {
  const argv = process.argv.slice(2);
  const value = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  return {
    pglite: argv.includes("--pglite"),
    explain: argv.includes("--explain"),
    households: Number(value("--households") ?? 100_000),
    db: value("--db"),
  };
}

function withDatabase(url: string, name: string) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function time<T>(label: string, runs: number, fn: () => Promise<T>): Promise<T> {
  let result!: T;
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    result = await fn();
    ms.push(performance.now() - start);
  }
  const sorted = [...ms].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  console.log(
    `${label.padEnd(58)} median ${median.toFixed(0).padStart(5)} ms   min ${sorted[0].toFixed(0).padStart(5)} ms   (${ms
      .map((m) => m.toFixed(0))
      .join(", ")})`,
  );
  return result;
}

async function main() {
  const opts = args();
  const adminUrl = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
  let database: Database;
  let dropName: string | null = null;
  if (opts.pglite) {
    database = await openPglite();
    await database.migrate();
  } else if (opts.db) {
    database = openPostgres(withDatabase(adminUrl, opts.db));
  } else {
    dropName = `coverage_bench_${crypto.randomBytes(4).toString("hex")}`;
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${dropName}"`);
    await admin.end();
    database = openPostgres(withDatabase(adminUrl, dropName));
    await database.migrate();
  }
  const where = opts.pglite ? "PGlite (in memory)" : `PostgreSQL ${opts.db ?? dropName}`;
  try {
    useDatabaseForTests(database);
    const d = database.db;
    if (!opts.db) {
      console.log(`Seeding ${opts.households} households into ${where}…`);
      const summary = await seed(d, { households: opts.households, demo: false });
      console.log(
        `seeded in ${(summary.elapsedMs / 1000).toFixed(1)} s: ${summary.households} households, ${summary.members} members, ` +
          `${summary.plans} plans, ${summary.cadreAssignments} assignments, ${summary.checks} checks, ${summary.memberships} memberships, ` +
          `${summary.orderAllocations} order allocations, ${summary.fundAllocations} fund allocations`,
      );
      await d.execute(sql`analyze`);
    }
    const [county] = await queryRows<{ id: string }>(d, sql`select id from regions where level = 'county' limit 1`);
    const [township] = await queryRows<{ id: string; n: number }>(
      d,
      sql`select township_id as id, count(*)::int as n from households group by township_id order by 2 desc limit 1`,
    );
    const [counts] = await queryRows<{ households: number; members: number; checks: number }>(
      d,
      sql`select (select count(*) from households)::int as households, (select count(*) from members)::int as members,
        (select count(*) from checks)::int as checks`,
    );
    console.log(`\n${where}: ${counts.households} households, ${counts.members} members, ${counts.checks} checks`);
    const today = todayISO();
    const admin: CoverageScope = { role: "admin", userId: crypto.randomUUID(), countyId: county.id };
    const official: CoverageScope = {
      role: "official",
      userId: crypto.randomUUID(),
      countyId: county.id,
      townshipId: township.id,
    };
    const params = (q: Record<string, string> = {}) => CoverageParamsSchema.parse(q);
    const runs = 5;

    console.log(`\ntoday ${today}; ${runs} runs each (the first warms the cache)\n`);
    const reg = await time("register, county by township (admin)", runs, () =>
      coverageRegister({ scope: admin, today, groupBy: "township" }),
    );
    console.log(
      `  → ${reg.totals.households} households, ${reg.totals.householdsCovered} covered (${reg.totals.householdsPercent}%), ` +
        `${reg.totals.persons} persons, ${reg.totals.personsCovered} covered; plan ${reg.totals.conditions.plan.percent}%, ` +
        `cadre ${reg.totals.conditions.cadre.percent}%, check ${reg.totals.conditions.checkWindow.percent}%, industry ${reg.totals.conditions.industry.percent}%`,
    );
    const byVillage = await time("register, county by village (admin, dashboard chart)", runs, () =>
      coverageRegister({ scope: admin, today }),
    );
    console.log(`  → ${byVillage.rows.length} villages`);
    await time(`register, township of ${township.n} households (official)`, runs, () =>
      coverageRegister({ scope: official, today }),
    );
    const gaps = await time("gap households, county, page 1 of 50 (admin)", runs, () =>
      coverageGapHouseholds({ scope: admin, today, params: params() }),
    );
    console.log(`  → ${gaps.total} households not covered`);
    await time("gap households, county, page 200 (admin)", runs, () =>
      coverageGapHouseholds({ scope: admin, today, params: params({ page: "200" }) }),
    );
    await time("gap households, county, condition checkWindow (admin)", runs, () =>
      coverageGapHouseholds({ scope: admin, today, params: params({ condition: "checkWindow" }) }),
    );
    const persons = await time("gap persons, county, page 1 of 50 (admin)", runs, () =>
      coverageGapPersons({ scope: admin, today, params: params() }),
    );
    console.log(`  → ${persons.total} persons not covered`);
    await time("gap households, township, page 1 (official)", runs, () =>
      coverageGapHouseholds({ scope: official, today, params: params() }),
    );
    await time("gap persons, township, page 1 (official)", runs, () =>
      coverageGapPersons({ scope: official, today, params: params() }),
    );
    await time("gap households, county, every row (admin export)", 3, () =>
      coverageGapHouseholds({ scope: admin, today, params: params(), all: true }),
    );
    await time("gap persons, county, every row (admin export)", 3, () =>
      coverageGapPersons({ scope: admin, today, params: params(), all: true }),
    );

    if (opts.explain) {
      // the register's query with the county's flags, as the model builds it
      const plan = await queryRows<{ "QUERY PLAN": string }>(
        d,
        sql`explain (analyze, buffers, costs off) select count(*) filter (where f.covered)
          from (select h.id,
            exists (select 1 from plans p where p.household_id = h.id and p.year = ${Number(today.slice(0, 4))}
              and p.status in ('approved', 'in_progress', 'completed')) and
            exists (select 1 from cadre_assignments a where a.household_id = h.id and a.ends_on is null) and
            exists (select 1 from checks c where c.household_id = h.id and c.visited_on <= ${today}::date
              and c.visited_on >= ${today}::date - 30) as covered
          from households h where h.county_id = ${county.id}) f`,
      );
      console.log(`\n${plan.map((r) => r["QUERY PLAN"]).join("\n")}`);
    }
  } finally {
    await database.close();
    if (dropName) {
      const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await admin.unsafe(`drop database if exists "${dropName}" with (force)`);
      await admin.end();
    }
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
