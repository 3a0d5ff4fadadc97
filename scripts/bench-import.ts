// How long a township-size registry import takes: 100,000 persons (~30,000 households) as CSV and XLSX,
// dry run and commit through the job runner, on embedded PGlite and (with BENCH_DATABASE_URL, e.g.
// postgres://postgres@127.0.0.1:5432/postgres) on PostgreSQL in a scratch database dropped afterwards.
//   npx tsx scripts/bench-import.ts [rows] [--postgres-only]     (--postgres-only: the PostgreSQL run alone, for npm run bench)
import crypto from "node:crypto";
import ExcelJS from "exceljs";
import postgres from "postgres";
import { sql } from "drizzle-orm";
import { openPglite, openPostgres, queryRows, type Database } from "../db/client";
import { seed } from "../db/seed";
import { useDatabaseForTests } from "../app/utils/db.server";
import { scopeOf } from "../app/models/scope.server";
import { IMPORT_COLUMNS, parseSpreadsheet } from "../app/models/import-parse.server";
import { createImportJob, getImportJob, importJobsIdle, startImportCommit } from "../app/models/import-jobs.server";
import { makeIdNumber } from "../app/utils/id-number";

const POSTGRES_ONLY = process.argv.includes("--postgres-only");
const ROWS = Number(process.argv.slice(2).find((a) => !a.startsWith("--")) ?? 100_000);
const SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗".split("");
const GIVEN = "国庆建华淑芬桂兰秀英立本明东海军红梅玉兰志强凤霞春生".split("");

/** ROWS persons in households of 1-6, spread over the villages, heads first; ID numbers unused by the seed (area 230829). */
function registry(villages: string[]) {
  const rows: string[][] = [];
  let h = 0;
  let seq = 0;
  while (rows.length < ROWS) {
    h++;
    const size = Math.min(1 + (h % 6), ROWS - rows.length);
    const village = villages[h % villages.length];
    for (let m = 0; m < size; m++) {
      const male = m % 2 === 0;
      seq++;
      const day = new Date(Date.UTC(1940, 0, 1) + Math.floor(seq / 250) * 86400000).toISOString().slice(0, 10);
      const id = makeIdNumber("230829", day, seq % 250, male ? "male" : "female");
      const name = SURNAMES[h % SURNAMES.length] + GIVEN[(seq * 7) % GIVEN.length] + GIVEN[(seq * 3) % GIVEN.length];
      rows.push([
        `H${h}`,
        "",
        village,
        "",
        name,
        id,
        m === 0 ? "户主" : m === 1 ? "配偶" : "子女",
        male ? "男" : "女",
        day,
        "健康",
        "有劳动力",
        m === 0 ? `139${String(h).padStart(8, "0")}` : "",
        m === 0 ? "建档立卡贫困户" : "",
        m === 0 ? "缺资金" : "",
        m === 0 ? "600" : "",
        m === 0 ? `${village}${h % 120}号` : "",
      ]);
    }
  }
  return { rows, households: h };
}

const csvOf = (rows: string[][]) =>
  new TextEncoder().encode(
    [IMPORT_COLUMNS.map((c) => c.header), ...rows].map((r) => r.join(",")).join("\r\n") + "\r\n",
  );

async function xlsxOf(rows: string[][]) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("农户成员");
  ws.addRow(IMPORT_COLUMNS.map((c) => c.header));
  ws.addRows(rows);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

const ms = (start: number) => `${((performance.now() - start) / 1000).toFixed(2)} s`;

async function bench(database: Database, label: string, format: "csv" | "xlsx" = "csv") {
  useDatabaseForTests(database);
  await database.migrate();
  let t = performance.now();
  const summary = await seed(database.db, { households: 500, demo: true });
  console.log(`\n== ${label} ==  (seeded 500 demo households in ${ms(t)})`);
  const [official] = await queryRows<{ id: string; role: "official"; county_id: string; township_id: string }>(
    database.db,
    sql`select id, role, county_id, township_id from users where id = ${summary.ids.demo!.officialId}`,
  );
  const scope = scopeOf({
    id: official.id,
    role: "official",
    countyId: official.county_id,
    townshipId: official.township_id,
    cooperativeId: null,
  });
  const villages = (
    await queryRows<{ name: string }>(
      database.db,
      sql`select name from regions where level = 'village' and parent_id = ${official.township_id}`,
    )
  ).map((v) => v.name);
  const { rows, households } = registry(villages);
  t = performance.now();
  const csv = format === "csv" ? csvOf(rows) : await xlsxOf(rows);
  const fileName = `bench.${format}`;
  console.log(
    `file: ${rows.length} persons, ${households} households, ${villages.length} villages; ${format.toUpperCase()} ${(csv.byteLength / 1e6).toFixed(1)} MB, written in ${ms(t)}`,
  );

  t = performance.now();
  const dry = await createImportJob({ scope, file: { name: fileName, bytes: csv } });
  const uploaded = ms(t);
  await importJobsIdle();
  const dryJob = (await getImportJob({ scope, id: dry.id }))!;
  console.log(
    `dry run (${format}): upload ${uploaded}, job ${ms(t)} total — ${dryJob.status}, ${dryJob.errorCount} errors, runner ${dryJob.summary?.elapsedMs} ms`,
  );
  if (dryJob.errorCount) console.log(dryJob.errors.slice(0, 5));

  t = performance.now();
  const commit = await startImportCommit({ scope, dryRunId: dry.id });
  await importJobsIdle();
  const commitJob = (await getImportJob({ scope, id: commit.id }))!;
  console.log(
    `commit (${format}): ${ms(t)} — ${commitJob.status} ${commitJob.fileError ?? ""}, ${commitJob.summary?.households} households, ${commitJob.summary?.members} members, runner ${commitJob.summary?.elapsedMs} ms`,
  );

  const [{ n }] = await queryRows<{ n: number }>(
    database.db,
    sql`select count(*)::int as n from members where id_number like '230829%'`,
  );
  console.log(`members in the database from the file: ${n}`);

  t = performance.now();
  const again = await createImportJob({ scope, file: { name: fileName, bytes: csv } });
  await importJobsIdle();
  const againJob = (await getImportJob({ scope, id: again.id }))!;
  console.log(
    `dry run of the same file again (every row a duplicate): ${ms(t)} — ${againJob.errorCount} errors, ${againJob.errors.length} kept`,
  );
}

// XLSX reading does not depend on the database: measured once
async function benchXlsx() {
  const { rows } = registry(["振兴村", "东兴村", "新胜村"]);
  let t = performance.now();
  const xlsx = await xlsxOf(rows);
  console.log(`\n== XLSX ==\nwrote ${rows.length} rows as XLSX (${(xlsx.byteLength / 1e6).toFixed(1)} MB) in ${ms(t)}`);
  t = performance.now();
  const parsed = await parseSpreadsheet(xlsx, "xlsx");
  console.log(
    `parsed ${parsed.rows.length} rows in ${ms(t)}; heap ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB`,
  );
}

if (!POSTGRES_ONLY) {
  const pglite = await openPglite();
  try {
    await bench(pglite, "PGlite (in memory)");
  } finally {
    await pglite.close();
  }
}

const url = process.env.BENCH_DATABASE_URL;
if (url) {
  const name = `ty_bench_${crypto.randomBytes(4).toString("hex")}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  const pg = openPostgres(u.toString());
  try {
    await bench(pg, "PostgreSQL 15");
  } finally {
    await pg.close();
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end();
  }
}
if (!POSTGRES_ONLY) {
  const xlsxDb = await openPglite();
  try {
    await bench(xlsxDb, "PGlite (in memory), XLSX", "xlsx");
  } finally {
    await xlsxDb.close();
  }
  await benchXlsx();
}
process.exit(0);
