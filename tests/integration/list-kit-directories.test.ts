// The directory lists moved onto the list kit (decision 025): paging any order walks every row in scope
// exactly once, whatever the page size, and nothing out of scope shows.
import { eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { buyerList } from "~/models/buyers.server";
import { cooperativeList } from "~/models/cooperatives.server";
import { listProjects, projectList } from "~/models/projects.server";
import { scopeOf } from "~/models/scope.server";
import { db } from "~/utils/db.server";
import { buyerListParams, cooperativeListParams, projectListParams } from "~/utils/lists";
import type { ListPage } from "~/utils/list-params";
import * as schema from "../../db/schema";
import {
  createAidProject,
  createBroker,
  createBuyer,
  createCooperative,
  createHousehold,
  createUser,
  createWorld,
  creditCode,
  joinCooperative,
} from "../support/factories";

/** Every page of a list, in order, as the pager walks it. */
async function walk<Row extends { id: string }>(read: (page: number) => Promise<ListPage<Row>>) {
  const first = await read(1);
  const rows = [...first.rows];
  for (let page = 2; page <= first.pageCount; page++) rows.push(...(await read(page)).rows);
  expect(rows.length).toBe(first.total);
  return rows.map((r) => r.id);
}

const sorted = (ids: readonly string[]) => [...ids].sort();

test("projects: every project in scope once across pages, in each order; totals over all of them", async () => {
  const d = await db();
  const world = await createWorld(d);
  const official = scopeOf(await createUser(d, world, "official", { townshipIndex: 0 }));
  const admin = scopeOf(await createUser(d, world, "admin"));
  const mine: string[] = [];
  const far: string[] = [];
  for (let i = 0; i < 33; i++) {
    const p = await createAidProject(d, world, {
      // a third county-wide (the official sees them), a third the other township's (they do not)
      townshipId: i % 3 === 0 ? null : world.townships[i % 3 === 1 ? 0 : 1].id,
      // repeated names, budgets and dates: ties that only a stable order pages through
      name: `项目${i % 4}`,
      budgetFen: 100_000 * (1 + (i % 5)),
      startsOn: `2026-0${1 + (i % 3)}-01`,
      status: i % 7 === 0 ? "closed" : "active",
    });
    (i % 3 === 2 ? far : mine).push(p.id);
  }
  for (const [scope, expected] of [
    [official, mine],
    [admin, [...mine, ...far]],
  ] as const) {
    for (const query of ["", "sort=name", "sort=name&dir=desc", "sort=budget", "sort=allocated&dir=asc", "dir=asc"]) {
      const asked = projectListParams.parse(new URLSearchParams(query));
      const pages = await walk((page) => projectList(scope, { ...asked, page }));
      expect(sorted(pages), `${scope.role} ?${query}`).toEqual(sorted(expected));
      expect(new Set(pages).size).toBe(pages.length);
    }
    const first = await projectList(scope, projectListParams.defaults);
    expect(first.total).toBeGreaterThan(first.rows.length);
    const every = await listProjects({ scope });
    expect(first.totals.budgetFen).toBe(every.reduce((s, r) => s + r.budgetFen, 0));
    expect(first.totals.remainingFen).toBe(every.reduce((s, r) => s + r.remainingFen, 0));
    // the default order is the list's old one, newest first
    expect(await walk((page) => projectList(scope, { ...first.params, page }))).toEqual(every.map((r) => r.id));
  }
  const past = await projectList(official, { ...projectListParams.defaults, page: 9 });
  expect(past.page).toBe(past.pageCount);
  expect(past.rows.length).toBeGreaterThan(0);
});

test("buyers: the county's buyers once across pages, by name either way, searched by name or code", async () => {
  const d = await db();
  const world = await createWorld(d);
  const elsewhere = await createWorld(d);
  const clerk = scopeOf(await createUser(d, world, "clerk", { cooperativeId: (await createCooperative(d, world)).id }));
  const mine: string[] = [];
  for (let i = 0; i < 25; i++) {
    const b = await createBuyer(d, world);
    // repeated names: ties that only a stable order pages through
    await d
      .update(schema.buyers)
      .set({ name: `企业${i % 6}` })
      .where(eq(schema.buyers.id, b.id));
    mine.push(b.id);
  }
  const far = await createBuyer(d, elsewhere);
  for (const query of ["", "dir=desc", "size=50"]) {
    const asked = buyerListParams.parse(new URLSearchParams(query));
    const pages = await walk((page) => buyerList(clerk, { ...asked, page }));
    expect(sorted(pages), query).toEqual(sorted(mine));
    expect(new Set(pages).size).toBe(pages.length);
  }
  expect(
    (await buyerList(clerk, buyerListParams.parse(new URLSearchParams("q=企业3")))).rows.map((r) => r.id).sort(),
  ).toEqual(mine.filter((_, i) => i % 6 === 3).sort());
  const [one] = await d.select().from(schema.buyers).where(eq(schema.buyers.id, mine[7]));
  const byCode = await buyerList(
    clerk,
    buyerListParams.parse(new URLSearchParams(`q=${one.creditCode.toLowerCase()}`)),
  );
  expect(byCode.rows.map((r) => r.id)).toEqual([one.id]);
  // another county's buyer is not found, even by its code
  const [other] = await d.select().from(schema.buyers).where(eq(schema.buyers.id, far.id));
  expect((await buyerList(clerk, buyerListParams.parse(new URLSearchParams(`q=${other.creditCode}`)))).total).toBe(0);
  // a LIKE wildcard typed into the box is a character, not "anything"
  expect((await buyerList(clerk, buyerListParams.parse(new URLSearchParams("q=%")))).total).toBe(0);
  // a buyer just registered: the page that holds it
  const last = (await walk((page) => buyerList(clerk, { ...buyerListParams.defaults, page }))).at(-1)!;
  const shown = await buyerList(clerk, buyerListParams.defaults, { showing: last });
  expect(shown.page).toBe(shown.pageCount);
  expect(shown.rows.map((r) => r.id)).toContain(last);
});

test("cooperatives: every cooperative in scope once across pages; a clerk sees only theirs", async () => {
  const d = await db();
  const world = await createWorld(d);
  const ids: string[][] = [[], []];
  for (let i = 0; i < 27; i++) {
    const c = await createCooperative(d, world, i % 2);
    await d
      .update(schema.cooperatives)
      .set({ name: `合作社${i % 5}` })
      .where(eq(schema.cooperatives.id, c.id));
    for (let m = 0; m < i % 3; m++) await joinCooperative(d, world, c.id, (await createHousehold(d, world)).id);
    if (i % 4 === 0) await createBroker(d, world, c.id);
    ids[i % 2].push(c.id);
  }
  const official = scopeOf(await createUser(d, world, "official", { townshipIndex: 0 }));
  const admin = scopeOf(await createUser(d, world, "admin"));
  const clerk = scopeOf(await createUser(d, world, "clerk", { cooperativeId: ids[1][3] }));
  for (const [scope, expected] of [
    [official, ids[0]],
    [admin, [...ids[0], ...ids[1]]],
    [clerk, [ids[1][3]]],
  ] as const) {
    for (const query of ["", "dir=desc", "sort=name", "sort=members&dir=desc", "sort=members&size=50"]) {
      const asked = cooperativeListParams.parse(new URLSearchParams(query));
      const pages = await walk((page) => cooperativeList(scope, { ...asked, page }));
      expect(sorted(pages), `${scope.role} ?${query}`).toEqual(sorted(expected));
      expect(new Set(pages).size).toBe(pages.length);
    }
  }
  const byMembers = await cooperativeList(
    admin,
    cooperativeListParams.parse(new URLSearchParams("sort=members&dir=desc")),
  );
  expect(byMembers.rows[0].memberCount).toBe(2);
  expect(byMembers.rows.every((r, i, all) => i === 0 || all[i - 1].memberCount >= r.memberCount)).toBe(true);
  expect(byMembers.rows.some((r) => r.brokers.length > 0)).toBe(true);
});

test("through the app: the moved lists page and sort with links, their filters a GET form", async () => {
  const { get, post, signIn } = await import("../support/built-app");
  const d = await db();
  const world = await createWorld(d);
  const official = await createUser(d, world, "official", { townshipIndex: 0 });
  for (let i = 0; i < 22; i++) {
    await createBuyer(d, world);
    await createCooperative(d, world, 0);
    await createAidProject(d, world, { name: `项目${i}` });
  }
  const cookie = await signIn(official.username);
  for (const [path, sortLink] of [
    ["/projects", 'href="/projects?sort=name&amp;dir=asc"'],
    ["/buyers", 'href="/buyers?dir=desc"'],
    ["/cooperatives", 'href="/cooperatives?sort=name"'],
  ] as const) {
    const first = await get(path, cookie);
    expect(first.status, path).toBe(200);
    const html = first.text();
    expect(html, path).toContain(sortLink);
    expect(html, path).toContain(`href="${path}?page=2"`);
    const second = await get(`${path}?page=2&sort=name`, cookie);
    expect(second.status, path).toBe(200);
    expect(second.text(), path).toContain("第 21–22 条，共 22 条");
  }
  const searched = (await get("/buyers?q=%E6%B5%8B%E8%AF%95", cookie)).text();
  expect(searched).toMatch(/<form method="get" action="\/buyers"[^>]*role="search"/);
  // the create form still registers a buyer, and the page it lands on holds the new row, here past page 1
  const code = creditCode();
  expect((await post("/buyers?index", cookie, { name: "龥 最后的企业", creditCode: code })).status).toBe(302);
  const [created] = await d.select().from(schema.buyers).where(eq(schema.buyers.creditCode, code));
  const landed = (await get(`/buyers?saved=${created.id}`, cookie)).text();
  expect(landed).toContain(`id="buyer-${created.id}"`);
  expect(landed).toContain("第 21–23 条，共 23 条");
});
