// Each demo account signs in on a 360-px phone and lands on its own home page, in Chinese;
// the language switch shows the same page in English; a cadre cannot open another cadre's household.
import { afterAll, beforeAll, expect, inject, test } from "vitest";
import type { Browser } from "playwright-core";
import { launch, pageWidth, phone, screenshot, signIn } from "./browser";

let browser: Browser;
const baseURL = inject("baseURL");

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

test("the sign-in page is in Chinese and refuses a wrong password with a message, keeping the username", async () => {
  const page = await phone(browser, baseURL);
  await page.goto("/login");
  expect(await page.locator("html").getAttribute("lang")).toBe("zh-CN");
  await expect.poll(() => page.getByRole("heading", { name: "登录" }).isVisible()).toBe(true);
  await page.getByLabel("用户名").fill("cadre");
  await page.getByLabel("密码").fill("wrong-password");
  await page.getByRole("button", { name: "登录" }).click();
  await expect.poll(() => page.getByText("用户名或密码不正确").isVisible()).toBe(true);
  expect(await page.getByLabel("用户名").inputValue()).toBe("cadre");
  await screenshot(page, "login-error-360");
  await page.context().close();
});

const homes = [
  { username: "cadre", role: "帮扶干部", landmark: "我的帮扶户" },
  { username: "official", role: "乡镇干部", landmark: "各村情况" },
  { username: "clerk", role: "合作社", landmark: "本社订单" },
  { username: "admin", role: "系统管理员", landmark: "各乡镇" },
] as const;

for (const home of homes) {
  test(`${home.username} signs in and lands on their own home page`, async () => {
    const page = await phone(browser, baseURL);
    await signIn(page, home.username);
    await expect.poll(() => page.getByText(home.role, { exact: false }).first().isVisible()).toBe(true);
    await expect.poll(() => page.getByRole("heading", { name: home.landmark }).isVisible()).toBe(true);
    expect(await pageWidth(page)).toBeLessThanOrEqual(360);
    await screenshot(page, `home-${home.username}-360`);
    await page.context().close();
  });
}

test("the cadre's worklist shows only their dozen or so households, overdue first", async () => {
  const page = await phone(browser, baseURL);
  await signIn(page, "cadre");
  const rows = page.getByTestId("worklist").locator("li");
  await rows.first().waitFor();
  const count = await rows.count();
  expect(count).toBeGreaterThanOrEqual(8);
  expect(count).toBeLessThanOrEqual(20);
  await expect.poll(() => rows.first().locator(".badge.bad").count()).toBe(1);
  await page.context().close();
});

test("the language switch shows the same page in English and back", async () => {
  const page = await phone(browser, baseURL);
  await signIn(page, "official");
  await page.getByRole("button", { name: "English" }).click();
  await expect.poll(() => page.getByRole("heading", { name: "Villages" }).isVisible()).toBe(true);
  expect(await page.locator("html").getAttribute("lang")).toBe("en");
  await screenshot(page, "home-official-en-360");
  await page.getByRole("button", { name: "中文" }).click();
  await expect.poll(() => page.getByRole("heading", { name: "各村情况" }).isVisible()).toBe(true);
  await page.context().close();
});

test("a cadre asking for another cadre's household gets 404", async () => {
  const official = await phone(browser, baseURL);
  await signIn(official, "official");
  await official.goto("/households?size=100");
  const all = (
    await official.locator('a[href^="/households/"]').evaluateAll((as) => as.map((a) => a.getAttribute("href")!))
  ).filter((href) => /^\/households\/[0-9a-f-]{36}$/.test(href));
  await official.context().close();

  const cadre = await phone(browser, baseURL);
  await signIn(cadre, "cadre");
  await cadre.getByTestId("worklist").locator("a").first().waitFor();
  const mine = await cadre
    .getByTestId("worklist")
    .locator("a")
    .evaluateAll((as) => as.map((a) => a.getAttribute("href")!));
  expect(mine.length).toBeGreaterThan(0);
  const notMine = all.find((href) => !mine.includes(href));
  expect(notMine).toBeDefined();

  const own = await cadre.goto(mine[0]);
  expect(own?.status()).toBe(200);
  const foreign = await cadre.goto(notMine!);
  expect(foreign?.status()).toBe(404);
  await expect.poll(() => cadre.getByRole("heading", { name: "找不到该页面" }).isVisible()).toBe(true);
  await screenshot(cadre, "cadre-foreign-household-404");
  // the same answer for an action and for the plan editor on that household
  // with the Origin header a browser sends (server.js refuses writes without one)
  const post = await cadre.request.post(`${notMine}?index`, {
    headers: { Origin: baseURL },
    form: { intent: "submit", planId: "00000000-0000-4000-8000-000000000000", version: "1" },
  });
  expect(post.status()).toBe(404);
  const editor = await cadre.goto(`${notMine}/plan`);
  expect(editor?.status()).toBe(404);
  await cadre.context().close();
});

test("an unknown address answers 404 and signing out ends the session", async () => {
  const page = await phone(browser, baseURL);
  const res = await page.goto("/no-such-page");
  expect(res?.status()).toBe(404);
  await signIn(page, "clerk");
  await page.getByRole("button", { name: "退出" }).click();
  await page.waitForURL((url) => url.pathname === "/login");
  const back = await page.goto("/");
  expect(new URL(page.url()).pathname).toBe("/login");
  expect(back?.status()).toBe(200);
  await page.context().close();
});

test("/healthz reports the database", async () => {
  const res = await fetch(`${baseURL}/healthz`);
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ status: "ok", db: "ok" });
});
