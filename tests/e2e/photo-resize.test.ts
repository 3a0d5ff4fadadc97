// A cadre on a 360-px phone picks a 4000 × 3000 camera photo (several MB, turned by its EXIF orientation);
// the page shrinks it before the upload, shows it with its size before and after, and the server stores a
// photo no longer than 1,600 px and well under 500 KB, upright. Without JavaScript the same form still
// posts the photo as it is.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, expect, inject, test } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launch, pageWidth, phone, screenshot, signIn, slowPhone } from "./browser";

let browser: Browser;
let folder: string;
let cameraPhoto: string;
const baseURL = inject("baseURL");

beforeAll(async () => {
  browser = await launch();
  folder = fs.mkdtempSync(path.join(os.tmpdir(), "tingyuan-photos-"));
  // smooth patches of colour with a fine grain over them, as a field in daylight: a phone's JPEG of
  // this compresses like a real photo, neither a flat colour nor pure noise
  const patches = await sharp({
    create: {
      width: 80,
      height: 60,
      channels: 3,
      background: "#000",
      noise: { type: "gaussian", mean: 120, sigma: 50 },
    },
  })
    .png()
    .toBuffer();
  const grain = await sharp({
    create: {
      width: 4000,
      height: 3000,
      channels: 3,
      background: "#000",
      noise: { type: "gaussian", mean: 128, sigma: 10 },
    },
  })
    .png()
    .toBuffer();
  const big = await sharp(await sharp(patches).resize(4000, 3000, { kernel: "cubic" }).png().toBuffer())
    .composite([{ input: grain, blend: "overlay" }])
    // taken with the phone held upright: the pixels lie on their side and EXIF says to turn them
    .withMetadata({ orientation: 6 })
    .jpeg({ quality: 90 })
    .toBuffer();
  cameraPhoto = path.join(folder, "IMG_20261201_091500.jpg");
  fs.writeFileSync(cameraPhoto, big);
});
afterAll(async () => {
  await browser?.close();
  if (folder) fs.rmSync(folder, { recursive: true, force: true });
});

async function householdHrefs(page: Page) {
  const rows = page.getByTestId("worklist").locator("a.row");
  await rows.first().waitFor();
  return rows.evaluateAll((as) => as.map((a) => a.getAttribute("href")!));
}

async function photoLinks(page: Page, householdHref: string) {
  await page.goto(householdHref);
  await page.getByTestId("checks").waitFor();
  return page
    .getByTestId("checks")
    .locator('a[href^="/photos/"]')
    .evaluateAll((as) => as.map((a) => a.getAttribute("href")!));
}

function kilobytes(text: string) {
  const [, amount, unit] = text.match(/→\s*([\d.]+)\s*(KB|MB)/) ?? [];
  return Number(amount) * (unit === "MB" ? 1024 : 1);
}

test("a large camera photo is shrunk on the phone before it is sent, and stored small and upright", async () => {
  expect(fs.statSync(cameraPhoto).size).toBeGreaterThan(2 * 1024 * 1024);
  const cadre = await phone(browser, baseURL);
  await slowPhone(cadre);
  await signIn(cadre, "cadre");
  const household = (await householdHrefs(cadre))[1];
  const before = await photoLinks(cadre, household);

  await cadre.goto(`${household}/checks/new`);
  await cadre.getByLabel("发现的问题").fill("羊圈漏雨");
  await cadre.getByLabel("从相册选择").setInputFiles(cameraPhoto);
  const picks = cadre.getByTestId("photo-pick");
  const size = picks.first().getByTestId("photo-size");
  await expect.poll(() => size.textContent(), { timeout: 30_000 }).toContain("→");
  expect(await size.textContent()).toMatch(/^[\d.]+ MB → /);
  expect(kilobytes((await size.textContent())!)).toBeLessThan(500);
  // the thumbnail is the shrunk photo, drawn
  const thumb = picks.first().locator("img");
  await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);

  // a second photo from the camera joins the same list, and can be taken out again before saving
  const second = await sharp({ create: { width: 640, height: 480, channels: 3, background: "#7a5" } })
    .jpeg()
    .toBuffer();
  await cadre.getByLabel("拍照").setInputFiles({ name: "羊圈.jpg", mimeType: "image/jpeg", buffer: second });
  await expect.poll(() => picks.count()).toBe(2);
  expect(await pageWidth(cadre)).toBeLessThanOrEqual(360);
  await screenshot(cadre, "photo-resize-1-picked-360");
  await cadre.getByRole("button", { name: "移除 羊圈.jpg" }).click();
  await expect.poll(() => picks.count()).toBe(1);
  // what the form will post is what the list shows: the one shrunk photo
  const posted = await cadre
    .getByLabel("从相册选择")
    .evaluate((input: HTMLInputElement) => Array.from(input.files!).map((f) => f.size));
  expect(posted).toHaveLength(1);
  expect(posted[0]).toBeLessThan(500 * 1024);

  await Promise.all([cadre.waitForURL(/saved=check/), cadre.getByRole("button", { name: "保存走访记录" }).click()]);
  const added = (await photoLinks(cadre, household)).filter((href) => !before.includes(href));
  expect(added).toHaveLength(1);
  const res = await cadre.request.get(added[0]);
  expect(res.status()).toBe(200);
  const stored = await res.body();
  expect(stored.length).toBeLessThan(500 * 1024);
  const { width = 0, height = 0 } = await sharp(stored).metadata();
  // upright, as the phone showed it: the EXIF turn was applied before the photo was redrawn
  expect([width, height]).toEqual([1200, 1600]);
  await cadre.context().close();
});

test("without JavaScript the photo inputs still post the photo, and the server caps its size", async () => {
  const context = await browser.newContext({
    baseURL,
    viewport: { width: 360, height: 740 },
    locale: "zh-CN",
    javaScriptEnabled: false,
  });
  const cadre = await context.newPage();
  await signIn(cadre, "cadre");
  const household = (await householdHrefs(cadre))[2];
  const before = await photoLinks(cadre, household);

  await cadre.goto(`${household}/checks/new`);
  await cadre.getByLabel("从相册选择").setInputFiles(cameraPhoto);
  expect(await pageWidth(cadre)).toBeLessThanOrEqual(360);
  await screenshot(cadre, "photo-resize-2-no-js-360");
  await Promise.all([cadre.waitForURL(/saved=check/), cadre.getByRole("button", { name: "保存走访记录" }).click()]);

  const added = (await photoLinks(cadre, household)).filter((href) => !before.includes(href));
  expect(added).toHaveLength(1);
  const res = await cadre.request.get(added[0]);
  expect(res.status()).toBe(200);
  const { width = 0, height = 0 } = await sharp(await res.body()).metadata();
  // the server shrinks what the phone could not: upright and long side 1600, like the phone does
  expect([width, height]).toEqual([1200, 1600]);
  await context.close();
});
