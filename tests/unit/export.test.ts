// CSV and XLSX exports: what Excel in China opens without garbling, and no cell a spreadsheet would run.
import ExcelJS from "exceljs";
import Papa from "papaparse";
import { expect, test } from "vitest";
import {
  contentDisposition,
  exportResponse,
  neutraliseCell,
  toCsv,
  toXlsx,
  type ExportColumn,
} from "~/http/export.server";

type Row = { name: string; note: string | null; amount: number | null };
const columns: ExportColumn<Row>[] = [
  { header: "姓名", value: (r) => r.name },
  { header: "备注", value: (r) => r.note },
  { header: "金额", value: (r) => r.amount },
];

test("text a spreadsheet would read as a formula gets a leading apostrophe", () => {
  expect(neutraliseCell("=1+1")).toBe("'=1+1");
  expect(neutraliseCell("+8613900000000")).toBe("'+8613900000000");
  expect(neutraliseCell("-5")).toBe("'-5");
  expect(neutraliseCell("@x")).toBe("'@x");
  expect(neutraliseCell("\t=cmd")).toBe("'\t=cmd");
  expect(neutraliseCell("\r=cmd")).toBe("'\r=cmd");
  expect(neutraliseCell('=HYPERLINK("http://evil.example","点我")')).toBe(`'=HYPERLINK("http://evil.example","点我")`);
});

test("numbers, ordinary text and empty cells are left alone", () => {
  expect(neutraliseCell(-5)).toBe(-5);
  expect(neutraliseCell(0)).toBe(0);
  expect(neutraliseCell(12.5)).toBe(12.5);
  expect(neutraliseCell("王建国")).toBe("王建国");
  expect(neutraliseCell("a=b")).toBe("a=b");
  expect(neutraliseCell("230828197005170011")).toBe("230828197005170011");
  expect(neutraliseCell(null)).toBe("");
  expect(neutraliseCell(undefined)).toBe("");
});

test("CSV: UTF-8 BOM, CRLF, Chinese intact, quotes and commas escaped, formulas neutralised", () => {
  const csv = toCsv(columns, [
    { name: "王建国", note: '他说"好",明天来', amount: -5 },
    { name: "=1+1", note: "+86 139", amount: 1200 },
    { name: "@x", note: null, amount: null },
    { name: "-5", note: "第一行\n第二行", amount: 0.5 },
  ]);
  expect(csv.charCodeAt(0)).toBe(0xfeff);
  expect(Buffer.from(csv, "utf8").subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  expect(csv.endsWith("\r\n")).toBe(true);
  const lines = csv.slice(1).split("\r\n");
  expect(lines[0]).toBe("姓名,备注,金额");
  expect(lines[1]).toBe('王建国,"他说""好"",明天来",-5'); // a negative number stays a number
  expect(lines[2]).toBe("'=1+1,'+86 139,1200");
  expect(lines[3]).toBe("'@x,,");
  // a parser reads the same cells back
  const parsed = Papa.parse<string[]>(csv.slice(1), { newline: "\r\n", skipEmptyLines: true }).data;
  expect(parsed[1]).toEqual(["王建国", '他说"好",明天来', "-5"]);
  expect(parsed[4]).toEqual(["'-5", "第一行\n第二行", "0.5"]);
});

test("XLSX: numbers stay numbers, formula-like text is stored as neutralised text", async () => {
  const buffer = await toXlsx(columns, [{ name: "=1+1", note: "@SUM(A1)", amount: -5 }], "覆盖台账/导出");
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(buffer);
  const sheet = book.worksheets[0];
  expect(sheet.name).toBe("覆盖台账 导出"); // "/" is not allowed in a sheet name
  expect(sheet.getRow(1).values).toEqual([undefined, "姓名", "备注", "金额"]);
  const row = sheet.getRow(2);
  expect(row.getCell(1).value).toBe("'=1+1");
  expect(row.getCell(1).formula).toBeUndefined();
  expect(row.getCell(2).value).toBe("'@SUM(A1)");
  expect(row.getCell(3).value).toBe(-5);
});

test("a Chinese file name survives in Content-Disposition", () => {
  expect(contentDisposition("未覆盖农户-2026-06-15.csv")).toBe(
    `attachment; filename="_____-2026-06-15.csv"; filename*=UTF-8''${encodeURIComponent("未覆盖农户-2026-06-15.csv")}`,
  );
});

test("a long export leaves in chunks as it is written, and reads back whole", async () => {
  const rows: Row[] = Array.from({ length: 2500 }, (_, i) => ({
    name: `户主${i}`,
    note: i % 2 ? "=x" : null,
    amount: i,
  }));
  const response = await exportResponse({ format: "csv", filename: "长", columns, rows });
  const reader = response.body!.getReader();
  const chunks: Uint8Array[] = [];
  for (let next = await reader.read(); !next.done; next = await reader.read()) chunks.push(next.value);
  // the BOM and header, then one chunk per thousand rows: never the whole file in one string
  expect(chunks.length).toBe(4);
  const text = new TextDecoder().decode(Buffer.concat(chunks)).slice(1);
  const parsed = Papa.parse<string[]>(text, { newline: "\r\n", skipEmptyLines: true }).data;
  expect(parsed).toHaveLength(2501);
  expect(parsed[2500]).toEqual(["户主2499", "'=x", "2499"]);

  const xlsx = await exportResponse({ format: "xlsx", filename: "长", columns, rows });
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(await xlsx.arrayBuffer());
  const sheet = book.worksheets[0];
  expect(sheet.rowCount).toBe(2501);
  expect(sheet.getRow(1).font?.bold).toBe(true);
  expect(sheet.getRow(2501).getCell(1).value).toBe("户主2499");
  expect(sheet.getRow(2501).getCell(3).value).toBe(2499);
});

/** A database read in batches, as the household export's cursor gives it: counts what it was asked for. */
function source(batches: number, size = 1000) {
  const seen = { read: 0, closed: false };
  async function* rows() {
    try {
      for (let b = 0; b < batches; b++) {
        seen.read++;
        yield Array.from({ length: size }, (_, i) => ({ name: `户主${b}-${i}`, note: null, amount: i }));
      }
    } finally {
      seen.closed = true;
    }
  }
  return { seen, rows: rows() };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

test("a streamed export reads the next batch only when the client takes the last one", async () => {
  const { seen, rows } = source(100);
  const response = await exportResponse({ format: "csv", filename: "县", columns, rows });
  const reader = response.body!.getReader();
  await reader.read(); // BOM and header
  await reader.read(); // the first thousand rows
  await settle();
  // one batch out, at most one made ahead: not the 100 batches of the whole file
  expect(seen.read).toBeLessThanOrEqual(2);
  let chunks = 2;
  for (let next = await reader.read(); !next.done; next = await reader.read()) chunks++;
  expect(chunks).toBe(101);
  expect(seen).toEqual({ read: 100, closed: true });
});

test("while the client's socket is full the export reads nothing more, and goes on when it drains", async () => {
  const { seen, rows } = source(10);
  let drain!: () => void;
  let full = false;
  const context = {
    clientReady: () => (full ? new Promise<void>((resolve) => (drain = resolve)) : Promise.resolve()),
  };
  const response = await exportResponse({ format: "csv", filename: "县", columns, rows, context });
  const reader = response.body!.getReader();
  await reader.read();
  await reader.read();
  const readBefore = seen.read;
  full = true;
  const pending = reader.read();
  await settle();
  expect(seen.read, "no batch read while the client cannot take it").toBe(readBefore);
  full = false;
  drain();
  expect((await pending).done).toBe(false);
  expect(seen.read).toBe(readBefore + 1);
  await reader.cancel();
});

for (const format of ["csv", "xlsx"] as const) {
  test(`a ${format.toUpperCase()} export the client leaves stops reading and closes its rows`, async () => {
    const { seen, rows } = source(200);
    const client = new AbortController();
    const request = new Request("http://x/households/export", { signal: client.signal });
    const response = await exportResponse({ format, filename: "县", columns, rows, request });
    const reader = response.body!.getReader();
    await reader.read();
    await reader.read();
    client.abort();
    // the adapter reads on after a disconnect; the body ends instead of reading the rest
    for (let next = await reader.read(); !next.done; next = await reader.read());
    await settle();
    expect(seen.closed, "the cursor is closed").toBe(true);
    expect(seen.read).toBeLessThan(10);
  });

  test(`a cancelled ${format.toUpperCase()} body closes its rows`, async () => {
    const { seen, rows } = source(200);
    const response = await exportResponse({ format, filename: "县", columns, rows });
    const reader = response.body!.getReader();
    await reader.read();
    await reader.read(); // the rows are being read (a cursor is open)
    await reader.cancel();
    await settle();
    expect(seen.closed).toBe(true);
    expect(seen.read).toBeLessThan(10);
  });
}
