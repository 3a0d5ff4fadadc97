// The official's home: the counts that ask for work open the list behind them, and say the number that
// list holds — the overdue households (the overdue page's own figure) and the households without a cadre
// (the pairing list's filter). The administrator sees both counts; only the official, who pairs, gets the
// second as a link.
import { expect, test } from "vitest";
import { overdueSummary } from "~/models/checks.server";
import { scopeOf } from "~/models/scope.server";
import { todayISO } from "~/utils/dates";
import { db } from "~/utils/db.server";
import { get, signIn } from "../support/built-app";
import * as f from "../support/factories";

function linkOf(html: string, testId: string) {
  const match = new RegExp(`<a([^>]*data-testid="${testId}"[^>]*)>([^<]*)</a>`).exec(html);
  const href = match ? /href="([^"]+)"/.exec(match[1]) : null;
  return match && href
    ? { href: href[1].replace(/&amp;/g, "&"), count: Number(match[2].replace(/[^0-9]/g, "")) }
    : null;
}

test("the official's home counts open the overdue list and the households without a cadre", async () => {
  const d = await db();
  const world = await f.createWorld(d);
  const officialUser = await f.createUser(d, world, "official");
  const cadre = await f.createUser(d, world, "cadre");
  const late = await f.createHousehold(d, world);
  await f.assignCadre(d, world, late.id, cadre.id, "2025-01-01");
  await f.createCheck(d, world, late.id, cadre.id, "2025-02-01");
  const visited = await f.createHousehold(d, world);
  await f.assignCadre(d, world, visited.id, cadre.id, "2025-01-01");
  await f.createCheck(d, world, visited.id, cadre.id, todayISO());
  await f.createHousehold(d, world);
  await f.createHousehold(d, world, { villageIndex: 1 });

  const page = await get("/", await signIn(officialUser.username));
  expect(page.status).toBe(200);
  const html = page.text();
  const summary = await overdueSummary({ scope: scopeOf(officialUser) as never, today: todayISO() });
  expect(linkOf(html, "home-overdue")).toEqual({ href: "/checks/overdue", count: summary.totals.overdue });
  expect(summary.totals.overdue).toBe(1);
  expect(linkOf(html, "home-no-cadre")).toEqual({ href: "/assignments/households?cadre=none", count: 2 });

  const admin = await get("/", await signIn((await f.createUser(d, world, "admin")).username));
  expect(linkOf(admin.text(), "home-overdue")?.href).toBe("/checks/overdue");
  expect(linkOf(admin.text(), "home-no-cadre")).toBeNull();
});
