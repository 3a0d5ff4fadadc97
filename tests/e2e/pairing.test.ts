// Pairing (结对帮扶) on a phone: the demo official opens the cadres' workload, follows the count of households
// without a cadre to the bulk list, assigns one of them to a cadre, and sees the count fall; the household's
// pairing page shows the new cadre and who assigned them. A cadre may not open the pairing pages.
import { afterAll, beforeAll, expect, inject, test } from "vitest";
import type { Browser } from "playwright-core";
import { launch, navTo, pageWidth, phone, screenshot, signIn } from "./browser";

let browser: Browser;
const baseURL = inject("baseURL");

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

test("the official assigns a household without a cadre from the list, and the count falls", async () => {
  const page = await phone(browser, baseURL);
  await signIn(page, "official");
  await navTo(page, "结对帮扶");
  await page.waitForURL((url) => url.pathname === "/assignments");
  await expect.poll(() => page.getByRole("heading", { level: 1, name: "结对帮扶" }).isVisible()).toBe(true);
  const workload = page.getByTestId("workload");
  expect(await workload.locator("tbody tr").count()).toBeGreaterThan(10);
  // each count links to the households behind it
  const firstCount = workload.locator("tbody tr").first().locator("td.num a").first();
  expect(await firstCount.getAttribute("href")).toMatch(/^\/households\?cadre=[0-9a-f-]{36}$/);
  const noCadre = page.getByTestId("no-cadre-count");
  const before = Number(await noCadre.textContent());
  expect(before).toBeGreaterThan(0);
  expect(await pageWidth(page)).toBeLessThanOrEqual(360);
  await screenshot(page, "pairing-workload-360");

  await noCadre.click();
  await page.waitForURL(
    (url) => url.pathname === "/assignments/households" && url.searchParams.get("cadre") === "none",
  );
  const rows = page.getByTestId("pick-list").locator("li");
  // the list holds every household the count named (other journeys may have imported more: it pages at 20)
  const total = async () =>
    Number(((await page.getByTestId("pairing-total").textContent()) ?? "").replace(/[^0-9]/g, ""));
  await expect.poll(total).toBe(before);
  await expect.poll(() => rows.count()).toBe(Math.min(before, 20));
  const first = rows.first();
  const head = (await first.locator(".title").textContent())!;
  const historyHref = (await first.getByRole("link").getAttribute("href"))!;
  expect(historyHref).toMatch(/^\/households\/[0-9a-f-]{36}\/assignment$/);

  // nothing checked: the form says so and keeps the page
  await page.getByRole("button", { name: "分配所选农户" }).click();
  await expect.poll(() => page.getByText("请至少勾选一户").isVisible()).toBe(true);

  await first.locator('input[type="checkbox"]').check();
  const cadreSelect = page.getByLabel("把勾选的农户分配给");
  const cadreLabel = (await cadreSelect.locator("option").nth(1).textContent())!;
  const cadreName = cadreLabel.replace(/（.*$/, "");
  await cadreSelect.selectOption({ index: 1 });
  await page.getByRole("button", { name: "分配所选农户" }).click();
  await page.waitForURL((url) => url.searchParams.get("done") === "1");
  await expect.poll(() => page.getByRole("status").textContent()).toContain("已为所选 1 户分配帮扶干部");
  // the list of households without a cadre no longer holds it
  expect(await page.getByTestId("pick-list").getByText(head, { exact: true }).count()).toBe(0);
  expect(await pageWidth(page)).toBeLessThanOrEqual(360);
  await screenshot(page, "pairing-assigned-360");

  await page.goto("/assignments");
  await expect.poll(async () => Number(await page.getByTestId("no-cadre-count").textContent())).toBe(before - 1);

  // the household's pairing page: the new cadre in charge, assigned by the official
  await page.goto(historyHref);
  await expect.poll(() => page.getByTestId("current-cadre").textContent()).toContain(cadreName);
  const history = page.getByTestId("assignment-history");
  await expect.poll(() => history.locator("li").first().textContent()).toContain("现负责");
  const official = (await page.locator(".who").textContent())!.split(" · ")[0];
  expect(await history.locator("li").first().textContent()).toContain(`分配人：${official}`);
  expect(await pageWidth(page)).toBeLessThanOrEqual(360);
  await screenshot(page, "pairing-household-360");
  await page.context().close();
});

test("a cadre may not open the pairing pages, nor change a pairing", async () => {
  const page = await phone(browser, baseURL);
  await signIn(page, "cadre");
  const res = await page.goto("/assignments");
  expect(res?.status()).toBe(403);
  await expect.poll(() => page.getByRole("heading", { name: "无权访问" }).isVisible()).toBe(true);
  expect((await page.goto("/assignments/households"))?.status()).toBe(403);
  // their own household's pairing is readable, without the official's forms
  await page.goto("/");
  const own = (await page.getByTestId("worklist").locator("a").first().getAttribute("href"))!;
  expect((await page.goto(`${own}/assignment`))?.status()).toBe(200);
  expect(await page.getByRole("button", { name: "结束结对" }).count()).toBe(0);
  const post = await page.request.post(`${own}/assignment`, {
    // the Origin a browser sends, so the 403 is the role's refusal and not server.js's cross-origin one
    headers: { Origin: baseURL },
    form: { intent: "end", endsOn: "2026-01-01", reason: "离岗", expectedCadreId: "none" },
  });
  expect(post.status()).toBe(403);
  await page.context().close();
});
