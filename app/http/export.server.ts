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
import { redirect, type AppLoadContext } from "@remix-run/node";
import ExcelJS from "exceljs";
import Papa from "papaparse";
import { PassThrough, type Readable } from "node:stream";

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

/** An export's rows: an array (small lists), or batches read from the database as the file is sent. */
export type ExportRows<Row> = Row[] | AsyncIterable<Row[]>;

async function* batchesOf<Row>(rows: ExportRows<Row>): AsyncGenerator<Row[]> {
  if (!Array.isArray(rows)) {
    yield* rows;
    return;
  }
  for (let i = 0; i < rows.length; i += CHUNK_ROWS) yield rows.slice(i, i + CHUNK_ROWS);
}

// Papa's own escapeFormulae is off: neutraliseCell already did it, and numbers must not be touched
// (a negative amount is a number, not a formula).
const unparse = (data: (string | number)[][]) => Papa.unparse(data, { newline: "\r\n" }) + "\r\n";
const csvHeader = <Row>(columns: ExportColumn<Row>[]) =>
  "\uFEFF" + unparse([columns.map((c) => neutraliseCell(c.header))]);
const csvRows = <Row>(columns: ExportColumn<Row>[], rows: Row[]) =>
  unparse(rows.map((row) => columns.map((c) => neutraliseCell(c.value(row)))));

/** The CSV file as chunks of text: the BOM and header first, then CHUNK_ROWS rows at a time. */
export function* csvChunks<Row>(columns: ExportColumn<Row>[], rows: Row[]): Generator<string> {
  yield csvHeader(columns);
  for (let i = 0; i < rows.length; i += CHUNK_ROWS) yield csvRows(columns, rows.slice(i, i + CHUNK_ROWS));
}

export function toCsv<Row>(columns: ExportColumn<Row>[], rows: Row[]): string {
  return [...csvChunks(columns, rows)].join("");
}

/** Resolves once `stream` wants more (its buffer drained) or can take no more (closed, destroyed). */
function drained(stream: PassThrough): Promise<void> {
  if (!stream.writableNeedDrain || stream.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      stream.off("drain", done);
      stream.off("close", done);
      resolve();
    };
    stream.on("drain", done);
    stream.on("close", done);
  });
}

/**
 * The XLSX file as a stream: exceljs's streaming writer commits each row as it is added, so a county's
 * export never holds the whole workbook in memory (the in-memory writer peaked near 500 MB for 100,000 rows).
 * Strings are written inline (no shared-strings table to keep), which Excel and WPS read alike.
 * The next batch is read only once the file written so far has been taken by the reader: a slow reader
 * slows the reading of rows instead of growing a buffer. Destroying the stream stops the rows (their
 * generator is returned, which closes a database cursor).
 */
export function xlsxStream<Row>(columns: ExportColumn<Row>[], rows: ExportRows<Row>, sheetName: string): Readable {
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
    const batches = batchesOf(rows);
    try {
      for await (const batch of batches) {
        if (out.destroyed) return;
        for (const row of batch) sheet.addRow(columns.map((c) => neutraliseCell(c.value(row)))).commit();
        // let the zip stream reach the reader before the next batch is read
        await new Promise((resolve) => setImmediate(resolve));
        await drained(out);
        if (out.destroyed) return;
      }
    } finally {
      await batches.return(undefined);
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

/**
 * A response body that produces a chunk only when asked for one and the client can take it: `next`
 * makes the chunk (reads a batch of rows, writes it), `ready` (server.js, through the load context) waits
 * while the socket's buffer is full. The Remix adapter reads a body as fast as it can and writes without
 * waiting for `drain`, so without `ready` a download slower than the query would sit in the server's
 * memory. A client gone (the request's signal, a cancelled body) stops the source: `stop` is called once.
 */
function pacedBody(
  next: () => Promise<Uint8Array | null>,
  stop: () => Promise<unknown> | void,
  { signal, ready }: { signal?: AbortSignal; ready?: () => Promise<void> },
): ReadableStream<Uint8Array> {
  let stopped = false;
  const halt = async () => {
    if (stopped) return;
    stopped = true;
    await stop();
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        await ready?.();
        if (signal?.aborted) {
          await halt();
          controller.close();
          return;
        }
        const chunk = await next();
        if (chunk) controller.enqueue(chunk);
        else {
          stopped = true;
          controller.close();
        }
      },
      cancel: halt,
    },
    // one chunk ahead at most: the next is made when this one has been handed on
    { highWaterMark: 0 },
  );
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
  request,
  context,
}: {
  format: ExportFormat;
  /** without extension */
  filename: string;
  sheetName?: string;
  columns: ExportColumn<Row>[];
  rows: ExportRows<Row>;
  /** its signal stops the rows when the client goes away */
  request?: Request;
  /** server.js's `clientReady`: the body waits while the client's socket is full */
  context?: AppLoadContext;
}): Promise<Response> {
  const headers = { "Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff" };
  const pace = { signal: request?.signal, ready: context?.clientReady };
  // Both formats stream: the rows are read a batch at a time while the file is sent.
  if (format === "csv") {
    const encoder = new TextEncoder();
    const batches = batchesOf(rows);
    let headerSent = false;
    const body = pacedBody(
      async () => {
        if (!headerSent) {
          headerSent = true;
          return encoder.encode(csvHeader(columns));
        }
        const next = await batches.next();
        return next.done ? null : encoder.encode(csvRows(columns, next.value));
      },
      () => batches.return(undefined),
      pace,
    );
    return new Response(body, {
      headers: {
        ...headers,
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": contentDisposition(`${filename}.csv`),
      },
    });
  }
  const stream = xlsxStream(columns, rows, sheetName ?? filename);
  const chunks = stream[Symbol.asyncIterator]();
  const body = pacedBody(
    async () => {
      const next = await chunks.next();
      return next.done ? null : new Uint8Array(next.value as Buffer);
    },
    () => {
      stream.destroy();
    },
    pace,
  );
  return new Response(body, {
    headers: {
      ...headers,
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": contentDisposition(`${filename}.xlsx`),
    },
  });
}
