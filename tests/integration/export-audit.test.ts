// Every export is on the audit log before its file goes out: one row per file, `export.<kind>`, with the
// user, the county, the format, the filters and the number of rows in the file, and never a full ID
// number, even when the file itself holds them or one was typed into a filter.
import ExcelJS from "exceljs";
import Papa from "papaparse";
import { and, asc, eq, gt, like } from "drizzle-orm";
import { expect, test, vi } from "vitest";
import { sql } from "drizzle-orm";
import { auditLog } from "../../db/schema";
import { db } from "~/utils/db.server";
import { maskIdNumber } from "~/utils/id-number";
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

/** A township with an official and a cadre, households in two villages (one visited long ago), an order. */
async function township() {
  const d = await db();
  const world = await createWorld(d);
  const official = await createUser(d, world, "official", { townshipIndex: 0 });
  const cadre = await createUser(d, world, "cadre", { townshipIndex: 0 });
  const mine = await createHouseholdWith(d, world, { villageIndex: 0, headName: "赵一", members: 2 });
  const other = await createHouseholdWith(d, world, { villageIndex: 1, headName: "钱二", members: 3 });
  await assignCadre(d, world, mine.id, cadre.id);
  await createCheck(d, world, mine.id, cadre.id, "2025-01-10");
  const cooperative = await createCooperative(d, world, 0);
  await createPurchaseOrder(d, world, { cooperativeId: cooperative.id, buyerId: (await createBuyer(d, world)).id });
  const idNumbers = [...mine.members, ...other.members].map((m) => m.idNumber);
  return { world, official, cadre, mine, other, idNumbers };
}

/** Data rows in a file, its header not counted. */
async function rowsIn(format: "csv" | "xlsx", body: Uint8Array) {
  if (format === "csv") {
    const parsed = Papa.parse<string[]>(new TextDecoder().decode(body).replace(/^\uFEFF/, ""), {
      skipEmptyLines: true,
    });
    return { rows: parsed.data.length - 1, text: JSON.stringify(parsed.data) };
  }
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer);
  const sheet = workbook.worksheets[0];
  const values: unknown[] = [];
  sheet.eachRow((row) => values.push(row.values));
  return { rows: sheet.rowCount - 1, text: JSON.stringify(values) };
}

async function exportRowsSince(id: number, userId: string) {
  const d = await db();
  return d
    .select()
    .from(auditLog)
    .where(and(gt(auditLog.id, id), eq(auditLog.userId, userId), like(auditLog.action, "export.%")))
    .orderBy(asc(auditLog.id));
}

async function lastId() {
  const d = await db();
  const [row] = await d.select({ id: sql<number>`coalesce(max(${auditLog.id}), 0)::int` }).from(auditLog);
  return Number(row.id);
}

test("each export writes one row: what, format, filters (ID numbers masked) and the rows in the file", async () => {
  const { world, official, mine, idNumbers } = await township();
  const cookie = await signIn(official.username);
  const village = world.villages[0].id;
  const headId = mine.members[0].idNumber;
  const cases = [
    // a whole ID number searched for: the file shows it in full to an official, the log only masked
    {
      url: `/households/export?format=csv&q=${headId}&village=${village}`,
      action: "export.households",
      filters: { q: maskIdNumber(headId), village },
      fileHasId: true,
    },
    {
      url: "/households/export?format=xlsx&status=registered",
      action: "export.households",
      filters: { status: "registered" },
    },
    {
      url: `/checks/overdue/export?format=csv&village=${village}`,
      action: "export.overdue_checks",
      filters: { village },
    },
    {
      url: "/coverage/export?format=csv&status=registered",
      action: "export.coverage",
      filters: { status: "registered", groupBy: "village" },
    },
    {
      url: `/coverage/gaps/export?format=xlsx&village=${village}`,
      action: "export.coverage_gap_households",
      filters: { village },
    },
    {
      url: "/coverage/gaps/export?format=csv&view=persons",
      action: "export.coverage_gap_persons",
      filters: {},
      fileHasId: true,
    },
    // the filters used, not those asked for: a season no order has is dropped, the ID number typed there with it
    {
      url: `/orders/export?format=csv&status=signed&season=${headId}`,
      action: "export.orders",
      filters: { status: "signed" },
    },
    {
      url: `/households/${mine.id}/checks/export?format=csv`,
      action: "export.household_checks",
      filters: {},
      householdId: mine.id,
    },
  ];
  for (const c of cases) {
    const since = await lastId();
    const res = await get(c.url, cookie);
    expect(res.status, c.url).toBe(200);
    const format = new URL(c.url, "http://x").searchParams.get("format") as "csv" | "xlsx";
    const file = await rowsIn(format, res.body);
    const written = await exportRowsSince(since, official.id);
    expect(written, c.url).toHaveLength(1);
    expect(written[0], c.url).toMatchObject({
      action: c.action,
      countyId: world.county.id,
      entity: "user",
      entityId: official.id,
      householdId: c.householdId ?? null,
      after: { format, filters: c.filters, rows: file.rows },
    });
    expect(file.rows, `${c.url}: the file has rows to count`).toBeGreaterThan(0);
    if (c.fileHasId)
      expect(
        idNumbers.some((id) => file.text.includes(id)),
        `${c.url}: the file holds full ID numbers`,
      ).toBe(true);
    const logged = JSON.stringify(written[0]);
    for (const id of idNumbers) expect(logged, `${c.url}: no full ID number in the audit row`).not.toContain(id);
  }
});

test("a cadre's export is written as theirs, the searched ID number masked as in the file", async () => {
  const { world, cadre, mine } = await township();
  const headId = mine.members[0].idNumber;
  const since = await lastId();
  const res = await get(`/households/export?format=csv&q=${headId}`, await signIn(cadre.username));
  expect(res.status).toBe(200);
  expect(await exportRowsSince(since, cadre.id)).toMatchObject([
    {
      action: "export.households",
      countyId: world.county.id,
      after: { format: "csv", filters: { q: maskIdNumber(headId) }, rows: 1 },
    },
  ]);
});

test("an export whose audit row cannot be written is not sent", async () => {
  const { official } = await township();
  const cookie = await signIn(official.username);
  const d = await db();
  const errors = vi.spyOn(console, "error").mockImplementation(() => {});
  await d.execute(sql`alter table audit_log rename to audit_log_away`);
  try {
    const res = await get("/households/export?format=csv", cookie);
    expect(res.status).toBe(500);
    expect(res.headers.get("Content-Disposition")).toBeNull();
    expect(res.text()).not.toContain("赵一");
  } finally {
    await d.execute(sql`alter table audit_log_away rename to audit_log`);
    errors.mockRestore();
  }
});
