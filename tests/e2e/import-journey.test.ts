// The registry import's journey on a 360-px phone: the township official uploads a 200-row file with
// three bad rows, sees each named by its row number with the reason, fixes the file, uploads it again,
// the check is clean, confirms the import, waits for it, finds the new households in the list and sees the
// coverage numbers on the dashboard change: more households and persons, none of them covered yet.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, inject, test } from "vitest";
import type { Browser, Page } from "playwright-core";
import { makeIdNumber } from "~/utils/id-number";
import { launch, pageWidth, phone, screenshot, signIn } from "./browser";

let browser: Browser;
const baseURL = inject("baseURL");
const SHOTS = "/tmp/shots-import";

beforeAll(async () => {
  browser = await launch();
  fs.mkdirSync(SHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
});

async function shot(page: Page, name: string) {
  await screenshot(page, name);
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

const HEADER =
  "户编号,乡镇,村,组,姓名,身份证号,与户主关系,性别,出生日期,健康状况,劳动能力,联系电话,贫困状态,致贫原因,庭院面积（平方米）,家庭住址";
// villages of 振兴乡 in the demo data
const VILLAGES = ["振兴村", "东兴村", "新胜村", "红光村", "永发村", "长发村"];

/** 200 persons in households of 1-6, ID numbers from another county's area code (the demo uses 230828). */
function registry() {
  const salt = Math.floor(Math.random() * 200);
  const rows: { key: string; cells: string[] }[] = [];
  let h = 0;
  while (rows.length < 200) {
    h++;
    const size = Math.min(1 + (h % 6), 200 - rows.length);
    for (let m = 0; m < size; m++) {
      const male = m % 2 === 0;
      const birth = `19${50 + (h % 40)}-0${1 + (m % 9)}-1${m % 9}`;
      const id = makeIdNumber("230826", birth, (salt + h) % 500, male ? "male" : "female");
      rows.push({
        key: `Z${h}`,
        cells: [
          `Z${h}`,
          "",
          VILLAGES[h % VILLAGES.length],
          "",
          `导入${h}号${m}`,
          id,
          m === 0 ? "户主" : m === 1 ? "配偶" : "子女",
          male ? "男" : "女",
          "",
          "",
          "",
          "",
          m === 0 ? "建档立卡贫困户" : "",
          m === 0 ? "缺资金" : "",
          m === 0 ? "450" : "",
          "",
        ],
      });
    }
  }
  return { rows, households: h };
}
const csv = (rows: { cells: string[] }[]) =>
  Buffer.from([HEADER, ...rows.map((r) => r.cells.join(","))].join("\r\n") + "\r\n", "utf8");

async function householdTotal(page: Page) {
  await page.goto("/households");
  const text = (await page.locator(".list-total").textContent()) ?? "";
  return Number(text.replace(/[^0-9]/g, ""));
}

/** The dashboard's coverage totals row: households, covered households, persons. */
async function dashboardCoverage(page: Page) {
  await page.goto("/dashboard");
  const read = async (id: string) => Number(((await page.getByTestId(id).textContent()) ?? "").replace(/[^0-9]/g, ""));
  return {
    households: await read("coverage-households"),
    covered: await read("coverage-covered"),
    persons: await read("coverage-persons"),
  };
}

async function upload(page: Page, name: string, bytes: Buffer) {
  const from = page.url();
  await page.getByLabel("选择文件").setInputFiles({ name, mimeType: "text/csv", buffer: bytes });
  await Promise.all([
    page.waitForURL((url) => /\/import\/[0-9a-f-]{36}$/.test(url.pathname) && url.href !== from),
    page.getByRole("button", { name: "上传并检查" }).click(),
  ]);
}

test("an official imports 200 persons: three bad rows named, fixed, checked clean, committed, counted", async () => {
  const page = await phone(browser, baseURL);
  await signIn(page, "official");
  const before = await householdTotal(page);
  const coverageBefore = await dashboardCoverage(page);
  expect(coverageBefore.households).toBe(before);

  await page.goto("/import");
  await expect.poll(() => page.getByRole("heading", { name: "导入农户" }).isVisible()).toBe(true);
  expect(await pageWidth(page)).toBeLessThanOrEqual(360);
  await shot(page, "import-1-empty-360");
  expect(await page.getByRole("link", { name: "Excel 模板（.xlsx）" }).getAttribute("href")).toBe(
    "/import/template/xlsx",
  );
  const template = await page.request.get("/import/template/csv");
  expect((await template.body()).toString("utf8")).toBe("\ufeff" + HEADER + "\r\n");
  // no file chosen: said next to the field
  await page.getByRole("button", { name: "上传并检查" }).click();
  await expect.poll(() => page.getByText("请选择要导入的文件").isVisible()).toBe(true);
  // a workbook cut off half way: refused at once, next to the field
  await page.getByLabel("选择文件").setInputFiles(path.resolve("tests/fixtures/import/broken.xlsx"));
  await page.getByRole("button", { name: "上传并检查" }).click();
  await expect.poll(() => page.locator(".field").getByText("文件不是有效的 .xlsx").isVisible()).toBe(true);
  expect(await pageWidth(page)).toBeLessThanOrEqual(360);
  await shot(page, "import-1b-bad-file-360");

  // three bad rows: a wrong check digit (row 5), a village of no one's (row 50), a person twice (row 120 = row 2)
  const { rows, households } = registry();
  const bad = rows.map((r) => ({ ...r, cells: [...r.cells] }));
  const id4 = bad[3].cells[5];
  bad[3].cells[5] = id4.slice(0, 17) + (id4[17] === "1" ? "2" : "1");
  bad[48].cells[2] = "幸福村";
  for (const r of bad) if (r.key === bad[48].key) r.cells[2] = "幸福村";
  bad[118].cells[5] = bad[0].cells[5];
  await upload(page, "registry-bad.csv", csv(bad));
  await expect.poll(() => page.getByTestId("import-errors").isVisible(), { timeout: 20_000 }).toBe(true);
  const shown = await page
    .locator("table.import-errors tbody tr")
    .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent)));
  const badKeyRows = bad.map((r, i) => (r.key === bad[48].key ? i + 2 : 0)).filter(Boolean);
  expect(shown).toEqual([
    ["5", "身份证号", "身份证号校验码不对，请核对每一位"],
    [String(badKeyRows[0]), "村", "找不到村「幸福村」，或该村不在您管辖的范围内"],
    ["120", "身份证号", "身份证号与第 2 行重复"],
  ]);
  expect(await page.getByTestId("import-errors").textContent()).toContain("有 3 行需要修改");
  expect(await page.getByRole("button", { name: /确认导入/ }).count()).toBe(0);
  expect(await pageWidth(page)).toBeLessThanOrEqual(360);
  await shot(page, "import-2-errors-360");

  // the fixed file: clean, then committed
  await upload(page, "registry.csv", csv(rows));
  const confirm = page.getByRole("button", { name: /确认导入/ });
  await expect.poll(() => confirm.isVisible(), { timeout: 20_000 }).toBe(true);
  expect(await page.getByTestId("import-result").textContent()).toContain(`检查通过：200 行，${households} 户 200 人`);
  const dryRunUrl = page.url();
  await Promise.all([
    page.waitForURL((url) => /\/import\/[0-9a-f-]{36}$/.test(url.pathname) && url.href !== dryRunUrl),
    confirm.click(),
  ]);
  const commitUrl = page.url();
  expect(await pageWidth(page)).toBeLessThanOrEqual(360);
  await shot(page, "import-3-progress-360");
  await expect
    .poll(() => page.getByTestId("import-result").textContent(), { timeout: 30_000 })
    .toContain(`已登记 ${households} 户 200 人`);
  await shot(page, "import-4-success-360");

  // a reload shows the finished job again
  await page.reload();
  expect(page.url()).toBe(commitUrl);
  expect(await page.getByTestId("import-result").textContent()).toContain(`已登记 ${households} 户 200 人`);

  // the import page lists the three jobs, newest first
  await page.goto("/import");
  expect(await page.getByTestId("import-jobs").locator("li").count()).toBeGreaterThanOrEqual(3);
  expect(await page.getByTestId("import-jobs").locator("li").first().textContent()).toContain(
    `${households} 户 200 人`,
  );
  await shot(page, "import-5-recent-360");
  await page.goBack();

  await page.getByRole("link", { name: "查看农户列表" }).click();
  await page.waitForURL(/\/households$/);
  expect(await householdTotal(page)).toBe(before + households);

  // the dashboard counts them: the township has more households and persons, and new ones are not covered
  // (no plan, no cadre, no check yet), so the share covered falls
  const coverageAfter = await dashboardCoverage(page);
  expect(coverageAfter).toEqual({
    households: coverageBefore.households + households,
    covered: coverageBefore.covered,
    persons: coverageBefore.persons + 200,
  });
  await shot(page, "import-7-dashboard-coverage-360");
  await page.context().close();
});

test("a 100,000-row check shows its progress, survives a reload, and ends with a clean result", async () => {
  const page = await phone(browser, baseURL);
  await signIn(page, "official");
  await page.goto("/import");
  const lines = [HEADER];
  for (let i = 0; i < 100_000; i++) {
    const id = makeIdNumber(
      "230827",
      `19${40 + Math.floor(i / 5000)}-0${1 + (i % 9)}-0${1 + (Math.floor(i / 9) % 9)}`,
      Math.floor(i / 81) % 500,
      i % 2 ? "female" : "male",
    );
    lines.push(
      `B${Math.floor(i / 4)},,振兴村,,大表${i},${id},${i % 4 ? "子女" : "户主"},${i % 2 ? "女" : "男"},,,,,${i % 4 ? "" : "监测户"},${i % 4 ? "" : "因病"},,`,
    );
  }
  await upload(page, "county-registry.csv", Buffer.from(lines.join("\n"), "utf8"));
  const jobUrl = page.url();
  // what the page shows first: the progress bar, unless the check was faster than the page
  if (await page.getByTestId("import-progress").isVisible()) {
    expect(await page.locator("progress").count()).toBe(1);
    await shot(page, "import-3b-progress-100k-360");
    await page.reload();
    expect(page.url()).toBe(jobUrl);
  }
  await expect.poll(() => page.getByTestId("import-result").isVisible(), { timeout: 60_000 }).toBe(true);
  expect(await page.getByTestId("import-result").textContent()).toContain("检查通过：100000 行，25000 户 100000 人");
  await page.context().close();
});

test("without JavaScript: the upload is a plain multipart form and the job page refreshes itself until done", async () => {
  const context = await browser.newContext({
    baseURL,
    viewport: { width: 360, height: 740 },
    javaScriptEnabled: false,
    locale: "zh-CN",
  });
  const page = await context.newPage();
  await signIn(page, "official");
  await page.goto("/import");
  const lines = [HEADER];
  for (let i = 0; i < 80_000; i++) {
    const id = makeIdNumber(
      "230825",
      `19${20 + Math.floor(i / 1000)}-0${1 + (i % 9)}-1${i % 9}`,
      Math.floor((i % 1000) / 9),
      "male",
    );
    lines.push(`N${i},,东兴村,,无脚本${i},${id},户主,男,,,,,监测户,因病,,`);
  }
  await upload(page, "no-js.csv", Buffer.from(lines.join("\n"), "utf8"));
  // the <noscript> refresh brings the result without a click (when the page came before the result)
  if (await page.getByTestId("import-progress").isVisible()) {
    expect(await page.locator("noscript").first().innerHTML()).toContain('http-equiv="refresh"');
    console.log("no-JS: progress shown first, result came by the page's own refresh");
  }
  await expect.poll(() => page.getByTestId("import-result").isVisible(), { timeout: 30_000, interval: 500 }).toBe(true);
  expect(await page.getByTestId("import-result").textContent()).toContain("检查通过：80000 行，80000 户 80000 人");
  await context.close();
});

test("in English the page, the column notes and the row problems read in English; the headers stay Chinese", async () => {
  const page = await phone(browser, baseURL);
  await signIn(page, "official");
  await page.goto("/import");
  await Promise.all([page.waitForURL(/\/import/), page.getByRole("button", { name: "English" }).click()]);
  await expect.poll(() => page.getByRole("heading", { name: "Import households" }).isVisible()).toBe(true);
  expect(await page.getByTestId("import-columns").textContent()).toContain("Each household has exactly one head");
  const lines = [
    HEADER,
    `E1,,振兴村,,英文,${makeIdNumber("230824", "1977-07-07", 3, "male")},户主,女,,,,,监测户,因病,,`,
  ];
  const from = page.url();
  await page
    .getByLabel("File")
    .setInputFiles({ name: "en.csv", mimeType: "text/csv", buffer: Buffer.from(lines.join("\n")) });
  await Promise.all([
    page.waitForURL((url) => /\/import\/[0-9a-f-]{36}$/.test(url.pathname) && url.href !== from),
    page.getByRole("button", { name: "Upload and check" }).click(),
  ]);
  await expect.poll(() => page.getByTestId("import-errors").isVisible(), { timeout: 20_000 }).toBe(true);
  expect(await page.locator("table.import-errors tbody").textContent()).toContain("性别");
  expect(await page.getByTestId("import-errors").textContent()).toContain("Rows to fix: 1 (problems: 1)");
  expect(await pageWidth(page)).toBeLessThanOrEqual(360);
  await shot(page, "import-6-english-errors-360");
  await page.context().close();
});
