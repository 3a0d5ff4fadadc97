// On a 360 × 740 phone no page a role reaches scrolls sideways as a whole, with every fold (<details>) of the
// page open so its forms (a delivery, an allocation, a correction) are laid out too; no table box hides
// columns off to the side (a wide table is a stack of cards); and the taps a person makes most — a row's
// link in a table, a form's button, a pager link, a field — are at least 44 px high.
import { afterAll, beforeAll, expect, inject, test } from "vitest";
import type { Browser, Page } from "playwright-core";
import { navFor } from "~/utils/nav";
import { launch, screenshot, signIn } from "./browser";

let browser: Browser;
const baseURL = inject("baseURL");

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

/** The first link in the page's main content whose path is `pattern`, e.g. a household's page. */
async function firstLink(page: Page, pattern: RegExp) {
  const hrefs = await page.locator("main a[href]").evaluateAll((as) => as.map((a) => a.getAttribute("href")!));
  return hrefs.map((h) => h.split(/[?#]/)[0]).find((h) => pattern.test(h)) ?? null;
}

/** Pages past the navigation: a record of each kind the role opens, and its forms. */
async function detailPages(page: Page, role: string) {
  const urls: string[] = [];
  const reach = navFor(role as "admin").map((i) => i.to);
  if (reach.includes("/households")) {
    await page.goto("/households");
    const household = await firstLink(page, new RegExp(`^/households/${UUID}$`));
    expect(household, "a household to open").not.toBeNull();
    urls.push(household!, `${household}/plan`, `${household}/checks`, `${household}/card`);
    if (role === "official" || role === "cadre") urls.push(`${household}/checks/new`, `${household}/edit`);
    await page.goto(household!);
    const member = await firstLink(page, new RegExp(`^${household}/members/${UUID}$`));
    if (member) urls.push(member);
  }
  for (const [list, pattern] of [
    ["/orders", new RegExp(`^/orders/${UUID}$`)],
    ["/projects", new RegExp(`^/projects/${UUID}$`)],
    ["/cooperatives", new RegExp(`^/cooperatives/${UUID}$`)],
  ] as const) {
    if (!reach.includes(list)) continue;
    await page.goto(list);
    const record = await firstLink(page, pattern);
    expect(record, `a record of ${list} to open`).not.toBeNull();
    urls.push(record!);
    if (list === "/cooperatives" && role === "official") urls.push(`${record}/edit`);
  }
  if (role === "official") urls.push("/orders/new", "/projects/new", "/households/new", "/assignments/households");
  if (role === "admin" || role === "official") urls.push("/admin/users/new", "/admin/users/import");
  if (role === "admin") urls.push("/admin/regions", "/admin/reference");
  urls.push("/account");
  return urls;
}

/** Everything on the page that is too wide or too small for a thumb, as lines a failure can print. */
async function problems(page: Page) {
  return page.evaluate(() => {
    for (const d of document.querySelectorAll("main details")) (d as HTMLDetailsElement).open = true;
    const found: string[] = [];
    const width = document.documentElement.scrollWidth;
    if (width > 361) {
      const wide = [...document.querySelectorAll("main *")]
        .filter((e) => e.getBoundingClientRect().right > 362)
        .slice(0, 3)
        .map((e) => `${e.tagName.toLowerCase()}.${e.className}`);
      found.push(`page is ${width} px wide: ${wide.join(", ")}`);
    }
    for (const box of document.querySelectorAll<HTMLElement>("main .table-wrap")) {
      if (box.scrollWidth > box.clientWidth + 1) found.push(`a table box scrolls sideways (${box.scrollWidth} px)`);
    }
    const visible = (e: Element) => {
      const r = e.getBoundingClientRect();
      return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== "hidden";
    };
    const taps = [
      ...document.querySelectorAll("main table a[href]"),
      // a link-styled button inside a line of text (显示完整号码) is not a primary target
      ...document.querySelectorAll("main form button:not(.linklike), main form .button, main a.button"),
      ...document.querySelectorAll("main .pager a"),
      ...document.querySelectorAll(
        'main input:not([type="hidden"]):not([type="checkbox"]):not([type="radio"]):not([type="file"]), main select',
      ),
    ];
    for (const e of taps) {
      if (!visible(e)) continue;
      const h = e.getBoundingClientRect().height;
      if (h < 43.5)
        found.push(`${e.tagName.toLowerCase()} "${(e.textContent ?? "").trim().slice(0, 20)}" is ${h} px high`);
    }
    return found;
  });
}

for (const [role, javaScriptEnabled] of [
  ["admin", false],
  ["official", true],
  ["cadre", false],
  ["clerk", true],
] as const) {
  test(`a ${role} at 360 px: no page scrolls sideways, wide tables are cards, taps are thumb-sized${javaScriptEnabled ? "" : " (no JavaScript)"}`, async () => {
    const context = await browser.newContext({
      baseURL,
      viewport: { width: 360, height: 740 },
      locale: "zh-CN",
      javaScriptEnabled,
    });
    const page = await context.newPage();
    await signIn(page, role);
    const urls = [...navFor(role).map((i) => i.to), ...(await detailPages(page, role))];
    const failures: string[] = [];
    for (const url of urls) {
      const response = await page.goto(url);
      expect(response?.status(), url).toBeLessThan(400);
      await page.locator("main h1").first().waitFor();
      for (const p of await problems(page)) failures.push(`${url}: ${p}`);
    }
    await page.goto(urls.find((u) => u.startsWith("/orders/")) ?? "/");
    await screenshot(page, `phone-layout-${role}`);
    expect(failures).toEqual([]);
    await context.close();
  });
}
