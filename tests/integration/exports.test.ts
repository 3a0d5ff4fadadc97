// Exports carry exactly the rows the list's filters and the caller's scope allow, with ID numbers masked
// for roles that do not need them, as CSV Excel opens (BOM) and XLSX.
import ExcelJS from "exceljs";
import Papa from "papaparse";
import { sql } from "drizzle-orm";
import { expect, test } from "vitest";
import { hasCursors, queryRows, readInBatches } from "../../db/client";
import { exportHouseholdRows, HouseholdListParamsSchema } from "~/models/household-list.server";
import { overdueHouseholds } from "~/models/checks.server";
import { listOrders, OrderListParamsSchema } from "~/models/order-list.server";
import { scopeOf } from "~/models/scope.server";
import { db } from "~/utils/db.server";
import { exportResponse } from "~/http/export.server";
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
const params = (query: Record<string, string> = {}) => HouseholdListParamsSchema.parse(query);

async function township() {
  const d = await db();
  const world = await createWorld(d);
  const official = await createUser(d, world, "official", { townshipIndex: 0 });
  const cadre = await createUser(d, world, "cadre", { townshipIndex: 0 });
  const mine = await createHouseholdWith(d, world, { villageIndex: 0, headName: '=HYPERLINK("x")', members: 2 });
  const other = await createHouseholdWith(d, world, {
    villageIndex: 1,
    headName: "李秀英",
    members: 1,
    povertyStatus: "monitored",
  });
  const far = await createHouseholdWith(d, world, { villageIndex: 2, headName: "王远方", members: 1 });
  await assignCadre(d, world, mine.id, cadre.id);
  return { d, world, official, cadre, mine, other, far };
}

test("the household export holds the township's households for its official, with full head ID numbers", async () => {
  const { official, mine, other, far } = await township();
  const rows = await exportHouseholdRows({ scope: scopeOf(official), params: params(), year: YEAR });
  const ids = rows.map((r) => r.id);
  expect(ids).toContain(mine.id);
  expect(ids).toContain(other.id);
  expect(ids).not.toContain(far.id);
  expect(rows.find((r) => r.id === mine.id)!.headIdNumber).toBe(mine.members[0].idNumber);
});

test("the household export follows the list's filters, not just the scope", async () => {
  const { official, world, mine, other } = await township();
  const byVillage = await exportHouseholdRows({
    scope: scopeOf(official),
    params: params({ village: world.villages[1].id }),
    year: YEAR,
  });
  expect(byVillage.map((r) => r.id)).toEqual([other.id]);
  const byStatus = await exportHouseholdRows({
    scope: scopeOf(official),
    params: params({ status: "registered" }),
    year: YEAR,
  });
  expect(byStatus.map((r) => r.id)).toContain(mine.id);
  expect(byStatus.map((r) => r.id)).not.toContain(other.id);
});

test("a cadre's export holds only their own households, with head ID numbers masked", async () => {
  const { cadre, mine } = await township();
  const rows = await exportHouseholdRows({ scope: scopeOf(cadre), params: params(), year: YEAR });
  expect(rows.map((r) => r.id)).toEqual([mine.id]);
  const masked = rows[0].headIdNumber!;
  expect(masked).not.toBe(mine.members[0].idNumber);
  expect(masked).toMatch(/^\d{6}\*{8}/);
  expect(rows[0].cadreName).toBe(cadre.displayName);
});

test("the CSV file starts with a BOM, keeps Chinese, and neutralises a formula in a name", async () => {
  const { official, mine } = await township();
  const rows = await exportHouseholdRows({ scope: scopeOf(official), params: params(), year: YEAR });
  const response = await exportResponse({
    format: "csv",
    filename: "农户名册",
    columns: [
      { header: "户主", value: (r: (typeof rows)[number]) => r.headName },
      { header: "人口", value: (r: (typeof rows)[number]) => r.memberCount },
    ],
    rows,
  });
  expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
  expect(response.headers.get("Content-Disposition")).toContain(
    "filename*=UTF-8''%E5%86%9C%E6%88%B7%E5%90%8D%E5%86%8C.csv",
  );
  const bytes = new Uint8Array(await response.arrayBuffer());
  expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = new TextDecoder().decode(bytes.slice(3));
  const parsed = Papa.parse<string[]>(text.trim(), { skipEmptyLines: true }).data;
  expect(parsed[0]).toEqual(["户主", "人口"]);
  expect(parsed).toContainEqual([`'${mine.headName}`, "2"]);
  expect(parsed).toContainEqual(["李秀英", "1"]);
  expect(parsed).toHaveLength(rows.length + 1);
});

test("the XLSX file opens as a workbook with a header row, numbers as numbers and formulas neutralised", async () => {
  const { official, mine } = await township();
  const rows = await exportHouseholdRows({ scope: scopeOf(official), params: params(), year: YEAR });
  const response = await exportResponse({
    format: "xlsx",
    filename: "households",
    columns: [
      { header: "户主", value: (r: (typeof rows)[number]) => r.headName },
      { header: "人口", value: (r: (typeof rows)[number]) => r.memberCount },
    ],
    rows,
  });
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(await response.arrayBuffer());
  const sheet = book.worksheets[0];
  expect(sheet.getRow(1).values).toEqual([undefined, "户主", "人口"]);
  const cells = sheet.getRows(2, rows.length)!.map((r) => [r.getCell(1).value, r.getCell(2).value]);
  expect(cells).toContainEqual([`'${mine.headName}`, 2]);
  expect(sheet.rowCount).toBe(rows.length + 1);
});

test("the overdue-check export is not capped at the page's 500 rows and stays in the township", async () => {
  const { d, world, official, cadre, mine } = await township();
  await createCheck(d, world, mine.id, cadre.id, "2026-01-05");
  const all = await overdueHouseholds({ scope: scopeOf(official) as never, today: "2026-11-26", limit: 200_000 });
  expect(all.map((r) => r.id)).toContain(mine.id);
  const capped = await overdueHouseholds({ scope: scopeOf(official) as never, today: "2026-11-26", limit: 1 });
  expect(capped).toHaveLength(Math.min(1, all.length));
});

test("the orders export holds every order of the clerk's cooperative that the filter allows, past the page size", async () => {
  const d = await db();
  const world = await createWorld(d);
  const coop = await createCooperative(d, world, 0);
  const otherCoop = await createCooperative(d, world, 0);
  const buyer = await createBuyer(d, world);
  const clerk = await createUser(d, world, "clerk", { cooperativeId: coop.id });
  const mine = [];
  for (let i = 0; i < 25; i++)
    mine.push(await createPurchaseOrder(d, world, { cooperativeId: coop.id, buyerId: buyer.id }));
  const potato = await createPurchaseOrder(d, world, { cooperativeId: coop.id, buyerId: buyer.id, cropCode: "potato" });
  const theirs = await createPurchaseOrder(d, world, { cooperativeId: otherCoop.id, buyerId: buyer.id });

  const params = OrderListParamsSchema.parse({ crop: "chili", size: "20" });
  const page = await listOrders({ scope: scopeOf(clerk), params });
  expect(page.rows).toHaveLength(20);
  const all = await listOrders({ scope: scopeOf(clerk), params, all: true });
  const ids = all.rows.map((r) => r.id);
  expect(ids.sort()).toEqual(mine.map((o) => o.id).sort());
  expect(ids).not.toContain(potato.id);
  expect(ids).not.toContain(theirs.id);
});

test("on PostgreSQL an export reads through a cursor a batch at a time, and leaving it early ends the query", async () => {
  const d = await db();
  if (!hasCursors(d)) return; // PGlite has no cursors: the export reads ids, then rows by batches of ids
  const query = {
    toSQL: () => ({ sql: "select g, pg_backend_pid() as pid from generate_series(1, 50000) g", params: [] }),
  };
  const batches = readInBatches<{ g: number; pid: number }>(d, query, { g: 1, pid: 1 }, 1000);
  const first = await batches.next();
  expect(first.value).toHaveLength(1000);
  expect(first.value?.[999].g).toBe(1000);
  const pid = first.value![0].pid;
  await batches.return(undefined);
  // the cursor's connection is no longer busy with it: idle, or (the pool reuses it) running the probe
  const busy = async () => {
    const [row] = await queryRows<{ state: string; query: string }>(
      d,
      sql`select state, query from pg_stat_activity where pid = ${pid}`,
    );
    return row.state !== "idle" && row.query.includes("generate_series");
  };
  for (let i = 0; i < 50 && (await busy()); i++) await new Promise((resolve) => setTimeout(resolve, 20));
  expect(await busy(), "the cursor's query still runs").toBe(false);
});
