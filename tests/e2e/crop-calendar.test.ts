// The crop calendar on a 360-px phone: the administrator moves chili's transplanting to a few days from
// today (a date that is no day is refused next to its field, the input kept); a cadre's household whose
// plan grows chili is then due on that day, the worklist saying why and when; its page shows the season;
// the check form names the stage the visit is for. Chili's season is put back at the end.
import { afterAll, beforeAll, expect, inject, test } from "vitest";
import type { Browser, Page } from "playwright-core";
import { todayISO } from "~/utils/dates";
import { addDays } from "~/utils/due";
import { launch, pageWidth, phone, screenshot, signIn, slowPhone } from "./browser";

let browser: Browser;
const baseURL = inject("baseURL");

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** Sets chili's sowing/transplanting date on the reference lists page. */
async function setChiliTransplant(admin: Page, monthDay: string) {
  await admin.goto("/admin/reference?list=crops");
  const chili = admin.locator("#entry-chili");
  const field = chili.getByLabel("播种/移栽");
  if (!(await field.isVisible())) await chili.locator("summary", { hasText: "关键农时" }).click();
  await field.fill(monthDay);
  await Promise.all([admin.waitForURL(/saved=calendar/), chili.getByRole("button", { name: "保存关键农时" }).click()]);
  await expect.poll(() => admin.getByRole("status").textContent()).toContain("关键农时已保存");
}

test("chili's transplanting set a few days ahead brings a cadre's visit forward, with its reason and stage", async () => {
  const today = todayISO();
  // a few days ahead, within this year's season (the plans are this year's)
  const ahead = addDays(today, 3);
  const visitOn = ahead.slice(0, 4) === today.slice(0, 4) && !ahead.endsWith("02-29") ? ahead : today;
  const monthDay = visitOn.slice(5);

  const admin = await phone(browser, baseURL);
  await signIn(admin, "admin");
  await admin.goto("/admin/reference?list=crops");
  const chili = admin.locator("#entry-chili");
  await chili.locator("summary", { hasText: "关键农时" }).click();
  await chili.getByLabel("播种/移栽").fill("13-40");
  await chili.getByRole("button", { name: "保存关键农时" }).click();
  await expect.poll(() => chili.getByText("没有这一天（月份 1–12；2 月按 28 天计）").isVisible()).toBe(true);
  expect(await chili.getByLabel("播种/移栽").inputValue()).toBe("13-40");
  expect(await pageWidth(admin)).toBeLessThanOrEqual(360);
  await screenshot(admin, "crop-calendar-1-refused-360");

  try {
    await setChiliTransplant(admin, monthDay);
    expect(await admin.locator("#entry-chili summary", { hasText: "关键农时" }).textContent()).toContain(
      `播种/移栽 ${monthDay}`,
    );

    const cadre = await phone(browser, baseURL);
    await slowPhone(cadre);
    await signIn(cadre, "cadre");
    const reason = `辣椒移栽期走访（${visitOn}）`;
    const row = cadre.getByTestId("worklist").locator("li", { hasText: reason }).first();
    await row.waitFor();
    expect(await row.getByTestId("calendar-reason").textContent()).toBe(reason);
    expect(await pageWidth(cadre)).toBeLessThanOrEqual(360);
    await screenshot(cadre, "crop-calendar-2-worklist-360");

    // the household's page: the season with the proposed visit, still to be made
    await row.locator("a.row").click();
    await cadre.waitForURL(/\/households\/[0-9a-f-]{36}$/);
    const season = cadre.getByTestId("season");
    await season.waitFor();
    expect(await season.locator("li li", { hasText: reason }).textContent()).toContain("待走访");
    expect(await cadre.getByTestId("next-visit").textContent()).toContain(visitOn);
    expect(await pageWidth(cadre)).toBeLessThanOrEqual(360);
    await screenshot(cadre, "crop-calendar-3-season-360");

    // the check form says which stage this visit is for
    await cadre.goto(`${new URL(cadre.url()).pathname}/checks/new`);
    expect(await cadre.getByTestId("calendar-stage").textContent()).toContain(`本次走访对应：${reason}`);
    expect(await pageWidth(cadre)).toBeLessThanOrEqual(360);
    await screenshot(cadre, "crop-calendar-4-check-form-360");
  } finally {
    // the other browser tests count with the season the county starts with
    await setChiliTransplant(admin, "05-01");
  }
});
