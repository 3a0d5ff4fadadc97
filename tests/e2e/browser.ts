import fs from "node:fs";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";

export const ARTIFACTS = path.resolve("test-results");

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/** A phone-sized page (360 px wide), as the cadres use it. */
export async function phone(browser: Browser, baseURL: string, locale = "zh-CN") {
  const context = await browser.newContext({
    baseURL,
    viewport: { width: 360, height: 740 },
    deviceScaleFactor: 1,
    locale,
  });
  return context.newPage();
}

export async function signIn(page: Page, username: string, password = "tingyuan-demo") {
  await page.goto("/login");
  await page.getByLabel("用户名").fill(username);
  await page.getByLabel("密码").fill(password);
  await Promise.all([
    page.waitForURL((url) => url.pathname === "/"),
    page.getByRole("button", { name: "登录" }).click(),
  ]);
  await page.locator("nav.nav").waitFor();
}

export async function screenshot(page: Page, name: string) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** The page is no wider than the phone: nothing forces sideways scrolling of the whole page. */
export async function pageWidth(page: Page) {
  return page.evaluate(() => document.documentElement.scrollWidth);
}

/** Follows a navigation tab by its name: on a phone the tabs past the first few sit under 更多. */
export async function navTo(page: Page, name: string) {
  const nav = page.locator("nav.nav");
  const link = nav.getByRole("link", { name, exact: true });
  if (!(await link.isVisible())) await nav.locator(".nav-more summary").click();
  await link.click();
}
