// The three pages a cadre lives in, on the slow phone profile: a 360 × 740 screen, 150 ms latency,
// 1.6 Mbit/s down, 750 kbit/s up, the CPU slowed 4×. Prints the Largest Contentful Paint of a cold load
// (empty cache, no service worker: the first visit of the day) and the time from a tap on the worklist to
// the household's heading (a client-side navigation, which has no LCP of its own).
//
//   npm run build && npm run lcp -- [--runs 3] [--url http://localhost:3000]
//
// Without --url it starts the built app as `npm run serve` does, on a fresh embedded database seeded with
// the demo data, and stops it after. Needs Debian's chromium at /usr/bin/chromium.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

const { values: opts } = parseArgs({
  options: { runs: { type: "string", default: "3" }, url: { type: "string" } },
});
const RUNS = Number(opts.runs);
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error("--runs needs a positive integer");

const SLOW = { latency: 150, downloadThroughput: (1.6e6 / 8) | 0, uploadThroughput: (750e3 / 8) | 0 };
const CPU_SLOWDOWN = 4;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

async function startServer(): Promise<{ url: string; child: ChildProcess; dataDir: string }> {
  if (!fs.existsSync("build/index.js")) throw new Error("run `npm run build` first");
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "tingyuan-lcp-"));
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), DATA_DIR: dataDir, NODE_ENV: "production" };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, ["server.js", "build/index.js"], { env, stdio: "ignore" });
  const url = `http://localhost:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    const ok = await fetch(`${url}/healthz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return { url, child, dataDir };
    if (Date.now() > deadline) throw new Error("server not healthy after 120 s");
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A phone context signed in as the demo cadre (the sign-in itself is not throttled). */
async function cadreContext(browser: Browser, url: string): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL: url,
    viewport: { width: 360, height: 740 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: "zh-CN",
    // a first visit: no service worker to answer from its cache
    serviceWorkers: "block",
  });
  await context.addInitScript(() => {
    const w = window as unknown as { __lcp: number };
    w.__lcp = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) w.__lcp = entry.startTime;
    }).observe({ type: "largest-contentful-paint", buffered: true });
  });
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByLabel("用户名").fill("cadre");
  await page.getByLabel("密码").fill("tingyuan-demo");
  await Promise.all([page.waitForURL((u) => u.pathname === "/"), page.getByRole("button", { name: "登录" }).click()]);
  await page.close();
  return context;
}

async function slowPage(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  await cdp.send("Network.emulateNetworkConditions", { offline: false, ...SLOW });
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU_SLOWDOWN });
  return page;
}

/** LCP of a cold load of `href`, in ms. */
async function coldLcp(context: BrowserContext, href: string): Promise<number> {
  const page = await slowPage(context);
  await page.goto(href, { waitUntil: "load" });
  // LCP is final once the page stops painting; a second of quiet is plenty for these pages
  await page.waitForTimeout(1000);
  const lcp = await page.evaluate(() => (window as unknown as { __lcp: number }).__lcp);
  await page.close();
  return lcp;
}

/** From a tap on a household in the worklist to its heading on screen, in ms (client-side navigation). */
async function tapToHousehold(context: BrowserContext): Promise<number> {
  const page = await slowPage(context);
  await page.goto("/", { waitUntil: "load" });
  await page.waitForFunction(() => Boolean((window as unknown as { __remixRouter?: unknown }).__remixRouter));
  const link = page.locator('[data-testid="worklist"] a[href^="/households/"]').first();
  const started = Date.now();
  await link.click();
  await page.waitForURL(/\/households\/[0-9a-f-]+$/);
  await page.locator("main h1").waitFor();
  const ms = Date.now() - started;
  await page.close();
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const server = opts.url ? null : await startServer();
  const url = opts.url ?? server!.url;
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
  try {
    const context = await cadreContext(browser, url);
    const probe = await context.newPage();
    await probe.goto("/");
    const household = await probe
      .locator('[data-testid="worklist"] a[href^="/households/"]')
      .first()
      .getAttribute("href");
    await probe.close();
    if (!household) throw new Error("the demo cadre's worklist has no household");
    const pages = [
      { name: "worklist /", href: "/" },
      { name: "household page", href: household },
      { name: "check form", href: `${household}/checks/new` },
    ];
    const rows: string[] = [];
    for (const p of pages) {
      const runs: number[] = [];
      for (let i = 0; i < RUNS; i++) runs.push(await coldLcp(context, p.href));
      rows.push(`| ${p.name} (cold load) | LCP | ${Math.round(median(runs))} | ${runs.map(Math.round).join(", ")} |`);
    }
    const taps: number[] = [];
    for (let i = 0; i < RUNS; i++) taps.push(await tapToHousehold(context));
    rows.push(`| worklist → household (tap) | heading shown | ${Math.round(median(taps))} | ${taps.join(", ")} |`);
    console.log(
      `slow profile: 360×740, ${SLOW.latency} ms latency, 1.6 Mbit/s down, 750 kbit/s up, CPU ${CPU_SLOWDOWN}× slower; ${RUNS} run(s) each`,
    );
    console.log("| page | measure | median ms | runs ms |\n| --- | --- | ---: | --- |");
    for (const r of rows) console.log(r);
    await context.close();
  } finally {
    await browser.close();
    server?.child.kill("SIGTERM");
    if (server) fs.rmSync(server.dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
