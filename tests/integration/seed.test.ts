// The seed's two ways of loading give the same database: row-checked inserts (the demo installation's
// 500 households) and the restore-like bulk load of a county (keys and plain indexes suspended in the
// transaction, COPY on PostgreSQL). Proven on both databases: the same rows, every key, index and trigger
// back, and the keys still refuse a row that breaks them.
import { sql } from "drizzle-orm";
import { expect, test } from "vitest";
import { queryRows } from "../../db/client";
import { seed } from "../../db/seed";
import { db } from "~/utils/db.server";

const TODAY = new Date("2026-06-15T12:00:00+08:00");

/** Every table's rows as text, without what differs by design (salted hashes, insert-time defaults). */
async function contents() {
  const d = await db();
  const tables = await queryRows<{ name: string }>(
    d,
    sql`select table_name as name from information_schema.tables
        where table_schema = current_schema() and table_type = 'BASE TABLE' and table_name <> 'settings'
        order by 1`,
  );
  const out: Record<string, string> = {};
  for (const { name } of tables) {
    const [row] = await queryRows<{ h: string | null; n: number }>(
      d,
      sql.raw(`select md5(coalesce(string_agg((to_jsonb(t) - 'created_at' - 'updated_at' - 'password_hash')::text,
                 '|' order by (to_jsonb(t) ->> 'id'), (to_jsonb(t) - 'created_at' - 'updated_at')::text), '')) as h, count(*)::int as n from "${name}" t`),
    );
    out[name] = `${row.n} ${row.h}`;
  }
  return out;
}

/** Keys, indexes and triggers of the schema, by name and definition. */
async function catalogue() {
  const rows = await queryRows<{ x: string }>(
    await db(),
    sql`select 'k ' || conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) as x
          from pg_constraint where connamespace = current_schema()::regnamespace
        union all select 'i ' || indexdef from pg_indexes where schemaname = current_schema()
        union all select 't ' || tgrelid::regclass::text || ' ' || tgname || ' ' || tgenabled::text
          from pg_trigger where not tgisinternal
        order by 1`,
  );
  return rows.map((r) => r.x);
}

async function emptyTheSeededTables() {
  await (
    await db()
  ).execute(
    sql`truncate regions, users, cooperatives, buyers, households, members, cadre_assignments, plans,
        plan_planting_items, plan_raising_items, plan_events, aid_projects, fund_allocations, brokers,
        memberships, membership_requests, purchase_orders, order_allocations, deliveries, checks cascade`,
  );
}

test("the bulk load gives the same rows as the row-checked one, and puts every key, index and trigger back", async () => {
  const before = await catalogue();
  expect(before.some((x) => x.startsWith("k ") && x.includes("FOREIGN KEY"))).toBe(true);

  await seed(await db(), { households: 120, demo: true, today: TODAY, bulk: false });
  const checked = await contents();
  expect(Number(checked.households.split(" ")[0])).toBe(120);
  expect(Number(checked.checks.split(" ")[0])).toBeGreaterThan(500);

  await emptyTheSeededTables();
  await seed(await db(), { households: 120, demo: true, today: TODAY, bulk: true });
  expect(await contents()).toEqual(checked);
  expect(await catalogue()).toEqual(before);

  // the foreign keys are enforced again, not only listed
  await expect(
    (await db()).execute(
      sql`update checks set household_id = '00000000-0000-4000-8000-000000000000' where id = (select min(id) from checks)`,
    ),
  ).rejects.toThrow();
}, 300_000);
