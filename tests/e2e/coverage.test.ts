// The coverage register on a 360-px phone: the official opens it from the menu, follows a "missing" number
// to the named gap list, narrows it with the filter form, switches to the persons not covered, and the
// export link downloads exactly the rows on screen.
import { afterAll, beforeAll, expect, inject, test } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launch, navTo, pageWidth, phone, screenshot, signIn } from "./browser";

let browser: Browser;
const baseURL = inject("baseURL");

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const count = async (page: Page) =>
  Number(((await page.getByTestId("gap-total").textContent()) ?? "").replace(/[^0-9]/g, ""));

test("an official follows a coverage gap from the register to the named households and persons", async () => {
  const page = await phone(browser, baseURL);
  await signIn(page, "official");
  await navTo(page, "覆盖台账");
  await page.waitForURL((url) => url.pathname === "/coverage");
  await expect.poll(() => page.getByRole("heading", { level: 1, name: "覆盖台账" }).isVisible()).toBe(true);
  expect(await pageWidth(page)).toBeLessThanOrEqual(360);

  // the "按期走访" headline's missing count leads to the households whose visit is overdue
  const missing = page.locator("li.stat", { hasText: "按期走访" }).getByRole("link");
  const missingCount = Number(((await missing.textContent()) ?? "").replace(/[^0-9]/g, ""));
  expect(missingCount).toBeGreaterThan(0);
  await Promise.all([page.waitForURL((url) => url.pathname === "/coverage/gaps"), missing.click()]);
  expect(new URL(page.url()).searchParams.get("condition")).toBe("checkWindow");
  await expect.poll(() => count(page)).toBe(missingCount);
  expect(await page.locator("tbody tr").first().textContent()).toContain("走访逾期");
  await screenshot(page, "coverage-gaps-360");

  // narrowing by village through the filter form (a GET form) keeps the condition
  const village = page.getByLabel("村", { exact: true });
  await village.selectOption({ index: 1 });
  await Promise.all([
    page.waitForURL((url) => url.searchParams.has("village")),
    page.getByRole("button", { name: "筛选" }).click(),
  ]);
  expect(new URL(page.url()).searchParams.get("condition")).toBe("checkWindow");

  // the export carries the rows on screen: header + one line per household, same filters
  const csvLink = page.getByRole("link", { name: "CSV" });
  await expect.poll(() => csvLink.getAttribute("href")).toContain("village=");
  const href = (await csvLink.getAttribute("href"))!;
  expect(href).toContain("/coverage/gaps/export?");
  expect(href).toContain("condition=checkWindow");
  const csv = await page.context().request.get(href);
  const lines = (await csv.body()).toString("utf8").slice(1).trim().split("\r\n");
  const inVillage = lines.length - 1;
  await expect.poll(() => count(page)).toBe(inVillage);
  expect(inVillage).toBeLessThanOrEqual(missingCount);

  // the persons not covered in the same households
  await page.getByRole("link", { name: "未覆盖人口" }).click();
  await page.waitForURL((url) => url.searchParams.get("view") === "persons");
  await expect.poll(() => page.getByTestId("gap-total").textContent()).toMatch(/人$/);
  // every household not covered has at least its head on the persons list
  expect(await count(page)).toBeGreaterThanOrEqual(inVillage);
  await page.context().close();
});

test("a cadre has no coverage register", async () => {
  const page = await phone(browser, baseURL);
  await signIn(page, "cadre");
  const response = await page.goto("/coverage");
  expect(response?.status()).toBe(403);
  await page.context().close();
});
