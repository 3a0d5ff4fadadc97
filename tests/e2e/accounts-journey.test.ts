// Accounts on a 360-px phone: the administrator creates a township official and reads out the one-time
// password; the official signs in with it (without JavaScript), is held on "my account" until a password
// of their own is set (a common one refused next to the field), then creates a cadre of the township. A reset
// by the administrator signs the official out on their next click.
import { afterAll, beforeAll, expect, inject, test } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launch, navTo, pageWidth, phone, screenshot, signIn } from "./browser";

let browser: Browser;
const baseURL = inject("baseURL");

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

async function signInWith(page: Page, username: string, password: string) {
  await page.goto("/login");
  await page.getByLabel("用户名").fill(username);
  await page.getByLabel("密码").fill(password);
  await Promise.all([
    page.waitForURL((url) => url.pathname !== "/login"),
    page.getByRole("button", { name: "登录" }).click(),
  ]);
}

test("an administrator creates an official, who must set a password before creating a cadre", async () => {
  const admin = await phone(browser, baseURL);
  await signIn(admin, "admin");
  await navTo(admin, "用户");
  await admin.waitForURL(/\/admin\/users$/);
  await admin.getByRole("link", { name: "新建用户" }).click();
  await admin.waitForURL(/\/admin\/users\/new$/);

  const username = `zhen-${Date.now().toString(36)}`;
  await admin.getByLabel("用户名").fill(username);
  await admin.getByLabel("姓名").fill("赵乡长");
  await admin.getByLabel("角色").selectOption({ label: "乡镇干部" });
  // no township: refused next to the field, what was typed kept
  await admin.getByRole("button", { name: "创建账号" }).click();
  await expect.poll(() => admin.getByText("请选择乡镇").isVisible()).toBe(true);
  expect(await admin.getByLabel("用户名").inputValue()).toBe(username);
  await admin.locator('select[name="townshipId"]').selectOption({ label: "振兴乡" });
  await admin.getByRole("button", { name: "创建账号" }).click();
  const otpBox = admin.getByTestId("one-time-password");
  await otpBox.waitFor();
  const otp = (await otpBox.locator("code").textContent())!.trim();
  expect(otp).toMatch(/^\w{4}-\w{4}-\w{4}$/);
  expect(admin.url()).not.toContain(otp);
  expect(await pageWidth(admin)).toBeLessThanOrEqual(360);
  await screenshot(admin, "accounts-created");

  // the official, without JavaScript: every page leads to "my account" until the password is their own
  const official = await (
    await browser.newContext({
      baseURL,
      viewport: { width: 360, height: 740 },
      locale: "zh-CN",
      javaScriptEnabled: false,
    })
  ).newPage();
  await signInWith(official, username, otp);
  expect(new URL(official.url()).pathname).toBe("/account");
  await official.goto("/households");
  expect(new URL(official.url()).pathname).toBe("/account");
  expect(await official.getByRole("alert").textContent()).toContain("一次性密码");

  await official.getByLabel("当前密码").fill(otp);
  await official.getByLabel("新密码", { exact: true }).fill("12345678");
  await official.getByLabel("再输一次新密码").fill("12345678");
  await official.getByRole("button", { name: "修改密码" }).click();
  expect(await official.getByText("这个密码太常见").isVisible()).toBe(true);
  // a password never comes back in the page
  expect(await official.getByLabel("当前密码").inputValue()).toBe("");

  const mine = "庭院里的辣椒-2026";
  await official.getByLabel("当前密码").fill(otp);
  await official.getByLabel("新密码", { exact: true }).fill(mine);
  await official.getByLabel("再输一次新密码").fill(mine);
  await official.getByRole("button", { name: "修改密码" }).click();
  expect(await official.getByRole("status").textContent()).toContain("密码已修改");
  expect(await pageWidth(official)).toBeLessThanOrEqual(360);

  // now the township's cadres are theirs to create; the role list holds only what they may give
  await official.goto("/admin/users/new");
  const roles = await official.locator('select[name="role"] option').allTextContents();
  expect(roles).toEqual(["请选择", "帮扶干部", "合作社办事员"]);
  await official.getByLabel("用户名").fill(`${username}-cadre`);
  await official.getByLabel("姓名").fill("钱干部");
  await official.getByRole("button", { name: "创建账号" }).click();
  expect(await official.getByTestId("one-time-password").textContent()).toContain(`${username}-cadre`);
  await screenshot(official, "accounts-official-created-cadre");

  // the administrator resets the official's password: the official's next click goes to sign-in
  await admin.goto("/admin/users?q=" + username + "&role=official");
  await admin.getByRole("link", { name: /赵乡长/ }).click();
  await admin.getByRole("link", { name: "重置密码" }).click();
  await admin.getByRole("button", { name: "重置密码" }).click();
  await admin.getByTestId("one-time-password").waitFor();
  await official.goto("/");
  expect(new URL(official.url()).pathname).toBe("/login");
});

test("an official creates the township's cadres from a spreadsheet: checked first, then all at once", async () => {
  const official = await phone(browser, baseURL);
  await signIn(official, "official");
  await official.goto("/admin/users");
  await official.getByRole("link", { name: "从表格批量创建" }).click();
  await official.waitForURL(/\/admin\/users\/import$/);
  const t = Date.now().toString(36);
  const upload = (text: string) =>
    official.locator('input[type="file"]').setInputFiles({
      name: "干部.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(`\ufeff姓名,电话,乡镇,用户名\r\n${text}`, "utf8"),
    });
  await upload(`孙一,13900000001,,sun-${t}\r\n周二,,,sun-${t}\r\n`);
  await official.getByRole("button", { name: "检查表格" }).click();
  const problems = official.getByTestId("bulk-problems");
  await problems.waitFor();
  expect(await problems.textContent()).toContain("第 3 行 用户名");

  await upload(`孙一,13900000001,,sun-${t}\r\n周二,,,zhou-${t}\r\n`);
  await official.getByRole("button", { name: "检查表格" }).click();
  await official.getByRole("button", { name: "创建 2 个账号" }).click();
  const done = official.getByTestId("bulk-created");
  await done.waitFor();
  expect(await done.textContent()).toContain(`zhou-${t}`);
  expect(await done.getByRole("link", { name: /下载账号和一次性密码/ }).getAttribute("href")).toMatch(
    /^data:text\/csv/,
  );
  expect(await pageWidth(official)).toBeLessThanOrEqual(360);
  await screenshot(official, "accounts-bulk-created");
});
