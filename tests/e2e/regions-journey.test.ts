// Regions on a 360-px phone without JavaScript: the administrator adds two villages to a township (a
// code of the wrong length refused next to its field, what was typed kept), merges one into the other
// through the confirmation page, then retires the survivor, which holds no households.
import { afterAll, beforeAll, expect, inject, test } from "vitest";
import type { Browser } from "playwright-core";
import { launch, navTo, pageWidth, screenshot } from "./browser";

let browser: Browser;
const baseURL = inject("baseURL");

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

test("an administrator adds villages, merges one into the other and retires the survivor", async () => {
  const page = await (
    await browser.newContext({
      baseURL,
      viewport: { width: 360, height: 740 },
      locale: "zh-CN",
      javaScriptEnabled: false,
    })
  ).newPage();
  await page.goto("/login");
  await page.getByLabel("用户名").fill("admin");
  await page.getByLabel("密码").fill("tingyuan-demo");
  await Promise.all([
    page.waitForURL((url) => url.pathname === "/"),
    page.getByRole("button", { name: "登录" }).click(),
  ]);

  await navTo(page, "区划");
  await page.waitForURL(/\/admin\/regions$/);
  expect(await page.getByTestId("region-tree").textContent()).toContain("振兴乡");
  expect(await pageWidth(page)).toBeLessThanOrEqual(360);
  await screenshot(page, "regions-tree");

  await page.getByRole("link", { name: "振兴乡" }).first().click();
  await page.waitForURL(/\/admin\/regions\/[0-9a-f-]{36}$/);
  const township = (await page.locator("h1 code").textContent())!.trim();
  const own = 900 + Math.floor(Math.random() * 90);
  // the add-a-village form: the rename form on the same page has its own 名称
  const add = page.locator("form", { has: page.getByRole("button", { name: "添加村" }) });

  // a code one digit short: refused beside the field, the name kept
  await page.locator("summary", { hasText: "添加村" }).click();
  await add.getByLabel("代码").fill(`${township}${own}`.slice(0, -1));
  await add.getByLabel("名称", { exact: true }).fill("试验甲村");
  await page.getByRole("button", { name: "添加村" }).click();
  expect(await page.getByText("村代码应为 12 位数字").isVisible()).toBe(true);
  expect(await add.getByLabel("名称", { exact: true }).inputValue()).toBe("试验甲村");
  expect(await pageWidth(page)).toBeLessThanOrEqual(360);
  await add.getByLabel("代码").fill(`${township}${own}`);
  await page.getByRole("button", { name: "添加村" }).click();
  await page.waitForURL(/saved=added/);
  expect(await page.getByRole("status").textContent()).toContain("已添加");
  const first = new URL(page.url()).pathname;

  await page.getByRole("link", { name: /振兴乡/ }).click();
  await page.locator("summary", { hasText: "添加村" }).click();
  await add.getByLabel("代码").fill(`${township}${own + 1}`);
  await add.getByLabel("名称", { exact: true }).fill("试验乙村");
  await page.getByRole("button", { name: "添加村" }).click();
  await page.waitForURL(/saved=added/);

  // 乙 into 甲: the choice, then the confirmation page, then the merge
  await page.getByLabel("并入").selectOption({ label: `试验甲村 ${township}${own}` });
  await page.getByRole("button", { name: "下一步" }).click();
  await page.waitForURL(/confirm=merge/);
  expect(await page.locator(".notice").textContent()).toContain("把 试验乙村（0 户）并入 试验甲村");
  expect(await pageWidth(page)).toBeLessThanOrEqual(360);
  await screenshot(page, "regions-merge-confirm");
  await page.getByRole("button", { name: "确认合并" }).click();
  await page.waitForURL(/saved=merged/);
  expect(new URL(page.url()).pathname).toBe(first);
  expect(await page.getByRole("status").textContent()).toContain("已合并");

  // 甲 holds nobody: retired, gone from the tree, still reachable as history
  await page.getByRole("link", { name: "撤销" }).click();
  await page.waitForURL(/confirm=retire/);
  await page.getByRole("button", { name: "确认撤销" }).click();
  await page.waitForURL(/saved=retired/);
  expect(await page.locator(".notice").textContent()).toContain("已撤销");
  await page.goto("/admin/regions");
  expect(await page.getByTestId("region-tree").textContent()).not.toContain("试验甲村");
  await page.goto("/admin/regions?retired=1");
  expect(await page.getByTestId("region-tree").textContent()).toContain("试验乙村");
  expect(await pageWidth(page)).toBeLessThanOrEqual(360);
});
