// Holds many signed-in users on the production server against PostgreSQL and reports errors and latency.
// A measurement, not a test: the numbers depend on the machine, so it prints them instead of asserting them.
//
//   npm run load -- [--users 100] [--seconds 60] [--think 0] [--json out.json] [--seed 1]
//
// DATABASE_URL (default postgres://postgres@127.0.0.1:5432/tingyuan_load) names a database of its own: it is
// created if missing, migrated and filled with the demo data as the server fills an empty database on first
// start, then given the extra accounts that make `--users` distinct people (cadres each holding their own
// households, officials, clerks). The script builds the app if build/ is missing, starts `node server.js`
// (NODE_ENV=production, a free port) as a child, signs every user in through the login form, and lets each
// one loop over its role's pages and writes until the time is up. Any 5xx, network error or unexpected status
// counts as an error; the exit code is 1 when there was one. See docs/reliability.md.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import postgres from "postgres";
import sharp from "sharp";
import { openPostgres, queryRows, type Db } from "../db/client";
import { cadreAssignments, users } from "../db/schema";
import { DEMO_PASSWORD, mulberry32 } from "../db/seed";
import { seedDemoIfEmpty } from "../db/seed-demo";
import { freePort } from "../tests/support/spawn-server";
import { todayISO } from "~/utils/dates";
import { addDays } from "~/utils/due";
import { hashPassword } from "~/utils/password.server";

// ---------- options ----------

const { values: opts } = parseArgs({
  options: {
    users: { type: "string", default: "100" },
    seconds: { type: "string", default: "60" },
    think: { type: "string", default: "0" },
    json: { type: "string" },
    seed: { type: "string", default: "1" },
    help: { type: "boolean", short: "h" },
  },
});
function usage(problem?: string): never {
  if (problem) console.error(problem);
  console.error("usage: npm run load -- [--users 100] [--seconds 60] [--think <ms>] [--json <file>] [--seed <n>]");
  process.exit(2);
}
if (opts.help) usage();
const USERS = Number(opts.users);
const SECONDS = Number(opts.seconds);
const THINK_MS = Number(opts.think);
if (!Number.isInteger(USERS) || USERS < 3) usage("--users needs an integer of at least 3 (one per role)");
if (!(SECONDS > 0)) usage("--seconds needs a positive number");
if (!(THINK_MS >= 0)) usage("--think needs a number of milliseconds, 0 or more");

const DATABASE_URL = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/tingyuan_load";
/** Shared databases (the test suites' and the server's own): the script never writes to them. */
const NOT_OURS = /^(test|ty_test_.*|postgres|template\d*)$/;
const REQUEST_TIMEOUT_MS = 30_000;
const ROOT = process.cwd();
const WORK_DIR = path.join(ROOT, "data", "load");
const MB = 1024 * 1024;

const random = mulberry32(Number(opts.seed) || 1);
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];

// ---------- the database ----------

/** Creates the database if it does not exist; refuses the shared test databases. */
async function ensureDatabase(url: string) {
  const parsed = new URL(url);
  const name = decodeURIComponent(parsed.pathname.replace(/^\//, ""));
  if (!name || NOT_OURS.test(name)) {
    throw new Error(`refusing database "${name}": the load script needs a database of its own (e.g. tingyuan_load)`);
  }
  parsed.pathname = "/postgres";
  const admin = postgres(parsed.toString(), { max: 1, onnotice: () => {} });
  try {
    const found = await admin`select 1 from pg_database where datname = ${name}`;
    if (found.length === 0) {
      await admin.unsafe(`create database "${name.replace(/"/g, '""')}"`);
      console.log(`created database ${name}`);
    }
  } finally {
    await admin.end({ timeout: 5 });
  }
  return name;
}

type Role = "cadre" | "official" | "clerk";
type Account = { id: string; username: string; role: Role };
type CadreWork = { households: string[] };
type OfficialWork = { households: string[]; villages: string[]; cadres: string[]; idTails: string[] };
type Allocation = { orderId: string; householdId: string };
type Delivery = { orderId: string; allocationId: string; unitPrice: string; deliveredOn: string; left: number };
type ClerkWork = { cooperativeId: string; orders: string[]; allocate: Allocation[]; deliver: Delivery[] };
type VirtualUser =
  | (Account & { role: "cadre"; work: CadreWork })
  | (Account & { role: "official"; work: OfficialWork })
  | (Account & { role: "clerk"; work: ClerkWork });

/** A share of the users per role: most are cadres in the field, then officials, then clerks. */
function roleCounts(total: number) {
  const officials = Math.max(1, Math.round(total * 0.25));
  const clerks = Math.max(1, Math.round(total * 0.15));
  return { cadres: total - officials - clerks, officials, clerks };
}

const ALLOCATION_KG = 1;
const DELIVERY_KG = 0.5;

/**
 * The demo township's accounts, topped up with `load-*` accounts until each role has its count. New cadres
 * take over half the households of the cadre holding the most, as an official's hand-over would (the earlier
 * assignment ends the day before); rerunning finds the accounts it made before and makes none twice.
 */
async function prepareUsers(db: Db, total: number): Promise<VirtualUser[]> {
  const want = roleCounts(total);
  const [demo] = await queryRows<{ id: string; countyId: string; townshipId: string }>(
    db,
    sql`select id, county_id as "countyId", township_id as "townshipId" from users where username = 'official'`,
  );
  if (!demo) throw new Error("no demo official in this database: it was not filled by the demo seed");
  const today = todayISO();
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const accounts = async (role: Role) =>
    queryRows<Account>(
      db,
      sql`select id, username, role from users where role = ${role} and active and county_id = ${demo.countyId}
          and (township_id = ${demo.townshipId}
               or cooperative_id in (select id from cooperatives where township_id = ${demo.townshipId}))
          order by username like 'load-%', username`,
    );
  const newUser = async (role: Role, n: number, extra: { townshipId?: string; cooperativeId?: string }) => {
    const username = `load-${role}-${String(n).padStart(3, "0")}`;
    const [row] = await db
      .insert(users)
      .values({
        username,
        passwordHash,
        displayName: `压测${{ cadre: "帮扶干部", official: "乡镇干部", clerk: "合作社记账员" }[role]}${n}`,
        role,
        countyId: demo.countyId,
        townshipId: extra.townshipId ?? null,
        cooperativeId: extra.cooperativeId ?? null,
      })
      .onConflictDoNothing()
      .returning({ id: users.id });
    return row ? { id: row.id, username, role } : null;
  };

  // cadres with households
  const holdings = async () =>
    queryRows<{ id: string; username: string; n: number }>(
      db,
      sql`select u.id, u.username, count(ca.id)::int as n from users u
          left join cadre_assignments ca on ca.cadre_id = u.id and ca.ends_on is null
          where u.role = 'cadre' and u.active and u.township_id = ${demo.townshipId}
          group by u.id, u.username order by u.username like 'load-%', u.username`,
    );
  let cadres = await holdings();
  for (let n = 1; cadres.filter((c) => c.n > 0).length < want.cadres; n++) {
    const username = `load-cadre-${String(n).padStart(3, "0")}`;
    let cadre = cadres.find((c) => c.username === username);
    if (!cadre) {
      const made = await newUser("cadre", n, { townshipId: demo.townshipId });
      if (!made) throw new Error(`${username} exists outside the demo township`);
      cadre = { id: made.id, username, n: 0 };
    }
    if (cadre.n === 0) {
      const donor = cadres.reduce((a, b) => (b.n > a.n ? b : a));
      if (donor.n < 4) throw new Error(`not enough households for ${want.cadres} cadres`);
      await handOver(db, { from: donor.id, to: cadre.id, count: Math.floor(donor.n / 2), by: demo.id, today });
    }
    cadres = await holdings();
  }
  const cadreAccounts = cadres.filter((c) => c.n > 0).slice(0, want.cadres);

  let officials = await accounts("official");
  for (let n = 1; officials.length < want.officials; n++) {
    if (await newUser("official", n, { townshipId: demo.townshipId })) officials = await accounts("official");
  }
  officials = officials.slice(0, want.officials);

  // the new clerks keep the books of cooperatives with open orders (in the demo data, one of them), so the
  // clerks' share of the load has writes in it, not only pages
  const coops = await queryRows<{ id: string; open: number }>(
    db,
    sql`select c.id, count(o.id)::int as open from cooperatives c
        left join purchase_orders o on o.cooperative_id = c.id and o.status in ('draft', 'signed', 'delivering')
        where c.township_id = ${demo.townshipId} group by c.id order by count(o.id) desc, c.name`,
  );
  const writable = coops.filter((c) => c.open > 0);
  const homes = writable.length ? writable : coops;
  let clerks = await accounts("clerk");
  for (let n = 1; clerks.length < want.clerks; n++) {
    if (await newUser("clerk", n, { cooperativeId: homes[n % homes.length].id })) clerks = await accounts("clerk");
  }
  clerks = clerks.slice(0, want.clerks);

  return [
    ...(await cadreWork(db, cadreAccounts)),
    ...(await officialWork(db, officials, demo.townshipId)),
    ...(await clerkWork(db, clerks, today)),
  ];
}

/** `count` of a cadre's households handed to another from today, in one transaction. */
async function handOver(db: Db, input: { from: string; to: string; count: number; by: string; today: string }) {
  await db.transaction(async (tx) => {
    const held = await tx
      .select({
        id: cadreAssignments.id,
        householdId: cadreAssignments.householdId,
        countyId: cadreAssignments.countyId,
      })
      .from(cadreAssignments)
      .where(and(eq(cadreAssignments.cadreId, input.from), isNull(cadreAssignments.endsOn)))
      .orderBy(cadreAssignments.householdId)
      .limit(input.count)
      .for("update");
    await tx
      .update(cadreAssignments)
      .set({
        endsOn: sql`greatest(${cadreAssignments.startsOn}, ${addDays(input.today, -1)}::date)`,
        endedBy: input.by,
        endReason: "移交",
      })
      .where(
        inArray(
          cadreAssignments.id,
          held.map((h) => h.id),
        ),
      );
    await tx.insert(cadreAssignments).values(
      held.map((h) => ({
        countyId: h.countyId,
        householdId: h.householdId,
        cadreId: input.to,
        startsOn: input.today,
        assignedBy: input.by,
      })),
    );
  });
}

async function cadreWork(db: Db, cadres: { id: string; username: string }[]): Promise<VirtualUser[]> {
  const rows = cadres.length
    ? await db
        .select({ cadreId: cadreAssignments.cadreId, householdId: cadreAssignments.householdId })
        .from(cadreAssignments)
        .where(
          and(
            inArray(
              cadreAssignments.cadreId,
              cadres.map((c) => c.id),
            ),
            isNull(cadreAssignments.endsOn),
          ),
        )
    : [];
  return cadres.map((c) => ({
    id: c.id,
    username: c.username,
    role: "cadre",
    work: { households: rows.filter((r) => r.cadreId === c.id).map((r) => r.householdId) },
  }));
}

async function officialWork(db: Db, officials: Account[], townshipId: string): Promise<VirtualUser[]> {
  const households = await queryRows<{ id: string }>(
    db,
    sql`select id from households where township_id = ${townshipId}`,
  );
  const villages = await queryRows<{ id: string }>(
    db,
    sql`select id from regions where parent_id = ${townshipId} and level = 'village'`,
  );
  const cadres = await queryRows<{ id: string }>(
    db,
    sql`select id from users where role = 'cadre' and township_id = ${townshipId} and active`,
  );
  const tails = await queryRows<{ tail: string }>(
    db,
    sql`select right(m.id_number, 4) as tail from members m join households h on h.id = m.household_id
        where h.township_id = ${townshipId} order by m.id limit 200`,
  );
  const work: OfficialWork = {
    households: households.map((r) => r.id),
    villages: villages.map((r) => r.id),
    cadres: cadres.map((r) => r.id),
    idTails: tails.map((r) => r.tail),
  };
  return officials.map((o) => ({ ...o, role: "official", work }));
}

/**
 * What each clerk may write without being refused: allocations of 1 kg to member households that have none
 * on the order yet (while the order has kilograms left), and deliveries of 0.5 kg at the contract price
 * against allocations with room, dated today or, for a window already past, on its last allowed day (a
 * delivery written down late). Each target goes to one clerk only, so two clerks of a cooperative never
 * race for the same household: a refusal in the run is then a fault, not a lost race.
 */
async function clerkWork(db: Db, clerks: Account[], today: string): Promise<VirtualUser[]> {
  const byCoop = new Map<string, Account[]>();
  const clerkCoop = clerks.length
    ? await db
        .select({ id: users.id, cooperativeId: users.cooperativeId })
        .from(users)
        .where(
          inArray(
            users.id,
            clerks.map((c) => c.id),
          ),
        )
    : [];
  const coopOf = new Map(clerkCoop.map((r) => [r.id, r.cooperativeId!]));
  for (const c of clerks) {
    const coop = coopOf.get(c.id)!;
    byCoop.set(coop, [...(byCoop.get(coop) ?? []), c]);
  }
  const result: VirtualUser[] = [];
  for (const [cooperativeId, members] of byCoop) {
    const orders = await queryRows<{ id: string }>(
      db,
      sql`select id from purchase_orders where cooperative_id = ${cooperativeId} order by delivery_start desc`,
    );
    const open = await queryRows<{ id: string; left: number }>(
      db,
      sql`select o.id, (o.quantity_kg - coalesce(sum(a.quantity_kg), 0))::float8 as left from purchase_orders o
          left join order_allocations a on a.order_id = o.id
          where o.cooperative_id = ${cooperativeId} and o.status in ('draft', 'signed', 'delivering')
          group by o.id order by o.id`,
    );
    const allocate: Allocation[] = [];
    for (const order of open) {
      const candidates = await queryRows<{ householdId: string }>(
        db,
        sql`select m.household_id as "householdId" from memberships m
            where m.cooperative_id = ${cooperativeId} and m.left_on is null
              and not exists (select 1 from order_allocations a where a.order_id = ${order.id} and a.household_id = m.household_id)
            order by m.household_id`,
      );
      for (const c of candidates.slice(0, Math.floor(order.left / ALLOCATION_KG)))
        allocate.push({ orderId: order.id, householdId: c.householdId });
    }
    const deliver = await queryRows<Delivery>(
      db,
      sql`select o.id as "orderId", a.id as "allocationId", to_char(o.unit_price_fen / 100.0, 'FM999999990.00') as "unitPrice",
            to_char(least(${today}::date, o.delivery_end + 15), 'YYYY-MM-DD') as "deliveredOn",
            floor(((a.quantity_kg * 1.1 - coalesce((select sum(d.quantity_kg) from deliveries d where d.allocation_id = a.id), 0)) / ${DELIVERY_KG}))::int - 1 as left
          from order_allocations a join purchase_orders o on o.id = a.order_id
          where o.cooperative_id = ${cooperativeId} and o.status in ('signed', 'delivering')
            and o.delivery_start - 7 <= ${today}::date
            and o.quantity_kg - (select coalesce(sum(d.quantity_kg), 0) from deliveries d join order_allocations x on x.id = d.allocation_id where x.order_id = o.id) > 50
          order by a.id`,
    );
    members.forEach((clerk, i) =>
      result.push({
        ...clerk,
        role: "clerk",
        work: {
          cooperativeId,
          orders: orders.map((o) => o.id),
          allocate: allocate.filter((_, k) => k % members.length === i),
          deliver: deliver.filter((d, k) => k % members.length === i && d.left > 0),
        },
      }),
    );
  }
  return result;
}

// ---------- the server ----------

type Server = { url: string; child: ChildProcess; logFile: string; exited: Promise<void> };

async function startServer(databaseUrl: string): Promise<Server> {
  if (!fs.existsSync(path.join(ROOT, "build", "index.js"))) {
    console.log("build/ is missing: npm run build");
    const built = spawnSync("npm", ["run", "build"], { stdio: "inherit" });
    if (built.status !== 0) throw new Error("the build failed");
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const logFile = path.join(WORK_DIR, "server.log");
  const log = fs.openSync(logFile, "w");
  const child = spawn(process.execPath, ["server.js", "build/index.js"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_URL: databaseUrl,
      SESSION_SECRET: crypto.randomBytes(32).toString("hex"),
      SEED_DEMO: "false",
      // check photos land here, not in the embedded installation's folder
      DATA_DIR: WORK_DIR,
    },
    stdio: ["ignore", log, log],
  });
  fs.closeSync(log);
  const exited = new Promise<void>((resolve) =>
    child.once("exit", (code, signal) => {
      if (measuring) {
        // nothing is left to measure: stop the users now instead of counting refused connections for the rest
        serverDied = { code, signal, atSeconds: (Date.now() - runStarted) / 1000 };
        deadline = Date.now();
      }
      resolve();
    }),
  );
  const giveUpAt = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`the server exited at start:\n${tail(logFile)}`);
    try {
      if ((await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(5000) })).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > giveUpAt) throw new Error(`the server did not answer /healthz within 60 s:\n${tail(logFile)}`);
    await sleep(200);
  }
  return { url, child, logFile, exited };
}

async function stopServer(server: Server) {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  server.child.kill("SIGTERM");
  await Promise.race([server.exited, sleep(10_000)]);
  if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill("SIGKILL");
}

function tail(file: string, lines = 30) {
  try {
    return fs.readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

/** The child's resident set size in bytes (Linux), or null once it is gone. */
function rssOf(pid: number): number | null {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb ? Number(kb) * 1024 : null;
  } catch {
    return null;
  }
}

// ---------- requests ----------

type Sample = { kind: string; ms: number; ok: boolean };
type Failure = {
  kind: string;
  method: string;
  url: string;
  status: number | string;
  atSeconds: number;
  ms: number;
  body: string;
};
const samples: Sample[] = [];
const failures: Failure[] = [];
let measuring = false;
/** After this moment no request starts: the run holds all its users until the end, then stops at once. */
let deadline = Infinity;
let runStarted = 0;
let serverDied: { code: number | null; signal: NodeJS.Signals | null; atSeconds: number } | undefined;

function sleep(ms: number) {
  return new Promise<void>((resolve) => setTimeout(resolve, ms));
}

class Client {
  cookie = "";
  constructor(
    readonly base: string,
    readonly origin: string,
  ) {}

  /**
   * One request, timed until its body is read. `expect`: the statuses that count as success, 200 unless
   * named (a write answers 302; redirects are not followed here). Returns the status, Location and body.
   */
  async send(
    kind: string,
    pathAndQuery: string,
    init: { method?: string; body?: FormData | URLSearchParams; expect?: number[] } = {},
  ): Promise<{ status: number; location: string | null; text: string } | null> {
    if (Date.now() >= deadline) return null;
    const method = init.method ?? "GET";
    const headers: Record<string, string> = { Accept: "text/html,*/*", "User-Agent": "tingyuan-load" };
    if (this.cookie) headers.Cookie = this.cookie;
    // the server refuses a write without its own Origin (403); a browser sends it with every form post
    if (method !== "GET") headers.Origin = this.origin;
    const started = performance.now();
    let status: number | string;
    let text = "";
    let location: string | null = null;
    try {
      const res = await fetch(this.base + pathAndQuery, {
        method,
        headers,
        body: init.body,
        redirect: "manual",
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      status = res.status;
      location = res.headers.get("location");
      const setCookie = res.headers.get("set-cookie");
      if (setCookie?.startsWith("ty_session=")) this.cookie = setCookie.split(";")[0];
      text = await res.text();
    } catch (error) {
      status =
        error instanceof Error
          ? `${error.name}: ${(error.cause as Error | undefined)?.message ?? error.message}`
          : String(error);
    }
    const ms = performance.now() - started;
    const ok = typeof status === "number" && (init.expect ?? [200]).includes(status);
    if (measuring) {
      samples.push({ kind, ms, ok });
      if (!ok) {
        const atSeconds = Number(((Date.now() - runStarted) / 1000).toFixed(1));
        failures.push({
          kind,
          method,
          url: pathAndQuery,
          status,
          atSeconds,
          ms: Math.round(ms),
          body: text.replace(/\s+/g, " ").slice(0, 200),
        });
      }
      // a person reads the page before the next click: uniform around the mean, never past the end
      if (THINK_MS > 0) await sleep(Math.min(THINK_MS * 2 * random(), deadline - Date.now()));
    }
    return typeof status === "number" ? { status, location, text } : null;
  }
}

async function signIn(client: Client, username: string) {
  const res = await client.send("sign-in", "/login", {
    method: "POST",
    body: new URLSearchParams({ username, password: DEMO_PASSWORD, redirectTo: "/" }),
    expect: [302],
  });
  if (res?.status !== 302 || !client.cookie)
    throw new Error(`sign-in as ${username} answered ${res?.status ?? "no response"}`);
}

// ---------- what each role does ----------

let smallPhoto: Blob;

const ZONE_STATUSES = ["on_track", "on_track", "on_track", "behind", "problem", "not_applicable"];

/** The check form as the browser posts it: every field, an empty file part when no photo is chosen. */
function checkForm(today: string, withPhoto: boolean) {
  const form = new FormData();
  form.set("visitedOn", today);
  for (const zone of ["living", "planting", "raising"]) {
    form.set(`${zone}Status`, pick(ZONE_STATUSES));
    form.set(`${zone}Note`, pick(["", "长势良好", "需补苗", "圈舍已清理"]));
  }
  form.set("seen", "辣椒长势良好，鸡鸭按计划饲养。");
  form.set("problems", pick(["", "缺少滴灌带", "饲料价格上涨"]));
  form.set("measures", pick(["", "联系合作社统一采购", "下周再访"]));
  form.set("helpNeeded", "");
  form.set("nextDueOn", "");
  if (withPhoto) form.append("photos", smallPhoto, "yard.jpg");
  else form.append("photos", new Blob([], { type: "application/octet-stream" }), "");
  return form;
}

async function cadreRound(c: Client, work: CadreWork) {
  const today = todayISO();
  await c.send("cadre · home (worklist)", "/");
  await c.send(
    "cadre · households list",
    pick(["/households", "/households?sort=lastCheck&dir=asc", "/households?plan=none"]),
  );
  const household = pick(work.households);
  await c.send("cadre · household page", `/households/${household}`);
  await c.send("cadre · plan", `/households/${household}/plan`);
  await c.send("cadre · check form", `/households/${household}/checks/new`);
  const saved = await c.send("cadre · POST check", `/households/${household}/checks/new`, {
    method: "POST",
    body: checkForm(today, random() < 0.25),
    expect: [302],
  });
  if (saved?.location) await c.send("cadre · home (worklist)", saved.location);
  await c.send("cadre · checks", `/households/${household}/checks`);
}

async function officialRound(c: Client, work: OfficialWork) {
  await c.send("official · home (villages)", "/");
  const filters = [
    "",
    `?status=monitored&sort=lastCheck&dir=asc`,
    `?village=${pick(work.villages)}&sort=head`,
    `?plan=none&sort=village&dir=desc`,
    `?cadre=${pick(work.cadres)}`,
    `?cadre=none`,
    `?sort=members&dir=desc&page=2`,
    `?cause=illness&status=registered&size=50`,
  ];
  await c.send("official · households list", `/households${pick(filters)}`);
  await c.send("official · ID-tail search", `/households?q=${pick(work.idTails)}`);
  await c.send("official · household page", `/households/${pick(work.households)}`);
  await c.send("official · coverage", "/coverage");
  await c.send("official · coverage gaps", pick(["/coverage/gaps", "/coverage/gaps?view=persons"]));
  await c.send("official · overdue", "/checks/overdue");
  await c.send("official · dashboard", "/dashboard");
  await c.send("official · points", "/points");
  await c.send(
    "official · export",
    pick([
      "/households/export?format=csv",
      "/households/export?format=xlsx",
      "/coverage/export?format=xlsx",
      "/coverage/gaps/export?format=csv",
      "/checks/overdue/export?format=csv",
    ]),
  );
}

async function clerkRound(c: Client, work: ClerkWork, round: number) {
  await c.send("clerk · home (orders)", "/");
  await c.send("clerk · orders list", pick(["/orders", "/orders?status=delivering", "/orders?sort=window&dir=asc"]));
  // allocations and deliveries in turn, either one when the other has nothing valid left
  const nextDelivery = () => work.deliver.find((d) => d.left > 0);
  const preferAllocation = round % 2 === 0 || !nextDelivery();
  const write = preferAllocation ? work.allocate.shift() : undefined;
  const delivery = !write ? nextDelivery() : undefined;
  const orderId = write?.orderId ?? delivery?.orderId ?? pick(work.orders);
  await c.send("clerk · order page", `/orders/${orderId}`);
  // the write is posted from the order page just read, as the clerk would
  let saved: Awaited<ReturnType<Client["send"]>> = null;
  if (write) {
    saved = await c.send("clerk · POST allocation", `/orders/${orderId}`, {
      method: "POST",
      body: new URLSearchParams({
        intent: "allocate",
        householdId: write.householdId,
        quantityKg: String(ALLOCATION_KG),
      }),
      expect: [302],
    });
  } else if (delivery) {
    delivery.left--;
    saved = await c.send("clerk · POST delivery", `/orders/${orderId}`, {
      method: "POST",
      body: new URLSearchParams({
        intent: "deliver",
        allocationId: delivery.allocationId,
        deliveredOn: delivery.deliveredOn,
        quantityKg: String(DELIVERY_KG),
        grade: "first",
        unitPriceFen: delivery.unitPrice,
        paidFen: "0",
      }),
      expect: [302],
    });
  }
  if (saved?.location) await c.send("clerk · order page", saved.location);
  await c.send("clerk · cooperative page", `/cooperatives/${work.cooperativeId}`);
}

async function virtualUser(user: VirtualUser, client: Client) {
  // the shared deadline, not a copy: a server that dies ends every user's loop at once
  for (let round = 0; Date.now() < deadline; round++) {
    if (user.role === "cadre") await cadreRound(client, user.work);
    else if (user.role === "official") await officialRound(client, user.work);
    else await clerkRound(client, user.work, round);
  }
}

// ---------- the report ----------

function countBy(keys: string[]) {
  const counts: Record<string, number> = {};
  for (const k of keys) counts[k] = (counts[k] ?? 0) + 1;
  return counts;
}

function percentile(sorted: number[], q: number) {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

type Row = {
  kind: string;
  count: number;
  errors: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  perSecond: number;
};

function summarise(kind: string, list: Sample[], seconds: number): Row {
  const ms = list.map((s) => s.ms).sort((a, b) => a - b);
  return {
    kind,
    count: list.length,
    errors: list.filter((s) => !s.ok).length,
    p50: Math.round(percentile(ms, 0.5)),
    p95: Math.round(percentile(ms, 0.95)),
    p99: Math.round(percentile(ms, 0.99)),
    max: Math.round(ms[ms.length - 1] ?? 0),
    perSecond: Number((list.length / seconds).toFixed(1)),
  };
}

function printTable(rows: Row[]) {
  const head = ["request", "count", "errors", "p50 ms", "p95 ms", "p99 ms", "max ms", "req/s"];
  const cells = rows.map((r) => [r.kind, r.count, r.errors, r.p50, r.p95, r.p99, r.max, r.perSecond].map(String));
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => c.map((v, i) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join("  ");
  console.log(line(head));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  cells.forEach((c, i) => {
    if (i === cells.length - 1) console.log(widths.map((w) => "-".repeat(w)).join("  "));
    console.log(line(c));
  });
}

// ---------- main ----------

let server: Server | undefined;
// the server never outlives the script, whatever ends it
process.on("exit", () => {
  if (server && server.child.exitCode === null && server.child.signalCode === null) server.child.kill("SIGKILL");
});
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping the server`);
    const stopped = server ? stopServer(server) : Promise.resolve();
    void stopped.finally(() => process.exit(130));
  });
}

async function main() {
  fs.mkdirSync(WORK_DIR, { recursive: true });
  const dbName = await ensureDatabase(DATABASE_URL);
  const database = openPostgres(DATABASE_URL, { max: 4 });
  let vus: VirtualUser[];
  try {
    await database.migrate();
    if (await seedDemoIfEmpty(database.db)) console.log("seeded the demo data");
    vus = await prepareUsers(database.db, USERS);
  } finally {
    await database.close();
  }
  const counts = { cadre: 0, official: 0, clerk: 0 };
  for (const v of vus) counts[v.role]++;
  console.log(
    `database ${dbName}: ${vus.length} users (${counts.cadre} cadres, ${counts.official} officials, ${counts.clerk} clerks); ` +
      `clerks' valid writes ready: ${vus.reduce((n, v) => n + (v.role === "clerk" ? v.work.allocate.length : 0), 0)} allocations, ` +
      `${vus.reduce((n, v) => n + (v.role === "clerk" ? v.work.deliver.reduce((k, d) => k + d.left, 0) : 0), 0)} deliveries`,
  );
  const jpeg = await sharp({ create: { width: 320, height: 240, channels: 3, background: { r: 120, g: 160, b: 90 } } })
    .jpeg({ quality: 80 })
    .toBuffer();
  smallPhoto = new Blob([new Uint8Array(jpeg)], { type: "image/jpeg" });

  server = await startServer(DATABASE_URL);
  const pid = server.child.pid!;
  console.log(`server pid ${pid} at ${server.url}; log ${path.relative(ROOT, server.logFile)}`);
  const rss = { start: rssOf(pid) ?? 0, peak: 0, end: 0, series: [] as { s: number; mb: number }[] };
  rss.peak = rss.start;
  let ticks = 0;
  const sampler = setInterval(() => {
    const now = rssOf(pid);
    if (!now) return;
    rss.peak = Math.max(rss.peak, now);
    // every 5 s while the users run: whether memory levels off or keeps climbing
    if (measuring && ticks++ % 20 === 0) rss.series.push({ s: rss.series.length * 5, mb: Math.round(now / MB) });
  }, 250);

  let exitCode = 0;
  try {
    // sign-ins are argon2 work: a few at a time, measured apart from the run
    const clients = vus.map(() => new Client(server!.url, server!.url));
    const signInStarted = performance.now();
    const signInMs: number[] = [];
    for (let i = 0; i < vus.length; i += 8) {
      await Promise.all(
        vus.slice(i, i + 8).map(async (v, k) => {
          const t0 = performance.now();
          await signIn(clients[i + k], v.username);
          signInMs.push(performance.now() - t0);
        }),
      );
    }
    signInMs.sort((a, b) => a - b);
    console.log(
      `${vus.length} users signed in in ${((performance.now() - signInStarted) / 1000).toFixed(1)} s ` +
        `(p50 ${Math.round(percentile(signInMs, 0.5))} ms, max ${Math.round(signInMs[signInMs.length - 1])} ms)`,
    );

    const load = os.loadavg();
    console.log(
      `running ${vus.length} users for ${SECONDS} s${THINK_MS ? `, think time ~${THINK_MS} ms` : ", no think time"}…`,
    );
    const started = performance.now();
    runStarted = Date.now();
    deadline = runStarted + SECONDS * 1000;
    measuring = true;
    await Promise.all(vus.map((v, i) => virtualUser(v, clients[i])));
    measuring = false;
    const elapsed = (performance.now() - started) / 1000;
    const loadAfter = os.loadavg();
    rss.end = rssOf(pid) ?? 0;

    const kinds = [...new Set(samples.map((s) => s.kind))].sort();
    const rows = kinds.map((k) =>
      summarise(
        k,
        samples.filter((s) => s.kind === k),
        elapsed,
      ),
    );
    rows.push(summarise("all requests", samples, elapsed));
    const total = rows[rows.length - 1];
    console.log("");
    printTable(rows);
    console.log("");
    console.log(
      `${total.count} requests in ${elapsed.toFixed(1)} s (${total.perSecond}/s), ${total.errors} errors; ` +
        `server RSS ${(rss.start / MB).toFixed(0)} MB at start, ${(rss.peak / MB).toFixed(0)} MB peak, ${(rss.end / MB).toFixed(0)} MB at the end`,
    );
    console.log(`server RSS every 5 s of the run (MB): ${rss.series.map((x) => x.mb).join(" ")}`);
    console.log(
      `load average before ${load.map((l) => l.toFixed(2)).join(" ")}, after ${loadAfter.map((l) => l.toFixed(2)).join(" ")} ` +
        `(${os.cpus().length} CPUs, ${os.cpus()[0]?.model.trim() ?? "?"})`,
    );
    if (serverDied) {
      console.log(
        `\nTHE SERVER EXITED during the run, after ${serverDied.atSeconds.toFixed(1)} s ` +
          `(${serverDied.signal ? `signal ${serverDied.signal}` : `exit code ${serverDied.code}`}` +
          `${serverDied.code === 0 ? ": the app's own SIGTERM/SIGINT handler, so a signal from outside" : ""}); the run stopped there.`,
      );
      exitCode = 1;
    }
    if (failures.length) {
      console.log(
        `\nerrors by status: ${Object.entries(countBy(failures.map((f) => String(f.status))))
          .map(([k, n]) => `${k} × ${n}`)
          .join("; ")}`,
      );
      console.log(`first errors (of ${failures.length}):`);
      for (const f of failures.slice(0, 10)) {
        console.log(`  at ${f.atSeconds} s, after ${f.ms} ms: ${f.status} ${f.method} ${f.url} [${f.kind}] ${f.body}`);
      }
      console.log(`server log: ${path.relative(ROOT, server.logFile)}`);
      exitCode = 1;
    }
    if (opts.json) {
      const report = {
        date: new Date().toISOString(),
        machine: {
          cpus: os.cpus().length,
          model: os.cpus()[0]?.model.trim(),
          memoryMb: Math.round(os.totalmem() / MB),
          node: process.version,
        },
        loadAverage: { before: load, after: loadAfter },
        database: dbName,
        users: counts,
        seconds: Number(elapsed.toFixed(1)),
        thinkMs: THINK_MS,
        requests: total.count,
        errors: total.errors,
        signIn: {
          count: signInMs.length,
          p50: Math.round(percentile(signInMs, 0.5)),
          max: Math.round(signInMs[signInMs.length - 1]),
        },
        rows,
        rssMb: {
          start: Math.round(rss.start / MB),
          peak: Math.round(rss.peak / MB),
          end: Math.round(rss.end / MB),
          every5s: rss.series,
        },
        serverExited: serverDied ?? null,
        failuresByStatus: countBy(failures.map((f) => String(f.status))),
        failures: failures.slice(0, 50),
      };
      fs.writeFileSync(opts.json, JSON.stringify(report, null, 2) + "\n");
      console.log(`wrote ${opts.json}`);
    }
  } finally {
    clearInterval(sampler);
    await stopServer(server);
  }
  return exitCode;
}

main().then(
  (code) => process.exit(code),
  async (error) => {
    console.error("load run failed:", error instanceof Error ? error.message : error);
    if (server) await stopServer(server);
    process.exit(1);
  },
);
