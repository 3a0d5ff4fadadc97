// Grows a seeded county to N times its households inside one PostgreSQL database, for measuring one
// PostgreSQL at a million households (docs/scaling.md) without an hour-long seed:
//
//   createdb -T ty_scale_100k ty_scale_1m
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/ty_scale_1m npx tsx scripts/scale-replicate.ts --times 10
//
// Every township of the county (with its villages, groups, households, members, plans, checks, cadres, the
// cooperatives, buyers, orders, deliveries and payments, settings of a township) is copied N − 1 times into
// new townships of the same county: every uuid is mapped to md5(uuid ‖ copy) except the county's own id,
// region and household codes move to new township numbers (230828126…), ID numbers and credit codes get a
// copy's own area code (2308 9k) and a recomputed check character, usernames a "-rk" suffix. The copies are
// inserted like a restore (plain indexes and foreign keys dropped, triggers off); then every index is built
// again, every foreign key is added back (which checks every copied row against its parent), the derived
// rows (visit state, calendar visits, month counts) are rebuilt by the same function the seed runs, and
// the database is analysed. Left out of the copies: audit log, import jobs, sessions, photo rows (their
// files do not exist). Refuses a database that does not hold exactly one county.
import os from "node:os";
import { parseArgs } from "node:util";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { sql } from "drizzle-orm";
import { schema, type Db } from "../db/client";
import { rebuildVisitState } from "../db/visit-state";

// --derived-only: only the derived rows and the statistics (when a run was stopped after the copy committed)
const { values: opts } = parseArgs({
  options: { times: { type: "string", default: "10" }, "derived-only": { type: "boolean", default: false } },
});
const TIMES = Number(opts.times);
if (!Number.isInteger(TIMES) || TIMES < 2 || TIMES > 10) throw new Error("--times must be 2..10");
const url = process.env.DATABASE_URL;
if (!url) throw new Error("DATABASE_URL names the database to grow");

// the tables copied; the rest are reference lists, coordinator-local rows or derived rows
const COPIED = [
  "regions",
  "users",
  "settings",
  "households",
  "members",
  "cadre_assignments",
  "plans",
  "plan_planting_items",
  "plan_raising_items",
  "plan_events",
  "plan_amendments",
  "aid_projects",
  "fund_allocations",
  "cooperatives",
  "brokers",
  "memberships",
  "membership_requests",
  "buyers",
  "purchase_orders",
  "order_allocations",
  "order_allocation_changes",
  "deliveries",
  "payments",
  "points_adjustments",
  "checks",
];

const log = (m: string) =>
  console.log(
    `${new Date().toISOString().slice(11, 19)} load ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}  ${m}`,
  );

async function main() {
  const client = postgres(url!, { max: 1, onnotice: () => {} });
  const started = Date.now();
  try {
    if (opts["derived-only"]) return await derived(client, started);
    const counties = await client`select id from regions where level = 'county'`;
    if (counties.length !== 1) throw new Error(`expected one county, found ${counties.length}`);
    const countyId = counties[0].id as string;
    const [{ townships }] = await client`select count(*)::int as townships from regions where level = 'township'`;
    const [{ households }] = await client`select count(*)::int as households from households`;
    if (households === 0) throw new Error("no households to copy");
    log(`county ${countyId}: ${households} households in ${townships} townships; making ${TIMES}×`);

    const columns = await client<{ table: string; column: string; type: string }[]>`
      select table_name as "table", column_name as "column", udt_name as type from information_schema.columns
      where table_schema = current_schema() and table_name in ${client(COPIED)}
        and is_generated = 'NEVER' order by table_name, ordinal_position`;

    await client.begin(async (tx) => {
      await tx.unsafe(`set local maintenance_work_mem = '512MB'`);
      await tx.unsafe(`
        create function pg_temp.r(u uuid, k int) returns uuid language sql immutable as
          $$ select case when u is null or u = '${countyId}' then u else md5(u::text || ':' || k)::uuid end $$;
        create function pg_temp.code(c text, k int) returns text language sql immutable as
          $$ select case when c ~ '^230828[0-9]{3}' then '230828' || (substr(c, 7, 3)::int + ${townships} * k)::text
             || substr(c, 10) else c end $$;
        create function pg_temp.credit(c text, k int) returns text language sql immutable as
          $$ with b as (select substr(c, 1, 2) || '2308' || (90 + k)::text || substr(c, 9, 9) as b)
             select b || substr('0123456789ABCDEFGHJKLMNPQRTUWXY', (31 - (select sum((strpos(
               '0123456789ABCDEFGHJKLMNPQRTUWXY', substr(b, i, 1)) - 1)
               * (array[1,3,9,27,19,26,16,17,20,29,25,13,8,24,10,30,28])[i]) from generate_series(1, 17) i)::int
               % 31) % 31 + 1, 1) from b $$;
        create function pg_temp.township_name(n text, k int) returns text language sql immutable as
          $$ select regexp_replace(n, '(乡|镇)$', (array['二','三','四','五','六','七','八','九','十'])[k] || '\\1') $$;`);

      // like a restore: foreign keys and the indexes no constraint stands on go, and come back after
      const fks = await tx<{ table: string; name: string; def: string }[]>`
        select c.conrelid::regclass::text as "table", c.conname as name, pg_get_constraintdef(c.oid) as def
        from pg_constraint c join pg_class t on t.oid = c.conrelid join pg_namespace n on n.oid = t.relnamespace
        where c.contype = 'f' and n.nspname = current_schema()
          and (t.relname in ${tx(COPIED)} or c.confrelid::regclass::text in ${tx(COPIED)})`;
      for (const fk of fks) await tx.unsafe(`alter table ${fk.table} drop constraint "${fk.name}"`);
      const indexes = await tx<{ name: string; def: string }[]>`
        select ic.relname as name, pg_get_indexdef(i.indexrelid) as def
        from pg_index i join pg_class ic on ic.oid = i.indexrelid join pg_class t on t.oid = i.indrelid
        join pg_namespace n on n.oid = t.relnamespace
        where n.nspname = current_schema() and t.relname in ${tx(COPIED)}
          and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)`;
      for (const index of indexes) await tx.unsafe(`drop index "${index.name}"`);
      // and the primary keys and unique constraints: a random-uuid index kept in step row by row is most of
      // the copy's time once it outgrows shared_buffers; adding it back checks uniqueness over every row
      const keys = await tx<{ table: string; name: string; def: string }[]>`
        select c.conrelid::regclass::text as "table", c.conname as name, pg_get_constraintdef(c.oid) as def
        from pg_constraint c join pg_class t on t.oid = c.conrelid join pg_namespace n on n.oid = t.relnamespace
        where c.contype in ('p', 'u') and n.nspname = current_schema() and t.relname in ${tx(COPIED)}
          and not exists (select 1 from pg_constraint f where f.contype = 'f' and f.conindid = c.conindid)`;
      for (const key of keys) await tx.unsafe(`alter table ${key.table} drop constraint "${key.name}"`);
      // triggers off for the copies: the domain-rule triggers held for the originals and the copies are the
      // same rows; the derived rows are rebuilt below. Check constraints stay on.
      await tx.unsafe(`set local session_replication_role = replica`);
      log(`dropped ${fks.length} foreign keys, ${keys.length} keys and ${indexes.length} indexes`);

      // every copy of a table in one statement: k is a column of the select
      for (const table of COPIED) {
        const cols = columns.filter((c) => c.table === table);
        const exprs = cols.map(({ column, type }) => {
          const q = `"${column}"`;
          // inline, not a function call per value: ~10 million rows × 6 uuids
          if (type === "uuid")
            return `case when ${q} = '${countyId}' then ${q} else md5(${q}::text || ':' || k)::uuid end`;
          if (table === "regions" && column === "code") return `pg_temp.code(code, k)`;
          if (table === "regions" && column === "name")
            return `case when level = 'township' then pg_temp.township_name(name, k) else name end`;
          if (table === "regions" && column === "name_en")
            return `case when level = 'township' then name_en || ' ' || (k + 1) else name_en end`;
          if (table === "households" && column === "code") return `pg_temp.code(code, k)`;
          // the check character from the old one: only the area's share of the weighted sum changes, from
          // 230828's 129 to 2308 9k's 153 + 4k (weights 7 9 10 5 8 4)
          if (table === "members" && column === "id_number")
            return `'2308' || (90 + k) || substr(id_number, 7, 11) || substr('10X98765432', ((strpos('10X98765432', right(id_number, 1)) - 1 - 129 + 153 + 4 * k) % 11 + 11) % 11 + 1, 1)`;
          if (table === "users" && column === "username") return `username || '-r' || k`;
          if (table === "cooperatives" && column === "registration_code") return `pg_temp.credit(registration_code, k)`;
          if (table === "buyers" && column === "credit_code") return `pg_temp.credit(credit_code, k)`;
          return q;
        });
        let where = "";
        if (table === "regions") where = `where level <> 'county'`;
        if (table === "settings") where = `where region_id is not null and region_id <> '${countyId}'`;
        const t0 = performance.now();
        const result = await tx.unsafe(
          `insert into ${table} (${cols.map((c) => `"${c.column}"`).join(", ")})
           select ${exprs.join(", ")} from ${table} cross join generate_series(1, ${TIMES - 1}) k ${where}`,
        );
        log(`${table} +${result.count} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      }
      await tx.unsafe(`set local session_replication_role = origin`);
      await tx.unsafe("analyze");
      let t0 = performance.now();
      for (const key of keys) await tx.unsafe(`alter table ${key.table} add constraint "${key.name}" ${key.def}`);
      for (const index of indexes) await tx.unsafe(index.def);
      log(
        `${keys.length} keys and ${indexes.length} indexes built in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
      );
      t0 = performance.now();
      for (const fk of fks) await tx.unsafe(`alter table ${fk.table} add constraint "${fk.name}" ${fk.def}`);
      log(`${fks.length} foreign keys added back and checked in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    });

    await derived(client, started);
  } finally {
    await client.end({ timeout: 5 });
  }
}

async function derived(client: postgres.Sql, started: number) {
  log("derived rows (visit state, calendar visits, month counts)…");
  const t1 = performance.now();
  const db = drizzle({ client, schema }) as unknown as Db;
  await db.transaction(async (tx) => {
    // the derived-state triggers would refresh every household each statement touches, then the rebuild
    // replaces those rows anyway: off for this transaction, as the seed turns them off for its load
    await tx.execute(sql`set local session_replication_role = replica`);
    await tx.execute(sql`set local work_mem = '256MB'`);
    await rebuildVisitState(tx);
  });
  log(`derived rows rebuilt in ${((performance.now() - t1) / 1000).toFixed(0)} s`);
  const t2 = performance.now();
  await client.unsafe("vacuum analyze");
  log(`vacuum analyze in ${((performance.now() - t2) / 1000).toFixed(0)} s`);
  const [after] = await client`select count(*)::int as households from households`;
  const [size] = await client`select pg_size_pretty(pg_database_size(current_database())) as size`;
  log(`done: ${after.households} households, ${size.size}, ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

void main().catch((error) => {
  console.error(error);
  process.exit(1);
});
