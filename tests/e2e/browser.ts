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

/**
 * The phone the field uses, as the field notes measured it: 150 ms latency, 1.6 Mbit/s down, 750 kbit/s up,
 * the CPU 4× slower. Journeys that must hold there (an offline visit, a photo, the phone navigation, the
 * calendar on the worklist) run under it; scripts/lcp.ts measures the same profile.
 */
export async function slowPhone(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  const conditions = (offline: boolean) => ({
    offline,
    latency: 150,
    downloadThroughput: (1.6e6 / 8) | 0,
    uploadThroughput: (750e3 / 8) | 0,
  });
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", conditions(false));
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
  return {
    /** The signal lost or back: this page through the profile's own session (which would otherwise keep it
     * online), its service worker and other pages through the context. */
    async offline(on: boolean) {
      await page.context().setOffline(on);
      await cdp.send("Network.emulateNetworkConditions", conditions(on));
    },
  };
}
