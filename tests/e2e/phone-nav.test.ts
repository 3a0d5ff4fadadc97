// On a 360-px phone every page of a role's navigation is in reach: the first tabs in a row, the rest under
// 更多 (a <details> menu, so it opens without JavaScript too); no tab sits off-screen and nothing scrolls
// sideways. The menu closes after a choice and names the page it leads to.
import { afterAll, beforeAll, expect, inject, test } from "vitest";
import type { Browser } from "playwright-core";
import { navFor } from "~/utils/nav";
import { launch, pageWidth, screenshot, signIn, slowPhone } from "./browser";

let browser: Browser;
const baseURL = inject("baseURL");

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

for (const [role, javaScriptEnabled] of [
  ["official", true],
  ["admin", false],
  ["clerk", true],
  ["cadre", false],
] as const) {
  test(`a ${role} reaches every page of the navigation at 360 px${javaScriptEnabled ? "" : " without JavaScript"}`, async () => {
    const context = await browser.newContext({
      baseURL,
      viewport: { width: 360, height: 740 },
      locale: "zh-CN",
      javaScriptEnabled,
    });
    const page = await context.newPage();
    await slowPhone(page);
    await signIn(page, role);
    const nav = page.locator("nav.nav");
    const items = navFor(role);
    for (const item of items) {
      // every visible tab sits inside the screen
      for (const box of await nav
        .locator("a:visible, summary:visible")
        .evaluateAll((els) =>
          els.map((e) => e.getBoundingClientRect()).map((r) => ({ left: r.left, right: r.right, height: r.height })),
        )) {
        expect(box.left).toBeGreaterThanOrEqual(0);
        expect(box.right).toBeLessThanOrEqual(360);
        expect(box.height).toBeGreaterThanOrEqual(44);
      }
      let link = nav.locator(`a[href="${item.to}"]:visible`);
      if ((await link.count()) === 0) {
        await nav.locator(".nav-more summary").click();
        link = nav.locator(`.nav-more a[href="${item.to}"]:visible`);
      }
      expect(await link.count(), item.to).toBe(1);
      await Promise.all([page.waitForURL((url) => url.pathname === item.to), link.click()]);
      await expect.poll(() => page.locator("main h1").first().isVisible()).toBe(true);
      expect(await pageWidth(page), item.to).toBeLessThanOrEqual(360);
      // the menu is closed again, and says where the person is when the page is one of its own
      expect(await nav.locator(".nav-more[open]").count()).toBe(0);
      if ((await nav.locator(`.nav-phone > ul a[href="${item.to}"]`).count()) === 0) {
        const label = (await nav.locator(`.nav-more a[href="${item.to}"]`).textContent())!;
        await expect.poll(() => nav.locator(".nav-more summary").textContent()).toContain(label);
      }
    }
    await nav
      .locator(".nav-more summary")
      .click()
      .catch(() => {});
    await screenshot(page, `phone-nav-${role}`);
    await context.close();
  });
}
