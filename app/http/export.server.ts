// Every list and report answers `?format=csv` and `?format=xlsx` with the same rows its page shows
// (filters and scope applied by the caller's model function), minus paging.
//
// CSV: UTF-8 with a byte-order mark, CRLF line ends — what Excel in China opens without garbling.
// Both formats neutralise cells that a spreadsheet would read as a formula (=, +, -, @, and the tab /
// carriage return that some spreadsheet apps strip first): the cell gets a leading apostrophe, the
// OWASP "CSV injection" advice. Numbers stay numbers: only text cells are touched.
//
// Remix renders a page route's HTML whatever its loader returns, so a file can only come from a resource
// route (no component). Each list has one beside it (`/households/export` for `/households`); the list's
// own loader sends `?format=…` there with `redirectToExport`, so both URLs work.
import { redirect } from "@remix-run/node";
import ExcelJS from "exceljs";
import Papa from "papaparse";
import { PassThrough, Readable } from "node:stream";

export type ExportFormat = "csv" | "xlsx";

export type ExportColumn<Row> = {
  header: string;
  value: (row: Row) => string | number | null | undefined;
  /** width in characters for XLSX; CSV ignores it */
  width?: number;
};

export function exportFormat(request: Request): ExportFormat | null {
  const format = new URL(request.url).searchParams.get("format");
  return format === "csv" || format === "xlsx" ? format : null;
}

const FORMULA_START = /^[=+\-@\t\r]/;

/** A text cell a spreadsheet would evaluate gets a leading apostrophe; everything else is unchanged. */
export function neutraliseCell(value: string | number | null | undefined): string | number {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return value;
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** Rows per CSV chunk or XLSX flush: a county's 100,000 rows leave in a few hundred small writes. */
const CHUNK_ROWS = 1000;

/** The CSV file as chunks of text: the BOM and header first, then CHUNK_ROWS rows at a time. */
export function* csvChunks<Row>(columns: ExportColumn<Row>[], rows: Iterable<Row>): Generator<string> {
  // Papa's own escapeFormulae is off: neutraliseCell already did it, and numbers must not be touched
  // (a negative amount is a number, not a formula).
  const unparse = (data: (string | number)[][]) => Papa.unparse(data, { newline: "\r\n" }) + "\r\n";
  yield "\uFEFF" + unparse([columns.map((c) => neutraliseCell(c.header))]);
  let batch: (string | number)[][] = [];
  for (const row of rows) {
    batch.push(columns.map((c) => neutraliseCell(c.value(row))));
    if (batch.length === CHUNK_ROWS) {
      yield unparse(batch);
      batch = [];
    }
  }
  if (batch.length > 0) yield unparse(batch);
}

export function toCsv<Row>(columns: ExportColumn<Row>[], rows: Row[]): string {
  return [...csvChunks(columns, rows)].join("");
}

/**
 * The XLSX file as a stream: exceljs's streaming writer commits each row as it is added, so a county's
 * export never holds the whole workbook in memory (the in-memory writer peaked near 500 MB for 100,000 rows).
 * Strings are written inline (no shared-strings table to keep), which Excel and WPS read alike.
 */
export function xlsxStream<Row>(columns: ExportColumn<Row>[], rows: Iterable<Row>, sheetName: string): Readable {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = "Tingyuan 庭院";
  // Excel forbids []:*?/\ in sheet names and caps them at 31 characters.
  const sheet = workbook.addWorksheet(sheetName.replace(/[[\]:*?/\\]/g, " ").slice(0, 31) || "Sheet1", {
    views: [{ state: "frozen", ySplit: 1 }],
  });
  sheet.columns = columns.map((c) => ({ header: c.header, width: c.width ?? Math.max(10, c.header.length * 2 + 2) }));
  const header = sheet.getRow(1);
  header.font = { bold: true };
  header.commit();
  void (async () => {
    let n = 0;
    for (const row of rows) {
      sheet.addRow(columns.map((c) => neutraliseCell(c.value(row)))).commit();
      // let the zip stream drain to the client before the next batch
      if (++n % CHUNK_ROWS === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    sheet.commit();
    await workbook.commit();
  })().catch((error: unknown) => out.destroy(error as Error));
  return out;
}

export async function toXlsx<Row>(columns: ExportColumn<Row>[], rows: Row[], sheetName: string): Promise<ArrayBuffer> {
  const parts: Buffer[] = [];
  for await (const part of xlsxStream(columns, rows, sheetName)) parts.push(part as Buffer);
  const buffer = Buffer.concat(parts);
  return buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) as ArrayBuffer;
}

/** RFC 6266 / 5987: an ASCII fallback plus the UTF-8 name, so Chinese file names survive every browser. */
export function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

/** The list page's URL asked for a file: answer from its export route, same query. */
export function redirectToExport(request: Request, exportPath: string) {
  const url = new URL(request.url);
  if (!exportFormat(request)) return;
  url.searchParams.delete("page");
  throw redirect(`${exportPath}?${url.searchParams.toString()}`);
}

/** An export route's format; anything else is a bad request. */
export function requireExportFormat(request: Request): ExportFormat {
  const format = exportFormat(request);
  if (!format) throw new Response("format must be csv or xlsx", { status: 400 });
  return format;
}

/** The file, from an export (resource) route's loader. */
export async function exportResponse<Row>({
  format,
  filename,
  sheetName,
  columns,
  rows,
}: {
  format: ExportFormat;
  /** without extension */
  filename: string;
  sheetName?: string;
  columns: ExportColumn<Row>[];
  rows: Row[];
}): Promise<Response> {
  const headers = { "Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff" };
  // Both formats stream: the rows are read once (the model's query), the file is written while it is sent.
  if (format === "csv") {
    const chunks = csvChunks(columns, rows);
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      },
    });
    return new Response(body, {
      headers: {
        ...headers,
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": contentDisposition(`${filename}.csv`),
      },
    });
  }
  const body = Readable.toWeb(xlsxStream(columns, rows, sheetName ?? filename)) as ReadableStream;
  return new Response(body, {
    headers: {
      ...headers,
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": contentDisposition(`${filename}.xlsx`),
    },
  });
}
