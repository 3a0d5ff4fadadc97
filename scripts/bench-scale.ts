// Times the SQL of each main page on one database, for the size measurements of docs/scaling.md:
//
//   DATABASE_URL=postgres://…/ty_scale_1m npx tsx scripts/bench.ts --skip-seed --explain   # captures the SQL
//   DATABASE_URL=postgres://…/ty_scale_1m npx tsx scripts/bench-scale.ts data/bench/statements.json \
//     [--runs 5] [--timeout 600] [--only <page name part>]
//
// scripts/bench.ts --explain renders every page once in-process through the built app and writes each page's
// statements with their parameters to data/bench/statements.json (its own fixtures: the demo official's
// township, the admin's county, the cadre's worklist …). This replays them on DATABASE_URL: each page's
// statements one after another inside a transaction that is rolled back (as bench.ts does), --runs times
// after one warm-up run, and prints the median of the page's SQL, its slowest statement's median, and that
// statement under EXPLAIN (ANALYZE, BUFFERS): the rows its scans read and the buffers it touched. Then the
// size of every table with its indexes. Output: a table on stdout and JSON next to the statements file
// (scale-<database>.json).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import postgres from "postgres";

const { values: opts, positionals } = parseArgs({
  options: {
    runs: { type: "string", default: "5" },
    timeout: { type: "string", default: "600" },
    only: { type: "string" },
  },
  allowPositionals: true,
});
const file = positionals[0] ?? "data/bench/statements.json";
const RUNS = Number(opts.runs);
const url = process.env.DATABASE_URL;
if (!url) throw new Error("DATABASE_URL names the database to time");
type Statement = { query: string; params: unknown[] };
const pages = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, Statement[]>;
type PlanNode = {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Actual Rows": number;
  "Actual Loops": number;
  "Rows Removed by Filter"?: number;
  "Rows Removed by Index Recheck"?: number;
  "Shared Hit Blocks"?: number;
  "Shared Read Blocks"?: number;
  "Temp Read Blocks"?: number;
  Plans?: PlanNode[];
};

/** Rows the plan's scans read (returned plus filtered away, times loops) and its biggest scan. */
function scans(node: PlanNode, acc = { rows: 0, biggest: { rows: 0, what: "" } }) {
  if (/Scan/.test(node["Node Type"]) && node["Relation Name"]) {
    const rows =
      (node["Actual Rows"] + (node["Rows Removed by Filter"] ?? 0) + (node["Rows Removed by Index Recheck"] ?? 0)) *
      node["Actual Loops"];
    acc.rows += rows;
    if (rows > acc.biggest.rows)
      acc.biggest = {
        rows,
        what: `${node["Node Type"]} on ${node["Relation Name"]}${node["Index Name"] ? ` (${node["Index Name"]})` : ""}`,
      };
  }
  for (const child of node.Plans ?? []) scans(child, acc);
  return acc;
}

/** Without ANALYZE: the planner's estimates stand in for the actual rows (marked "est." in the output). */
function estimate(node: PlanNode & { "Plan Rows"?: number }) {
  node["Actual Rows"] = node["Plan Rows"] ?? 0;
  node["Actual Loops"] = 1;
  for (const child of node.Plans ?? []) estimate(child);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)];
};

async function main() {
  const sql = postgres(url!, { max: 1, onnotice: () => {} });
  const rollback = new Error("rollback");
  // a json parameter was captured as its text: sent back as text, the server would read one json string
  for (const list of Object.values(pages))
    for (const s of list)
      s.params = s.params.map((p) => {
        if (typeof p !== "string" || !/^[[{]/.test(p)) return p;
        try {
          return sql.json(JSON.parse(p) as never);
        } catch {
          return p;
        }
      });

  const load = () =>
    os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ");
  const [{ db }] = await sql`select current_database() as db`;
  const [{ households }] = await sql`select count(*)::int as households from households`;
  // a statement past --timeout seconds is cut off and the page recorded as "> timeout"
  await sql.unsafe(`set statement_timeout = '${Number(opts.timeout)}s'`);
  console.log(`${db}: ${households} households; load average ${load()}; ${RUNS} runs after a warm-up`);
  const rows: Record<string, unknown>[] = [];
  try {
    for (const [name, list] of Object.entries(pages)) {
      const perStatement: number[][] = list.map(() => []);
      const totals: number[] = [];
      const once = async (record: boolean) => {
        await sql
          .begin(async (tx) => {
            let total = 0;
            for (const [i, s] of list.entries()) {
              const t0 = performance.now();
              await tx.unsafe(s.query, s.params as never[]);
              const ms = performance.now() - t0;
              total += ms;
              if (record) perStatement[i].push(ms);
            }
            if (record) totals.push(total);
            throw rollback;
          })
          .catch((error) => {
            if (error !== rollback) throw error;
          });
      };
      // the check submission is left out: its rows were written when it was captured (a page's cache rows, as
      // the dashboard's month counts, are written and rolled back)
      if (name.includes("(POST)")) continue;
      if (opts.only && !name.includes(opts.only)) continue;
      try {
        // the first run warms the cache; a page past 3 s is measured by that one run (minutes at a million)
        await once(true);
        if (totals[0] <= 3000) {
          totals.length = 0;
          for (const times of perStatement) times.length = 0;
          for (let r = 0; r < RUNS; r++) await once(true);
        }
      } catch (error) {
        const timedOut = (error as { code?: string }).code === "57014";
        const message = timedOut ? `> ${opts.timeout} s (statement timeout)` : (error as Error).message;
        console.log(`${name.padEnd(34)} ${message}  [load ${load()}]`);
        rows.push({ page: name, statements: list.length, pageSqlMs: null, error: message, load: load() });
        continue;
      }
      const medians = perStatement.map(median);
      const worst = medians.indexOf(Math.max(...medians));
      const s = list[worst];
      let plan: PlanNode | null = null;
      // under ANALYZE only when it takes less than 20 s; else the plan alone (estimated rows)
      const analyze = medians[worst] < 20_000;
      if (/^\s*(select|with)\b/i.test(s.query)) {
        const [row] = await sql.unsafe(
          `explain (${analyze ? "analyze, buffers, " : ""}format json) ${s.query}`,
          s.params as never[],
        );
        plan = (row["QUERY PLAN"] as { Plan: PlanNode }[])[0].Plan;
        if (!analyze) estimate(plan);
      }
      const read = plan ? scans(plan) : null;
      const row = {
        page: name,
        statements: list.length,
        pageSqlMs: +median(totals).toFixed(1),
        slowestMs: +medians[worst].toFixed(1),
        slowestSql: s.query.replace(/\s+/g, " ").trim().slice(0, 160),
        rowsRead: read ? (analyze ? read.rows : `est. ${read.rows}`) : null,
        biggestScan: read ? `${read.biggest.what} (${read.biggest.rows} rows)` : null,
        runs: totals.length,
        buffers: plan ? (plan["Shared Hit Blocks"] ?? 0) + (plan["Shared Read Blocks"] ?? 0) : null,
        load: load(),
      };
      rows.push(row);
      console.log(
        `${name.padEnd(34)} ${String(row.pageSqlMs).padStart(9)} ms  slowest ${String(row.slowestMs).padStart(9)} ms  ` +
          `rows read ${String(row.rowsRead ?? "-").padStart(9)}  buffers ${String(row.buffers ?? "-").padStart(7)}  ` +
          `${row.biggestScan ?? ""}  [load ${row.load}]`,
      );
    }
    const sizes = await sql`
      select c.relname as table, pg_total_relation_size(c.oid)::bigint as bytes,
        pg_relation_size(c.oid)::bigint as heap, c.reltuples::bigint as rows
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = current_schema() and c.relkind = 'r' order by 2 desc`;
    const [{ total }] = await sql`select pg_database_size(current_database())::bigint as total`;
    console.log(`\ndatabase ${(Number(total) / 2 ** 30).toFixed(2)} GiB; tables with their indexes:`);
    for (const t of sizes.slice(0, 15))
      console.log(
        `  ${String(t.table).padEnd(28)} ${(Number(t.bytes) / 2 ** 20).toFixed(0).padStart(7)} MiB  (heap ${(Number(t.heap) / 2 ** 20).toFixed(0)} MiB, ~${t.rows} rows)`,
      );
    const out = path.join(path.dirname(file), `scale-${db}.json`);
    fs.writeFileSync(
      out,
      JSON.stringify({ database: db, households, runs: RUNS, pages: rows, sizes, databaseBytes: total }, null, 1),
    );
    console.log(`written to ${out}`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

void main().catch((error) => {
  console.error(error);
  process.exit(1);
});
