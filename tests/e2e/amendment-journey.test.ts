// A running plan changes by an amendment (domain rule 10), on 360-px phones: the cadre proposes it on a form
// that starts from the plan as it runs, the official finds it in the approvals queue, reads what it changes
// and approves it once asked to confirm; the plan then holds the new content and its history tells the change.
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

test("cadre proposes an amendment, the official approves it from the queue, the plan shows it", async () => {
  const cadre = await phone(browser, baseURL);
  await signIn(cadre, "cadre");
  // one of the cadre's households whose plan runs
  await cadre.goto("/households?plan=in_progress");
  const first = cadre.locator('main a[href^="/households/"]').filter({ hasNotText: /新/ }).first();
  const href = await first.getAttribute("href");
  expect(href).toMatch(/^\/households\/[0-9a-f-]{36}$/);
  const householdUrl = href!;
  await cadre.goto(householdUrl);
  await cadre.getByRole("link", { name: "提出变更" }).click();
  await cadre.waitForURL(`${householdUrl}/amendment`);
  // the form starts from the plan as it runs
  const living = await cadre.getByLabel("生活区").inputValue();
  expect(Number(living)).toBeGreaterThanOrEqual(0);
  await cadre.getByLabel("年收入目标（元）").fill("8888");
  await cadre.getByLabel("帮扶措施").fill(`${await cadre.getByLabel("帮扶措施").inputValue()}\n补种大白菜`);
  // no reason yet: the message is beside the field and the input stays
  await cadre.getByRole("button", { name: "提交变更" }).click();
  await expect.poll(() => cadre.getByText("请填写变更原因（至少 2 个字）").isVisible()).toBe(true);
  expect(await cadre.getByLabel("年收入目标（元）").inputValue()).toBe("8888");
  await cadre.getByLabel("变更原因").fill("辣椒遭霜冻，补种大白菜，调低目标");
  expect(await pageWidth(cadre)).toBeLessThanOrEqual(360);
  await screenshot(cadre, "amendment-1-form-360");
  await Promise.all([cadre.waitForURL(/saved=amendment/), cadre.getByRole("button", { name: "提交变更" }).click()]);
  const open = cadre.getByTestId("open-amendment");
  await expect.poll(() => open.textContent()).toContain("变更待审批");
  expect(await cadre.getByTestId("amendment-changes").textContent()).toContain("→ 8888.00 元");
  expect(await cadre.getByTestId("amendment-changes").textContent()).toContain("新增措施：补种大白菜");
  // the plan runs on unchanged meanwhile
  expect(await cadre.getByTestId("plan-summary").textContent()).not.toContain("8888.00");

  const official = await phone(browser, baseURL);
  await signIn(official, "official");
  await official.getByTestId("home-approvals-link").click();
  await official.waitForURL(/\/approvals$/);
  const row = official
    .getByTestId("queued-amendment")
    .filter({ has: official.locator(`a[href="${householdUrl}#amendment"]`) });
  expect(await row.textContent()).toContain("→ 8888.00 元");
  expect(await pageWidth(official)).toBeLessThanOrEqual(360);
  await screenshot(official, "amendment-2-queue-360");
  await row.locator(`a[href="${householdUrl}#amendment"]`).click();
  await official.waitForURL((url) => url.pathname === householdUrl);
  await official.getByTestId("open-amendment").getByRole("link", { name: "批准变更" }).click();
  await official.waitForURL(/confirm=amendment-approve/);
  await screenshot(official, "amendment-3-confirm-360");
  await Promise.all([
    official.waitForLoadState("networkidle"),
    official.getByRole("button", { name: "确认批准", exact: true }).click(),
  ]);
  await expect.poll(() => official.getByTestId("plan-summary").textContent()).toContain("8888.00");
  expect(await official.getByTestId("plan-summary").textContent()).toContain("实施中");
  const amendments = await official.getByTestId("amendment-history").textContent();
  expect(amendments).toContain("变更已批准");
  expect(amendments).toContain("辣椒遭霜冻，补种大白菜，调低目标");
  expect(amendments).toContain("新增措施：补种大白菜");
  const history = await official.getByTestId("history").textContent();
  for (const step of ["提出计划变更", "按变更修改计划", "批准计划变更"]) expect(history).toContain(step);
  expect(await pageWidth(official)).toBeLessThanOrEqual(360);
  await screenshot(official, "amendment-4-approved-360");
  await cadre.context().close();
  await official.context().close();
});
