// A list page and its export are one list: for the same parameters and scope, the export holds exactly the
// rows of the page's pages, in their order. Both call one model function per list (decision 025); this
// proves it for each list, through the model and, for two of them, through the built app's page and file.
import Papa from "papaparse";
import { expect, test } from "vitest";
import { householdCheckList, overdueList } from "~/models/checks.server";
import { coverageGapList } from "~/models/coverage.server";
import { householdList } from "~/models/household-list.server";
import { orderList } from "~/models/order-list.server";
import { scopeOf, type Scope } from "~/models/scope.server";
import { db } from "~/utils/db.server";
import { todayISO } from "~/utils/dates";
import {
  coverageListParams,
  householdChecksParams,
  householdListParams,
  orderListParams,
  overdueListParams,
} from "~/utils/lists";
import type { ListPage } from "~/utils/list-params";
import { get, signIn } from "../support/built-app";
import {
  assignCadre,
  createBuyer,
  createCheck,
  createCooperative,
  createHouseholdWith,
  createPurchaseOrder,
  createUser,
  createWorld,
} from "../support/factories";

const YEAR = 2026;
const TODAY = todayISO();
const NAMES = ["赵", "钱", "孙", "李", "周", "吴", "郑", "王"];

async function county() {
  const d = await db();
  const world = await createWorld(d);
  const admin = await createUser(d, world, "admin");
  const official = await createUser(d, world, "official", { townshipIndex: 0 });
  const cadres = [
    await createUser(d, world, "cadre", { townshipIndex: 0 }),
    await createUser(d, world, "cadre", { townshipIndex: 0 }),
  ];
  const households = [];
  for (let i = 0; i < 27; i++) {
    const h = await createHouseholdWith(d, world, {
      villageIndex: i % 3,
      headName: `${NAMES[i % NAMES.length]}${i}`,
      members: 1 + (i % 3),
      povertyStatus: i % 4 === 0 ? "monitored" : "registered",
    });
    households.push(h);
    // most of township 0's households have a cadre since long ago and no recent visit: overdue
    if (i % 3 !== 2 && i % 5 !== 0) {
      await assignCadre(d, world, h.id, cadres[i % 2].id, "2024-01-01");
      if (i % 4 === 1) await createCheck(d, world, h.id, cadres[i % 2].id, `2025-0${1 + (i % 9)}-15`);
    }
  }
  const cooperative = await createCooperative(d, world, 0);
  const buyer = await createBuyer(d, world);
  for (let i = 0; i < 23; i++) {
    await createPurchaseOrder(d, world, {
      cooperativeId: cooperative.id,
      buyerId: buyer.id,
      season: i % 2 ? "秋季" : "春季",
      quantityKg: 1000 + ((i * 37) % 11) * 100,
      status: i % 3 ? "signed" : "draft",
      deliveryStart: `2026-0${1 + (i % 9)}-01`,
    });
  }
  const cadreChecks = households[1];
  for (let i = 0; i < 13; i++)
    await createCheck(d, world, cadreChecks.id, cadres[1].id, `2025-${10 + (i % 3)}-${10 + i}`);
  return { world, admin, official, cadres, households, cadreChecks };
}

/** Every page of a list, in order, as the pager walks it. */
async function walk<Row extends { id: string }>(read: (page: number) => Promise<ListPage<Row>>) {
  const first = await read(1);
  const rows = [...first.rows];
  for (let page = 2; page <= first.pageCount; page++) rows.push(...(await read(page)).rows);
  expect(rows.length).toBe(first.total);
  return rows.map((r) => r.id);
}

const ids = (rows: { id: string }[]) => rows.map((r) => r.id);

test("households: the export is the page's pages, for each role, filter and sort", async () => {
  const { world, admin, official, cadres } = await county();
  const cases: [Scope, string][] = [
    [scopeOf(official), ""],
    [scopeOf(official), `village=${world.villages[1].id}&sort=head&dir=desc`],
    [scopeOf(official), "status=monitored&sort=members"],
    [scopeOf(official), "cadre=none&sort=lastCheck&dir=desc"],
    [scopeOf(admin), "sort=village&dir=desc"],
    [scopeOf(cadres[0]), "sort=plan"],
  ];
  for (const [scope, query] of cases) {
    const asked = householdListParams.parse(new URLSearchParams(`${query}&size=20`));
    const pages = await walk((page) => householdList(scope, { ...asked, page }, { year: YEAR }));
    const file = await householdList(scope, asked, { year: YEAR, all: true });
    const rows = [];
    for await (const batch of file.batches) rows.push(...batch);
    expect(ids(rows), `${scope.role} ?${query}`).toEqual(pages);
    expect(pages.length, `${scope.role} ?${query}`).toBeGreaterThan(0);
  }
});

test("orders: the export is the page's pages", async () => {
  const { admin, official } = await county();
  for (const [scope, query] of [
    [scopeOf(official), ""],
    [scopeOf(official), "sort=quantity&dir=asc&status=signed"],
    [scopeOf(admin), "sort=crop&season=秋季"],
  ] as const) {
    const asked = orderListParams.parse(new URLSearchParams(query));
    const pages = await walk((page) => orderList(scope, { ...asked, page }));
    expect(ids((await orderList(scope, asked, { all: true })).rows), query).toEqual(pages);
  }
});

test("overdue visits: the export is the page's pages, in each order", async () => {
  const { world, admin, official, cadres } = await county();
  for (const [scope, query] of [
    [scopeOf(official), ""],
    [scopeOf(official), "sort=head&dir=desc"],
    [scopeOf(official), `cadre=${cadres[1].id}&sort=village`],
    [scopeOf(admin), `village=${world.villages[0].id}&sort=cadre&dir=desc`],
  ] as const) {
    const asked = overdueListParams.parse(new URLSearchParams(`${query}&size=50`));
    const pages = await walk((page) => overdueList(scope as never, { ...asked, size: 50, page }, { today: TODAY }));
    const small = await walk((page) => overdueList(scope as never, { ...asked, size: 5, page }, { today: TODAY }));
    expect(small, query).toEqual(pages);
    expect(ids((await overdueList(scope as never, asked, { today: TODAY, all: true })).rows), query).toEqual(pages);
    expect(pages.length, query).toBeGreaterThan(0);
  }
  // a page past the end shows the last page
  const past = await overdueList(
    scopeOf(official) as never,
    { ...overdueListParams.defaults, size: 50, page: 99 },
    { today: TODAY },
  );
  expect(past.page).toBe(past.pageCount);
  expect(past.rows.length).toBeGreaterThan(0);
});

test("coverage gaps: households and persons, the export is the page's pages", async () => {
  const { world, admin, official } = await county();
  for (const [scope, query] of [
    [scopeOf(official), ""],
    [scopeOf(official), "view=persons"],
    [scopeOf(admin), `township=${world.townships[0].id}&condition=cadre`],
    [scopeOf(admin), "view=persons&status=monitored"],
  ] as const) {
    const asked = coverageListParams.parse(new URLSearchParams(`${query}&size=20`));
    const read = async (page: number, all = false): Promise<ListPage<{ id: string }>> => {
      const list = (await coverageGapList(scope as never, { ...asked, page }, { today: TODAY, all }))!;
      return list.view === "persons" ? list.persons : list.households;
    };
    const pages = await walk((page) => read(page));
    expect(ids((await read(1, true)).rows), query).toEqual(pages);
  }
  // a region out of scope is not a list at all
  const far = coverageListParams.parse(new URLSearchParams(`village=${world.villages[3].id}`));
  expect(await coverageGapList(scopeOf(official) as never, far, { today: TODAY })).toBeNull();
});

test("a household's checks: the export is the page's pages; out of scope there is no list", async () => {
  const { official, world, cadreChecks, households } = await county();
  const asked = householdChecksParams.parse(new URLSearchParams("size=10"));
  const pages = await walk(
    async (page) => (await householdCheckList(scopeOf(official), cadreChecks.id, { ...asked, page }))!,
  );
  const file = (await householdCheckList(scopeOf(official), cadreChecks.id, asked, { all: true }))!;
  expect(ids(file.rows)).toEqual(pages);
  expect(pages.length).toBeGreaterThan(10);
  const far = households.find((h) => h.villageId === world.villages[2].id)!;
  expect(await householdCheckList(scopeOf(official), far.id, asked)).toBeNull();
});

/** The cells of one column of a CSV file, header left out. */
function csvColumn(body: Uint8Array, index: number) {
  const parsed = Papa.parse<string[]>(new TextDecoder().decode(body).replace(/^\uFEFF/, ""), { skipEmptyLines: true });
  return parsed.data.slice(1).map((row) => row[index]);
}

test("through the app: the registry page and its file list the same households, in the same order", async () => {
  const { world, official } = await county();
  const cookie = await signIn(official.username);
  const query = `village=${world.villages[0].id}&sort=head&dir=desc&size=100`;
  const page = await get(`/households?${query}`, cookie);
  expect(page.status).toBe(200);
  const shown = [...page.text().matchAll(/<td class="code"[^>]*>([^<]+)<\/td>/g)].map((m) => m[1]);
  const file = await get(`/households/export?format=csv&${query}`, cookie);
  expect(file.status).toBe(200);
  expect(csvColumn(file.body, 0)).toEqual(shown);
  expect(shown.length).toBeGreaterThan(3);
});

test("through the app: the overdue page and its file list the same households, in the same order", async () => {
  const { official, households } = await county();
  const cookie = await signIn(official.username);
  const query = "sort=head&dir=desc&size=200";
  const page = await get(`/checks/overdue?${query}`, cookie);
  expect(page.status).toBe(200);
  const byId = new Map<string, string>(households.map((h) => [h.id, h.headName]));
  const shown = [...page.text().matchAll(/<th scope="row"[^>]*><a [^>]*href="\/households\/([0-9a-f-]{36})"/g)].map(
    (m) => byId.get(m[1]),
  );
  const file = await get(`/checks/overdue/export?format=csv&${query}`, cookie);
  expect(file.status).toBe(200);
  expect(csvColumn(file.body, 0)).toEqual(shown);
  expect(shown.length).toBeGreaterThan(3);
});
