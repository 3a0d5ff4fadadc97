// A cadre on a 360-px phone opens the worklist, sees an overdue household first, records a check with
// a photo, and the household moves down the list; the official's overdue count falls.
import sharp from "sharp";
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

test("a check with a photo moves an overdue household down the worklist and the official sees fewer overdue", async () => {
  const official = await phone(browser, baseURL);
  await signIn(official, "official");
  await official.goto("/checks/overdue");
  const before = Number(await official.getByTestId("overdue-total").textContent());
  expect(before).toBeGreaterThan(0);
  await official.goto("/points");
  const pointsBefore = Number(await official.getByTestId("points-cadre").textContent());

  const cadre = await phone(browser, baseURL);
  await signIn(cadre, "cadre");
  const rows = cadre.getByTestId("worklist").locator("li");
  await rows.first().waitFor();
  await expect.poll(() => rows.first().locator(".badge.bad").count()).toBe(1);
  const first = rows.first().locator("a.row");
  const firstHref = await first.getAttribute("href");
  const firstName = (await first.locator(".title").textContent())!;
  await screenshot(cadre, "checks-1-worklist-360");

  await cadre.goto(`${firstHref}/checks/new`);
  await cadre.getByLabel("种植区").selectOption("behind");
  await cadre.getByLabel("发现的问题").fill("辣椒有蚜虫");
  await cadre.getByLabel("采取的措施").fill("联系合作社技术员，下周打药");
  // a file that is not an image is refused by name, the rest of the input stays
  await cadre
    .getByLabel("照片")
    .setInputFiles({ name: "说明.txt", mimeType: "text/plain", buffer: Buffer.from("not a photo") });
  await cadre.getByRole("button", { name: "保存走访记录" }).click();
  await expect.poll(() => cadre.getByText("“说明.txt”不是 JPG、PNG 或 WebP 图片").isVisible()).toBe(true);
  expect(await cadre.getByLabel("发现的问题").inputValue()).toBe("辣椒有蚜虫");
  // chosen photos add up in one list, so the refused file is taken out before the real one goes in
  await cadre.getByRole("button", { name: "移除 说明.txt" }).click();

  const photo = await sharp({ create: { width: 1200, height: 900, channels: 3, background: "#6a4" } })
    .jpeg()
    .toBuffer();
  await cadre.getByLabel("照片").setInputFiles({ name: "辣椒地.jpg", mimeType: "image/jpeg", buffer: photo });
  expect(await pageWidth(cadre)).toBeLessThanOrEqual(360);
  await screenshot(cadre, "checks-2-form-360");
  await Promise.all([cadre.waitForURL(/saved=check/), cadre.getByRole("button", { name: "保存走访记录" }).click()]);
  await expect.poll(() => cadre.getByText("走访记录已保存").isVisible()).toBe(true);

  // the household is no longer first: it is now due a full interval from today
  await rows.first().waitFor();
  expect(await rows.first().locator("a.row").getAttribute("href")).not.toBe(firstHref);
  const moved = cadre.getByTestId("worklist").locator(`a[href="${firstHref}"]`);
  expect(await moved.locator(".badge.bad").count()).toBe(0);
  await screenshot(cadre, "checks-3-worklist-after-360");

  // the photo shows on the household page as a preview, served to this cadre
  await cadre.goto(firstHref!);
  const thumb = cadre.getByTestId("checks").locator("img").first();
  await thumb.waitFor();
  const src = await thumb.getAttribute("src");
  const res = await cadre.request.get(src!);
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toBe("image/webp");
  expect(await cadre.getByTestId("checks").textContent()).toContain("辣椒有蚜虫");

  await official.goto("/checks/overdue");
  await expect.poll(async () => Number(await official.getByTestId("overdue-total").textContent())).toBe(before - 1);
  await screenshot(official, "checks-4-official-overdue-360");
  // and the cadre's points for the month rise in the township's league table
  await official.goto("/points");
  await expect
    .poll(async () => Number(await official.getByTestId("points-cadre").textContent()))
    .toBeGreaterThan(pointsBefore);
  await screenshot(official, "checks-5-official-points-360");
  expect(firstName.length).toBeGreaterThan(0);
  await cadre.context().close();
  await official.context().close();
});
