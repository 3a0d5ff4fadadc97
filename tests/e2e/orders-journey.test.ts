// The order's journey on a 360-px phone: the cooperative's clerk registers a buyer (a wrong
// credit code first: named in Chinese next to the field, the input kept), creates a chili order, signs it,
// allocates it to three member households, records their deliveries and sees the order reach 已完成.
// Screenshots of the cooperative, buyers, orders and order pages go to /tmp/shots-orders/.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, inject, test } from "vitest";
import type { Browser, Page } from "playwright-core";
import { makeCreditCode } from "~/utils/credit-code";
import { launch, pageWidth, phone, signIn } from "./browser";

let browser: Browser;
const baseURL = inject("baseURL");
const SHOTS = "/tmp/shots-orders";

beforeAll(async () => {
  browser = await launch();
  fs.mkdirSync(SHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
});

async function shot(page: Page, name: string) {
  expect(await pageWidth(page)).toBeLessThanOrEqual(360);
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

function isoDaysFromNow(days: number) {
  const d = new Date(Date.now() + days * 86_400_000);
  return d.toISOString().slice(0, 10);
}

const ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
function randomCreditCode() {
  let org = "";
  for (let i = 0; i < 9; i++) org += ALPHABET[Math.floor(Math.random() * ALPHABET.length)];
  return makeCreditCode(`91230828${org}`);
}

test("a clerk registers a buyer, makes a chili order, allocates it to three members and sees it fulfilled", async () => {
  const clerk = await phone(browser, baseURL);
  await signIn(clerk, "clerk");

  // the clerk's cooperative has at least three current members
  await clerk.goto("/cooperatives");
  await clerk.getByTestId("cooperatives").getByRole("link").first().click();
  await clerk.waitForURL(/\/cooperatives\/[0-9a-f-]{36}/);
  expect(Number(await clerk.getByTestId("member-count").textContent())).toBeGreaterThanOrEqual(3);
  await shot(clerk, "cooperative-360");

  // a buyer: a wrong check character first
  const buyerName = `汤原县红辣椒食品有限公司${Math.floor(Math.random() * 10000)}`;
  const code = randomCreditCode();
  const wrong = code.slice(0, 17) + (code[17] === "1" ? "2" : "1");
  await clerk.goto("/buyers");
  await clerk.getByText("登记农商企业").click();
  await clerk.getByLabel("企业名称", { exact: true }).fill(buyerName);
  await clerk.getByLabel("统一社会信用代码", { exact: true }).fill(wrong);
  await clerk.getByLabel("联系人").fill("王经理");
  await clerk.getByRole("button", { name: "保存企业" }).click();
  await expect.poll(() => clerk.getByText("统一社会信用代码校验位不对").isVisible()).toBe(true);
  expect(await clerk.getByLabel("企业名称", { exact: true }).inputValue()).toBe(buyerName);
  expect(await clerk.getByLabel("统一社会信用代码", { exact: true }).inputValue()).toBe(wrong);
  await clerk.getByLabel("统一社会信用代码", { exact: true }).fill(code);
  await Promise.all([clerk.waitForURL(/\/buyers\?saved=/), clerk.getByRole("button", { name: "保存企业" }).click()]);
  await expect.poll(() => clerk.getByTestId("buyers").textContent()).toContain(code);
  await shot(clerk, "buyers-360");

  // a chili order, saved as a draft
  await clerk.goto("/orders/new");
  await clerk.getByLabel("农商企业").selectOption({ label: buyerName });
  await clerk.getByLabel("作物").selectOption({ label: "辣椒" });
  await clerk.getByLabel("订单量（公斤）").fill("3000");
  await clerk.getByLabel("单价（元/公斤）").fill("6.5");
  await clerk.getByLabel("季节").fill("2026年秋季 · 测试");
  await clerk.getByLabel("交货开始日期").fill(isoDaysFromNow(-3));
  await clerk.getByLabel("交货截止日期").fill(isoDaysFromNow(60));
  await Promise.all([
    clerk.waitForURL(/\/orders\/[0-9a-f-]{36}\?saved=order/),
    clerk.getByRole("button", { name: "保存订单" }).click(),
  ]);
  const orderPath = new URL(clerk.url()).pathname;
  await expect.poll(() => clerk.getByTestId("order-status").textContent()).toBe("草稿");

  // signed
  await Promise.all([
    clerk.waitForURL(/saved=status-signed/),
    clerk.getByRole("button", { name: "标记为已签订" }).click(),
  ]);
  await expect.poll(() => clerk.getByTestId("order-status").textContent()).toBe("已签订");

  // more than the order holds is refused with what is left; then three members get 1000 kg each
  await clerk.getByLabel("社员户").selectOption({ index: 1 });
  await clerk.getByLabel("分配数量（公斤）").fill("3500");
  await clerk.getByRole("button", { name: "分配", exact: true }).click();
  await expect.poll(() => clerk.getByText("超过订单剩余可分配数量，还可分配 3000 公斤").isVisible()).toBe(true);
  const names: string[] = [];
  for (let i = 0; i < 3; i++) {
    const option = clerk.getByLabel("社员户").locator("option").nth(1);
    names.push(((await option.textContent()) ?? "").split(" · ")[0]);
    await clerk.getByLabel("社员户").selectOption({ index: 1 });
    await clerk.getByLabel("分配数量（公斤）").fill("1000");
    await clerk.getByRole("button", { name: "分配", exact: true }).click();
    await expect.poll(() => clerk.getByTestId("allocation-card").count()).toBe(i + 1);
    expect(clerk.url()).toContain("saved=allocation");
  }
  expect(await clerk.getByTestId("total-allocated").textContent()).toBe("3,000");
  const table = await clerk.getByTestId("allocations").textContent();
  for (const name of names) expect(table).toContain(name);

  // deliveries: the first household in two loads, the others at once; the order follows its deliveries
  const cards = clerk.getByTestId("allocation-card");
  expect(await cards.count()).toBe(3);
  // a household's card by its name: the ledger puts those still owed goods or money first, so a card
  // moves down the page once its household is paid in full
  const card = (i: number) => cards.filter({ hasText: names[i] });
  for (let i = 0; i < 3; i++) expect(await card(i).count()).toBe(1);
  async function deliver(i: number, kg: string, paid: string, deliveredAfter: string) {
    const c = card(i);
    // the form opens from its summary (it stays open after a refused save)
    const form = c.locator("details.delivery-form");
    if (!(await form.evaluate((e) => (e as HTMLDetailsElement).open))) await form.locator("summary").click();
    await form.getByLabel("交售数量（公斤）").fill(kg);
    await form.getByLabel("等级").selectOption({ label: "一等" });
    await form.getByLabel("实际单价（元/公斤）").fill("6.5");
    await form.getByLabel("已付金额（元）").fill(paid);
    await c.getByRole("button", { name: "保存交售" }).click();
    await expect.poll(() => clerk.getByTestId("total-delivered").textContent()).toBe(deliveredAfter);
    expect(clerk.url()).toContain("saved=delivery");
  }
  await deliver(0, "600", "0", "600");
  await expect.poll(() => clerk.getByTestId("order-status").textContent()).toBe("交售中");
  // more money than the goods are worth is named next to the field, the input kept
  {
    const c = card(1);
    await c.locator("details.delivery-form summary").click();
    await c.getByLabel("交售数量（公斤）").fill("1000");
    await c.getByLabel("实际单价（元/公斤）").fill("6.5");
    await c.getByLabel("已付金额（元）").fill("7000");
    await c.getByRole("button", { name: "保存交售" }).click();
    await expect.poll(() => c.getByText("已付金额不能超过货款 6500 元").isVisible()).toBe(true);
    expect(await c.getByLabel("交售数量（公斤）").inputValue()).toBe("1000");
  }
  await deliver(1, "1000", "6500", "1,600");
  await deliver(2, "1000", "3000", "2,600");
  await shot(clerk, "order-delivering-360");
  await deliver(0, "400", "2600", "3,000");

  // fulfilled: every kilogram delivered; nothing left to allocate or deliver
  await clerk.goto(orderPath);
  await expect.poll(() => clerk.getByTestId("order-status").textContent()).toBe("已完成");
  await expect.poll(() => clerk.getByTestId("total-delivered").textContent()).toBe("3,000");
  expect(await clerk.getByTestId("total-paid").textContent()).toBe("12100.00");
  const totalsRow = await clerk.getByTestId("allocations").locator("tfoot").textContent();
  expect(totalsRow).toContain("合计");
  expect(await clerk.getByRole("button", { name: "保存交售" }).count()).toBe(0);
  await shot(clerk, "order-fulfilled-360");

  // the buyer pays the rest of the third household's money later: 6500.00 − 3000.00 owed
  {
    const pay = card(2).locator("details.payment-form");
    await pay.locator("summary").click();
    expect(await pay.getByLabel("本次到账（元）").inputValue()).toBe("3500.00");
    await pay.getByLabel("本次到账（元）").fill("4000");
    await pay.getByRole("button", { name: "保存到账" }).click();
    await expect.poll(() => pay.getByText("超过未付货款：这笔交售还欠 3500.00 元").isVisible()).toBe(true);
    await pay.getByLabel("本次到账（元）").fill("3500");
    await pay.getByRole("button", { name: "保存到账" }).click();
    await expect.poll(() => clerk.getByTestId("total-paid").textContent()).toBe("15600.00");
    expect(await card(2).locator("details.payment-form").count()).toBe(0);
  }

  // the first load was weighed 10 kg heavy: 更正 reverses it and records the right weight; both rows stay
  {
    const line = card(0).getByTestId("delivery-line").first();
    const fix = line.locator("details.correction-form");
    await fix.locator("summary").click();
    await fix.getByLabel("正确的数量（公斤）").fill("590");
    await fix.getByRole("button", { name: "保存更正" }).click();
    await expect.poll(() => fix.getByText("请写明更正原因").isVisible()).toBe(true);
    expect(await fix.getByLabel("正确的数量（公斤）").inputValue()).toBe("590");
    await fix.getByLabel("更正原因").fill("过磅多记了 10 公斤");
    await fix.getByRole("button", { name: "保存更正" }).click();
    await expect.poll(() => clerk.getByTestId("total-delivered").textContent()).toBe("2,990");
    expect(clerk.url()).toContain("saved=correction");
    const reversal = card(0).getByTestId("delivery-reversal");
    expect(await reversal.textContent()).toContain("过磅多记了 10 公斤");
    expect(await card(0).getByText("已冲销").count()).toBe(1);
    await shot(clerk, "order-corrected-360");
  }

  // the list finds it by crop and status
  await clerk.goto("/orders?crop=chili&status=fulfilled");
  await expect.poll(() => clerk.locator(`a[href="${orderPath}"]`).count()).toBe(1);
  await shot(clerk, "orders-360");
  await clerk.context().close();
});

test("without JavaScript: a wrong credit code comes back as a 400 with the message and the input kept; lists filter by URL", async () => {
  const context = await browser.newContext({
    baseURL,
    viewport: { width: 360, height: 740 },
    javaScriptEnabled: false,
    locale: "zh-CN",
  });
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByLabel("用户名").fill("clerk");
  await page.getByLabel("密码").fill("tingyuan-demo");
  await Promise.all([
    page.waitForURL((url) => url.pathname === "/"),
    page.getByRole("button", { name: "登录" }).click(),
  ]);

  await page.goto("/buyers");
  await page.getByText("登记农商企业").click();
  await page.getByLabel("企业名称", { exact: true }).fill("汤原县无脚本食品有限公司");
  await page.getByLabel("统一社会信用代码", { exact: true }).fill("91230828MA1B2C3D4");
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST"),
    page.getByRole("button", { name: "保存企业" }).click(),
  ]);
  expect(response.status()).toBe(400);
  await page.waitForLoadState("load");
  expect(await page.getByText("统一社会信用代码应为 18 位").isVisible()).toBe(true);
  expect(await page.getByLabel("企业名称", { exact: true }).inputValue()).toBe("汤原县无脚本食品有限公司");

  // the filter form is a plain GET form with its own button
  await page.goto("/orders");
  await page.getByLabel("状态").selectOption("cancelled");
  await Promise.all([page.waitForURL(/status=cancelled/), page.getByRole("button", { name: "筛选" }).click()]);
  const badges = await page.locator("table .badge").allTextContents();
  expect(badges.length).toBeGreaterThan(0);
  expect(new Set(badges)).toEqual(new Set(["已取消"]));
  await context.close();
});

test("an official adds a broker, enrols a household and records its leaving on the cooperative's page", async () => {
  const official = await phone(browser, baseURL);
  await signIn(official, "official");
  await official.goto("/cooperatives");
  await official.getByTestId("cooperatives").getByRole("link").first().click();
  await official.waitForURL(/\/cooperatives\/[0-9a-f-]{36}/);
  const before = Number(await official.getByTestId("member-count").textContent());

  // the add form; each broker listed has its own edit form with the same fields
  const addBroker = official.locator("details").filter({ hasText: "添加经纪人" });
  await addBroker.getByText("添加经纪人").click();
  await addBroker.getByLabel("经纪人姓名").fill("韩秀兰");
  await addBroker.getByLabel("联系电话").fill("电话");
  await addBroker.getByRole("button", { name: "保存经纪人" }).click();
  await expect.poll(() => addBroker.getByText("电话号码格式不对").isVisible()).toBe(true);
  await addBroker.getByLabel("联系电话").fill("13904541234");
  await Promise.all([
    official.waitForURL(/saved=broker/),
    addBroker.getByRole("button", { name: "保存经纪人" }).click(),
  ]);
  await expect.poll(() => official.getByTestId("brokers").textContent()).toContain("韩秀兰13904541234");

  // enrol the first household the township offers
  await official.getByText("吸收社员（登记入社）").click();
  const option = official.getByLabel("农户", { exact: true }).locator("option").nth(1);
  const name = ((await option.textContent()) ?? "").split(" · ")[0];
  await official.getByLabel("农户", { exact: true }).selectOption({ index: 1 });
  await official.getByLabel("入社日期").fill("2026-03-01");
  await Promise.all([official.waitForURL(/saved=join/), official.getByRole("button", { name: "登记入社" }).click()]);
  await expect.poll(async () => Number(await official.getByTestId("member-count").textContent())).toBe(before + 1);

  // leaving before joining is refused; then recorded, and the household shows among past members
  const row = official.getByTestId("current-members").locator("li", { hasText: name }).first();
  await row.getByText("登记退社").click();
  await row.getByLabel(`${name} 的退社日期`).fill("2026-02-01");
  await row.getByRole("button", { name: "确认退社" }).click();
  await expect.poll(() => official.getByText("退社日期不能早于入社日期（2026-03-01）").isVisible()).toBe(true);
  const again = official.getByTestId("current-members").locator("li", { hasText: name }).first();
  await again.getByLabel(`${name} 的退社日期`).fill("2026-10-31");
  await Promise.all([official.waitForURL(/saved=leave/), again.getByRole("button", { name: "确认退社" }).click()]);
  await expect
    .poll(() => official.getByTestId("past-members").textContent())
    .toContain("2026-03-01 入社，2026-10-31 退社");
  expect(Number(await official.getByTestId("member-count").textContent())).toBe(before);
  expect(await pageWidth(official)).toBeLessThanOrEqual(360);

  // the cooperative's orders, from its page: the list filtered to it
  await Promise.all([
    official.waitForURL(/\/orders\?cooperative=/),
    official.getByRole("link", { name: "查看订单 →" }).click(),
  ]);
  await expect.poll(() => official.locator("table tbody tr").count()).toBeGreaterThan(0);
  const coopName = (await official.getByLabel("合作社").locator("option:checked").textContent()) ?? "";
  const shown = await official.locator("table tbody td").allTextContents();
  expect(shown).toContain(coopName);
  await shot(official, "orders-official-360");
  await official.context().close();
});
