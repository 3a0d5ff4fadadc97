// The dashboard on a phone and a desktop: the demo official follows the home page's link to five charts
// drawn on the server (inline SVG, no charting script downloaded), each with its numbers in a table; it
// works without JavaScript; the admin sees the county; a cadre may not open it.
import { afterAll, beforeAll, expect, inject, test } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launch, pageWidth, phone, screenshot, signIn } from "./browser";

let browser: Browser;
const baseURL = inject("baseURL");
const CHARTS = ["coverage", "overdue", "plans", "orders", "funds"];

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

async function expectCharts(page: Page) {
  for (const id of CHARTS) {
    const panel = page.getByTestId(`chart-${id}`);
    const picture = panel.locator('[role="img"]');
    expect(await picture.getAttribute("aria-label")).toBeTruthy();
    expect(await picture.locator("svg").count()).toBe(1);
    // the picture fits its column
    const box = (await picture.locator("svg").boundingBox())!;
    expect(box.width).toBeGreaterThan(200);
    expect(box.height).toBeGreaterThan(40);
    expect(await panel.locator("table tbody tr").count()).toBeGreaterThan(0);
  }
}

test("the official opens the dashboard from home and sees five charts with their tables on a phone", async () => {
  const page = await phone(browser, baseURL);
  const scripts: string[] = [];
  page.on("request", (r) => {
    if (r.resourceType() === "script") scripts.push(r.url());
  });
  await signIn(page, "official");
  await page.getByTestId("home-dashboard-link").click();
  await page.waitForURL((url) => url.pathname === "/dashboard");
  await expect.poll(() => page.getByRole("heading", { level: 1, name: "统计图表" }).isVisible()).toBe(true);
  await expectCharts(page);
  // twelve months in the overdue table, Chinese labels in the pictures
  expect(await page.getByTestId("chart-overdue").locator("tbody tr").count()).toBe(12);
  // coverage per village of the township, its total one click from the register
  expect(await page.getByTestId("chart-coverage").locator("svg").textContent()).toContain("户覆盖率");
  expect(Number(await page.getByTestId("coverage-households").textContent())).toBeGreaterThan(0);
  expect(
    await page.getByTestId("chart-coverage").getByRole("link", { name: "查看覆盖台账 →" }).getAttribute("href"),
  ).toBe("/coverage");
  expect(await page.getByTestId("chart-plans").locator("svg").textContent()).toContain("无计划");
  expect(await page.getByTestId("chart-orders").locator("svg").textContent()).toContain("辣椒");
  expect(await pageWidth(page)).toBeLessThanOrEqual(360);
  // no charting library went to the phone
  expect(scripts.filter((s) => /echarts/i.test(s))).toEqual([]);
  await screenshot(page, "dashboard-official-360");
  await page.context().close();
});

test("without JavaScript the dashboard is the same pictures and tables", async () => {
  const context = await browser.newContext({
    baseURL,
    viewport: { width: 360, height: 740 },
    javaScriptEnabled: false,
  });
  const page = await context.newPage();
  await signIn(page, "official");
  await page.goto("/dashboard");
  await expectCharts(page);
  await context.close();
});

test("the admin sees the county's dashboard on a desktop screen", async () => {
  const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 900 }, locale: "zh-CN" });
  const page = await context.newPage();
  await signIn(page, "admin");
  await page.goto("/dashboard");
  await expectCharts(page);
  await screenshot(page, "dashboard-admin-1280");
  await context.close();
});

test("a cadre may not open the dashboard", async () => {
  const page = await phone(browser, baseURL);
  await signIn(page, "cadre");
  const response = await page.goto("/dashboard");
  expect(response!.status()).toBe(403);
  await page.context().close();
});
