// The directory lists moved onto the list kit (decision 025): paging any order walks every row in scope
// exactly once, whatever the page size, and nothing out of scope shows.
import { expect, test } from "vitest";
import { listProjects, projectList } from "~/models/projects.server";
import { scopeOf } from "~/models/scope.server";
import { db } from "~/utils/db.server";
import { projectListParams } from "~/utils/lists";
import type { ListPage } from "~/utils/list-params";
import { createAidProject, createUser, createWorld } from "../support/factories";

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
