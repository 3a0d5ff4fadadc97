// An official's journey with aid funds on a 360-px phone: a new industry project, an allocation refused
// for going over the budget (the message next to the amount, the input kept), an allocation within it,
// the household's fund ledger, a budget edit that may not drop below what is allocated, and the
// households list exported as CSV and XLSX.
import ExcelJS from "exceljs";
import { afterAll, beforeAll, expect, inject, test } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launch, pageWidth, phone, screenshot, signIn } from "./browser";

let browser: Browser;
const baseURL = inject("baseURL");

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

async function submit(page: Page, name: string) {
  await Promise.all([page.waitForLoadState("networkidle"), page.getByRole("button", { name, exact: true }).click()]);
}

test("an official allocates project funds to a household's plan and sees them in its ledger", async () => {
  const page = await phone(browser, baseURL);
  await signIn(page, "official");
  const name = `庭院辣椒种植扶持-${Math.floor(Math.random() * 1e6)}`;

  await page.goto("/projects/new");
  await page.getByLabel("项目名称").fill(name);
  await page.getByLabel("项目类型").selectOption("industry");
  await page.getByLabel("资金来源").fill("中央财政衔接资金");
  await page.getByLabel("预算（元）").fill("5000");
  await Promise.all([
    page.waitForURL(/\/projects\/[0-9a-f-]{36}\?saved=project/),
    page.getByRole("button", { name: "保存项目" }).click(),
  ]);
  const projectPath = new URL(page.url()).pathname;
  expect(await page.getByTestId("project-remaining").textContent()).toBe("5000.00");

  const household = page.getByLabel("农户", { exact: true });
  const choice = (await household.locator("option").nth(1).textContent())!;
  const headName = choice.split(" · ")[0];
  await household.selectOption({ index: 1 });
  await page.getByLabel("方式").selectOption("in_kind");
  await page.getByLabel("物品").fill("辣椒苗");
  await page.getByLabel("数量").fill("2000");
  await page.getByLabel("金额（元）").fill("6000");
  await submit(page, "确认分配");
  await expect.poll(() => page.getByText("超出预算：本项目只剩 5000.00 元").isVisible()).toBe(true);
  expect(await page.getByLabel("物品").inputValue()).toBe("辣椒苗");
  expect(await page.getByTestId("project-remaining").textContent()).toBe("5000.00");
  expect(await pageWidth(page)).toBeLessThanOrEqual(360);
  await screenshot(page, "funds-1-over-budget-360");

  await page.getByLabel("金额（元）").fill("3000");
  await Promise.all([page.waitForURL(/saved=allocation/), page.getByRole("button", { name: "确认分配" }).click()]);
  await expect.poll(() => page.getByTestId("project-remaining").textContent()).toBe("2000.00");
  await screenshot(page, "funds-2-allocated-360");

  // the household reached, and its ledger on its own page
  await Promise.all([
    page.waitForURL(/\/households\/[0-9a-f-]{36}$/),
    page
      .getByRole("link", { name: new RegExp(headName) })
      .last()
      .click(),
  ]);
  const ledgerEntry = page.getByRole("listitem").filter({ hasText: name });
  await expect.poll(() => ledgerEntry.isVisible()).toBe(true);
  expect(await ledgerEntry.textContent()).toContain("3000.00");
  expect(await ledgerEntry.textContent()).toContain("辣椒苗 × 2000");
  expect(await pageWidth(page)).toBeLessThanOrEqual(360);
  await screenshot(page, "funds-3-household-ledger-360");

  // the budget cannot drop below what is allocated
  await page.goto(`${projectPath}/edit`);
  await page.getByLabel("预算（元）").fill("1000");
  await submit(page, "保存项目");
  await expect.poll(() => page.getByText("预算不能少于已分配的 3000.00 元").isVisible()).toBe(true);
  expect(await page.getByLabel("项目名称").inputValue()).toBe(name);
  await page.getByLabel("预算（元）").fill("8000");
  await Promise.all([page.waitForURL(/saved=project/), page.getByRole("button", { name: "保存项目" }).click()]);
  await expect.poll(() => page.getByTestId("project-remaining").textContent()).toBe("5000.00");
});

test("the household list exports what its filters show, as CSV with a BOM and as XLSX", async () => {
  const page = await phone(browser, baseURL);
  await signIn(page, "official");
  await page.goto("/households?status=monitored");
  const shown = await page.locator(".list-total").textContent();
  const total = Number(shown!.replace(/[^0-9]/g, ""));
  expect(total).toBeGreaterThan(0);

  const csvHref = await page.getByRole("link", { name: "CSV" }).getAttribute("href");
  expect(csvHref).toContain("status=monitored");
  const csv = await page.context().request.get(csvHref!);
  expect(csv.headers()["content-type"]).toContain("text/csv");
  const bytes = await csv.body();
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = bytes.toString("utf8").slice(1).trim().split("\r\n");
  expect(lines[0]).toContain("户主身份证号");
  expect(lines).toHaveLength(total + 1);
  expect(lines.slice(1).every((l) => l.includes("监测户"))).toBe(true);

  // the list's own URL with ?format= answers with the same file
  const same = await page.context().request.get("/households?status=monitored&format=csv");
  expect(same.headers()["content-type"]).toContain("text/csv");
  expect((await same.body()).equals(bytes)).toBe(true);

  const xlsxHref = await page.getByRole("link", { name: "Excel (XLSX)" }).getAttribute("href");
  const xlsx = await page.context().request.get(xlsxHref!);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load((await xlsx.body()) as unknown as ArrayBuffer);
  expect(book.worksheets[0].rowCount).toBe(total + 1);

  // not signed in: no file
  const anonymous = await browser.newContext({ baseURL });
  const refused = await anonymous.request.get(csvHref!, { maxRedirects: 0 });
  expect(refused.status()).not.toBe(200);
  await anonymous.close();
});
