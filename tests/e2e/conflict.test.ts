// Domain rule 6 in the browser: two people edit the same plan; the second save is refused with a
// conflict message, their input stays in the form, and the first save stands.
import { afterAll, beforeAll, expect, inject, test } from "vitest";
import type { Browser } from "playwright-core";
import { launch, phone, screenshot, signIn } from "./browser";

let browser: Browser;
const baseURL = inject("baseURL");

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

test("the second of two saves of the same plan is refused and keeps its input", async () => {
  const cadre = await phone(browser, baseURL);
  await signIn(cadre, "cadre");
  // the demo cadre has one household whose plan is a draft
  const links = await cadre
    .getByTestId("worklist")
    .locator("a.row")
    .evaluateAll((as) => as.map((a) => ({ href: a.getAttribute("href")!, text: a.textContent ?? "" })));
  const draft = links.find((l) => l.text.includes("草稿"));
  expect(draft).toBeDefined();
  const official = await phone(browser, baseURL);
  await signIn(official, "official");

  await cadre.goto(`${draft!.href}/plan`);
  await official.goto(`${draft!.href}/plan`);
  await cadre.getByLabel("年收入目标（元）").fill("15000");
  await Promise.all([cadre.waitForURL(/saved=plan/), cadre.getByRole("button", { name: "保存计划" }).click()]);

  await official.getByLabel("年收入目标（元）").fill("9000");
  await official.getByRole("button", { name: "保存计划" }).click();
  await expect.poll(() => official.getByText("别人刚刚修改了这条记录").isVisible()).toBe(true);
  expect(await official.getByLabel("年收入目标（元）").inputValue()).toBe("9000");
  await screenshot(official, "conflict-plan-360");

  await cadre.goto(draft!.href);
  expect(await cadre.getByTestId("plan-summary").textContent()).toContain("15000.00");
  await cadre.context().close();
  await official.context().close();
});
