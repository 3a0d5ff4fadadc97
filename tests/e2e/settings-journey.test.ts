// Rule values on a 360-px phone: the township official, without JavaScript, sets the township's own visit
// interval from tomorrow and reads it back as a change ahead and in the history; the administrator opens
// the township from the county page and is told next to the field when a value is out of range, what
// was typed kept. A change from tomorrow moves nothing the other browser tests count today.
import { afterAll, beforeAll, expect, inject, test } from "vitest";
import type { Browser, Page } from "playwright-core";
import { todayISO } from "~/utils/dates";
import { addDays } from "~/utils/due";
import { launch, navTo, pageWidth, phone, screenshot, signIn } from "./browser";

let browser: Browser;
const baseURL = inject("baseURL");

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

async function signInWith(page: Page, username: string, password = "tingyuan-demo") {
  await page.goto("/login");
  await page.getByLabel("用户名").fill(username);
  await page.getByLabel("密码").fill(password);
  await Promise.all([
    page.waitForURL((url) => url.pathname !== "/login"),
    page.getByRole("button", { name: "登录" }).click(),
  ]);
}

test("an official sets the township's visit interval from tomorrow; the administrator sees it beside the county value", async () => {
  const tomorrow = addDays(todayISO(), 1);
  const official = await (
    await browser.newContext({
      baseURL,
      viewport: { width: 360, height: 740 },
      locale: "zh-CN",
      javaScriptEnabled: false,
    })
  ).newPage();
  await signInWith(official, "official");
  await navTo(official, "规则参数");
  await official.waitForURL(/\/admin\/settings$/);
  expect(await official.getByRole("heading", { level: 1 }).textContent()).toBe("振兴乡规则参数");
  const interval = official.getByLabel("走访间隔", { exact: true });
  expect(await official.locator('[data-key="check.intervalDays"]').textContent()).toContain("全县：30 天");

  await interval.fill("20");
  await official.getByLabel("生效日期").fill(tomorrow);
  await official.getByRole("button", { name: "保存" }).click();
  expect(await official.getByRole("status").textContent()).toContain("已保存");
  const row = official.locator('[data-key="check.intervalDays"]');
  expect(await row.textContent()).toContain("20 天");
  // today the township still follows the county: the field is empty, the change waits for its day
  expect(await official.getByLabel("走访间隔", { exact: true }).inputValue()).toBe("");
  await row.locator("summary").click();
  expect(await row.locator("table").textContent()).toMatch(/20 天/);
  expect(await pageWidth(official)).toBeLessThanOrEqual(360);
  await screenshot(official, "settings-official-saved");

  const admin = await phone(browser, baseURL);
  await signIn(admin, "admin");
  await admin.goto("/admin/settings");
  expect(await admin.getByRole("heading", { level: 1 }).textContent()).toBe("全县规则参数");
  await admin.getByRole("link", { name: "振兴乡" }).click();
  await admin.waitForURL(/\/admin\/settings\/[0-9a-f-]{36}$/);
  // a client-side navigation changes the URL before the new page is drawn: wait for the page, not the URL
  await expect.poll(() => admin.locator('[data-key="check.intervalDays"]').textContent()).toContain("20 天");
  const monitored = admin.getByLabel("监测户走访间隔", { exact: true });
  await monitored.fill("400");
  await admin.getByRole("button", { name: "保存" }).click();
  await expect.poll(() => admin.getByText("须是 1 到 366 之间的整数").isVisible()).toBe(true);
  expect(await monitored.inputValue()).toBe("400");
  expect(await pageWidth(admin)).toBeLessThanOrEqual(360);
  await screenshot(admin, "settings-admin-range");
});
