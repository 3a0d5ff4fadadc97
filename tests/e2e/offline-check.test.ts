// A cadre in a village with no signal: the visit is saved on the phone (photo and all), the page still
// opens from the phone, and once the network is back the visit goes to the server, once.
import sharp from "sharp";
import { afterAll, beforeAll, expect, inject, test } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launch, navTo, pageWidth, phone, screenshot, signIn, slowPhone } from "./browser";

let browser: Browser;
const baseURL = inject("baseURL");

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** Signed in, with the service worker in control and the app's bundles on the phone. */
async function readyOffline(page: Page) {
  await signIn(page, "cadre");
  // the worker fetches every bundle of the build: on a busy 2-core machine that can take a while
  const installing = { timeout: 60_000 };
  await expect.poll(() => page.evaluate(() => Boolean(navigator.serviceWorker.controller)), installing).toBe(true);
  await expect
    .poll(
      () =>
        page.evaluate(async () => {
          const manifest = (window as { __remixManifest?: { url: string } }).__remixManifest!.url;
          return Boolean(await caches.match(manifest));
        }),
      installing,
    )
    .toBe(true);
}

/** The page runs its scripts: a post goes through the app, not as a plain form. */
async function hydrated(page: Page) {
  await expect
    .poll(() => page.evaluate(() => Boolean((window as unknown as { __remixRouter?: unknown }).__remixRouter)))
    .toBe(true);
}

/** A household near the end of the worklist (not due soon), so the other browser tests' first rows stay as they are. */
async function lastHousehold(page: Page) {
  await page.goto("/");
  const rows = page.getByTestId("worklist").locator("li a.row");
  await rows.first().waitFor();
  return (await rows.nth((await rows.count()) - 2).getAttribute("href"))!;
}

/** How many visits in the household's check history say this (read in a page of its own). */
async function checksSaying(page: Page, household: string, text: string) {
  const history = await page.context().newPage();
  await history.goto(`${household}/checks`);
  const count = await history.getByTestId("checks").locator(":scope > li", { hasText: text }).count();
  await history.close();
  return count;
}

/**
 * What the page said went wrong (its console errors, uncaught errors, requests that failed, and the error
 * page if one took the form's place), added to a failing journey's error: an offline failure is a race, and
 * the next run may not show it again.
 */
function withProblems(page: Page) {
  const problems: string[] = [];
  page.on("console", (m) => m.type() === "error" && problems.push(`console: ${m.text()}`));
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.stack ?? e.message}`));
  page
    .context()
    .on("requestfailed", (r) => problems.push(`failed: ${r.method()} ${r.url()} ${r.failure()?.errorText}`));
  return async (journey: () => Promise<void>) => {
    try {
      await journey();
    } catch (error) {
      const shown = await page
        .locator("[role=alert]")
        .allInnerTexts()
        .catch(() => []);
      if (error instanceof Error) {
        error.message += `\n--- on the page: ${shown.join(" | ") || "(no error page)"}\n${problems.join("\n")}`;
      }
      throw error;
    }
  };
}

/** The check form filled as a cadre would, photo and all; returns the note that names the visit. */
async function fillCheck(page: Page, label: string) {
  const note = `${label}-${crypto.randomUUID().slice(0, 8)}`;
  await page.getByLabel("发现的问题").fill(note);
  await page.getByLabel("种植区").selectOption("behind");
  const photo = await sharp({ create: { width: 640, height: 480, channels: 3, background: "#6a4" } })
    .jpeg()
    .toBuffer();
  await page.getByLabel("照片").setInputFiles({ name: "院子.jpg", mimeType: "image/jpeg", buffer: photo });
  return note;
}

/** 保存走访记录 with the network cut: kept on the phone, the form empty for the next visit. */
async function saveOffline(page: Page, waiting: number) {
  await page.getByRole("button", { name: "保存走访记录" }).click();
  await expect.poll(() => page.getByTestId("check-queued").textContent()).toBe("已保存在手机上，待上传");
  await expect.poll(() => page.getByTestId("outbox").getByText(`待上传 ${waiting} 条`).isVisible()).toBe(true);
  expect(await page.getByLabel("发现的问题").inputValue()).toBe("");
}

// On the field's phone (slowPhone): the signal goes between filling the form and saving it. The router looks
// up the form's route (`/__manifest`) before it posts; that lookup used to fail offline unless an earlier one
// had finished while the network was there, and its failure replaced the form with the error page.
test(
  "a check saved offline waits on the phone, survives a reload, and is sent once when the network returns",
  { timeout: 180_000 },
  async () => {
    const page = await phone(browser, baseURL);
    const journey = withProblems(page);
    const network = await slowPhone(page);
    await journey(async () => {
      await readyOffline(page);
      const household = await lastHousehold(page);
      // visited once with the network: the phone keeps these pages
      await page.goto(household);
      await page.goto(`${household}/checks/new`);
      await hydrated(page);

      const note = await fillCheck(page, "离线走访");
      await network.offline(true);
      await saveOffline(page, 1);
      expect(await pageWidth(page)).toBeLessThanOrEqual(360);
      await screenshot(page, "offline-1-kept-360");

      // still offline: the page comes from the phone, and the visit is still waiting
      const reload = await page.reload();
      expect(reload?.fromServiceWorker()).toBe(true);
      // and it is the kept copy: a household page never opened is not there without the network
      const other = await page.context().newPage();
      await expect(other.goto(`/households/${crypto.randomUUID()}`)).rejects.toThrow();
      await other.close();
      await expect.poll(() => page.getByTestId("outbox").getByText("待上传 1 条").isVisible()).toBe(true);
      await page.goto("/");
      await hydrated(page);
      await expect.poll(() => page.getByTestId("outbox").getByText("待上传 1 条").isVisible()).toBe(true);
      await screenshot(page, "offline-2-worklist-offline-360");

      await network.offline(false);
      await expect.poll(() => page.getByTestId("outbox").count(), { timeout: 60_000 }).toBe(0);
      expect(await checksSaying(page, household, note)).toBe(1);
      // the photo went with it
      await page.goto(household);
      const visit = page.getByTestId("checks").locator("li", { hasText: note });
      await expect.poll(() => visit.locator("img").count()).toBe(1);
    });
    await page.context().close();
  },
);

// The form opened from the phone's copy with no signal at all: no route lookup can have reached the server
// from this page, so this failed every time before the worker answered the lookup from the build it keeps.
test(
  "a check form opened offline from the phone saves to the outbox, and a page not on the phone says there is no network",
  { timeout: 180_000 },
  async () => {
    const page = await phone(browser, baseURL);
    const journey = withProblems(page);
    const network = await slowPhone(page);
    await journey(async () => {
      await readyOffline(page);
      const household = await lastHousehold(page);
      await page.goto(`${household}/checks/new`);
      await hydrated(page);
      await network.offline(true);
      const reload = await page.reload();
      expect(reload?.fromServiceWorker()).toBe(true);
      await hydrated(page);
      const note = await fillCheck(page, "离线打开");
      await saveOffline(page, 1);

      // a link to a page the phone does not keep: a message about the signal, not the server's error page
      await navTo(page, "积分卡");
      await expect.poll(() => page.getByTestId("offline-error").isVisible()).toBe(true);
      expect(await page.locator("body").innerText()).not.toContain("系统出错");
      await screenshot(page, "offline-3-not-kept-360");

      // back in signal: the worklist sends what waits (the outbox box shows only once it has read the phone)
      await network.offline(false);
      await page.goto("/");
      await expect.poll(() => checksSaying(page, household, note), { timeout: 60_000 }).toBe(1);
      await expect.poll(() => page.getByTestId("outbox").count()).toBe(0);
      expect(await checksSaying(page, household, note)).toBe(1);
    });
    await page.context().close();
  },
);

test(
  "a post whose answer is lost after the server recorded it is sent again and recorded once",
  { timeout: 120_000 },
  async () => {
    const page = await phone(browser, baseURL);
    await readyOffline(page);
    const household = await lastHousehold(page);
    await page.goto(`${household}/checks/new`);
    await hydrated(page);
    const note = `回复丢失-${crypto.randomUUID().slice(0, 8)}`;
    await page.getByLabel("发现的问题").fill(note);
    // the server gets the post and records it; the answer never reaches the phone
    let lost = 0;
    await page.route("**/checks/new.data*", async (route) => {
      if (route.request().method() !== "POST" || lost > 0) return route.continue();
      lost++;
      await route.fetch();
      await route.abort("connectionreset");
    });
    await page.getByRole("button", { name: "保存走访记录" }).click();
    await expect.poll(() => lost).toBe(1);
    // kept on the phone, then sent again at once (the network is there): the server answers with the same check
    await expect.poll(() => page.getByTestId("check-queued").isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId("outbox").count(), { timeout: 30_000 }).toBe(0);
    expect(await checksSaying(page, household, note)).toBe(1);
    await page.context().close();
  },
);
