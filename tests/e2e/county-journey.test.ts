// A county put into service, from an empty PostgreSQL database, by the people who run it — no SQL, no
// developer, no demo data: `user:create` makes the administrator, who loads the division codes and creates
// a township official; the official creates cadres (two by hand, fifty from a spreadsheet), a cooperative
// with its broker and its clerk, imports the households, enrols them and pairs cadres with them; a cadre
// files a plan that the official approves from the queue and then amends it; the clerk's delivery is
// corrected by a counter-entry; the year is rolled over; a backup restored into a second database serves
// the same pages with the same numbers.
import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { makeCreditCode } from "~/utils/credit-code";
import { makeIdNumber } from "~/utils/id-number";
import { withDatabase } from "../support/pg-url";
import { startServer, waitFor, type Server } from "../support/spawn-server";
import { launch, pageWidth, screenshot } from "./browser";

const PG = process.env.TEST_DATABASE_URL;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tingyuan-county-"));
const SECRET = crypto.randomBytes(24).toString("hex");
const cleanups: (() => Promise<unknown>)[] = [];
let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** An empty database on the test server, dropped after the run. */
async function emptyDatabase(label: string) {
  const admin = postgres(PG!, { max: 1, onnotice: () => {} });
  const name = `ty_county_${label}_${crypto.randomBytes(3).toString("hex")}`;
  await admin.unsafe(`create database "${name}"`);
  cleanups.push(async () => {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end();
  });
  return withDatabase(PG!, name);
}

function run(args: string[], env: Record<string, string>, input?: string) {
  const result = spawnSync("npm", ["run", "-s", ...args], {
    env: { ...process.env, ...env },
    input,
    encoding: "utf8",
    timeout: 120_000,
  });
  if (result.status !== 0) throw new Error(`npm run ${args.join(" ")} failed:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

async function serve(databaseUrl: string, name: string): Promise<Server> {
  const server = await startServer(
    { DATABASE_URL: databaseUrl, SEED_DEMO: "false", SESSION_SECRET: SECRET, DATA_DIR: path.join(tmp, name) },
    path.join(tmp, `${name}.log`),
    { entry: "server.js" },
  );
  cleanups.push(() => server.stop());
  await waitFor(`${server.url}/healthz`, server, 200, 60_000);
  return server;
}

/** A phone-sized browser of its own for each person (cookies apart). */
async function person(baseURL: string, javaScriptEnabled = true): Promise<Page> {
  const context: BrowserContext = await browser.newContext({
    baseURL,
    viewport: { width: 360, height: 740 },
    locale: "zh-CN",
    javaScriptEnabled,
  });
  return context.newPage();
}

async function signIn(page: Page, username: string, password: string) {
  await page.goto("/login");
  await page.getByLabel("用户名").fill(username);
  await page.getByLabel("密码").fill(password);
  await Promise.all([
    page.waitForURL((url) => url.pathname !== "/login"),
    page.getByRole("button", { name: "登录" }).click(),
  ]);
}

/** First sign-in with a one-time password: the app holds the person on "my account" until they set their own. */
async function firstSignIn(page: Page, username: string, otp: string, own: string) {
  await signIn(page, username, otp);
  expect(new URL(page.url()).pathname).toBe("/account");
  await page.getByLabel("当前密码").fill(otp);
  await page.getByLabel("新密码", { exact: true }).fill(own);
  await page.getByLabel("再输一次新密码").fill(own);
  await page.getByRole("button", { name: "修改密码" }).click();
  await expect.poll(() => page.getByRole("status").textContent()).toContain("密码已修改");
}

/** Creates an account on /admin/users/new; its one-time password. */
async function createUser(
  page: Page,
  user: { username: string; name: string; role: string; township?: string; cooperative?: string },
) {
  await page.goto("/admin/users/new");
  await page.getByLabel("用户名").fill(user.username);
  await page.getByLabel("姓名").fill(user.name);
  await page.getByLabel("角色").selectOption({ label: user.role });
  if (user.township) await page.locator('select[name="townshipId"]').selectOption({ label: user.township });
  if (user.cooperative) await page.locator('select[name="cooperativeId"]').selectOption({ label: user.cooperative });
  await page.getByRole("button", { name: "创建账号" }).click();
  const box = page.getByTestId("one-time-password");
  await box.waitFor();
  expect(await box.textContent()).toContain(user.username);
  return (await box.locator("code").textContent())!.trim();
}

const number = (text: string | null) => Number((text ?? "").replace(/[^0-9.-]/g, ""));

const REGISTRY_HEADER =
  "户编号,乡镇,村,组,姓名,身份证号,与户主关系,性别,出生日期,健康状况,劳动能力,联系电话,贫困状态,致贫原因,庭院面积（平方米）,家庭住址";

/** Eight households of two or three persons in the two villages the county's codes name. */
function registry() {
  const lines: string[] = [];
  let persons = 0;
  for (let h = 1; h <= 8; h++) {
    const size = 2 + (h % 2);
    for (let m = 0; m < size; m++) {
      const male = m !== 1;
      const id = makeIdNumber("230828", `19${60 + h}-0${1 + m}-1${h % 9}`, h * 10 + m, male ? "male" : "female");
      lines.push(
        [
          `T${h}`,
          "",
          h <= 4 ? "振兴村" : "东兴村",
          "",
          `${["赵", "钱", "孙", "李", "周", "吴", "郑", "王"][h - 1]}${["大", "二", "三"][m]}${h}`,
          id,
          m === 0 ? "户主" : m === 1 ? "配偶" : "子女",
          male ? "男" : "女",
          "",
          "",
          "",
          "",
          m === 0 ? "建档立卡贫困户" : "",
          m === 0 ? "缺资金" : "",
          m === 0 ? "600" : "",
          "",
        ].join(","),
      );
      persons++;
    }
  }
  return { csv: Buffer.from([REGISTRY_HEADER, ...lines].join("\r\n") + "\r\n", "utf8"), households: 8, persons };
}

test.skipIf(!PG)(
  "a county is put into service from an empty PostgreSQL database and survives a backup and restore",
  async () => {
    const first = await emptyDatabase("a");
    const adminPassword = `县里-${crypto.randomBytes(4).toString("hex")}`;
    const out = run(
      ["user:create", "--", "--username", "chief", "--role", "admin", "--county", "230828", "--county-name", "汤原县"],
      { DATABASE_URL: first },
      `${adminPassword}\n`,
    );
    expect(out).toContain("chief");
    const server = await serve(first, "a");

    // ---- the administrator: division codes, then the township's official
    const admin = await person(server.url);
    await signIn(admin, "chief", adminPassword);
    await admin.goto("/admin/regions/import");
    const codes = [
      "代码,名称",
      "230828101000,振兴乡",
      "230828101001,振兴村",
      "230828101002,东兴村",
      "230828102000,胜利镇",
      "230828102001,胜利村",
    ].join("\r\n");
    await admin.getByLabel("CSV 文件").setInputFiles({
      name: "区划.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(codes, "utf8"),
    });
    await admin.getByRole("button", { name: "预览" }).click();
    await expect.poll(() => admin.getByTestId("region-dry-run").textContent()).toContain("新增 5");
    await Promise.all([admin.waitForURL(/saved=imported/), admin.getByRole("button", { name: "确认导入" }).click()]);
    expect(await admin.getByTestId("region-tree").textContent()).toContain("东兴村");

    const officialOtp = await createUser(admin, {
      username: "zhen-official",
      name: "赵乡长",
      role: "乡镇干部",
      township: "振兴乡",
    });
    const official = await person(server.url);
    await firstSignIn(official, "zhen-official", officialOtp, "振兴乡的院子-2026");

    // ---- the official: two cadres by hand, fifty from a spreadsheet
    const cadreOtps: Record<string, string> = {};
    for (const [username, name] of [
      ["cadre-qian", "钱干部"],
      ["cadre-sun", "孙干部"],
    ])
      cadreOtps[username] = await createUser(official, { username, name, role: "帮扶干部" });
    await official.goto("/admin/users/import");
    const sheet = Array.from(
      { length: 50 },
      (_, i) => `干部${i + 1},139${String(i).padStart(8, "0")},振兴乡,bulk-${String(i + 1).padStart(2, "0")}`,
    );
    await official.locator('input[type="file"]').setInputFiles({
      name: "干部.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(`\ufeff姓名,电话,乡镇,用户名\r\n${sheet.join("\r\n")}\r\n`, "utf8"),
    });
    await official.getByRole("button", { name: "检查表格" }).click();
    await official.getByRole("button", { name: "创建 50 个账号" }).click();
    const created = official.getByTestId("bulk-created");
    await created.waitFor();
    const bulkRow = created.locator("tr", { hasText: "bulk-07" });
    cadreOtps["bulk-07"] = (await bulkRow.locator("code").textContent())!.trim();
    await official.goto("/admin/users?role=cadre");
    expect(number(await official.getByRole("status").filter({ hasText: "共" }).textContent())).toBe(52);
    expect(await pageWidth(official)).toBeLessThanOrEqual(360);

    // ---- a cooperative with a broker, and its clerk
    await official.goto("/cooperatives/new");
    await official.getByLabel("合作社名称").fill("振兴辣椒种植专业合作社");
    await official.getByLabel("类型").selectOption({ label: "种植" });
    await official.getByLabel("统一社会信用代码（登记证书）").fill(makeCreditCode("93230828MA1XK0Y0Q"));
    await official.getByLabel("联系人").fill("刘社长");
    await Promise.all([
      official.waitForURL(/\/cooperatives\/[0-9a-f-]{36}/),
      official.getByRole("button", { name: "保存合作社" }).click(),
    ]);
    const coopPath = new URL(official.url()).pathname;
    await official.locator("summary", { hasText: "添加经纪人" }).click();
    await official.getByLabel("经纪人姓名").fill("马经纪");
    await official.getByLabel("联系电话").last().fill("13812345678");
    await Promise.all([
      official.waitForURL(/saved=broker/),
      official.getByRole("button", { name: "保存经纪人" }).click(),
    ]);
    const clerkOtp = await createUser(official, {
      username: "clerk-liu",
      name: "刘会计",
      role: "合作社办事员",
      cooperative: "振兴辣椒种植专业合作社",
    });

    // ---- the households, from the registry file
    const { csv, households, persons } = registry();
    await official.goto("/import");
    await official.getByLabel("选择文件").setInputFiles({ name: "名册.csv", mimeType: "text/csv", buffer: csv });
    await official.getByRole("button", { name: "上传并检查" }).click();
    const confirmImport = official.getByRole("button", { name: /确认导入/ });
    await expect.poll(() => confirmImport.isVisible(), { timeout: 30_000 }).toBe(true);
    await confirmImport.click();
    await expect
      .poll(() => official.getByTestId("import-result").textContent(), { timeout: 30_000 })
      .toContain(`已登记 ${households} 户 ${persons} 人`);

    // ---- three households join the cooperative
    for (let i = 0; i < 3; i++) {
      await official.goto(coopPath);
      await official.locator("summary", { hasText: "吸收社员" }).click();
      await official.getByLabel("农户", { exact: true }).selectOption({ index: 1 });
      await Promise.all([
        official.waitForURL(/saved=join/),
        official.getByRole("button", { name: "登记入社" }).click(),
      ]);
    }
    await expect.poll(async () => number(await official.getByTestId("member-count").textContent())).toBe(3);

    // ---- pairing: 振兴村 to a cadre from the spreadsheet, 东兴村 to one made by hand
    for (const [village, cadre] of [
      ["振兴村", "干部7"],
      ["东兴村", "钱干部"],
    ]) {
      await official.goto("/assignments");
      const form = official.locator("form", { has: official.getByRole("button", { name: "分配", exact: true }) });
      await form.getByLabel("村", { exact: true }).selectOption({ label: village });
      await form.getByLabel("分配给").selectOption({ label: `${cadre}（现负责 0 户）` });
      await form.getByRole("button", { name: "分配", exact: true }).click();
      await expect.poll(() => official.getByRole("status").first().textContent()).toContain("已为 4 户分配帮扶干部");
    }
    await screenshot(official, "county-journey-pairing");
    expect(await pageWidth(official)).toBeLessThanOrEqual(360);

    // ---- a cadre from the spreadsheet files a plan; the official approves it from the queue
    const cadre = await person(server.url);
    await firstSignIn(cadre, "bulk-07", cadreOtps["bulk-07"], "干部七的院子-2026");
    await cadre.goto("/");
    const worklist = cadre.getByTestId("worklist").locator("a");
    await expect.poll(() => worklist.count()).toBe(4);
    const householdPath = (await worklist.first().getAttribute("href"))!;
    await cadre.goto(householdPath);
    await cadre.getByRole("link", { name: "制定今年计划" }).click();
    await cadre.getByLabel("生活区").fill("200");
    await cadre.getByLabel("种植区").fill("300");
    await cadre.getByLabel("养殖区").fill("50");
    await cadre.getByRole("button", { name: "添加作物" }).click();
    await cadre.getByLabel("作物").selectOption("chili");
    await cadre.getByLabel("面积（平方米）").fill("200");
    await cadre.getByLabel("预计产量（公斤）").fill("600");
    await cadre.getByLabel("帮扶措施").fill("种植辣椒，与合作社签订订单");
    await cadre.getByLabel("年收入目标（元）").fill("12000");
    await Promise.all([cadre.waitForURL(/saved=plan/), cadre.getByRole("button", { name: "保存计划" }).click()]);
    await Promise.all([
      cadre.waitForLoadState("networkidle"),
      cadre.getByRole("button", { name: "提交审批", exact: true }).click(),
    ]);
    await expect.poll(() => cadre.getByTestId("plan-summary").textContent()).toContain("已提交");

    await official.goto("/");
    await official.getByTestId("home-approvals-link").click();
    await official.waitForURL(/\/approvals$/);
    await official.locator(`[data-testid="approvals"] a[href^="${householdPath}"]`).first().click();
    await official.waitForURL((url) => url.pathname === householdPath);
    await official.getByTestId("plan-actions").getByRole("link", { name: "批准" }).click();
    await official.waitForURL(/confirm=approve/);
    await Promise.all([
      official.waitForLoadState("networkidle"),
      official.getByRole("button", { name: "确认批准", exact: true }).click(),
    ]);
    await expect.poll(() => official.getByTestId("plan-summary").textContent()).toContain("已批准");

    // ---- the crop fails: the cadre proposes an amendment, the official approves it from the queue
    await cadre.goto(householdPath);
    await cadre.getByRole("link", { name: "提出变更" }).click();
    await cadre.waitForURL(`${householdPath}/amendment`);
    await cadre.getByLabel("年收入目标（元）").fill("9000");
    await cadre.getByLabel("变更原因").fill("辣椒遭霜冻，调低收入目标");
    await Promise.all([cadre.waitForURL(/saved=amendment/), cadre.getByRole("button", { name: "提交变更" }).click()]);
    expect(await cadre.getByTestId("plan-summary").textContent()).not.toContain("9000.00");
    await official.goto("/");
    await official.getByTestId("home-approvals-link").click();
    await official.waitForURL(/\/approvals$/);
    await official.getByTestId("queued-amendment").locator(`a[href="${householdPath}#amendment"]`).click();
    await official.waitForURL((url) => url.pathname === householdPath);
    await official.getByTestId("open-amendment").getByRole("link", { name: "批准变更" }).click();
    await official.waitForURL(/confirm=amendment-approve/);
    await Promise.all([
      official.waitForLoadState("networkidle"),
      official.getByRole("button", { name: "确认批准", exact: true }).click(),
    ]);
    await expect.poll(() => official.getByTestId("plan-summary").textContent()).toContain("9000.00");
    const amended = await official.getByTestId("amendment-history").textContent();
    expect(amended).toContain("辣椒遭霜冻，调低收入目标");
    expect(amended).toContain("赵乡长");

    // ---- the clerk: a buyer, a signed order, an allocation, a delivery corrected by a counter-entry
    const clerk = await person(server.url);
    await firstSignIn(clerk, "clerk-liu", clerkOtp, "合作社的账本-2026");
    await clerk.goto("/buyers");
    await clerk.locator("summary", { hasText: "登记农商企业" }).click();
    await clerk.getByLabel("企业名称", { exact: true }).fill("汤原县鲜辣食品有限公司");
    await clerk.getByLabel("统一社会信用代码", { exact: true }).fill(makeCreditCode("91230828MA1XK0Y1R"));
    await clerk.getByLabel("联系人").fill("王经理");
    await Promise.all([clerk.waitForURL(/\/buyers\?saved=/), clerk.getByRole("button", { name: "保存企业" }).click()]);
    await clerk.goto("/orders/new");
    await clerk.getByLabel("农商企业").selectOption({ label: "汤原县鲜辣食品有限公司" });
    await clerk.getByLabel("作物").selectOption({ label: "辣椒" });
    await clerk.getByLabel("订单量（公斤）").fill("2000");
    await clerk.getByLabel("单价（元/公斤）").fill("6.5");
    await clerk.getByLabel("季节").fill("秋季辣椒");
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    await clerk.getByLabel("交货开始日期").fill(day(-3));
    await clerk.getByLabel("交货截止日期").fill(day(60));
    await Promise.all([
      clerk.waitForURL(/\/orders\/[0-9a-f-]{36}/),
      clerk.getByRole("button", { name: "保存订单" }).click(),
    ]);
    const orderPath = new URL(clerk.url()).pathname;
    await clerk.getByRole("button", { name: "标记为已签订" }).click();
    await expect.poll(() => clerk.getByTestId("order-status").textContent()).toBe("已签订");
    await clerk.getByLabel("社员户").selectOption({ index: 1 });
    await clerk.getByLabel("分配数量（公斤）").fill("800");
    await clerk.getByRole("button", { name: "分配", exact: true }).click();
    const card = clerk.getByTestId("allocation-card").first();
    await card.waitFor();
    const delivery = card.locator("details.delivery-form");
    await delivery.locator("summary").click();
    await delivery.getByLabel("交售数量（公斤）").fill("500");
    await delivery.getByLabel("等级").selectOption({ label: "一等" });
    await delivery.getByLabel("实际单价（元/公斤）").fill("6.5");
    await card.getByRole("button", { name: "保存交售" }).click();
    await expect.poll(() => clerk.getByTestId("total-delivered").textContent()).toBe("500");
    const fix = card.getByTestId("delivery-line").first().locator("details.correction-form");
    await fix.locator("summary").click();
    await fix.getByLabel("正确的数量（公斤）").fill("480");
    await fix.getByLabel("更正原因").fill("过磅多记了 20 公斤");
    await fix.getByRole("button", { name: "保存更正" }).click();
    await expect.poll(() => clerk.getByTestId("total-delivered").textContent()).toBe("480");
    expect(await card.getByTestId("delivery-reversal").textContent()).toContain("过磅多记了 20 公斤");
    expect(await pageWidth(clerk)).toBeLessThanOrEqual(360);
    await screenshot(clerk, "county-journey-order");

    // ---- the year turns: next year's plans start as drafts copied from this year's
    await official.goto("/plans/rollover");
    await official.getByRole("button", { name: "查看" }).click();
    const start = official.getByRole("button", { name: /开始 1 户的新年度计划/ });
    await start.waitFor();
    await start.click();
    await expect.poll(() => official.getByRole("status").first().textContent()).toContain("已为 1 户开始");
    await screenshot(official, "county-journey-rollover");

    // ---- a backup restored into a second database serves the same pages with the same numbers
    const file = path.join(tmp, "county.backup");
    run(["db:backup", "--", "--out", file], { DATABASE_URL: first });
    const second = await emptyDatabase("b");
    run(["db:restore", "--", file], { DATABASE_URL: second });
    const restored = await serve(second, "b");
    // read as the server renders them (no script), each person on each server
    const reader = async (url: string, username: string, password: string) => {
      const page = await person(url, false);
      await signIn(page, username, password);
      return page;
    };
    const pairs = {
      official: await Promise.all(
        [server.url, restored.url].map((url) => reader(url, "zhen-official", "振兴乡的院子-2026")),
      ),
      clerk: await Promise.all([server.url, restored.url].map((url) => reader(url, "clerk-liu", "合作社的账本-2026"))),
    };
    const mainText = async (page: Page, url: string) => {
      await page.goto(url);
      return page.locator("main").innerText();
    };
    for (const [[a, b], url] of [
      [pairs.official, "/households"],
      [pairs.official, "/coverage"],
      [pairs.official, "/dashboard"],
      [pairs.official, "/assignments"],
      [pairs.official, householdPath],
      [pairs.clerk, orderPath],
      [pairs.clerk, coopPath],
    ] as const) {
      const shown = await mainText(a, url);
      if (url === "/households") expect(shown).toContain(`共 ${households} 户`);
      expect(await mainText(b, url), url).toBe(shown);
    }
  },
  600_000,
);
