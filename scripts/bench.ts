// The county-scale benchmark: one command, one table at the end (docs/performance.md).
//
//   npm run bench -- [--households 100000] [--duration 5] [--skip-seed] [--reseed] [--no-import] [--json out.json]
//
// DATABASE_URL (default postgres://postgres@127.0.0.1:5432/tingyuan_bench) names a database of its own: it is
// created if missing and seeded with a county of --households households and the demo accounts (db/seed.ts,
// timed). A database already seeded with that many households is reused; --reseed drops and seeds it again;
// --skip-seed reuses whatever it holds. Then the script builds the app if build/ is missing, starts the
// production server (`node server.js`, NODE_ENV=production) as a child, signs in as cadre, official, clerk and
// admin through the login form and drives each page with autocannon: --duration seconds with 1 connection,
// then as long with 16. Afterwards, with the server stopped, each page's SQL is run alone on the same
// database (see "The SQL alone" below), the 10,000-row export and a 100,000-row export are timed, the
// registry import of 100,000 rows is run (scripts/bench-import.ts, PostgreSQL only), and one table compares
// every figure with its target. A measurement, not a test: exit code 0 unless something failed to run.
//
//   npm run bench -- --skip-seed --explain      no HTTP: each page's SQL captured in-process, the slowest
//                                               statement of each page run under EXPLAIN (ANALYZE, BUFFERS),
//                                               written to data/bench/explain.txt
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import type { EventEmitter } from "node:events";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import autocannon from "autocannon";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { openPostgres, queryRows, schema, type Database, type Db } from "../db/client";
import { DEMO_PASSWORD, seed } from "../db/seed";
import { freePort } from "../tests/support/spawn-server";
import { javascriptOf } from "./js-size";

// ---------- options ----------

const { values: opts } = parseArgs({
  options: {
    households: { type: "string", default: "100000" },
    duration: { type: "string", default: "5" },
    "skip-seed": { type: "boolean", default: false },
    reseed: { type: "boolean", default: false },
    "no-import": { type: "boolean", default: false },
    explain: { type: "boolean", default: false },
    "page-timeout": { type: "string", default: "120" },
    json: { type: "string" },
    help: { type: "boolean", short: "h" },
  },
});
function usage(problem?: string): never {
  if (problem) console.error(problem);
  console.error(
    "usage: npm run bench -- [--households 100000] [--duration <s>] [--skip-seed] [--reseed] [--no-import] [--json <file>] [--explain] [--page-timeout <s>]",
  );
  process.exit(2);
}
if (opts.help) usage();
const HOUSEHOLDS = Number(opts.households);
const DURATION = Number(opts.duration);
// a page with no answer in this many seconds is recorded as failed and the run goes on
const PAGE_TIMEOUT_S = Number(opts["page-timeout"]);
if (!Number.isInteger(HOUSEHOLDS) || HOUSEHOLDS < 5000) usage("--households needs an integer of at least 5000");
if (!(DURATION >= 1)) usage("--duration needs a number of seconds, 1 or more");

const DATABASE_URL = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/tingyuan_bench";
/** Shared databases (the test suites' and the server's own): the script never seeds or drops them. */
const NOT_OURS = /^(test|ty_test_.*|postgres|template\d*)$/;
const ROOT = process.cwd();
const WORK_DIR = path.join(ROOT, "data", "bench");
const SESSION_SECRET = crypto.randomBytes(32).toString("hex");
const CONCURRENCY = [1, 16] as const;
/** A page slower than this alone is timed with a few requests in a row, not driven concurrently. */
const SLOW_MS = 1000;
const KiB = 1024;
const MB = 1024 * 1024;

const log = (...args: unknown[]) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...args);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const percentile = (values: number[], q: number) => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
};

// ---------- the database ----------

function databaseName(url: string) {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ""));
}

/** Creates (or with `drop`, recreates) the benchmark's database; refuses the shared ones. */
async function ensureDatabase(url: string, drop: boolean) {
  const name = databaseName(url);
  if (!name || NOT_OURS.test(name)) {
    throw new Error(`refusing database "${name}": the benchmark needs a database of its own (e.g. tingyuan_bench)`);
  }
  const adminUrl = new URL(url);
  adminUrl.pathname = "/postgres";
  const admin = postgres(adminUrl.toString(), { max: 1, onnotice: () => {} });
  const quoted = `"${name.replace(/"/g, '""')}"`;
  try {
    if (drop) await admin.unsafe(`drop database if exists ${quoted} with (force)`);
    const found = await admin`select 1 from pg_database where datname = ${name}`;
    if (found.length === 0) {
      await admin.unsafe(`create database ${quoted}`);
      log(`created database ${name}`);
    }
  } finally {
    await admin.end({ timeout: 5 });
  }
}

/** Seeds when empty; reuses a county of the asked size (or any, with --skip-seed). Returns the seed's seconds. */
async function prepareDatabase(): Promise<{ seedSeconds: number | null; households: number }> {
  if (!opts["skip-seed"]) await ensureDatabase(DATABASE_URL, opts.reseed === true);
  const database = openPostgres(DATABASE_URL, { max: 2 });
  try {
    await database.migrate();
    const [{ n }] = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from households`);
    const found = Number(n);
    if (opts["skip-seed"] || found === HOUSEHOLDS) {
      if (found === 0) throw new Error(`--skip-seed: ${databaseName(DATABASE_URL)} holds no households`);
      log(`reusing ${databaseName(DATABASE_URL)}: ${found} households (no seed)`);
      return { seedSeconds: null, households: found };
    }
    if (found > 0) {
      throw new Error(
        `${databaseName(DATABASE_URL)} holds ${found} households, not ${HOUSEHOLDS}: --reseed to start over, --skip-seed to use it`,
      );
    }
    log(`seeding ${HOUSEHOLDS} households into ${databaseName(DATABASE_URL)}…`);
    const summary = await seed(database.db, { households: HOUSEHOLDS, demo: true });
    log(`seeded in ${(summary.elapsedMs / 1000).toFixed(1)} s (${summary.members} members, ${summary.checks} checks)`);
    return { seedSeconds: summary.elapsedMs / 1000, households: HOUSEHOLDS };
  } finally {
    await database.close();
  }
}

/** What the pages are opened with: the demo accounts and rows inside their scope. */
type Fixtures = {
  townshipId: string;
  cadreHousehold: string;
  officialHousehold: string;
  orderId: string;
  idTail: string;
  townshipHouseholds: number;
  countyHouseholds: number;
  exportCause: string;
  exportRows: number;
};

async function fixtures(): Promise<Fixtures> {
  const sql = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });
  try {
    const [official] = await sql`select township_id from users where username = 'official'`;
    if (!official) throw new Error("no demo account `official`: the database was not seeded with the demo accounts");
    const townshipId = official.township_id as string;
    const [cadreHh] = await sql`
      select a.household_id from cadre_assignments a join users u on u.id = a.cadre_id
      where u.username = 'cadre' and a.ends_on is null order by a.household_id limit 1`;
    // the official's household: the township's busiest in checks, a heavy page
    const [officialHh] = await sql`
      select h.id from households h join checks c on c.household_id = h.id
      where h.township_id = ${townshipId} group by h.id order by count(*) desc, h.id limit 1`;
    const [order] = await sql`
      select o.id from purchase_orders o join users u on u.cooperative_id = o.cooperative_id
      left join order_allocations a on a.order_id = o.id
      where u.username = 'clerk' group by o.id order by count(a.id) desc, o.id limit 1`;
    const [tail] = await sql`
      select right(m.id_number, 4) as tail from members m join households h on h.id = m.household_id
      where h.township_id = ${townshipId} order by m.id limit 1`;
    const [{ n: townshipHouseholds }] =
      await sql`select count(*)::int as n from households where township_id = ${townshipId}`;
    const [{ n: countyHouseholds }] = await sql`select count(*)::int as n from households`;
    // the poverty cause whose households come closest to 10,000 rows: the "10k-row export"
    const [cause] = await sql`
      select poverty_cause::text as cause, count(*)::int as n from households where poverty_cause is not null
      group by 1 order by abs(count(*) - 10000) limit 1`;
    if (!cadreHh || !officialHh || !order || !tail || !cause) throw new Error("the seeded data lacks a fixture");
    return {
      townshipId,
      cadreHousehold: cadreHh.household_id,
      officialHousehold: officialHh.id,
      orderId: order.id,
      idTail: tail.tail,
      townshipHouseholds,
      countyHouseholds,
      exportCause: cause.cause,
      exportRows: cause.n,
    };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

// ---------- the pages ----------

type Role = "cadre" | "official" | "clerk" | "admin";
type Target = "fast" | "report" | "none";
type Page = {
  name: string;
  role: Role;
  url: string;
  /** the leaf route, for its JavaScript */
  route: string;
  /** fast: p95 ≤ 30 ms, ≥ 300/s, page − SQL ≤ 10 ms; report: p95 ≤ 200 ms (county-wide figures) */
  target: Target;
  post?: { body: string; contentType: string; expect: number };
};

const PAGE_SIZE = 50;

function pages(f: Fixtures): Page[] {
  const lastTownship = Math.max(1, Math.ceil(f.townshipHouseholds / PAGE_SIZE));
  const lastCounty = Math.max(1, Math.ceil(f.countyHouseholds / PAGE_SIZE));
  const list = "routes/_app.households._index";
  const P = (name: string, role: Role, url: string, route: string, target: Target, post?: Page["post"]): Page => ({
    name,
    role,
    url,
    route,
    target,
    post,
  });
  return [
    P("home · cadre (the worklist)", "cadre", "/", "routes/_app._index", "fast"),
    P("home · official", "official", "/", "routes/_app._index", "fast"),
    P("home · clerk", "clerk", "/", "routes/_app._index", "fast"),
    P("home · admin", "admin", "/", "routes/_app._index", "fast"),
    P("list · township first page", "official", "/households", list, "fast"),
    P("list · township middle page", "official", `/households?page=${Math.ceil(lastTownship / 2)}`, list, "fast"),
    P("list · township last page", "official", `/households?page=${lastTownship}`, list, "fast"),
    P("list · county first page", "admin", "/households", list, "fast"),
    P("list · county middle page", "admin", `/households?page=${Math.ceil(lastCounty / 2)}`, list, "fast"),
    P("list · county last page", "admin", `/households?page=${lastCounty}`, list, "fast"),
    P("list · filter (cause, status)", "official", "/households?cause=illness&status=monitored", list, "fast"),
    P("list · sort (last check)", "official", "/households?sort=lastCheck&dir=asc", list, "fast"),
    P("list · county sort (last check)", "admin", "/households?sort=lastCheck&dir=asc", list, "fast"),
    P("list · ID-tail search", "official", `/households?q=${f.idTail}`, list, "fast"),
    P(
      "household page",
      "official",
      `/households/${f.officialHousehold}`,
      "routes/_app.households.$householdId._index",
      "fast",
    ),
    P("list · cadre's, by last check", "cadre", "/households?sort=lastCheck&dir=asc", list, "fast"),
    P(
      "check form",
      "cadre",
      `/households/${f.cadreHousehold}/checks/new`,
      "routes/_app.households.$householdId.checks.new",
      "fast",
    ),
    P(
      "check submission (POST)",
      "cadre",
      `/households/${f.cadreHousehold}/checks/new`,
      "routes/_app.households.$householdId.checks.new",
      "fast",
      checkPost(),
    ),
    P("order page", "clerk", `/orders/${f.orderId}`, "routes/_app.orders.$orderId", "fast"),
    P("coverage · township", "official", "/coverage", "routes/_app.coverage._index", "report"),
    P("coverage · county", "admin", "/coverage", "routes/_app.coverage._index", "report"),
    P("dashboard · township", "official", "/dashboard", "routes/_app.dashboard", "report"),
    P("dashboard · county", "admin", "/dashboard", "routes/_app.dashboard", "report"),
    P("overdue · township", "official", "/checks/overdue", "routes/_app.checks.overdue", "report"),
    P("overdue · county", "admin", "/checks/overdue", "routes/_app.checks.overdue", "report"),
    P("points · township", "official", "/points", "routes/_app.points", "report"),
    P("points · cadre", "cadre", "/points", "routes/_app.points", "fast"),
  ];
}

/** The check form as a browser posts it (multipart, an empty photo part), dated today. */
function checkPost(): Page["post"] {
  const boundary = "----tingyuanbench";
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  const fields: [string, string][] = [
    ["visitedOn", today],
    ["livingStatus", "on_track"],
    ["livingNote", ""],
    ["plantingStatus", "on_track"],
    ["plantingNote", "长势良好"],
    ["raisingStatus", "behind"],
    ["raisingNote", "圈舍已清理"],
    ["seen", "辣椒长势良好，鸡鸭按计划饲养。"],
    ["problems", ""],
    ["measures", "下周再访"],
    ["helpNeeded", ""],
    ["nextDueOn", ""],
  ];
  let body = "";
  for (const [name, value] of fields) {
    body += `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  }
  body += `--${boundary}\r\nContent-Disposition: form-data; name="photos"; filename=""\r\nContent-Type: application/octet-stream\r\n\r\n\r\n`;
  body += `--${boundary}--\r\n`;
  return { body, contentType: `multipart/form-data; boundary=${boundary}`, expect: 302 };
}

// ---------- the server ----------

type Server = { url: string; child: ChildProcess; logFile: string; exited: Promise<void> };

function tail(file: string, lines = 30) {
  try {
    return fs.readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

function ensureBuild() {
  if (fs.existsSync(path.join(ROOT, "build", "index.js"))) return;
  log("build/ is missing: npm run build");
  const built = spawnSync("npm", ["run", "build"], { stdio: "inherit" });
  if (built.status !== 0) throw new Error("the build failed");
}

async function startServer(): Promise<Server> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  fs.mkdirSync(WORK_DIR, { recursive: true });
  const logFile = path.join(WORK_DIR, "server.log");
  const out = fs.openSync(logFile, "w");
  const child = spawn(process.execPath, ["server.js", "build/index.js"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_URL,
      SESSION_SECRET,
      SEED_DEMO: "false",
      DATA_DIR: WORK_DIR,
    },
    stdio: ["ignore", out, out],
  });
  fs.closeSync(out);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
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

/** The child's resident set now and its peak (VmHWM, Linux), in bytes; null once it is gone. */
function memoryOf(pid: number): { rss: number; peak: number } | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) * 1024;
    return { rss: kb("VmRSS"), peak: kb("VmHWM") };
  } catch {
    return null;
  }
}

async function signIn(base: string, username: string): Promise<string> {
  const res = await fetch(`${base}/login`, {
    method: "POST",
    headers: { Origin: base, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ username, password: DEMO_PASSWORD, redirectTo: "/" }),
    redirect: "manual",
  });
  const cookie = res.headers.get("set-cookie")?.split(";")[0];
  if (res.status !== 302 || !cookie?.startsWith("ty_session="))
    throw new Error(`sign-in as ${username}: ${res.status}`);
  return cookie;
}

// ---------- driving a page ----------

type Run = { requests: number; perSecond: number; p50: number; p95: number; errors: number };

function headersFor(page: Page, cookie: string, base: string): Record<string, string> {
  const headers: Record<string, string> = { cookie, accept: "text/html", "accept-language": "zh-CN" };
  if (page.post) {
    headers.origin = base;
    headers["content-type"] = page.post.contentType;
  }
  return headers;
}

/** autocannon on one page: every response's time recorded, anything but the expected status an error. */
async function drive(base: string, page: Page, cookie: string, connections: number, seconds: number): Promise<Run> {
  const times: number[] = [];
  const expected = page.post?.expect ?? 200;
  let wrong = 0;
  // without a callback autocannon returns its tracker: an event emitter that is also awaited for the result
  const instance = autocannon({
    url: base + page.url,
    method: page.post ? "POST" : "GET",
    headers: headersFor(page, cookie, base),
    body: page.post?.body,
    connections,
    duration: seconds,
    timeout: 30,
  }) as unknown as Promise<autocannon.Result> & EventEmitter;
  instance.on("response", (_client: unknown, status: number, _bytes: number, ms: number) => {
    if (status === expected) times.push(ms);
    else wrong++;
  });
  const result = await instance;
  const requests = times.length + wrong;
  return {
    requests,
    perSecond: times.length / seconds,
    p50: percentile(times, 0.5),
    p95: percentile(times, 0.95),
    errors: wrong + result.errors + result.timeouts,
  };
}

/** `count` requests one after another, each timed until its body is read. */
async function driveCount(base: string, page: Page, cookie: string, count: number): Promise<Run> {
  const times: number[] = [];
  let errors = 0;
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    const { status } = await fetchOnce(base, page, cookie);
    if (status === (page.post?.expect ?? 200)) times.push(performance.now() - t0);
    else errors++;
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    requests: count,
    perSecond: times.length / seconds,
    p50: percentile(times, 0.5),
    p95: percentile(times, 0.95),
    errors,
  };
}

/**
 * autocannon stops sending at the end of its time but the server still works through what it received:
 * wait (at most 60 s) until no query of the server runs on the database, so the next page starts clean.
 */
async function waitIdle() {
  const sql = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });
  try {
    const until = Date.now() + 60_000;
    while (Date.now() < until) {
      const [{ n }] = await sql`select count(*)::int as n from pg_stat_activity
        where datname = current_database() and state = 'active' and pid <> pg_backend_pid()`;
      if (n === 0) return;
      await sleep(100);
    }
    log("the server was still busy 60 s after the load stopped");
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/**
 * One request read whole: its status and the bytes of its body as sent (no compression asked); status 0
 * when no answer came within --page-timeout (a page of a database ten times a county can take minutes).
 */
async function fetchOnce(base: string, page: Page, cookie: string) {
  try {
    const res = await fetch(base + page.url, {
      method: page.post ? "POST" : "GET",
      headers: headersFor(page, cookie, base),
      body: page.post?.body,
      redirect: "manual",
      signal: AbortSignal.timeout(PAGE_TIMEOUT_S * 1000),
    });
    const body = Buffer.from(await res.arrayBuffer());
    return { status: res.status, bytes: body.length };
  } catch (error) {
    if ((error as Error).name !== "TimeoutError") throw error;
    return { status: 0, bytes: 0 };
  }
}

/** One more request of a page, its milliseconds (a page without an answer in time counts as that long). */
async function timeOnce(base: string, page: Page, cookie: string) {
  const t0 = performance.now();
  const again = await fetchOnce(base, page, cookie);
  return again.status === 0 ? PAGE_TIMEOUT_S * 1000 : performance.now() - t0;
}

/** Stops what the server's abandoned request still runs on the database, so the next page is timed alone. */
async function cancelRunning() {
  const sql = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });
  try {
    await sql`select pg_cancel_backend(pid) from pg_stat_activity
      where datname = current_database() and state = 'active' and pid <> pg_backend_pid()`;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** A file download, timed until its last byte; the median of `runs`. */
async function timeDownload(base: string, url: string, cookie: string, runs: number) {
  const ms: number[] = [];
  let bytes = 0;
  let lines = 0;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const res = await fetch(base + url, { headers: { cookie } });
    if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
    const body = Buffer.from(await res.arrayBuffer());
    ms.push(performance.now() - started);
    bytes = body.length;
    lines = body.toString("utf8").split("\n").filter(Boolean).length - 1;
  }
  return { ms: percentile(ms, 0.5), bytes, rows: lines };
}

// ---------- the SQL alone ----------
//
// Each page's SQL is captured by rendering the page once in this process, through the built app's own
// request handler, on a postgres.js connection whose debug hook records every statement and its
// parameters. The statements are then replayed one after another on a plain connection to the same
// database, as the loader issues them, and timed: "SQL p50" is the median of those replays, the page's
// database work without HTTP, React rendering or the session cookie. Transaction control is left out;
// writes (the check submission's inserts, an export's audit row) are replayed inside a transaction
// that is rolled back, so the database is the same afterwards.

type Statement = { query: string; params: unknown[] };

async function captureStatements(pageList: Page[], given: Record<Role, string> | null, slow: Set<string>) {
  let capture: Statement[] | null = null;
  const client = postgres(DATABASE_URL, {
    max: 4,
    onnotice: () => {},
    debug: (_connection: number, query: string, params: unknown[]) => {
      capture?.push({ query, params });
    },
  });
  const db = drizzle({ client, schema }) as unknown as Db;
  const database: Database = {
    db,
    kind: "postgres",
    migrate: async () => {},
    close: () => client.end({ timeout: 5 }),
  };
  // the app's one database per process (app/utils/db.server.ts) is this one
  (globalThis as Record<symbol, unknown>)[Symbol.for("tingyuan.database")] = { ready: Promise.resolve(database) };
  process.env.SESSION_SECRET = SESSION_SECRET;
  process.env.DATABASE_URL = DATABASE_URL;
  process.env.DATA_DIR = WORK_DIR;
  const build = (await import(pathToFileURL(path.join(ROOT, "build", "index.js")).href)) as ServerBuild;
  const handle = createRequestHandler(build, "production");
  const origin = "http://localhost";
  const statements = new Map<string, Statement[]>();
  const signInHere = async (username: Role) => {
    const res = await handle(
      new Request(`${origin}/login`, {
        method: "POST",
        headers: { Origin: origin, Host: "localhost", "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ username, password: DEMO_PASSWORD, redirectTo: "/" }),
      }),
    );
    const cookie = res.headers.get("set-cookie")?.split(";")[0];
    if (res.status !== 302 || !cookie) throw new Error(`sign-in as ${username}: ${res.status}`);
    return cookie;
  };
  const cookies = given ?? {
    cadre: await signInHere("cadre"),
    official: await signInHere("official"),
    clerk: await signInHere("clerk"),
    admin: await signInHere("admin"),
  };
  for (const page of pageList) {
    const headers = headersFor(page, cookies[page.role], origin);
    headers.host = "localhost";
    const request = () =>
      new Request(origin + page.url, { method: page.post ? "POST" : "GET", headers, body: page.post?.body });
    if (!slow.has(page.name)) await (await handle(request())).arrayBuffer(); // warm: modules, prepared statements
    capture = [];
    const res = await handle(request());
    await res.arrayBuffer();
    statements.set(
      page.name,
      capture.filter((s) => !/^\s*(begin|commit|rollback|savepoint|release|set transaction)\b/i.test(s.query)),
    );
    capture = null;
  }
  await database.close();
  return { statements, build };
}

/** The slowest statement of each page, run once more under EXPLAIN (ANALYZE, BUFFERS). */
async function explainSlowest(statements: Map<string, Statement[]>) {
  const sql = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });
  const out: string[] = [];
  try {
    for (const [name, list] of statements) {
      let slowest: { s: Statement; ms: number } | null = null;
      for (const s of list) {
        if (!/^\s*(select|with)\b/i.test(s.query)) continue;
        const t0 = performance.now();
        await sql.unsafe(s.query, s.params as never[]);
        const ms = performance.now() - t0;
        if (!slowest || ms > slowest.ms) slowest = { s, ms };
      }
      if (!slowest) continue;
      const plan = await sql.unsafe(`explain (analyze, buffers) ${slowest.s.query}`, slowest.s.params as never[]);
      out.push(
        `=== ${name}: ${list.length} statements; slowest ${slowest.ms.toFixed(1)} ms`,
        slowest.s.query.trim(),
        `-- parameters: ${JSON.stringify(slowest.s.params)}`,
        ...plan.map((r) => String(r["QUERY PLAN"])),
        "",
      );
      log(`${name.padEnd(32)} slowest statement ${slowest.ms.toFixed(1)} ms`);
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
  const file = path.join(WORK_DIR, "explain.txt");
  fs.writeFileSync(file, out.join("\n"));
  log(`plans written to ${file}`);
}

async function replay(statements: Map<string, Statement[]>, seconds: number) {
  const sql = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });
  const result = new Map<string, { p50: number; count: number }>();
  const rollback = new Error("rollback");
  try {
    for (const [name, list] of statements) {
      // inside a transaction that is rolled back: a write leaves nothing, a `set local` (jit, work_mem)
      // applies as it does in the page
      const once = async () => {
        let ms = 0;
        await sql
          .begin(async (tx) => {
            const t0 = performance.now();
            for (const s of list) await tx.unsafe(s.query, s.params as never[]);
            ms = performance.now() - t0;
            throw rollback;
          })
          .catch((error) => {
            if (error !== rollback) throw error;
          });
        return ms;
      };
      try {
        const first = await once();
        const times: number[] = first > SLOW_MS ? [first] : [];
        const until = performance.now() + seconds * 1000;
        while (times.length < 3 || (performance.now() < until && times.length < 200)) {
          if (first > SLOW_MS && performance.now() >= until) break;
          times.push(await once());
        }
        result.set(name, { p50: percentile(times, 0.5), count: list.length });
      } catch (error) {
        log(`${name}: its SQL could not be replayed alone (${(error as Error).message})`);
      }
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
  return result;
}

// ---------- JavaScript per route ----------

/** The gzipped JavaScript a page loads: the entry, then every route from the root down to the leaf, with imports. */
// ---------- the registry import ----------

/** The registry import's dry run and commit of 100,000 rows on PostgreSQL, seconds, from its own script. */
function importSeconds(): { dry: number; commit: number } | null {
  const scratch = new URL(DATABASE_URL);
  scratch.pathname = "/postgres";
  log("registry import of 100,000 rows (scripts/bench-import.ts --postgres-only)…");
  const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/bench-import.ts", "100000", "--postgres-only"], {
    env: { ...process.env, BENCH_DATABASE_URL: scratch.toString(), SESSION_SECRET, DATABASE_URL: "" },
    encoding: "utf8",
    maxBuffer: 64 * MB,
  });
  const out = `${run.stdout}\n${run.stderr}`;
  fs.writeFileSync(path.join(WORK_DIR, "import.log"), out);
  const dry = /dry run \(csv\): upload [\d.]+ s, job ([\d.]+) s total/.exec(out);
  const commit = /commit \(csv\): ([\d.]+) s/.exec(out);
  if (run.status !== 0 || !dry || !commit) {
    log(`the import benchmark did not report its times (see ${path.join(WORK_DIR, "import.log")})`);
    return null;
  }
  return { dry: Number(dry[1]), commit: Number(commit[1]) };
}

// ---------- the report ----------

type Row = {
  page: Page;
  html: number;
  js: { files: number; gzip: number };
  runs: Partial<Record<(typeof CONCURRENCY)[number], Run>>;
  sql?: { p50: number; count: number };
  /** the page's first request did not answer as expected */
  failed?: string;
  firstMs?: number;
};

const fmt = (n: number | undefined, digits = 0) =>
  n === undefined || Number.isNaN(n) ? "–" : n.toFixed(digits).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
const mark = (ok: boolean) => (ok ? "ok" : "MISS");

function verdict(row: Row): string[] {
  const one = row.runs[1];
  const many = row.runs[16];
  const misses: string[] = [];
  if (row.failed) return [`failed: ${row.failed}`];
  if (row.html > 200 * KiB) misses.push("html > 200 KiB");
  if (row.page.target === "fast") {
    if (!one || one.p95 > 30) misses.push("p95 > 30 ms");
    if (!many || many.perSecond < 300) misses.push("< 300/s");
    if (row.sql && one && one.p50 - row.sql.p50 > 10) misses.push("page − SQL > 10 ms");
  }
  if (row.page.target === "report" && (!one || one.p95 > 200)) misses.push("p95 > 200 ms");
  if ((one?.errors ?? 0) + (many?.errors ?? 0) > 0) misses.push("errors");
  return misses;
}

function printTable(rows: Row[]) {
  const head = [
    "page",
    "role",
    "1c p50",
    "1c p95",
    "16c /s",
    "16c p95",
    "errors",
    "SQL p50",
    "page−SQL",
    "stmts",
    "HTML KiB",
    "JS gz KiB",
    "target",
    "result",
  ];
  const body = rows.map((r) => {
    const one = r.runs[1];
    const many = r.runs[16];
    const misses = verdict(r);
    return [
      r.page.name,
      r.page.role,
      fmt(one?.p50, 1),
      fmt(one?.p95, 1),
      fmt(many?.perSecond),
      fmt(many?.p95, 1),
      String((one?.errors ?? 0) + (many?.errors ?? 0)),
      fmt(r.sql?.p50, 1),
      r.sql && one ? fmt(one.p50 - r.sql.p50, 1) : "–",
      r.sql ? String(r.sql.count) : "–",
      fmt(r.html / KiB, 1),
      fmt(r.js.gzip / KiB, 1),
      r.page.target === "fast" ? "p95≤30 ≥300/s Δ≤10" : r.page.target === "report" ? "p95≤200" : "",
      misses.length ? `MISS: ${misses.join(", ")}` : "ok",
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i < 2 || i >= 12 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(" | ")} |`;
  console.log(line(head));
  console.log(`|${widths.map((w, i) => (i < 2 || i >= 12 ? "-".repeat(w + 2) : `${"-".repeat(w + 1)}:`)).join("|")}|`);
  for (const b of body) console.log(line(b));
}

// ---------- main ----------

async function main() {
  const started = Date.now();
  const cpu = os.cpus().length;
  log(
    `${cpu} cores, load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}; database ${databaseName(DATABASE_URL)}`,
  );
  const { seedSeconds, households } = await prepareDatabase();
  const f = await fixtures();
  const pageList = pages(f);
  ensureBuild();
  fs.mkdirSync(WORK_DIR, { recursive: true });
  if (opts.explain) {
    const { statements } = await captureStatements(pageList, null, new Set(pageList.map((p) => p.name)));
    fs.writeFileSync(path.join(WORK_DIR, "statements.json"), JSON.stringify(Object.fromEntries(statements), null, 1));
    await explainSlowest(statements);
    return;
  }

  const server = await startServer();
  const pid = server.child.pid!;
  let peakPolled = 0;
  const poll = setInterval(() => {
    peakPolled = Math.max(peakPolled, memoryOf(pid)?.rss ?? 0);
  }, 100);
  const rows: Row[] = [];
  let export10k: Awaited<ReturnType<typeof timeDownload>> | undefined;
  let export100k: Awaited<ReturnType<typeof timeDownload>> | undefined;
  let rssBeforeBigExport: number | undefined;
  let cookies!: Record<Role, string>;
  try {
    log(`server ${server.url} (pid ${pid}); signing in cadre, official, clerk, admin`);
    cookies = {
      cadre: await signIn(server.url, "cadre"),
      official: await signIn(server.url, "official"),
      clerk: await signIn(server.url, "clerk"),
      admin: await signIn(server.url, "admin"),
    };
    for (const page of pageList) {
      const t0 = performance.now();
      const first = await fetchOnce(server.url, page, cookies[page.role]);
      const firstMs = performance.now() - t0;
      const expected = page.post?.expect ?? 200;
      const row: Row = { page, html: page.post ? 0 : first.bytes, js: { files: 0, gzip: 0 }, runs: {} };
      rows.push(row);
      if (first.status === 0) {
        row.failed = `no answer in ${PAGE_TIMEOUT_S} s`;
        log(`${page.name.padEnd(32)} FAILED: ${row.failed}`);
        await cancelRunning();
        await waitIdle();
        continue;
      }
      if (first.status !== expected) {
        // a page that fails alone is not driven: it is reported as failed, with the time it took
        row.failed = `answered ${first.status} after ${fmt(firstMs)} ms`;
        log(`${page.name.padEnd(32)} FAILED: ${row.failed} (server log: ${server.logFile})`);
        continue;
      }
      // the first request of a page warms its plans and pages (after a migration or ANALYZE it can take
      // seconds): a page is judged slow by a second request, not the cold one
      row.firstMs = firstMs > SLOW_MS ? await timeOnce(server.url, page, cookies[page.role]) : firstMs;
      if (row.firstMs > SLOW_MS) {
        // one request alone takes over a second: a few in a row, none concurrent (16 of them would queue
        // for minutes and spill into the next page's numbers)
        row.runs[1] = await driveCount(server.url, page, cookies[page.role], row.firstMs > 10 * SLOW_MS ? 1 : 3);
      } else {
        for (const connections of CONCURRENCY) {
          row.runs[connections] = await drive(server.url, page, cookies[page.role], connections, DURATION);
          await waitIdle();
        }
      }
      const one = row.runs[1]!;
      const many = row.runs[16];
      log(
        `${page.name.padEnd(32)} 1c p50 ${fmt(one.p50, 1)} p95 ${fmt(one.p95, 1)} ms · ${many ? `16c ${fmt(many.perSecond)}/s p95 ${fmt(many.p95, 1)} ms` : "16c not driven (> 1 s alone)"} · errors ${one.errors + (many?.errors ?? 0)}`,
      );
    }
    const exportUrl = `/households/export?format=csv&cause=${f.exportCause}`;
    export10k = await timeDownload(server.url, exportUrl, cookies.admin, 3);
    log(`export ${exportUrl}: ${fmt(export10k.rows)} rows, ${fmt(export10k.ms)} ms`);
    rssBeforeBigExport = memoryOf(pid)?.rss ?? 0;
    export100k = await timeDownload(server.url, "/households/export?format=csv", cookies.admin, 1);
    log(`export of the county: ${fmt(export100k.rows)} rows, ${fmt(export100k.ms)} ms`);
  } finally {
    clearInterval(poll);
    const memory = memoryOf(pid);
    if (memory) peakPolled = Math.max(peakPolled, memory.peak);
    await stopServer(server);
  }

  // what HTTP measured, kept before the longer steps that follow
  fs.writeFileSync(
    path.join(WORK_DIR, "http.json"),
    JSON.stringify({ rows, export10k, export100k, peakPolled }, null, 1),
  );
  log("the SQL alone: capturing each page's statements in-process, then replaying them");
  const slow = new Set(rows.filter((r) => (r.firstMs ?? Infinity) > SLOW_MS).map((r) => r.page.name));
  // a page that gave no answer over HTTP is not rendered again for its SQL
  const answered = pageList.filter((p) => !rows.some((r) => r.page === p && r.failed?.startsWith("no answer")));
  const { statements, build } = await captureStatements(answered, cookies, slow);
  // kept for EXPLAIN: each page's statements with their parameters, as the page sent them
  fs.writeFileSync(path.join(WORK_DIR, "statements.json"), JSON.stringify(Object.fromEntries(statements), null, 1));
  const sqlTimes = await replay(statements, Math.min(DURATION, 3));
  for (const row of rows) {
    row.sql = sqlTimes.get(row.page.name);
    try {
      row.js = javascriptOf(build.assets, row.page.route, ROOT);
    } catch (error) {
      log(`${row.page.name}: ${(error as Error).message}`);
    }
  }
  const importS = opts["no-import"] ? null : importSeconds();

  console.log("");
  console.log(
    `Tingyuan benchmark — ${households} households, ${cpu} cores, app and PostgreSQL on one machine, load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}; ${DURATION} s per page and concurrency`,
  );
  console.log("");
  printTable(rows);
  console.log("");
  const perRoute = new Map(rows.map((r) => [r.page.route, r.js] as const));
  console.log("| route | JS files | JS gz KiB |");
  console.log("|-------|---------:|----------:|");
  for (const [route, js] of perRoute) console.log(`| ${route} | ${js.files} | ${fmt(js.gzip / KiB, 1)} |`);
  console.log("");
  const others: [string, string, string, boolean | null][] = [
    ["seed", seedSeconds === null ? "reused" : `${fmt(seedSeconds, 1)} s`, "–", null],
    [
      `export ${fmt(export10k?.rows)} rows (CSV)`,
      `${fmt(export10k?.ms)} ms`,
      "≤ 1,000 ms",
      export10k ? export10k.ms <= 1000 : false,
    ],
    [
      `export ${fmt(export100k?.rows)} rows (CSV, streamed)`,
      `${fmt(export100k?.ms)} ms, ${fmt((export100k?.bytes ?? 0) / MB, 1)} MB`,
      "–",
      null,
    ],
    ["server RSS before the county export", `${fmt((rssBeforeBigExport ?? 0) / MB)} MB`, "–", null],
    ["server peak RSS (VmHWM)", `${fmt(peakPolled / MB)} MB`, "≤ 300 MB", peakPolled <= 300 * MB],
    [
      "import of 100,000 rows (PostgreSQL): dry run, commit",
      importS === null
        ? opts["no-import"]
          ? "not run"
          : "failed"
        : `${fmt(importS.dry, 1)} s, ${fmt(importS.commit, 1)} s`,
      "commit ≤ 10 s",
      importS === null ? null : importS.commit <= 10,
    ],
    [
      "largest HTML",
      `${fmt(Math.max(...rows.map((r) => r.html)) / KiB, 1)} KiB`,
      "≤ 200 KiB",
      rows.every((r) => r.html <= 200 * KiB),
    ],
  ];
  console.log("| measure | value | target | result |");
  console.log("|---------|------:|-------:|--------|");
  for (const [name, value, target, ok] of others) {
    console.log(`| ${name} | ${value} | ${target} | ${ok === null ? "" : mark(ok)} |`);
  }
  const missed = rows.filter((r) => verdict(r).length > 0).length;
  console.log("");
  console.log(
    `${rows.length - missed} of ${rows.length} pages meet their targets; ${((Date.now() - started) / 60000).toFixed(1)} min in all.`,
  );
  if (opts.json) {
    fs.writeFileSync(
      opts.json,
      JSON.stringify(
        { households, seedSeconds, rows, export10k, export100k, peakRss: peakPolled, importSeconds: importS },
        null,
        2,
      ),
    );
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
