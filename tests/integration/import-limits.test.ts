// A spreadsheet cannot exhaust the server: one that unpacks to more than the limit is refused from its
// zip directory at upload, and one whose directory lies is refused while it is inflated, counted and
// thrown away — quickly, and without holding the unpacked sheet in memory.
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";
import { ValidationError } from "~/models/errors.server";
import { ImportFileError, MAX_INFLATED_BYTES, parseSpreadsheet, zipDirectory } from "~/models/import-parse.server";
import { createImportJob } from "~/models/import-jobs.server";
import { scopeOf } from "~/models/scope.server";
import { db } from "~/utils/db.server";
import { createUser, createWorld } from "../support/factories";
import { xlsxBomb } from "../support/xlsx-bomb";

const MB = 1024 * 1024;
// ≈190 bytes of XML a row: 1,000,000 rows unpack to ≈190 MB, past the limit
const ROWS = 1_000_000;

test("a spreadsheet that declares more unpacked bytes than the limit is refused at upload, from its directory", async () => {
  const d = await db();
  const official = scopeOf(await createUser(d, await createWorld(d), "official"));
  const { bytes, inflated } = await xlsxBomb({ rows: ROWS });
  expect(inflated).toBeGreaterThan(MAX_INFLATED_BYTES);
  expect(bytes.length).toBeLessThan(30 * MB);
  const started = Date.now();
  const error = await createImportJob({ scope: official, file: { name: "bomb.xlsx", bytes } }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(Date.now() - started).toBeLessThan(1000);
  expect(error).toBeInstanceOf(ValidationError);
  expect((error as ValidationError).fieldErrors.file).toEqual([
    `import.file.tooLargeInflated|{"max":${MAX_INFLATED_BYTES / MB}}`,
  ]);
}, 60_000);

test("a spreadsheet whose zip headers understate its size is refused while inflating, in bounded time and memory", async () => {
  const { bytes, inflated } = await xlsxBomb({ rows: ROWS, lie: true });
  expect(inflated).toBeGreaterThan(MAX_INFLATED_BYTES);
  global.gc?.();
  const rss = process.memoryUsage().rss;
  const started = Date.now();
  let peak = rss;
  const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const error = await parseSpreadsheet(bytes, "xlsx").then(
    () => null,
    (e: unknown) => e,
  );
  clearInterval(sample);
  const elapsed = Date.now() - started;
  expect(error).toBeInstanceOf(ImportFileError);
  expect((error as ImportFileError).messageKey).toBe(`import.file.tooLargeInflated|{"max":${MAX_INFLATED_BYTES / MB}}`);
  expect(elapsed).toBeLessThan(10_000);
  expect(peak - rss).toBeLessThan(100 * MB);
}, 30_000);

test("a workbook whose zip directory says an entry runs past the file's end is refused as broken, not a 500", async () => {
  const bytes = new Uint8Array(fs.readFileSync(path.resolve("tests/fixtures/import/valid.xlsx")));
  const view = new DataView(bytes.buffer);
  let eocd = bytes.length - 22;
  while (view.getUint32(eocd, true) !== 0x06054b50) eocd--;
  // the first directory entry's extra field: 64 KB, far more than the file holds
  view.setUint16(view.getUint32(eocd + 16, true) + 30, 0xffff, true);
  expect(zipDirectory(bytes)).toBeNull();
  const d = await db();
  const official = scopeOf(await createUser(d, await createWorld(d), "official"));
  const error = await createImportJob({ scope: official, file: { name: "户籍.xlsx", bytes } }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  expect((error as ValidationError).fieldErrors.file).toEqual(["import.file.brokenXlsx"]);
  await expect(parseSpreadsheet(bytes, "xlsx")).rejects.toBeInstanceOf(ImportFileError);
});
