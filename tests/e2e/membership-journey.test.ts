// Enrolment on a 360-px phone: the clerk asks for a household by its code (a wrong code first: refused next
// to the field in Chinese, the input kept), the official sees the request on their home page and confirms
// it without JavaScript, and the household is then the clerk's: a member with a link to its record.
import { afterAll, beforeAll, expect, inject, test } from "vitest";
import type { Browser } from "playwright-core";
import { launch, pageWidth, phone, signIn } from "./browser";

let browser: Browser;
const baseURL = inject("baseURL");

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

test("a clerk asks, an official confirms, and only then is the household a member", async () => {
  const clerk = await phone(browser, baseURL);
  await signIn(clerk, "clerk");
  await clerk.goto("/cooperatives");
  await clerk.locator('main a[href^="/cooperatives/"]').first().click();
  await clerk.waitForURL(/\/cooperatives\/[0-9a-f-]{36}$/);
  const coopUrl = new URL(clerk.url()).pathname;
  // a clerk is offered no list of the township's households to pick from
  expect(await clerk.locator('select[name="householdId"]').count()).toBe(0);

  // the official names a household that is not a member yet (their own enrol form lists them)
  const official = await (
    await browser.newContext({
      baseURL,
      viewport: { width: 360, height: 740 },
      locale: "zh-CN",
      javaScriptEnabled: false,
    })
  ).newPage();
  await signIn(official, "official");
  await official.goto(coopUrl);
  const option = (await official
    .locator('select[name="householdId"] option[value]:not([value=""])')
    .first()
    .textContent())!;
  const [headName, , code] = option.split(" · ").map((s) => s.trim());

  await clerk.locator("summary", { hasText: "申请吸收社员" }).click();
  const identifier = clerk.getByLabel("户编号或身份证号");
  await identifier.fill("230828-no-such-code");
  await clerk.getByRole("button", { name: "提交入社申请" }).click();
  await expect.poll(() => clerk.getByText("本乡镇没有找到这一户").isVisible()).toBe(true);
  expect(await identifier.inputValue()).toBe("230828-no-such-code");

  await identifier.fill(code);
  await Promise.all([clerk.waitForURL(/saved=request/), clerk.getByRole("button", { name: "提交入社申请" }).click()]);
  const request = clerk.getByTestId("membership-requests").locator("li", { hasText: code });
  expect(await request.textContent()).toContain("待审核");
  expect(await request.textContent()).toContain(headName);
  // not a member yet: no link into the household
  expect(await clerk.getByTestId("current-members").getByText(headName).count()).toBe(0);
  expect(await pageWidth(clerk)).toBeLessThanOrEqual(360);

  // the official's home page leads to it; confirming works as a plain form post
  await official.goto("/");
  await official.getByTestId("pending-requests").locator("a").first().click();
  const row = official.getByTestId("membership-requests").locator("li", { hasText: code });
  await row.getByRole("button", { name: "确认入社" }).click();
  await official.waitForURL(/saved=confirm/);
  expect(await official.getByTestId("current-members").getByRole("link", { name: headName }).count()).toBeGreaterThan(
    0,
  );
  expect(await pageWidth(official)).toBeLessThanOrEqual(360);

  await clerk.goto(coopUrl);
  expect(await clerk.getByTestId("membership-requests").locator("li", { hasText: code }).textContent()).toContain(
    "已确认",
  );
  await clerk.getByTestId("current-members").getByRole("link", { name: headName }).first().click();
  await clerk.waitForURL(/\/households\/[0-9a-f-]{36}$/);
  await expect.poll(() => clerk.locator("h1").textContent()).toContain(headName);
});
