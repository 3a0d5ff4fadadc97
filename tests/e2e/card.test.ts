// The household aid card (明白卡): a cadre opens the card of one of their households on the phone, prints it
// on exactly one A4 sheet, and the QR code on it opens the household page. Another cadre's card is a 404.
import { afterAll, beforeAll, expect, inject, test } from "vitest";
import type { Browser } from "playwright-core";
import QRCode from "qrcode";
import path from "node:path";
import { ARTIFACTS, launch, pageWidth, phone, screenshot, signIn } from "./browser";

let browser: Browser;
const baseURL = inject("baseURL");
const HOUSEHOLD_HREF = /^\/households\/[0-9a-f-]{36}$/;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const qrFor = (url: string) => QRCode.toString(url, { type: "svg", margin: 1, errorCorrectionLevel: "M" });

test("a cadre prints the aid card of their first household on one A4 sheet", async () => {
  const page = await phone(browser, baseURL);
  await signIn(page, "cadre");
  const first = page.getByTestId("worklist").locator("a").first();
  await first.waitFor();
  const href = (await first.getAttribute("href"))!;
  expect(href).toMatch(HOUSEHOLD_HREF);

  const res = await page.goto(`${href}/card`);
  expect(res?.status()).toBe(200);
  await expect.poll(() => page.getByRole("heading", { level: 1, name: /庭院经济帮扶明白卡/ }).isVisible()).toBe(true);
  await expect.poll(() => page.getByTestId("card-qr").locator("svg").count()).toBe(1);
  await expect.poll(() => page.getByText("扫码查看农户档案（需登录）").isVisible()).toBe(true);
  await expect.poll(() => page.getByRole("button", { name: "打印" }).isVisible()).toBe(true);
  expect(await page.getByRole("link", { name: "返回农户" }).getAttribute("href")).toBe(href);
  // masked ID numbers only
  const ids = await page.locator(".ac-id").allTextContents();
  expect(ids.length).toBeGreaterThan(0);
  for (const id of ids) expect(id).toMatch(/^[0-9]{6}\*{8}[0-9]{3}[0-9X]$/);
  expect(await pageWidth(page)).toBeLessThanOrEqual(360);
  await screenshot(page, "card-360");

  // the QR code holds the absolute address of the household page
  const html = await (await page.request.get(`${href}/card`)).text();
  expect(html).toContain(await qrFor(`${baseURL}${href}`));
  // a client's own X-Forwarded-* headers cannot move the address (they count only with TRUST_PROXY=true,
  // which tests/integration/server.test.ts covers)
  const spoofed = await page.request.get(`${href}/card`, {
    headers: { "X-Forwarded-Proto": "https", "X-Forwarded-Host": "tingyuan.example.org" },
  });
  expect(await spoofed.text()).toContain(await qrFor(`${baseURL}${href}`));

  // in print: no app header or navigation, no toolbar, one A4 page
  await page.setViewportSize({ width: 794, height: 1123 });
  await page.emulateMedia({ media: "print" });
  expect(await page.locator("header.topbar").isVisible()).toBe(false);
  expect(await page.locator("nav.nav").isVisible()).toBe(false);
  expect(await page.getByRole("button", { name: "打印" }).isVisible()).toBe(false);
  await screenshot(page, "card-print");
  const pdf = await page.pdf({ path: path.join(ARTIFACTS, "card.pdf"), format: "A4", printBackground: true });
  const pages = pdf.toString("latin1").match(/\/Type\s*\/Page(?![a-z])/g) ?? [];
  expect(pages).toHaveLength(1);
  await page.context().close();
});

test("a cadre asking for another cadre's household card gets 404", async () => {
  const official = await phone(browser, baseURL);
  await signIn(official, "official");
  await official.goto("/households?size=100");
  const all = (
    await official.locator('a[href^="/households/"]').evaluateAll((as) => as.map((a) => a.getAttribute("href")!))
  ).filter((href) => HOUSEHOLD_HREF.test(href));
  await official.context().close();

  const cadre = await phone(browser, baseURL);
  await signIn(cadre, "cadre");
  await cadre.getByTestId("worklist").locator("a").first().waitFor();
  const mine = await cadre
    .getByTestId("worklist")
    .locator("a")
    .evaluateAll((as) => as.map((a) => a.getAttribute("href")!));
  const notMine = all.find((href) => !mine.includes(href));
  expect(notMine).toBeDefined();

  const foreign = await cadre.goto(`${notMine}/card`);
  expect(foreign?.status()).toBe(404);
  await expect.poll(() => cadre.getByRole("heading", { name: "找不到该页面" }).isVisible()).toBe(true);
  expect(await cadre.getByTestId("card-qr").count()).toBe(0);
  const malformed = await cadre.goto("/households/not-a-uuid/card");
  expect(malformed?.status()).toBe(404);
  await cadre.context().close();
});
