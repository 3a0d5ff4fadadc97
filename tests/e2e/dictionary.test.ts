// The reader's dictionary is a file of its own, fetched while the scripts load: the pages a cadre works in
// hydrate from it without a mismatch or any other console error, fetch it once (the preload is the fetch
// the app uses), and after the switch to English a page drawn in the browser speaks English too. Without
// JavaScript the switch still works: the server draws every page in the chosen language.
import { afterAll, beforeAll, expect, inject, test } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launch, phone, signIn } from "./browser";

let browser: Browser;
const baseURL = inject("baseURL");

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** Console errors and warnings, and uncaught errors: a hydration mismatch shows as one of them. */
function problems(page: Page): string[] {
  const seen: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error" || msg.type() === "warning") seen.push(`${msg.type()}: ${msg.text()}`);
  });
  page.on("pageerror", (error) => seen.push(`pageerror: ${error.message}`));
  return seen;
}

const hydrated = (page: Page) =>
  page.waitForFunction(() => typeof (window as unknown as { __remixRouter?: unknown }).__remixRouter === "object");

test("a cadre's pages hydrate from the dictionary file with no console error, fetching it once", async () => {
  const page = await phone(browser, baseURL);
  await signIn(page, "cadre");
  const seen = problems(page);
  const dictionaryRequests: string[] = [];
  page.on("request", (r) => {
    if (new URL(r.url()).pathname.startsWith("/i18n/")) dictionaryRequests.push(r.url());
  });
  const household = await page.getByTestId("worklist").locator('a[href^="/households/"]').first().getAttribute("href");
  for (const path of ["/", "/households", household!, `${household}/checks/new`]) {
    dictionaryRequests.length = 0;
    const res = await page.goto(path);
    expect(res?.status(), path).toBe(200);
    await hydrated(page);
    await page.waitForLoadState("networkidle");
    // the page's own words, drawn again in the browser: the same as the server's
    expect(await page.locator("html").getAttribute("lang")).toBe("zh-CN");
    expect(dictionaryRequests, `${path}: the dictionary, fetched once`).toHaveLength(1);
  }
  // Chromium reports an unused preload a few seconds after the load
  await page.waitForTimeout(3500);
  expect(seen).toEqual([]);
  await page.context().close();
}, 120_000);

test("after the switch to English a page drawn in the browser is in English, and hydrates cleanly", async () => {
  const page = await phone(browser, baseURL);
  await signIn(page, "official");
  const seen = problems(page);
  await Promise.all([
    page.waitForURL((u) => u.pathname === "/"),
    page.getByRole("button", { name: "English" }).click(),
  ]);
  await expect.poll(() => page.getByRole("heading", { name: "Villages" }).isVisible()).toBe(true);
  await hydrated(page);
  // the links' routes are found once hydrated; a link hovered before that warns of a prefetch with no route
  await page.waitForLoadState("networkidle");
  let documents = 0;
  page.on("request", (r) => {
    if (r.resourceType() === "document") documents++;
  });
  await page.locator('nav.nav a[href="/households"]:visible').first().click();
  await page.waitForURL((u) => u.pathname === "/households");
  await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Households");
  expect(documents, "a client-side navigation").toBe(0);
  expect(seen).toEqual([]);
  await page.context().close();
});

test("without JavaScript the switch to English and back still works", async () => {
  const context = await browser.newContext({
    baseURL,
    javaScriptEnabled: false,
    viewport: { width: 360, height: 740 },
  });
  const page = await context.newPage();
  await signIn(page, "official");
  await Promise.all([
    page.waitForURL((u) => u.pathname === "/"),
    page.getByRole("button", { name: "English" }).click(),
  ]);
  expect(await page.locator("html").getAttribute("lang")).toBe("en");
  await expect.poll(() => page.getByRole("heading", { name: "Villages" }).isVisible()).toBe(true);
  await page.goto("/households");
  expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Households");
  await Promise.all([
    page.waitForURL((u) => u.pathname === "/households"),
    page.getByRole("button", { name: "中文" }).click(),
  ]);
  expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("农户");
  await context.close();
});
