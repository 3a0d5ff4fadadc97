// Realistic, deterministic data for an EMPTY migrated database: the region tree of 汤原县, households and
// their members, cadres and their assignments, yearly plans with their workflow, aid projects and funds,
// cooperatives, buyers, purchase orders with allocations and deliveries, and a year of checks (the dashboard charts twelve months).
//
// Rows are built in memory one township at a time and inserted in chunks inside one transaction, with
// ids made in the app (from the seeded PRNG, so a rerun gives the same ids), so nothing waits on RETURNING.
// Every rule of docs/domain.md holds in the result: zones fit the courtyard, fund allocations stay under each
// project's budget, order allocations stay under each order's quantity and go only to current members,
// deliveries stay under their allocation, paid never exceeds the amount.
import crypto from "node:crypto";
import { getTableColumns, getTableName, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import { makeCreditCode, orgCodeCheckChar } from "../app/utils/credit-code";
import { makeIdNumber } from "../app/utils/id-number";
import { hashPassword } from "../app/utils/password.server";
import { queryRows, type Db, type DbOrTx } from "./client";
import { copyClientOf, copyRows, keysOf, type CopyClient } from "./copy";
import * as s from "./schema";
import { rebuildVisitState } from "./visit-state";

export const DEMO_PASSWORD = "tingyuan-demo";
export const COUNTY_CODE = "230828";
export const ZHENXING_CODE = "230828101";

export interface SeedOptions {
  households: number;
  demo: boolean;
  /** A PRNG returning [0, 1); default a fixed-seed mulberry32, so runs repeat exactly. */
  random?: () => number;
  /** "Now" for the data (checks run up to it, overdue is relative to it); default the real today. */
  today?: Date;
  /**
   * Load like a restore (keys and plain indexes made again after the rows, COPY on PostgreSQL); the same
   * rows either way. Default: from BULK_FROM_HOUSEHOLDS households on.
   */
  bulk?: boolean;
}

export interface SeedCounts {
  regions: number;
  users: number;
  households: number;
  members: number;
  cadreAssignments: number;
  plans: number;
  plantingItems: number;
  raisingItems: number;
  planEvents: number;
  aidProjects: number;
  fundAllocations: number;
  cooperatives: number;
  brokers: number;
  memberships: number;
  membershipRequests: number;
  buyers: number;
  purchaseOrders: number;
  orderAllocations: number;
  deliveries: number;
  payments: number;
  checks: number;
}

export interface SeedSummary extends SeedCounts {
  ids: {
    countyId: string;
    /** 振兴乡 */
    townshipId: string;
    adminId: string;
    /** ids of the demo accounts `official`, `cadre`, `clerk` (null when demo is false) */
    demo: { officialId: string; cadreId: string; clerkId: string; cooperativeId: string } | null;
  };
  elapsedMs: number;
}

// ---------- tables in foreign-key order ----------
const TABLES = {
  regions: s.regions,
  cooperatives: s.cooperatives,
  users: s.users,
  buyers: s.buyers,
  households: s.households,
  members: s.members,
  cadreAssignments: s.cadreAssignments,
  plans: s.plans,
  plantingItems: s.plantingItems,
  raisingItems: s.raisingItems,
  planEvents: s.planEvents,
  aidProjects: s.aidProjects,
  fundAllocations: s.fundAllocations,
  brokers: s.brokers,
  memberships: s.memberships,
  membershipRequests: s.membershipRequests,
  purchaseOrders: s.purchaseOrders,
  orderAllocations: s.orderAllocations,
  deliveries: s.deliveries,
  payments: s.payments,
  checks: s.checks,
} as const;
type TableKey = keyof typeof TABLES;
type Rows = { [K in TableKey]: (typeof TABLES)[K]["$inferInsert"][] };
const emptyRows = (): Rows => Object.fromEntries(Object.keys(TABLES).map((k) => [k, []])) as unknown as Rows;

/**
 * Inserts rows in chunks, each chunk as ONE json parameter expanded by json_populate_recordset: the server
 * parses and converts the values in C, so there is no 65535-parameter limit and no per-value binding
 * (3-4× faster than drizzle's multi-row VALUES here, on PGlite and on PostgreSQL). Columns a row leaves
 * out get NULL if another row of the table sets them; columns no row sets are left out of the INSERT and
 * get their defaults.
 */
async function insertChunked(db: DbOrTx, table: PgTable, rows: Record<string, unknown>[]) {
  if (rows.length === 0) return;
  const columns = getTableColumns(table) as Record<string, { name: string }>;
  const keys = keysOf(rows);
  const names = keys.map((k) => {
    if (!columns[k]) throw new Error(`seed: ${getTableName(table)} has no column ${k}`);
    return columns[k].name;
  });
  const list = sql.join(
    names.map((n) => sql.identifier(n)),
    sql`, `,
  );
  for (let i = 0; i < rows.length; i += CHUNK_ROWS) {
    const chunk = rows.slice(i, i + CHUNK_ROWS).map((row) => {
      const out: Record<string, unknown> = {};
      for (let j = 0; j < keys.length; j++) out[names[j]] = row[keys[j]] ?? null;
      return out;
    });
    await db.execute(
      sql`insert into ${table} (${list}) select ${list} from json_populate_recordset(null::${table}, ${JSON.stringify(chunk)}::json)`,
    );
  }
}
const CHUNK_ROWS = 2000;

/**
 * A county-sized load the way pg_restore does it: the seeded tables' foreign keys and the indexes no
 * constraint stands on are dropped inside the seed's transaction and made again after the rows are in.
 * Checking each row's foreign keys one lookup at a time and keeping six random-uuid indexes in step with
 * every insert cost three quarters of the seed; one anti-join per foreign key and one sorted build per
 * index cost a few seconds. The same transaction holds it all: a failure leaves the schema as it was.
 * The triggers that hold domain rules (docs/domain.md) stay on and check every row.
 */
async function suspendKeysAndIndexes(tx: DbOrTx): Promise<() => Promise<void>> {
  const tables = Object.values(TABLES).map((t) => getTableName(t as PgTable));
  const names = sql.join(
    tables.map((t) => sql`${t}`),
    sql`, `,
  );
  const foreignKeys = await queryRows<{ table: string; name: string; def: string }>(
    tx,
    sql`select c.conrelid::regclass::text as "table", c.conname as name, pg_get_constraintdef(c.oid) as def
        from pg_constraint c join pg_class t on t.oid = c.conrelid join pg_namespace n on n.oid = t.relnamespace
        where c.contype = 'f' and n.nspname = current_schema() and t.relname in (${names})
        order by 1, 2`,
  );
  for (const fk of foreignKeys) {
    await tx.execute(sql.raw(`alter table ${fk.table} drop constraint ${quoteIdent(fk.name)}`));
  }
  // after the keys are gone: indexes that no remaining constraint (primary key, unique, a foreign key from
  // another table) uses
  const indexes = await queryRows<{ name: string; def: string }>(
    tx,
    sql`select ic.relname as name, pg_get_indexdef(i.indexrelid) as def
        from pg_index i join pg_class ic on ic.oid = i.indexrelid join pg_class t on t.oid = i.indrelid
        join pg_namespace n on n.oid = t.relnamespace
        where n.nspname = current_schema() and t.relname in (${names})
          and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)
        order by 1`,
  );
  // Kept: the indexes a rule trigger probes for every row it checks. Without them payments_rules reads all of
  // deliveries and payments once per payment (the sum paid, "is it reversed"): quadratic, most of a county's
  // seed time, where keeping them in step costs a few seconds.
  const dropped = indexes.filter((index) => !PROBED_BY_RULE_TRIGGERS.has(index.name));
  for (const index of dropped) await tx.execute(sql.raw(`drop index ${quoteIdent(index.name)}`));
  // The triggers that keep derived rows (visit state, calendar visits, cached month counts) refresh each
  // household a statement touches by probing its checks and assignments: without the indexes dropped above
  // that is a scan per household, hours for a county. afterLoad rebuilds those rows in one pass instead.
  // The triggers that hold domain rules stay on.
  const derived = await queryRows<{ table: string; name: string }>(
    tx,
    sql`select t.tgrelid::regclass::text as "table", t.tgname as name
        from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace
        where not t.tgisinternal and t.tgenabled <> 'D' and n.nspname = current_schema()
          and c.relname in (${names}) and t.tgname ~ '(visit_state|calendar|overdue_months)'
        order by 1, 2`,
  );
  for (const t of derived) await tx.execute(sql.raw(`alter table ${t.table} disable trigger ${quoteIdent(t.name)}`));
  return async () => {
    await tx.execute(sql`set local maintenance_work_mem = '256MB'`);
    for (const index of dropped) await tx.execute(sql.raw(index.def));
    for (const fk of foreignKeys) {
      await tx.execute(sql.raw(`alter table ${fk.table} add constraint ${quoteIdent(fk.name)} ${fk.def}`));
    }
    for (const t of derived) await tx.execute(sql.raw(`alter table ${t.table} enable trigger ${quoteIdent(t.name)}`));
  };
}
/** Indexes the row-level rule triggers of seeded tables look rows up by (besides primary keys). */
const PROBED_BY_RULE_TRIGGERS = new Set(["deliveries_corrects_uq", "payments_delivery_idx"]);
const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
/** From this many households on, the seed loads like a restore (suspendKeysAndIndexes); below, row by row checks are cheap. */
const BULK_FROM_HOUSEHOLDS = 5000;

const bufferedRows = (rows: Rows) => Object.values(rows).reduce((n, list) => n + list.length, 0);
const FLUSH_ROWS = 250_000;
/** Inserts every buffered row, table by table in foreign-key order, and empties the buffers. */
async function flush(db: DbOrTx, rows: Rows, counts: SeedCounts, copy: CopyClient | null = null) {
  for (const key of Object.keys(TABLES) as TableKey[]) {
    const list = rows[key] as Record<string, unknown>[];
    if (copy) await copyRows(copy, TABLES[key] as PgTable, list);
    else await insertChunked(db, TABLES[key] as PgTable, list);
    counts[key] += list.length;
    list.length = 0;
  }
}

// ---------- randomness ----------
/** A version-4-shaped uuid that depends only on `key`. */
function stableUuid(key: string): string {
  const h = crypto.createHash("sha256").update(key).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Rng {
  constructor(readonly next: () => number) {}
  /** integer in [lo, hi] */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  real(lo: number, hi: number): number {
    return lo + this.next() * (hi - lo);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(list: ArrayLike<T>): T {
    return list[Math.floor(this.next() * list.length)];
  }
  weighted<T>(pairs: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of pairs) total += w;
    let r = this.next() * total;
    for (const [v, w] of pairs) {
      r -= w;
      if (r < 0) return v;
    }
    return pairs[pairs.length - 1][0];
  }
  shuffle<T>(list: T[]): T[] {
    for (let i = list.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [list[i], list[j]] = [list[j], list[i]];
    }
    return list;
  }
  digits(n: number): string {
    let out = "";
    for (let i = 0; i < n; i++) out += String(Math.floor(this.next() * 10));
    return out;
  }
  /** A version-4 UUID from the PRNG: a rerun gives the same ids, so they can be referenced before insert. */
  uuid(): string {
    const w = () => (Math.floor(this.next() * 4294967296) >>> 0).toString(16).padStart(8, "0");
    const a = w();
    const b = w();
    const c = w();
    const d = w();
    const variant = ((parseInt(c[0], 16) & 0x3) | 0x8).toString(16);
    return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${variant}${c.slice(1, 4)}-${c.slice(4)}${d}`;
  }
}

// ---------- dates as day numbers (days since 1970-01-01) ----------
const DAY_MS = 86400000;
const dayOf = (y: number, m: number, d: number) => Math.floor(Date.UTC(y, m - 1, d) / DAY_MS);
const iso = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
const yearOf = (day: number) => new Date(day * DAY_MS).getUTCFullYear();
const monthOf = (day: number) => new Date(day * DAY_MS).getUTCMonth() + 1;
/** A moment during Beijing office hours (08:00-17:59, UTC+8) on that day. */
const at = (rng: Rng, day: number) => new Date(day * DAY_MS + rng.int(0, 599) * 60000);

// ---------- names and places ----------
const SURNAMES: readonly (readonly [string, number])[] = [
  ["王", 10],
  ["李", 10],
  ["张", 10],
  ["刘", 8],
  ["陈", 5],
  ["杨", 5],
  ["赵", 6],
  ["黄", 3],
  ["周", 3],
  ["吴", 3],
  ["徐", 3],
  ["孙", 5],
  ["马", 4],
  ["朱", 2],
  ["胡", 2],
  ["郭", 3],
  ["何", 2],
  ["高", 4],
  ["林", 2],
  ["于", 4],
  ["董", 3],
  ["韩", 3],
  ["曹", 2],
  ["邓", 1],
  ["许", 2],
  ["冯", 2],
  ["宋", 2],
  ["郑", 2],
  ["谢", 1],
  ["唐", 1],
  ["袁", 1],
  ["田", 2],
  ["姜", 3],
  ["崔", 2],
  ["白", 2],
  ["吕", 2],
  ["丁", 1],
  ["魏", 2],
  ["沈", 1],
  ["金", 2],
  ["孟", 2],
  ["付", 2],
  ["常", 1],
  ["邢", 1],
  ["范", 1],
  ["石", 1],
  ["任", 2],
  ["史", 1],
  ["贾", 1],
  ["侯", 1],
  ["于", 1],
  ["谭", 1],
  ["尹", 1],
  ["姚", 1],
  ["关", 1],
  ["隋", 1],
  ["修", 1],
  ["鞠", 1],
  ["朴", 1],
  ["安", 1],
  ["齐", 1],
  ["闫", 1],
  ["苏", 1],
];
const GIVEN = {
  oldMale: "国建振永德富贵福宝金长树春玉占海文明成广庆志洪连有祥山林财发喜忠义军华强力民生江奎荣",
  oldFemale: "秀淑桂玉凤兰芝英珍芬琴荣霞云翠艳梅春华香丽娥莲素金彩凤琳",
  midMale: "伟涛斌波磊鹏军勇刚杰辉亮峰超东龙海明强宇志新立建平利晓",
  midFemale: "丽艳娟静敏燕红霞芳颖萍玲慧晶丹雪微琳莉娜欣晓冬",
  youngMale: "浩宇轩子梓博文俊泽睿铭航晨嘉奕一天祥锐恒诚昊阳",
  youngFemale: "欣怡梓涵雨萱可馨思诗语佳悦婉琪瑶彤妍雅嘉梦若",
} as const;

function givenName(rng: Rng, birthYear: number, male: boolean): string {
  const pool =
    birthYear < 1970
      ? male
        ? GIVEN.oldMale
        : GIVEN.oldFemale
      : birthYear < 1995
        ? male
          ? GIVEN.midMale
          : GIVEN.midFemale
        : male
          ? GIVEN.youngMale
          : GIVEN.youngFemale;
  const one = rng.pick(pool);
  if (rng.chance(0.35)) return one;
  let two = rng.pick(pool);
  if (two === one && rng.chance(0.7)) two = rng.pick(pool);
  return one + two;
}
const surname = (rng: Rng) => rng.weighted(SURNAMES);
const personName = (rng: Rng, birthYear: number, male: boolean) => surname(rng) + givenName(rng, birthYear, male);

const PHONE_PREFIXES = [
  "130",
  "131",
  "132",
  "133",
  "135",
  "136",
  "137",
  "138",
  "139",
  "150",
  "151",
  "152",
  "155",
  "156",
  "157",
  "158",
  "159",
  "180",
  "181",
  "182",
  "183",
  "185",
  "186",
  "187",
  "188",
  "189",
  "139",
  "135",
];
const mobile = (rng: Rng) => rng.pick(PHONE_PREFIXES) + rng.digits(8);

const TOWNSHIPS: readonly (readonly [string, string])[] = [
  ["振兴乡", "Zhenxing Township"],
  ["汤旺乡", "Tangwang Township"],
  ["香兰镇", "Xianglan Town"],
  ["鹤立镇", "Heli Town"],
  ["竹帘镇", "Zhulian Town"],
  ["吉祥乡", "Jixiang Township"],
  ["永发镇", "Yongfa Town"],
  ["汤原镇", "Tangyuan Town"],
  ["胜利乡", "Shengli Township"],
  ["太平川乡", "Taipingchuan Township"],
  ["新城镇", "Xincheng Town"],
  ["兴隆镇", "Xinglong Town"],
  ["双河乡", "Shuanghe Township"],
  ["长青乡", "Changqing Township"],
  ["红旗乡", "Hongqi Township"],
  ["福民乡", "Fumin Township"],
  ["丰收乡", "Fengshou Township"],
  ["东风镇", "Dongfeng Town"],
  ["向阳乡", "Xiangyang Township"],
  ["民安乡", "Min'an Township"],
  ["宏伟乡", "Hongwei Township"],
  ["兴安乡", "Xing'an Township"],
  ["青山乡", "Qingshan Township"],
  ["松江乡", "Songjiang Township"],
  ["合兴乡", "Hexing Township"],
  ["富强乡", "Fuqiang Township"],
  ["和平乡", "Heping Township"],
  ["团结镇", "Tuanjie Town"],
  ["大兴乡", "Daxing Township"],
  ["庆安乡", "Qing'an Township"],
  ["明义乡", "Mingyi Township"],
  ["格节河镇", "Gejiehe Town"],
];
const VILLAGES: readonly (readonly [string, string])[] = [
  ["振兴村", "Zhenxing"],
  ["东兴村", "Dongxing"],
  ["新胜村", "Xinsheng"],
  ["红光村", "Hongguang"],
  ["永发村", "Yongfa"],
  ["长发村", "Changfa"],
  ["福兴村", "Fuxing"],
  ["民主村", "Minzhu"],
  ["太平村", "Taiping"],
  ["保安村", "Bao'an"],
  ["建国村", "Jianguo"],
  ["团结村", "Tuanjie"],
  ["前进村", "Qianjin"],
  ["胜利村", "Shengli"],
  ["新华村", "Xinhua"],
  ["和平村", "Heping"],
  ["向阳村", "Xiangyang"],
  ["东升村", "Dongsheng"],
  ["西河村", "Xihe"],
  ["南岗村", "Nangang"],
  ["北山村", "Beishan"],
  ["新立村", "Xinli"],
  ["双河村", "Shuanghe"],
  ["兴隆村", "Xinglong"],
  ["富强村", "Fuqiang"],
  ["德胜村", "Desheng"],
  ["永安村", "Yong'an"],
  ["长胜村", "Changsheng"],
  ["红旗村", "Hongqi"],
  ["光明村", "Guangming"],
  ["新民村", "Xinmin"],
  ["庆丰村", "Qingfeng"],
  ["丰收村", "Fengshou"],
  ["建设村", "Jianshe"],
  ["友谊村", "Youyi"],
  ["合心村", "Hexin"],
  ["群英村", "Qunying"],
  ["新发村", "Xinfa"],
  ["太安村", "Tai'an"],
  ["兴华村", "Xinghua"],
  ["东风村", "Dongfeng"],
  ["永胜村", "Yongsheng"],
  ["靠山村", "Kaoshan"],
  ["平安村", "Ping'an"],
  ["吉兴村", "Jixing"],
  ["福安村", "Fu'an"],
  ["春光村", "Chunguang"],
  ["青山村", "Qingshan"],
  ["三合村", "Sanhe"],
  ["四合村", "Sihe"],
  ["五一村", "Wuyi"],
  ["立新村", "Lixin"],
  ["先锋村", "Xianfeng"],
  ["治安村", "Zhi'an"],
  ["新城村", "Xincheng"],
  ["金星村", "Jinxing"],
  ["星火村", "Xinghuo"],
  ["义和村", "Yihe"],
  ["长兴村", "Changxing"],
  ["宏伟村", "Hongwei"],
];
/** characters of a new-style organisation code body; digits weighted up as in real codes */
const ORG_BODY_CHARS = [..."0123456789ABCDEFGHJKLMNPQRTUWXY123456789"];
const GROUP_NAMES = ["一组", "二组", "三组", "四组"];
const CN_ORDINAL = ["", "二", "三", "四", "五", "六", "七", "八", "九"];

// ---------- crops, animals, money ----------
type CropCode =
  "chili" | "potato" | "cabbage" | "cowpea" | "corn" | "soybean" | "tomato" | "cucumber" | "eggplant" | "green_onion";
const CROPS: Record<CropCode, { zh: string; yieldKgPerM2: [number, number]; yuanPerKg: number }> = {
  chili: { zh: "辣椒", yieldKgPerM2: [1.5, 3], yuanPerKg: 5 },
  potato: { zh: "马铃薯", yieldKgPerM2: [2, 4], yuanPerKg: 1.3 },
  cabbage: { zh: "白菜", yieldKgPerM2: [4, 7], yuanPerKg: 0.8 },
  cowpea: { zh: "豇豆角", yieldKgPerM2: [1.5, 3], yuanPerKg: 4 },
  corn: { zh: "玉米", yieldKgPerM2: [0.6, 0.9], yuanPerKg: 2.4 },
  soybean: { zh: "大豆", yieldKgPerM2: [0.2, 0.3], yuanPerKg: 5.5 },
  tomato: { zh: "西红柿", yieldKgPerM2: [4, 8], yuanPerKg: 2.5 },
  cucumber: { zh: "黄瓜", yieldKgPerM2: [4, 8], yuanPerKg: 2 },
  eggplant: { zh: "茄子", yieldKgPerM2: [3, 5], yuanPerKg: 2 },
  green_onion: { zh: "大葱", yieldKgPerM2: [3, 5], yuanPerKg: 2.2 },
};
const MAIN_CROPS: readonly (readonly [CropCode, number])[] = [
  ["chili", 35],
  ["potato", 25],
  ["cabbage", 20],
  ["cowpea", 20],
];
const OTHER_CROPS: readonly CropCode[] = ["corn", "soybean", "tomato", "cucumber", "eggplant", "green_onion"];
type OrderCrop = "chili" | "potato" | "cabbage" | "cowpea";
const ORDER_CROPS: Record<
  OrderCrop,
  { priceFen: [number, number]; window: [[number, number], [number, number]]; season: string }
> = {
  chili: {
    priceFen: [400, 600],
    window: [
      [8, 15],
      [9, 30],
    ],
    season: "秋季",
  },
  potato: {
    priceFen: [100, 160],
    window: [
      [9, 1],
      [10, 15],
    ],
    season: "秋季",
  },
  cabbage: {
    priceFen: [60, 100],
    window: [
      [9, 25],
      [10, 31],
    ],
    season: "秋季",
  },
  cowpea: {
    priceFen: [300, 500],
    window: [
      [7, 15],
      [9, 10],
    ],
    season: "夏季",
  },
};

type AnimalCode = "pig" | "chicken" | "duck" | "goose" | "cattle" | "sheep";
const ANIMALS: Record<
  AnimalCode,
  { zh: string; unit: string; count: [number, number]; netYuan: number; young: string; youngYuan: number }
> = {
  pig: { zh: "生猪", unit: "头", count: [1, 6], netYuan: 1200, young: "仔猪", youngYuan: 900 },
  chicken: { zh: "鸡", unit: "只", count: [30, 150], netYuan: 35, young: "鸡雏", youngYuan: 6 },
  duck: { zh: "鸭", unit: "只", count: [20, 80], netYuan: 30, young: "鸭雏", youngYuan: 8 },
  goose: { zh: "鹅", unit: "只", count: [10, 60], netYuan: 70, young: "鹅雏", youngYuan: 18 },
  cattle: { zh: "肉牛", unit: "头", count: [1, 3], netYuan: 4000, young: "犊牛", youngYuan: 6000 },
  sheep: { zh: "羊", unit: "只", count: [3, 15], netYuan: 500, young: "羔羊", youngYuan: 800 },
};
const ANIMAL_WEIGHTS: readonly (readonly [AnimalCode, number])[] = [
  ["chicken", 35],
  ["pig", 20],
  ["goose", 15],
  ["duck", 12],
  ["sheep", 10],
  ["cattle", 8],
];
const SEEDLINGS: Partial<Record<CropCode, { item: string; perM2: number; yuan: number }>> = {
  chili: { item: "辣椒苗", perM2: 3, yuan: 0.2 },
  potato: { item: "马铃薯种薯(公斤)", perM2: 0.15, yuan: 3 },
  cabbage: { item: "白菜种子(袋)", perM2: 1 / 60, yuan: 15 },
  cowpea: { item: "豇豆种子(袋)", perM2: 1 / 50, yuan: 20 },
};

/** the poverty causes the list starts with (migration 0015) */
type Cause =
  "illness" | "disability" | "education" | "lack_skills" | "lack_labour" | "lack_funds" | "lack_land" | "other";
type PlanStatus = (typeof s.planStatus.enumValues)[number];
type ZoneStatus = (typeof s.zoneStatus.enumValues)[number];
type Relation = (typeof s.relationToHead.enumValues)[number];
type Health = (typeof s.health.enumValues)[number];
type Labour = (typeof s.labourAbility.enumValues)[number];

const CAUSES: readonly (readonly [Cause, number])[] = [
  ["illness", 30],
  ["disability", 15],
  ["education", 8],
  ["lack_skills", 15],
  ["lack_labour", 12],
  ["lack_funds", 12],
  ["lack_land", 5],
  ["other", 3],
];
const CAUSE_MEASURES: Record<Cause, readonly string[]> = {
  illness: ["落实家庭医生签约服务，慢病按时取药", "落实基本医疗保险和大病保险，减轻就医负担"],
  disability: ["落实残疾人两项补贴", "安排适合的轻体力庭院项目，家人协助管理"],
  education: ["落实雨露计划教育资助", "子女在校期间享受教育资助政策"],
  lack_skills: ["参加乡农技站种植养殖技术培训", "帮扶干部上门讲解田间管理技术"],
  lack_labour: ["合作社统一代耕代管，降低劳动强度", "安排邻里互助，采收期协助用工"],
  lack_funds: ["申请扶贫小额信贷5万元，用于扩大养殖", "产业奖补资金直补到户"],
  lack_land: ["充分利用房前屋后空闲地发展庭院种植", "流转邻户闲置庭院扩大种植面积"],
  other: ["帮扶干部每月走访，及时解决实际困难", "落实低保兜底政策"],
};
const RETURN_REASONS = [
  "种植区面积与庭院实际不符，请到户核实后重新填报",
  "收入目标偏高，请按实际产量和订单价格调整",
  "养殖规模与家庭劳动力不匹配，请调整",
  "缺少订单落实措施，请补充与合作社签订订单的情况",
  "帮扶措施过于笼统，请写明具体品种、面积和数量",
];

// ---------- the generator ----------
interface Village {
  id: string;
  name: string;
  code: string;
  groups: { id: string; name: string }[];
  households: number;
}
interface PlanInfo {
  id: string;
  year: number;
  status: PlanStatus;
  planting: number;
  raising: number;
  crops: { code: CropCode; area: number; yieldKg: number }[];
  animals: { code: AnimalCode; count: number }[];
  approvedDay: number | null;
}
interface Hh {
  id: string;
  villageId: string;
  courtyard: number;
  cause: Cause;
  registeredDay: number;
  hasStudent: boolean;
  hasPartialLabour: boolean;
  current: { cadreId: string; startDay: number } | null;
  history: { cadreId: string; startDay: number; endDay: number } | null;
  plan: PlanInfo | null;
  prevPlan: PlanInfo | null;
  /** current memberships: cooperative index → membership id and joined day */
  memberships: Map<number, { id: string; joinedDay: number }>;
  overdue: "none" | "stale" | "missed";
}
interface Coop {
  id: string;
  kind: "planting" | "raising" | "mixed";
  clerkId: string;
  focusCrop: OrderCrop | null;
}

class Generator {
  readonly rows = emptyRows();
  readonly counts: SeedCounts = {
    regions: 0,
    users: 0,
    households: 0,
    members: 0,
    cadreAssignments: 0,
    plans: 0,
    plantingItems: 0,
    raisingItems: 0,
    planEvents: 0,
    aidProjects: 0,
    fundAllocations: 0,
    cooperatives: 0,
    brokers: 0,
    memberships: 0,
    membershipRequests: 0,
    buyers: 0,
    purchaseOrders: 0,
    orderAllocations: 0,
    deliveries: 0,
    payments: 0,
    checks: 0,
  };
  readonly rng: Rng;
  readonly todayDay: number;
  /** the last day an event with a time of day may fall on (yesterday: never after "now") */
  readonly lastDay: number;
  readonly year: number;
  readonly countyId: string;
  adminId = "";
  demoIds: SeedSummary["ids"]["demo"] = null;
  zhenxingId = "";
  private readonly idSeq = new Map<number, number>();
  private readonly creditCodes = new Set<string>();
  private readonly seq = { cadre: 0, official: 0, clerk: 0 };
  private buyerIds: string[] = [];

  constructor(
    readonly opts: SeedOptions,
    readonly passwordHash: string,
  ) {
    this.rng = new Rng(opts.random ?? mulberry32(0x7479_2026));
    const today = opts.today ?? new Date();
    this.todayDay = dayOf(today.getFullYear(), today.getMonth() + 1, today.getDate());
    this.lastDay = this.todayDay - 1;
    this.year = today.getFullYear();
    this.countyId = this.rng.uuid();
  }

  // ----- users -----
  private username(kind: "cadre" | "official" | "clerk", demoName: boolean): string {
    if (demoName) return kind;
    this.seq[kind] += 1;
    return `${kind}-${String(this.seq[kind]).padStart(4, "0")}`;
  }

  private user(
    role: "admin" | "official" | "cadre" | "clerk",
    username: string,
    extra: { townshipId?: string; cooperativeId?: string; displayName?: string; active?: boolean } = {},
  ): string {
    const id = this.rng.uuid();
    const male = this.rng.chance(0.6);
    this.rows.users.push({
      id,
      username,
      passwordHash: this.passwordHash,
      displayName: extra.displayName ?? personName(this.rng, this.rng.int(1965, 1998), male),
      phone: mobile(this.rng),
      role,
      countyId: this.countyId,
      townshipId: extra.townshipId ?? null,
      cooperativeId: extra.cooperativeId ?? null,
      active: extra.active ?? true,
    });
    return id;
  }

  // ----- county-wide rows -----
  county(townships: { id: string; name: string; nameEn: string; code: string }[]) {
    this.rows.regions.push({
      id: this.countyId,
      code: COUNTY_CODE,
      name: "汤原县",
      nameEn: "Tangyuan County",
      level: "county",
      parentId: null,
      countyId: null,
    });
    for (const t of townships) {
      this.rows.regions.push({
        id: t.id,
        code: t.code,
        name: t.name,
        nameEn: t.nameEn,
        level: "township",
        parentId: this.countyId,
        countyId: this.countyId,
      });
    }
    this.adminId = this.user("admin", this.opts.demo ? "admin" : "admin-0001", {
      displayName: this.opts.demo ? "县信息中心管理员" : undefined,
    });
    this.buyers(Math.max(8, townships.length * 3));
  }

  private creditCode(category: string, area: string): string {
    for (;;) {
      let body = "MA";
      for (let i = 0; i < 6; i++) body += this.rng.pick(ORG_BODY_CHARS);
      const code = makeCreditCode(category + area + body + orgCodeCheckChar(body));
      if (!this.creditCodes.has(code)) {
        this.creditCodes.add(code);
        return code;
      }
    }
  }

  private buyers(n: number) {
    const places: readonly (readonly [string, string, number])[] = [
      ["汤原县", "230828", 4],
      ["佳木斯市", "230800", 4],
      ["哈尔滨市", "230100", 3],
      ["鹤岗市", "230400", 1],
      ["双鸭山市", "230500", 1],
      ["绥化市", "231200", 1],
      ["黑龙江省", "230000", 1],
      ["沈阳市", "210100", 1],
    ];
    const brands = [
      "绿源",
      "丰禾",
      "金土地",
      "寒地",
      "黑土情",
      "龙江",
      "松花江",
      "三江",
      "兴农",
      "鑫盛",
      "绿野",
      "汇丰",
      "嘉禾",
      "福瑞",
      "田园",
      "万家",
      "瑞丰",
      "天润",
      "北垦",
      "禾丰",
      "康源",
      "润禾",
      "鲜达",
      "宏达",
    ];
    const kinds = [
      "农产品有限公司",
      "食品有限公司",
      "蔬菜批发有限公司",
      "辣椒制品有限公司",
      "农业科技有限公司",
      "果蔬配送有限公司",
      "淀粉制品有限公司",
      "商贸有限公司",
    ];
    const roads = ["兴业路", "中心大街", "胜利路", "长安路", "光复路", "建设街", "站前路", "工业园区"];
    const names = new Set<string>();
    for (let i = 0; i < n; i++) {
      const [place, area] = this.rng.weighted(places.map(([p, a, w]) => [[p, a] as const, w] as const));
      let name = `${place === "黑龙江省" ? "黑龙江" : place}${this.rng.pick(brands)}${this.rng.pick(kinds)}`;
      for (let k = 2; names.has(name); k++) name = name.replace(/有限公司$/, `${k}号有限公司`);
      names.add(name);
      const id = this.rng.uuid();
      this.buyerIds.push(id);
      this.rows.buyers.push({
        id,
        countyId: this.countyId,
        name,
        creditCode: this.creditCode("91", area),
        contactName: personName(this.rng, this.rng.int(1965, 1990), this.rng.chance(0.7)),
        phone: mobile(this.rng),
        address: `${place}${this.rng.pick(roads)}${this.rng.int(1, 300)}号`,
      });
    }
  }

  // ----- members and ID numbers -----
  private idNumber(birthDay: number, male: boolean): { idNumber: string; birthDay: number } {
    for (let day = birthDay; ; day++) {
      const key = day * 2 + (male ? 1 : 0);
      const n = this.idSeq.get(key) ?? 0;
      if (n < 500 && day <= this.todayDay) {
        this.idSeq.set(key, n + 1);
        return { idNumber: makeIdNumber("230828", iso(day), n, male ? "male" : "female"), birthDay: day };
      }
      if (day > this.todayDay) day = birthDay - 400; // extremely crowded: look back a year
    }
  }

  private family(size: number, cause: Cause) {
    const rng = this.rng;
    type P = { relation: Relation; male: boolean; age: number; surname: string };
    const headAge = rng.weighted([
      [rng.int(28, 40), 15],
      [rng.int(41, 55), 30],
      [rng.int(56, 70), 35],
      [rng.int(71, 84), 20],
    ] as const);
    const headMale = rng.chance(size === 1 ? 0.55 : 0.8);
    const headSurname = surname(rng);
    // the children's surname: the head's, or the late husband's for a widowed mother
    const childSurname = headMale ? headSurname : surname(rng);
    const people: P[] = [{ relation: "head", male: headMale, age: headAge, surname: headSurname }];
    let left = size - 1;
    if (left > 0 && rng.chance(headAge > 74 ? 0.6 : 0.85)) {
      const age = Math.max(20, headMale ? headAge - rng.int(0, 5) : headAge + rng.int(0, 5));
      people.push({ relation: "spouse", male: !headMale, age, surname: surname(rng) });
      left--;
    }
    if (left > 0 && headAge <= 58 && rng.chance(0.3)) {
      const male = rng.chance(0.4);
      people.push({
        relation: "parent",
        male,
        age: Math.min(92, headAge + rng.int(22, 32)),
        surname: male ? headSurname : surname(rng),
      });
      left--;
    }
    if (left >= 3 && headAge >= 56) {
      const childAge = Math.max(24, headAge - rng.int(22, 32));
      const childMale = rng.chance(0.6);
      people.push({ relation: "child", male: childMale, age: childAge, surname: childSurname });
      const inLawSurname = surname(rng);
      people.push({
        relation: "child_in_law",
        male: !childMale,
        age: Math.max(22, childAge + rng.int(-3, 3)),
        surname: inLawSurname,
      });
      left -= 2;
      while (left > 0) {
        people.push({
          relation: "grandchild",
          male: rng.chance(0.5),
          age: Math.max(0, childAge - rng.int(21, 30)),
          surname: childMale ? childSurname : inLawSurname,
        });
        left--;
      }
    }
    while (left > 0) {
      if (headAge > 45 || rng.chance(0.85)) {
        const oldest = Math.min(headAge - 18, 40);
        const youngest = Math.max(0, headAge - 42);
        people.push({
          relation: "child",
          male: rng.chance(0.52),
          age: rng.int(youngest, Math.max(youngest, oldest)),
          surname: childSurname,
        });
      } else {
        people.push({
          relation: "sibling",
          male: rng.chance(0.5),
          age: Math.max(18, headAge + rng.int(-8, 8)),
          surname: headSurname,
        });
      }
      left--;
    }
    // health and labour, with the poverty cause showing in someone
    const adults = people.filter((p) => p.age >= 18);
    const sick = cause === "illness" ? rng.pick(adults) : null;
    const disabled = cause === "disability" ? rng.pick(people) : null;
    return people.map((p) => {
      let health: Health =
        p.age < 60
          ? rng.weighted([
              ["healthy", 86],
              ["chronic", 9],
              ["serious", 3],
              ["disabled", 2],
            ] as const)
          : rng.weighted([
              ["healthy", 45],
              ["chronic", 40],
              ["serious", 8],
              ["disabled", 7],
            ] as const);
      if (p === sick) health = rng.chance(0.6) ? "chronic" : "serious";
      if (p === disabled) health = "disabled";
      let labour: Labour;
      if (p.age < 6) labour = "none";
      else if (p.age <= 18) labour = "student";
      else if (p.age <= 22 && rng.chance(0.5)) labour = "student";
      else if (health === "disabled" || health === "serious") labour = rng.chance(0.6) ? "none" : "partial";
      else if (p.age >= 70) labour = "none";
      else if (p.age >= 60) labour = rng.chance(0.7) ? "partial" : "none";
      else if (health === "chronic") labour = rng.chance(0.5) ? "partial" : "full";
      else labour = "full";
      const birthDay = this.todayDay - Math.floor(p.age * 365.25) - rng.int(1, 364);
      return { ...p, health, labour, birthDay };
    });
  }

  // ----- one township -----
  township(t: { id: string; name: string; code: string }, householdCount: number, isZhenxing: boolean) {
    const rng = this.rng;
    const R = this.rows;
    const demoHere = this.opts.demo && isZhenxing;

    // villages and groups
    const villageCount = Math.min(30, Math.max(isZhenxing ? 12 : 10, Math.round(householdCount / 170)));
    const villageNames = isZhenxing
      ? [...VILLAGES.slice(0, 12), ...rng.shuffle(VILLAGES.slice(12).slice())]
      : rng.shuffle(VILLAGES.slice());
    const weights = Array.from({ length: villageCount }, () => rng.real(0.6, 1.4));
    const shares = distribute(householdCount, weights);
    const villages: Village[] = [];
    for (let v = 0; v < villageCount; v++) {
      const [name, en] = villageNames[v % villageNames.length];
      const suffix = v >= villageNames.length ? CN_ORDINAL[Math.floor(v / villageNames.length)] : "";
      const code = `${t.code}${200 + v + 1}`;
      const id = rng.uuid();
      R.regions.push({
        id,
        code,
        name: name.replace(/村$/, `${suffix}村`),
        nameEn: `${en} Village`,
        level: "village",
        parentId: t.id,
        countyId: this.countyId,
      });
      const groups = [];
      for (let g = 0, n = rng.int(2, 4); g < n; g++) {
        const gid = rng.uuid();
        R.regions.push({
          id: gid,
          code: `${code}${String(g + 1).padStart(2, "0")}`,
          name: GROUP_NAMES[g],
          nameEn: `Group ${g + 1}`,
          level: "group",
          parentId: id,
          countyId: this.countyId,
        });
        groups.push({ id: gid, name: GROUP_NAMES[g] });
      }
      villages.push({ id, name: name.replace(/村$/, `${suffix}村`), code, groups, households: shares[v] });
    }

    // officials
    const officials: string[] = [];
    for (let i = 0; i < 3; i++) {
      const demoName = demoHere && i === 0;
      officials.push(
        this.user("official", this.username("official", demoName), {
          townshipId: t.id,
          displayName: demoName ? "刘淑芬" : undefined,
        }),
      );
    }
    const official = () => rng.pick(officials);

    // cooperatives and their clerks
    const coops: Coop[] = [];
    const coopCount = Math.max(4, Math.round(villageCount / 2.5));
    const coopNames = new Set<string>();
    for (let c = 0; c < coopCount; c++) {
      const kind =
        isZhenxing && c === 0
          ? "planting"
          : rng.weighted([
              ["planting", 50],
              ["raising", 25],
              ["mixed", 25],
            ] as const);
      const village = isZhenxing && c === 0 ? villages[1] : rng.pick(villages);
      let focusCrop: OrderCrop | null = null;
      let name: string;
      if (kind === "planting") {
        focusCrop =
          isZhenxing && c === 0
            ? "chili"
            : rng.weighted([
                ["chili", 40],
                ["potato", 25],
                ["cabbage", 15],
                ["cowpea", 20],
              ] as const);
        const label = { chili: "辣椒", potato: "马铃薯", cabbage: "蔬菜", cowpea: "豇豆" }[focusCrop];
        name = `汤原县${t.name}${village.name}${label}种植专业合作社`;
      } else if (kind === "raising") {
        name = `汤原县${t.name}${village.name}${rng.pick(["生猪", "禽业", "肉牛", "大鹅", "肉羊"])}养殖专业合作社`;
      } else {
        name = `汤原县${t.name}${rng.pick(["兴农", "丰硕", "金穗", "富民", "鑫源", "众鑫", "丰泽", "庭院"])}种养殖专业合作社`;
      }
      const base = name;
      for (let k = 2; coopNames.has(name); k++)
        name = base.replace(/专业合作社$/, `第${CN_ORDINAL[k - 1] || k}专业合作社`);
      coopNames.add(name);
      const id = rng.uuid();
      R.cooperatives.push({
        id,
        countyId: this.countyId,
        townshipId: t.id,
        villageId: village.id,
        name,
        kind,
        registrationCode: this.creditCode("93", COUNTY_CODE),
      });
      const demoClerk = demoHere && c === 0;
      const clerkId = this.user("clerk", this.username("clerk", demoClerk), {
        cooperativeId: id,
        displayName: demoClerk ? "赵红梅" : undefined,
      });
      for (let b = 0, n = rng.int(1, 2); b < n; b++) {
        R.brokers.push({
          id: rng.uuid(),
          countyId: this.countyId,
          cooperativeId: id,
          name: personName(rng, rng.int(1965, 1992), rng.chance(0.75)),
          phone: mobile(rng),
        });
      }
      coops.push({ id, kind, clerkId, focusCrop });
      if (demoClerk) this.demoIds = { officialId: officials[0], cadreId: "", clerkId, cooperativeId: id };
    }

    // households and members
    const hhs: Hh[] = [];
    for (const village of villages) {
      for (let n = 1; n <= village.households; n++) {
        const id = rng.uuid();
        const group = rng.pick(village.groups);
        const status = rng.weighted([
          ["registered", 70],
          ["monitored", 15],
          ["lifted", 15],
        ] as const);
        const cause = rng.weighted(CAUSES);
        const size = rng.weighted([
          [1, 10],
          [2, 22],
          [3, 22],
          [4, 22],
          [5, 14],
          [6, 10],
        ] as const);
        const people = this.family(size, cause);
        const registeredDay =
          status === "monitored"
            ? rng.int(dayOf(2020, 6, 1), Math.max(dayOf(2020, 6, 1), this.todayDay - 120))
            : rng.int(dayOf(2014, 4, 1), dayOf(2016, 12, 31));
        const courtyard = Math.round(150 + 1050 * Math.pow(rng.next(), 1.6));
        let headName = "";
        let headPhone: string | null = null;
        let hasStudent = false;
        let hasPartialLabour = false;
        for (const p of people) {
          const { idNumber, birthDay } = this.idNumber(p.birthDay, p.male);
          const name = p.surname + givenName(rng, yearOf(birthDay), p.male);
          const phone = p.age >= 18 && p.age <= 72 && (p.relation === "head" || rng.chance(0.45)) ? mobile(rng) : null;
          if (p.relation === "head") {
            headName = name;
            headPhone = phone;
          }
          if (p.labour === "student") hasStudent = true;
          if (p.labour === "partial") hasPartialLabour = true;
          R.members.push({
            id: rng.uuid(),
            countyId: this.countyId,
            householdId: id,
            name,
            idNumber,
            relation: p.relation,
            sex: p.male ? "male" : "female",
            birthDate: iso(birthDay),
            health: p.health,
            labourAbility: p.labour,
            phone,
          });
        }
        R.households.push({
          id,
          countyId: this.countyId,
          townshipId: t.id,
          villageId: village.id,
          groupId: group.id,
          code: `${village.code}-${String(n).padStart(4, "0")}`,
          headName,
          address: `汤原县${t.name}${village.name}${group.name}${rng.int(1, 120)}号`,
          phone: headPhone ?? (rng.chance(0.5) ? mobile(rng) : null),
          povertyStatus: status,
          povertyCause: cause,
          courtyardArea: courtyard,
          registeredOn: iso(registeredDay),
        });
        hhs.push({
          id,
          villageId: village.id,
          courtyard,
          cause,
          registeredDay,
          hasStudent,
          hasPartialLabour,
          current: null,
          history: null,
          plan: null,
          prevPlan: null,
          memberships: new Map(),
          overdue: "none",
        });
      }
    }

    // cadres: households in village order, in blocks of 8-16, one cadre per block
    const cadres: string[] = [];
    const demoBlock = new Set<Hh>();
    for (let i = 0, b = 0; i < hhs.length; b++) {
      const demoCadre = demoHere && b === 0;
      const size = demoCadre ? 12 : rng.int(8, 16);
      const cadreId = this.user("cadre", this.username("cadre", demoCadre), {
        townshipId: t.id,
        displayName: demoCadre ? "张建国" : undefined,
      });
      cadres.push(cadreId);
      if (demoCadre && this.demoIds) this.demoIds.cadreId = cadreId;
      for (const hh of hhs.slice(i, i + size)) {
        hh.current = { cadreId, startDay: 0 };
        if (demoCadre) demoBlock.add(hh);
      }
      i += size;
    }
    const formerCadres: string[] = [];
    for (let i = 0, n = Math.max(1, Math.round(cadres.length * 0.08)); i < n; i++) {
      formerCadres.push(this.user("cadre", this.username("cadre", false), { townshipId: t.id, active: false }));
    }
    const earliest = dayOf(2019, 3, 1);
    for (const hh of hhs) {
      const inDemo = demoBlock.has(hh);
      const unassigned = !inDemo && rng.chance(0.02);
      const withHistory = unassigned ? rng.chance(0.5) : rng.chance(inDemo ? 0.25 : 0.12);
      let startDay =
        inDemo || rng.chance(0.93)
          ? rng.int(dayOf(2021, 3, 1), this.todayDay - 200)
          : rng.int(this.todayDay - 150, this.todayDay - 15);
      if (withHistory) {
        const endDay = rng.chance(0.3)
          ? rng.int(this.todayDay - 300, this.todayDay - 20)
          : rng.int(dayOf(2021, 1, 1), this.todayDay - 300);
        const histStart = rng.int(earliest, endDay - 90);
        const former = rng.chance(0.5) ? rng.pick(formerCadres) : rng.pick(cadres);
        const histCadre = former === hh.current?.cadreId ? rng.pick(formerCadres) : former;
        hh.history = { cadreId: histCadre, startDay: histStart, endDay };
        startDay = endDay;
        R.cadreAssignments.push({
          id: rng.uuid(),
          countyId: this.countyId,
          householdId: hh.id,
          cadreId: histCadre,
          startsOn: iso(histStart),
          endsOn: iso(endDay),
          assignedBy: official(),
          endedBy: official(),
          endReason: "工作调动",
        });
      }
      if (unassigned) hh.current = null;
      else if (hh.current) {
        hh.current.startDay = startDay;
        R.cadreAssignments.push({
          id: rng.uuid(),
          countyId: this.countyId,
          householdId: hh.id,
          cadreId: hh.current.cadreId,
          startsOn: iso(startDay),
          endsOn: null,
          assignedBy: official(),
        });
      }
    }

    // plans, with their workflow events
    const DEMO_STATUSES: PlanStatus[] = [
      "in_progress",
      "in_progress",
      "draft",
      "returned",
      "submitted",
      "approved",
      "in_progress",
      "completed",
      "in_progress",
      "in_progress",
      "approved",
      "in_progress",
    ];
    let demoIndex = 0;
    // the year's plans move along with the seasons: drafted in winter, worked in summer, closed in autumn
    const yearPart = (this.todayDay - dayOf(this.year, 1, 1)) / 365;
    const statusMix: readonly (readonly [PlanStatus, number])[] =
      yearPart < 0.25
        ? [
            ["draft", 30],
            ["submitted", 25],
            ["returned", 8],
            ["approved", 25],
            ["in_progress", 12],
          ]
        : yearPart < 0.75
          ? [
              ["draft", 5],
              ["submitted", 8],
              ["returned", 4],
              ["approved", 15],
              ["in_progress", 65],
              ["completed", 3],
            ]
          : [
              ["draft", 6],
              ["submitted", 8],
              ["returned", 4],
              ["approved", 14],
              ["in_progress", 53],
              ["completed", 15],
            ];
    for (const hh of hhs) {
      const forced = demoBlock.has(hh) ? DEMO_STATUSES[demoIndex++ % DEMO_STATUSES.length] : null;
      if (forced || rng.chance(0.92)) {
        const st: PlanStatus = forced ?? rng.weighted(statusMix);
        hh.plan = this.plan(hh, this.year, st, officials);
        if (yearOf(hh.registeredDay) < this.year - 1 && rng.chance(0.4)) {
          hh.prevPlan = this.plan(hh, this.year - 1, "completed", officials);
        }
      }
    }

    // aid projects and fund allocations
    this.aid(t, hhs, officials, isZhenxing);

    // memberships
    for (const hh of hhs) {
      if (!rng.chance(0.55)) continue;
      const joins = rng.chance(0.2) ? 2 : 1;
      for (let j = 0; j < joins; j++) {
        const plants = (hh.plan?.crops.length ?? 0) > 0;
        const raises = (hh.plan?.animals.length ?? 0) > 0;
        const candidates = coops.map(
          (c, idx) =>
            [idx, c.kind === "mixed" ? 2 : c.kind === "planting" ? (plants ? 3 : 1) : raises ? 3 : 1] as const,
        );
        const idx = rng.weighted(candidates);
        if (hh.memberships.has(idx)) continue;
        const joinedDay = rng.chance(0.85)
          ? rng.int(
              Math.max(dayOf(2018, 3, 1), hh.registeredDay),
              Math.max(dayOf(2018, 3, 1), hh.registeredDay, dayOf(this.year - 1, 3, 1)),
            )
          : rng.int(dayOf(this.year, 1, 1), Math.max(dayOf(this.year, 1, 1), this.lastDay));
        const id = rng.uuid();
        const left = rng.chance(0.07) && joinedDay + 200 < this.lastDay;
        R.memberships.push({
          id,
          countyId: this.countyId,
          cooperativeId: coops[idx].id,
          householdId: hh.id,
          joinedOn: iso(Math.min(joinedDay, this.todayDay)),
          leftOn: left ? iso(rng.int(joinedDay + 200, this.lastDay)) : null,
        });
        if (!left) hh.memberships.set(idx, { id, joinedDay });
      }
    }

    // purchase orders, allocations, deliveries
    coops.forEach((coop, idx) => this.orders(coop, idx, hhs, demoHere && idx === 0));

    // checks
    this.checks(hhs, demoBlock);

    // each cooperative's clerk has asked for one household (the demo cooperative two) that an official
    // has yet to confirm. Ids come from a hash, not the generator, so the rest of the data stays as it was.
    coops.forEach((coop, idx) => {
      const wanted = demoHere && idx === 0 ? 2 : 1;
      const free = hhs.filter((hh) => hh.memberships.size === 0).slice(idx * 2, idx * 2 + wanted);
      for (const hh of free) {
        this.rows.membershipRequests.push({
          id: stableUuid(`membership-request:${coop.id}:${hh.id}`),
          countyId: this.countyId,
          cooperativeId: coop.id,
          householdId: hh.id,
          joinedOn: iso(this.todayDay),
          requestedBy: coop.clerkId,
        });
      }
    });
  }

  private plan(hh: Hh, year: number, status: PlanStatus, officials: string[]): PlanInfo {
    const rng = this.rng;
    const R = this.rows;
    const id = rng.uuid();
    const C = hh.courtyard;
    const living = Math.round(C * rng.real(0.22, 0.4));
    const raising = rng.chance(0.7) ? Math.max(6, Math.round(C * rng.real(0.06, 0.18))) : 0;
    const planting = rng.chance(0.95) ? Math.min(Math.round(C * rng.real(0.3, 0.5)), C - living - raising) : 0;

    // planting items: areas are whole m², their sum stays under the planting zone
    const crops: PlanInfo["crops"] = [];
    if (planting >= 10) {
      const k = Math.min(
        rng.weighted([
          [1, 35],
          [2, 45],
          [3, 20],
        ] as const),
        Math.floor(planting / 10),
      );
      const codes = new Set<CropCode>();
      while (codes.size < k) codes.add(rng.chance(0.12) ? rng.pick(OTHER_CROPS) : rng.weighted(MAIN_CROPS));
      const used = Math.floor(planting * rng.real(0.85, 1));
      const parts = [...codes].map(() => rng.real(0.5, 1.5));
      const total = parts.reduce((a, b) => a + b, 0);
      [...codes].forEach((code, i) => {
        const area = Math.max(1, Math.floor((used * parts[i]) / total));
        const [lo, hi] = CROPS[code].yieldKgPerM2;
        crops.push({ code, area, yieldKg: Math.round(area * rng.real(lo, hi) * 10) / 10 });
      });
    }
    const animals: PlanInfo["animals"] = [];
    if (raising > 0) {
      const k = rng.chance(0.3) ? 2 : 1;
      const codes = new Set<AnimalCode>();
      while (codes.size < k) codes.add(rng.weighted(ANIMAL_WEIGHTS));
      for (const code of codes) animals.push({ code, count: rng.int(...ANIMALS[code].count) });
    }
    for (const c of crops)
      R.plantingItems.push({
        id: rng.uuid(),
        countyId: this.countyId,
        planId: id,
        cropCode: c.code,
        area: c.area,
        expectedYieldKg: c.yieldKg,
      });
    for (const a of animals)
      R.raisingItems.push({
        id: rng.uuid(),
        countyId: this.countyId,
        planId: id,
        animalCode: a.code,
        headCount: a.count,
      });

    let incomeYuan = 0;
    for (const c of crops) incomeYuan += c.yieldKg * CROPS[c.code].yuanPerKg * 0.8;
    for (const a of animals) incomeYuan += a.count * ANIMALS[a.code].netYuan;
    incomeYuan = Math.max(2000, Math.round(incomeYuan / 100) * 100);

    const measures: string[] = [];
    for (const c of crops) {
      const mu = String(Number((c.area / 666.7).toFixed(2)));
      const ordered = c.code in ORDER_CROPS;
      measures.push(
        ordered && rng.chance(0.7)
          ? `种植${CROPS[c.code].zh}${mu}亩，与合作社签订订单`
          : `种植${CROPS[c.code].zh}${mu}亩，预计产量${Math.round(c.yieldKg)}公斤`,
      );
    }
    for (const a of animals) {
      const info = ANIMALS[a.code];
      measures.push(
        rng.chance(0.5)
          ? `养殖${info.zh}${a.count}${info.unit}，帮扶资金购买${info.young}`
          : `养殖${info.zh}${a.count}${info.unit}，做好防疫`,
      );
    }
    measures.splice(3);
    measures.push(rng.pick(CAUSE_MEASURES[hh.cause]));
    if (measures.length < 2) measures.push("帮扶干部每月走访，督促落实各项措施");

    // the workflow: each step an event; cadre steps by the household's cadre, official steps by an official
    const cadre = hh.current?.cadreId ?? hh.history?.cadreId ?? rng.pick(officials);
    const official = rng.pick(officials);
    type Step = { from: PlanStatus | null; to: PlanStatus; by: string; reason?: string };
    const steps: Step[] = [{ from: null, to: "draft", by: cadre }];
    const reach = ["draft", "submitted", "returned", "approved", "in_progress", "completed"].indexOf(status);
    let returnReason: string | null = null;
    if (reach >= 1) steps.push({ from: "draft", to: "submitted", by: cadre });
    if (status === "returned" || (reach >= 3 && rng.chance(0.2))) {
      returnReason = rng.pick(RETURN_REASONS);
      steps.push({ from: "submitted", to: "returned", by: official, reason: returnReason });
      if (status !== "returned") steps.push({ from: "returned", to: "submitted", by: cadre });
    }
    if (reach >= 3) steps.push({ from: "submitted", to: "approved", by: official });
    if (reach >= 4) steps.push({ from: "approved", to: "in_progress", by: cadre });
    if (reach >= 5) steps.push({ from: "in_progress", to: "completed", by: cadre });

    const windowStart = year === this.year ? Math.min(dayOf(year, 1, 2), this.lastDay - 20) : dayOf(year, 1, 2);
    const windowEnd = year === this.year ? this.lastDay : dayOf(year, 12, 28);
    const created = rng.int(windowStart, Math.max(windowStart, Math.min(windowStart + 100, windowEnd - 10)));
    const days = [created];
    for (let i = 1; i < steps.length; i++) {
      const prev = days[i - 1];
      const isLast = steps[i].to === "completed";
      const next = isLast ? rng.int(Math.max(prev + 1, windowEnd - 60), windowEnd) : prev + rng.int(1, 15);
      days.push(Math.min(windowEnd, Math.max(prev, next)));
    }
    let submittedAt: Date | null = null;
    let submittedBy: string | null = null;
    let approvedAt: Date | null = null;
    let approvedBy: string | null = null;
    let approvedDay: number | null = null;
    let last = new Date(0);
    let first: Date | null = null;
    steps.forEach((step, i) => {
      let when = at(rng, days[i]);
      if (when <= last) when = new Date(last.getTime() + rng.int(5, 120) * 60000);
      last = when;
      first ??= when;
      R.planEvents.push({
        id: rng.uuid(),
        countyId: this.countyId,
        planId: id,
        fromStatus: step.from,
        toStatus: step.to,
        reason: step.reason ?? null,
        userId: step.by,
        at: when,
      });
      if (step.to === "submitted") {
        submittedAt = when;
        submittedBy = step.by;
      }
      if (step.to === "approved") {
        approvedAt = when;
        approvedBy = step.by;
        approvedDay = days[i];
      }
    });
    R.plans.push({
      id,
      countyId: this.countyId,
      householdId: hh.id,
      year,
      status,
      courtyardArea: C,
      livingArea: living,
      plantingArea: planting,
      raisingArea: raising,
      measures,
      incomeTargetFen: incomeYuan * 100,
      returnReason: status === "returned" ? returnReason : null,
      createdBy: cadre,
      submittedAt,
      submittedBy,
      approvedAt,
      approvedBy,
      version: steps.length,
      createdAt: first ?? last,
      updatedAt: last,
    });
    return { id, year, status, planting, raising, crops, animals, approvedDay };
  }

  private aid(t: { id: string; name: string }, hhs: Hh[], officials: string[], isZhenxing: boolean) {
    const rng = this.rng;
    const R = this.rows;
    type Project = {
      id: string;
      year: number;
      type: (typeof s.projectType.enumValues)[number];
      name: string;
      source: string;
      used: number;
    };
    const projects: Project[] = [];
    const templates = [
      ["industry", "庭院经济产业扶持项目", "中央财政衔接资金"],
      ["industry", "庭院种植种苗补贴项目", "省级财政衔接资金"],
      ["industry", "庭院养殖畜禽补贴项目", "县级财政衔接资金"],
      ["employment", "乡村公益性岗位项目", "中央财政衔接资金"],
      ["education", "雨露计划教育资助项目", "省级财政衔接资金"],
      ["medical", "防止返贫医疗救助项目", "县级财政资金"],
      ["housing", "农村危房改造项目", "中央财政衔接资金"],
    ] as const;
    for (const year of [this.year - 1, this.year]) {
      for (const [type, name, source] of templates) {
        projects.push({ id: rng.uuid(), year, type, name: `${year}年${t.name}${name}`, source, used: 0 });
      }
    }
    const find = (year: number, name: string) => projects.find((p) => p.year === year && p.name.endsWith(name))!;
    const allocate = (
      p: Project,
      plan: PlanInfo,
      hh: Hh,
      kind: "cash" | "in_kind",
      amountFen: number,
      item: string | null,
      quantity: number | null,
      note: string | null,
    ) => {
      if (amountFen <= 0) return;
      const from = Math.max(plan.approvedDay ?? dayOf(plan.year, 3, 1), dayOf(plan.year, 1, 1));
      const to = Math.min(plan.year === this.year ? this.lastDay : dayOf(plan.year, 12, 31), from + 120);
      if (to < from) return;
      p.used += amountFen;
      R.fundAllocations.push({
        id: rng.uuid(),
        countyId: this.countyId,
        projectId: p.id,
        planId: plan.id,
        householdId: hh.id,
        kind,
        item,
        quantity,
        amountFen,
        allocatedOn: iso(rng.int(from, to)),
        note,
        createdBy: rng.pick(officials),
      });
    };
    for (const hh of hhs) {
      for (const plan of [hh.prevPlan, hh.plan]) {
        if (!plan || !["approved", "in_progress", "completed"].includes(plan.status)) continue;
        const y = plan.year;
        if (rng.chance(0.7)) {
          const crop = plan.crops.find((c) => SEEDLINGS[c.code]);
          const animal = plan.animals.length ? rng.pick(plan.animals) : null;
          if (crop && (!animal || rng.chance(0.5))) {
            const sd = SEEDLINGS[crop.code]!;
            const qty = Math.max(1, Math.round(crop.area * sd.perM2));
            allocate(find(y, "种苗补贴项目"), plan, hh, "in_kind", Math.round(qty * sd.yuan * 100), sd.item, qty, null);
          } else if (animal && (animal.code !== "cattle" || rng.chance(0.3))) {
            const info = ANIMALS[animal.code];
            const qty = Math.max(1, Math.min(animal.count, animal.code === "pig" ? rng.int(1, 2) : animal.count));
            allocate(find(y, "畜禽补贴项目"), plan, hh, "in_kind", qty * info.youngYuan * 100, info.young, qty, null);
          }
        }
        if (rng.chance(0.4))
          allocate(find(y, "产业扶持项目"), plan, hh, "cash", rng.int(5, 20) * 10000, null, null, "庭院经济产业奖补");
        if (hh.hasPartialLabour && rng.chance(0.12))
          allocate(find(y, "公益性岗位项目"), plan, hh, "cash", rng.int(30, 60) * 10000, null, null, "公益岗位补贴");
        if ((hh.cause === "education" || hh.hasStudent) && rng.chance(hh.cause === "education" ? 0.7 : 0.15))
          allocate(find(y, "教育资助项目"), plan, hh, "cash", 300000, null, null, "雨露计划职业教育补助");
        if (hh.cause === "illness" && rng.chance(0.3))
          allocate(find(y, "医疗救助项目"), plan, hh, "cash", rng.int(10, 80) * 10000, null, null, "大病医疗救助");
        if (rng.chance(0.02))
          allocate(find(y, "危房改造项目"), plan, hh, "cash", rng.int(15, 30) * 100000, null, null, "危房改造补助");
      }
    }
    for (const p of projects) {
      // budgets leave headroom: what was allocated is 55-85% of it, rounded up to 10,000 元
      const budget =
        p.used > 0 ? Math.ceil(p.used / rng.real(0.55, 0.85) / 1000000) * 1000000 : rng.int(10, 50) * 1000000;
      R.aidProjects.push({
        id: p.id,
        countyId: this.countyId,
        townshipId: t.id,
        name: p.name,
        type: p.type,
        fundingSource: p.source,
        budgetFen: budget,
        startsOn: iso(dayOf(p.year, 1, 1)),
        endsOn: iso(dayOf(p.year, 12, 31)),
        status: p.year < this.year ? "closed" : "active",
      });
    }
    if (isZhenxing) {
      R.aidProjects.push({
        id: rng.uuid(),
        countyId: this.countyId,
        townshipId: t.id,
        name: `${this.year + 1}年${t.name}庭院经济提档升级项目`,
        type: "industry",
        fundingSource: "中央财政衔接资金",
        budgetFen: 80000000,
        startsOn: iso(dayOf(this.year + 1, 1, 1)),
        endsOn: iso(dayOf(this.year + 1, 12, 31)),
        status: "planned",
      });
    }
  }

  private orders(coop: Coop, coopIdx: number, hhs: Hh[], isDemoCoop: boolean) {
    if (coop.kind === "raising") return;
    const rng = this.rng;
    const members = hhs.filter((hh) => hh.memberships.has(coopIdx));
    const allCrops: OrderCrop[] = ["chili", "potato", "cabbage", "cowpea"];
    for (const year of [this.year - 1, this.year]) {
      const crops = new Set<OrderCrop>();
      if (coop.focusCrop) crops.add(coop.focusCrop);
      const extra = year === this.year ? rng.int(1, 2) : rng.int(0, 1);
      for (let i = 0; i < extra; i++) crops.add(rng.pick(allCrops));
      if (isDemoCoop && year === this.year) allCrops.forEach((c) => crops.add(c));
      for (const crop of crops) {
        const info = ORDER_CROPS[crop];
        const start = dayOf(year, ...info.window[0]);
        const end = dayOf(year, ...info.window[1]);
        let status: (typeof s.orderStatus.enumValues)[number];
        if (year < this.year) status = rng.chance(0.88) ? "fulfilled" : "cancelled";
        else if (this.todayDay < start)
          status = rng.weighted([
            ["draft", 25],
            ["signed", 65],
            ["cancelled", 10],
          ] as const);
        else if (this.todayDay <= end)
          status = rng.weighted([
            ["signed", 20],
            ["delivering", 72],
            ["cancelled", 8],
          ] as const);
        else
          status = rng.weighted([
            ["fulfilled", 62],
            ["delivering", 22],
            ["signed", 6],
            ["cancelled", 10],
          ] as const);
        if (isDemoCoop && year === this.year && crop === "cowpea") status = "cancelled";
        const signedDay =
          status === "draft" ? null : Math.min(this.lastDay, rng.int(dayOf(year, 3, 1), dayOf(year, 5, 31)));
        this.order(coop, coopIdx, members, year, crop, status, signedDay, start, end);
      }
    }
    // next season's orders being drafted
    if (isDemoCoop || rng.chance(0.3)) {
      const crop = coop.focusCrop ?? "chili";
      const info = ORDER_CROPS[crop];
      this.order(
        coop,
        coopIdx,
        members,
        this.year + 1,
        crop,
        "draft",
        null,
        dayOf(this.year + 1, ...info.window[0]),
        dayOf(this.year + 1, ...info.window[1]),
      );
    }
  }

  private order(
    coop: Coop,
    coopIdx: number,
    members: Hh[],
    year: number,
    crop: OrderCrop,
    status: (typeof s.orderStatus.enumValues)[number],
    signedDay: number | null,
    start: number,
    end: number,
  ) {
    const rng = this.rng;
    const R = this.rows;
    const info = ORDER_CROPS[crop];
    const price = rng.int(info.priceFen[0] / 5, info.priceFen[1] / 5) * 5;
    const orderId = rng.uuid();
    // allocations: current members who joined before the order was signed, growers of the crop first
    const allocations: { id: string; kg: number }[] = [];
    if (status === "signed" || status === "delivering" || status === "fulfilled") {
      const eligible = members.filter((hh) => hh.memberships.get(coopIdx)!.joinedDay <= (signedDay ?? start));
      const growers = eligible.filter((hh) =>
        (year === this.year ? hh.plan : hh.prevPlan)?.crops.some((c) => c.code === crop),
      );
      const others = eligible.filter((hh) => !growers.includes(hh));
      const chosen = [...growers.filter(() => rng.chance(0.85)), ...others.filter(() => rng.chance(0.25))];
      for (const hh of chosen) {
        const planCrop = (year === this.year ? hh.plan : hh.prevPlan)?.crops.find((c) => c.code === crop);
        const kg = Math.max(
          50,
          Math.round((planCrop ? planCrop.yieldKg * rng.real(0.6, 0.9) : rng.int(100, 800)) / 10) * 10,
        );
        const id = rng.uuid();
        allocations.push({ id, kg });
        R.orderAllocations.push({
          id,
          countyId: this.countyId,
          orderId,
          householdId: hh.id,
          membershipId: hh.memberships.get(coopIdx)!.id,
          quantityKg: kg,
        });
      }
    }
    const allocated = allocations.reduce((a, b) => a + b.kg, 0);
    const quantity = allocated > 0 ? Math.ceil((allocated * rng.real(1.0, 1.3)) / 500) * 500 : rng.int(10, 60) * 500;
    if (allocated === 0 && (status === "delivering" || status === "fulfilled")) status = "signed";
    R.purchaseOrders.push({
      id: orderId,
      countyId: this.countyId,
      cooperativeId: coop.id,
      buyerId: rng.pick(this.buyerIds),
      cropCode: crop,
      quantityKg: quantity,
      unitPriceFen: price,
      season: `${year}年${info.season}`,
      deliveryStart: iso(start),
      deliveryEnd: iso(end),
      status,
      signedOn: signedDay === null ? null : iso(signedDay),
    });
    if (status !== "delivering" && status !== "fulfilled") return;
    const lastDeliveryDay = Math.min(end, this.lastDay);
    for (const a of allocations) {
      if (status === "delivering" && !rng.chance(0.6)) continue;
      // work in tenths of a kilogram: whole numbers, never over the allocation
      const totalTenths = Math.floor(a.kg * 10 * (status === "fulfilled" ? rng.real(0.95, 1) : rng.real(0.2, 0.8)));
      const k = Math.min(rng.int(1, 3), totalTenths);
      const cuts = Array.from({ length: k - 1 }, () => rng.int(1, totalTenths - 1)).sort((x, y) => x - y);
      const parts = [...cuts, totalTenths].map((c, i, all) => c - (i === 0 ? 0 : all[i - 1])).filter((p) => p > 0);
      const days = parts.map(() => rng.int(start, Math.max(start, lastDeliveryDay))).sort((x, y) => x - y);
      parts.forEach((tenths, i) => {
        const grade = rng.weighted([
          ["first", 60],
          ["second", 25],
          ["third", 10],
          ["off_grade", 5],
        ] as const);
        // lower grades are paid less, within the delivery price tolerance (decision 015)
        const unit = Math.round(price * { first: 1, second: 0.9, third: 0.8, off_grade: 0.75 }[grade]);
        const amount = Math.round((tenths * unit) / 10);
        const old = days[i] < this.todayDay - 30;
        const pay = rng.weighted(
          old
            ? ([
                ["paid", 80],
                ["partial", 10],
                ["unpaid", 10],
              ] as const)
            : ([
                ["paid", 30],
                ["partial", 20],
                ["unpaid", 50],
              ] as const),
        );
        const paid =
          pay === "paid" ? amount : pay === "partial" ? Math.max(1, Math.floor(amount * rng.real(0.3, 0.8))) : 0;
        const deliveryId = rng.uuid();
        R.deliveries.push({
          id: deliveryId,
          countyId: this.countyId,
          allocationId: a.id,
          deliveredOn: iso(days[i]),
          quantityKg: tenths / 10,
          grade,
          unitPriceFen: unit,
          amountFen: amount,
          createdBy: coop.clerkId,
        });
        if (paid > 0) {
          R.payments.push({
            id: rng.uuid(),
            countyId: this.countyId,
            deliveryId,
            amountFen: paid,
            paidOn: iso(Math.min(this.todayDay, days[i] + rng.int(3, 30))),
            createdBy: coop.clerkId,
          });
        }
      });
    }
  }

  private checks(hhs: Hh[], demoBlock: Set<Hh>) {
    const rng = this.rng;
    const R = this.rows;
    const windowStart = this.todayDay - 366;
    const DEMO_OVERDUE: Hh["overdue"][] = [
      "none",
      "stale",
      "none",
      "missed",
      "none",
      "none",
      "stale",
      "none",
      "none",
      "none",
      "none",
      "none",
    ];
    let demoIndex = 0;
    // what a visit sees of each crop, by month (Heilongjiang: planted in May, harvested by October)
    const STAGES: Record<string, Record<number, string>> = {
      chili: {
        4: "已育苗",
        5: "已定植，缓苗良好",
        6: "长势良好，开始开花",
        7: "开始挂果",
        8: "采收第一茬",
        9: "采收中，已按订单交售",
        10: "已拉秧，秸秆已清理",
      },
      potato: {
        4: "已播种",
        5: "已出苗",
        6: "已培土，长势正常",
        7: "开花，长势良好",
        8: "块茎膨大期",
        9: "收获中",
        10: "已收获入窖",
      },
      cabbage: { 6: "已育苗", 7: "已定植", 8: "莲座期，长势正常", 9: "包心期", 10: "已收获，部分交售" },
      cowpea: {
        5: "已播种",
        6: "已搭架，长势正常",
        7: "开始采摘",
        8: "采摘中，已交售合作社",
        9: "采摘后期",
        10: "已拉秧",
      },
      other: { 5: "已播种", 6: "长势正常", 7: "长势良好", 8: "采收中", 9: "采收中", 10: "已收获" },
    };
    const WINTER = ["庭院已清理，秸秆已归集", "院内积雪已清理", "庭院已清理，准备明年种植"];
    const PROBLEMS = {
      planting: [
        "辣椒出现病毒病，叶片卷曲",
        "干旱，豇豆长势偏弱",
        "马铃薯晚疫病零星发生",
        "白菜有菜青虫危害",
        "追肥不及时，辣椒长势偏弱",
      ],
      raising: ["鸡舍通风不良，有啄羽现象", "仔猪腹泻两头", "鹅雏长势偏慢", "圈舍卫生较差", "饲料储备不足"],
      living: ["院内杂物堆放较乱", "厕所改造未完成"],
    };
    const MEASURES = {
      planting: ["联系乡农技站技术员上门指导病虫害防治", "督促按时浇水追肥", "协调合作社统一供应农药"],
      raising: ["协调乡兽医站上门诊治并免费防疫", "指导改善圈舍通风和卫生", "协助联系饲料赊购"],
      living: ["督促清理院内杂物", "协调村里安排改厕施工"],
    };
    for (const hh of hhs) {
      if (!hh.current && !hh.history) continue;
      if (demoBlock.has(hh)) hh.overdue = DEMO_OVERDUE[demoIndex++ % DEMO_OVERDUE.length];
      else
        hh.overdue = rng.weighted([
          ["none", 85],
          ["stale", 10],
          ["missed", 5],
        ] as const);
      // the last visit, then back in steps of about a month
      const lastEnd = hh.current ? this.todayDay : hh.history!.endDay;
      const offset =
        hh.overdue === "stale" ? rng.int(35, 100) : hh.overdue === "missed" ? rng.int(10, 25) : rng.int(0, 27);
      const visits: number[] = [];
      for (let d = lastEnd - offset; d >= windowStart; d -= rng.int(24, 38)) visits.unshift(d);
      visits.forEach((day, i) => {
        const cadreId =
          hh.history && day >= hh.history.startDay && day < hh.history.endDay
            ? hh.history.cadreId
            : hh.current && day >= hh.current.startDay
              ? hh.current.cadreId
              : null;
        if (!cadreId) return;
        const plan = yearOf(day) === this.year ? hh.plan : yearOf(day) === this.year - 1 ? hh.prevPlan : null;
        const month = monthOf(day);
        const winter = month >= 11 || month <= 3;
        const zone = (applies: boolean, weights: readonly (readonly [ZoneStatus, number])[]): ZoneStatus =>
          applies ? rng.weighted(weights) : "not_applicable";
        const living = zone(true, [
          ["on_track", 88],
          ["behind", 8],
          ["problem", 4],
        ]);
        const planting =
          winter && rng.chance(0.7)
            ? "not_applicable"
            : zone(!plan || plan.planting > 0, [
                ["on_track", 70],
                ["behind", 20],
                ["problem", 10],
              ]);
        const raising = zone(!plan || plan.raising > 0, [
          ["on_track", 80],
          ["behind", 12],
          ["problem", 8],
        ]);
        const problems: string[] = [];
        const measures: string[] = [];
        let plantingNote: string | null = null;
        let raisingNote: string | null = null;
        let livingNote: string | null = null;
        if (planting === "behind" || planting === "problem") {
          plantingNote = rng.pick(PROBLEMS.planting);
          if (planting === "problem" || rng.chance(0.5)) {
            problems.push(plantingNote);
            measures.push(rng.pick(MEASURES.planting));
          }
        }
        if (raising === "behind" || raising === "problem") {
          raisingNote = rng.pick(PROBLEMS.raising);
          if (raising === "problem" || rng.chance(0.5)) {
            problems.push(raisingNote);
            measures.push(rng.pick(MEASURES.raising));
          }
        }
        if (living !== "on_track") {
          livingNote = rng.pick(PROBLEMS.living);
          problems.push(livingNote);
          measures.push(rng.pick(MEASURES.living));
        }
        const isLast = i === visits.length - 1;
        let nextDue: number | null = null;
        if (isLast && hh.overdue === "missed") nextDue = day + 7;
        else if (isLast && hh.overdue === "none") nextDue = rng.chance(0.7) ? day + 30 : null;
        else if (rng.chance(0.5)) nextDue = day + (problems.length && !isLast ? 14 : 30);
        const solvedOn = problems.length && !isLast && rng.chance(0.7) ? visits[i + 1] : null;
        const seen: string[] = [];
        for (const c of plan?.crops.slice(0, 2) ?? []) {
          const stage = (STAGES[c.code] ?? STAGES.other)[month];
          if (stage) seen.push(`${CROPS[c.code].zh}${stage}`);
        }
        if (seen.length === 0) seen.push(winter ? rng.pick(WINTER) : "庭院整洁，生产生活正常");
        if (plan?.animals.length)
          seen.push(
            `${ANIMALS[plan.animals[0].code].zh}存栏${plan.animals[0].count}${ANIMALS[plan.animals[0].code].unit}，长势正常`,
          );
        R.checks.push({
          id: rng.uuid(),
          countyId: this.countyId,
          householdId: hh.id,
          planId: plan?.id ?? null,
          cadreId,
          visitedOn: iso(day),
          livingStatus: living,
          livingNote,
          plantingStatus: planting,
          plantingNote,
          raisingStatus: raising,
          raisingNote,
          seen: seen.join("；"),
          problems: problems.length ? problems.join("；") : null,
          measures: measures.length ? measures.join("；") : rng.chance(0.4) ? "宣讲帮扶政策，督促按计划落实" : null,
          helpNeeded:
            problems.length && rng.chance(0.3)
              ? rng.pick(["需要农技人员上门指导", "需要协调资金购买种苗", "需要兽医上门", "需要协调收购"])
              : null,
          nextDueOn: nextDue === null ? null : iso(nextDue),
          problemSolvedOn: solvedOn === null ? null : iso(solvedOn),
          createdAt: at(rng, Math.min(day, this.lastDay)),
        });
      });
    }
  }
}

/** Split `total` into integer parts proportional to `weights` (largest remainder). */
function distribute(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const raw = weights.map((w) => (total * w) / sum);
  const parts = raw.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0]);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) parts[order[k][1]]++;
  return parts;
}

/** The townships to fill: 振兴乡 alone up to 5,000 households, else ~4,000 households per township. */
function planTownships(total: number, rng: Rng) {
  const n = total <= 5000 ? 1 : Math.ceil(total / 4000);
  const sizes =
    n === 1
      ? [total]
      : distribute(
          total,
          Array.from({ length: n }, () => rng.real(0.75, 1.25)),
        );
  return sizes.map((households, i) => {
    const [name, nameEn] = TOWNSHIPS[i % TOWNSHIPS.length];
    const round = Math.floor(i / TOWNSHIPS.length);
    return {
      id: rng.uuid(),
      name: round === 0 ? name : name.replace(/(乡|镇)$/, `${CN_ORDINAL[round] ?? round + 1}$1`),
      nameEn: round === 0 ? nameEn : `${nameEn} ${round + 1}`,
      code: `${COUNTY_CODE}${101 + i}`,
      households,
    };
  });
}

/**
 * Runs once every row is in and every key and index is back, inside the seed's transaction: rows derived
 * from the seeded ones (summaries, caches) are filled here, so a seeded database starts consistent.
 */
async function afterLoad(tx: DbOrTx): Promise<void> {
  await rebuildVisitState(tx);
}

/**
 * Fills an empty, migrated database. Everything happens in one transaction: a failure leaves it empty.
 * All seeded users share one password hash (argon2 is slow on purpose); the demo accounts `admin`,
 * `official`, `cadre`, `clerk` exist only with `demo: true`. Their password is DEMO_PASSWORD.
 */
export async function seed(db: Db, opts: SeedOptions): Promise<SeedSummary> {
  const started = Date.now();
  if (!Number.isInteger(opts.households) || opts.households < 1) {
    throw new RangeError(`households must be a positive integer, got ${opts.households}`);
  }
  // township codes 230828101..230828999 at ~4,000 households each
  if (opts.households > 3_000_000) throw new RangeError("at most 3,000,000 households fit one county's region codes");
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const gen = new Generator(opts, passwordHash);
  const townships = planTownships(opts.households, gen.rng);
  gen.zhenxingId = townships[0].id;

  // one township at a time: memory stays bounded at county size, and one transaction keeps it all-or-nothing
  await db.transaction(async (tx) => {
    const bulk = opts.bulk ?? opts.households >= BULK_FROM_HOUSEHOLDS;
    const restoreKeysAndIndexes = bulk ? await suspendKeysAndIndexes(tx) : null;
    const copy = bulk ? copyClientOf(tx) : null;
    gen.county(townships);
    await flush(tx, gen.rows, gen.counts, copy);
    for (const [i, t] of townships.entries()) {
      gen.township(t, t.households, i === 0);
      // a few big loads rather than one per township and table: each COPY has its round trips
      if (!copy || bufferedRows(gen.rows) >= FLUSH_ROWS) await flush(tx, gen.rows, gen.counts, copy);
    }
    await flush(tx, gen.rows, gen.counts, copy);
    await restoreKeysAndIndexes?.();
    await afterLoad(tx);
  });
  // fresh statistics for the planner (autovacuum may be off or slow to notice a bulk load)
  await db.execute(sql`analyze`);

  return {
    ...gen.counts,
    ids: { countyId: gen.countyId, townshipId: gen.zhenxingId, adminId: gen.adminId, demo: gen.demoIds },
    elapsedMs: Date.now() - started,
  };
}
