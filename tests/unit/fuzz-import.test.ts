// The registry import's file readers, fed random and hostile files: random bytes, CSV text with hostile
// cells, real workbooks cut short or with bytes flipped, zips of made-up parts. Each answers the file's
// rows, or refuses the file with its own error carrying a Chinese message — never another exception — in
// bounded time. The row checker then reads whatever rows came out, and says what is wrong in Chinese.
// FUZZ_SEED replays a run (fast-check prints the seed of a failure).
import fs from "node:fs";
import path from "node:path";
import ExcelJS from "exceljs";
import fc from "fast-check";
import JSZip from "jszip";
import { afterAll, beforeAll, expect, test } from "vitest";
import { messageText } from "~/i18n";
import { translator } from "~/i18n/dictionaries.server";
import { ValidationError } from "~/models/errors.server";
import {
  checkUpload,
  decodeCsv,
  IMPORT_COLUMNS,
  ImportFileError,
  parseSpreadsheet,
  templateXlsx,
  zipDirectory,
  type ParsedFile,
} from "~/models/import-parse.server";
import { checkRows, type VillageRef } from "~/models/import-check.server";
import { makeIdNumber } from "~/utils/id-number";

const SEED = process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED) } : {};
const RUNS = Number(process.env.FUZZ_IMPORT_RUNS ?? 300);
/** a file of at most a few kilobytes is read in well under this, even on a loaded machine */
const BOUND_MS = 5_000;

const zh = translator("zh-CN");
const CJK = /[\u4e00-\u9fff]/;

let workbooks: Uint8Array[];
beforeAll(async () => {
  workbooks = [
    new Uint8Array(fs.readFileSync(path.resolve("tests/fixtures/import/valid.xlsx"))),
    new Uint8Array(await templateXlsx()),
  ];
});

afterAll(() => console.log(`fuzz-import: ${tally.read} files read, ${tally.refused} refused`));

// ---------- files ----------

const HOSTILE_CELLS = [
  "",
  " ",
  "\u0000",
  "\u3000",
  '"',
  '""',
  '"a,b"',
  "a\nb",
  "\r",
  "=1+1",
  '=HYPERLINK("http://x")',
  "@SUM(A1)",
  "x".repeat(5_000),
  "😀",
  "\ud800",
  "\u202e",
  "<script>",
  "-1",
  "1e309",
  "NaN",
  "2026-02-30",
  "0000-00-00",
  "9999-12-31",
  "230828195104120038",
  "23082819510412003X",
  "230828195102300038",
  "2.30828195104E+17",
  "户主",
  "配偶",
  "男",
  "女",
  "建档立卡贫困户",
  "因病",
  "振兴村",
  "一组",
];
const HEADERS = IMPORT_COLUMNS.flatMap((c) => [c.header, ...c.aliases.slice(0, 1)]);
/** every column in some order (so the rows get read), or any few of the known names (so the file gets refused) */
const header = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.shuffledSubarray(
      IMPORT_COLUMNS.map((c) => c.header),
      { minLength: IMPORT_COLUMNS.length },
    ),
  },
  { weight: 1, arbitrary: fc.shuffledSubarray(HEADERS, { minLength: 0 }) },
);

const cell = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_CELLS) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 20 }) },
);
const csvQuote = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
/** CSV text: a header of known and unknown names in any order, then rows of hostile cells; sometimes broken quoting */
const csvText = fc
  .record({
    header,
    extra: fc.array(fc.string({ maxLength: 8 }), { maxLength: 2 }),
    rows: fc.array(fc.array(cell, { maxLength: 20 }), { maxLength: 30 }),
    blankLines: fc.nat(3),
    tail: fc.constantFrom("", '"unterminated', "\r\n", ",,,,", "\u0000"),
    separator: fc.constantFrom("\n", "\r\n", "\r"),
  })
  .map(
    ({ header, extra, rows, blankLines, tail, separator }) =>
      [
        ...Array.from({ length: blankLines }, () => ""),
        [...header, ...extra].map(csvQuote).join(","),
        ...rows.map((r) => r.map(csvQuote).join(",")),
      ].join(separator) + tail,
  );
const csvBytes = fc.oneof(
  csvText.map((t) => new TextEncoder().encode(t)),
  csvText.map((t) => new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(t)])),
  fc.uint8Array({ maxLength: 2_000 }),
);

/** A real workbook cut short, or with bytes flipped (a broken download, a file from a broken disk). */
const garbledXlsx = fc
  .record({
    which: fc.nat(1),
    cut: fc.option(fc.double({ min: 0, max: 1, noNaN: true })),
    flips: fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 255 })), {
      maxLength: 8,
    }),
  })
  .map(({ which, cut, flips }) => {
    const source = workbooks[which];
    const out = source.slice(0, cut === null ? source.length : Math.floor(cut * source.length));
    for (const [at, mask] of flips) if (out.length) out[Math.floor(at * out.length) % out.length] ^= mask;
    return out;
  });

/** Offsets of the zip's own records in a workbook: its end record and each central directory entry. */
function zipRecords(bytes: Uint8Array): { eocd: number; entries: number[] } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = bytes.length - 22;
  while (eocd > 0 && view.getUint32(eocd, true) !== 0x06054b50) eocd--;
  const entries: number[] = [];
  for (let at = view.getUint32(eocd + 16, true); at + 46 <= eocd && view.getUint32(at, true) === 0x02014b50;) {
    entries.push(at);
    at += 46 + view.getUint16(at + 28, true) + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return { eocd, entries };
}
/** A field of the end record or of a directory entry (counts, sizes, offsets, name and extra lengths) set to a boundary value. */
const EOCD_FIELDS = [
  [8, 2],
  [10, 2],
  [12, 4],
  [16, 4],
  [20, 2],
] as const;
const ENTRY_FIELDS = [
  [10, 2],
  [20, 4],
  [24, 4],
  [28, 2],
  [30, 2],
  [32, 2],
  [42, 4],
] as const;
const lyingDirectory = fc
  .record({
    which: fc.nat(1),
    edits: fc.array(
      fc.record({
        entry: fc.option(fc.nat()),
        field: fc.nat(),
        value: fc.oneof(fc.constantFrom(0, 1, 0xff, 0xffff, 0xffffffff, 0x7fffffff), fc.nat()),
      }),
      { minLength: 1, maxLength: 4 },
    ),
  })
  .map(({ which, edits }) => {
    const out = workbooks[which].slice();
    const view = new DataView(out.buffer);
    const { eocd, entries } = zipRecords(out);
    for (const { entry, field, value } of edits) {
      const [base, fields] =
        entry === null || !entries.length ? [eocd, EOCD_FIELDS] : [entries[entry % entries.length], ENTRY_FIELDS];
      const [offset, width] = fields[field % fields.length];
      if (width === 2) view.setUint16(base + offset, value & 0xffff, true);
      else view.setUint32(base + offset, value >>> 0, true);
    }
    return out;
  });

const XML = fc.constantFrom(
  "",
  "<",
  "not xml",
  '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>99999</v></c></row></sheetData></worksheet>',
  '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="-1"><c r="ZZZZZZ1048577"><v>1e309</v></c></row></sheetData></worksheet>',
  '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>户编号</t></is></c><c r="B1" t="d"><v>not a date</v></c></row></sheetData></worksheet>',
  '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><x>&b;</x>',
  '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1"><si><t>户编号</t></si></sst>',
  '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="x" sheetId="1" r:id="rId9"/></sheets></workbook>',
);
/** A zip of a workbook's part names with made-up contents, and parts taken from a real workbook. */
const madeUpZip = fc
  .record({
    parts: fc.uniqueArray(
      fc.constantFrom(
        "[Content_Types].xml",
        "_rels/.rels",
        "xl/workbook.xml",
        "xl/_rels/workbook.xml.rels",
        "xl/worksheets/sheet1.xml",
        "xl/sharedStrings.xml",
        "xl/styles.xml",
        "../evil.xml",
        "xl/worksheets/sheet2.xml",
      ),
      { maxLength: 9 },
    ),
    contents: fc.array(XML, { minLength: 9, maxLength: 9 }),
    keep: fc.array(fc.boolean(), { minLength: 9, maxLength: 9 }),
    store: fc.boolean(),
  })
  .map(async ({ parts, contents, keep, store }) => {
    const real = await JSZip.loadAsync(workbooks[0]);
    const zip = new JSZip();
    for (const [i, name] of parts.entries()) {
      const original = real.file(name);
      zip.file(name, keep[i] && original ? await original.async("uint8array") : contents[i]);
    }
    return new Uint8Array(await zip.generateAsync({ type: "uint8array", compression: store ? "STORE" : "DEFLATE" }));
  });

/** A well-formed workbook whose cells are anything Excel can hold: numbers, dates, formulas, rich text, errors. */
const cellValue = fc.oneof(
  { weight: 4, arbitrary: cell },
  { weight: 1, arbitrary: fc.double() },
  // eslint-disable-next-line no-loss-of-precision -- an ID number typed into Excel arrives as this lossy number
  { weight: 1, arbitrary: fc.constantFrom(230828195104120038, 2.30828195104e17, -0, 1e308, 45000.5) },
  { weight: 1, arbitrary: fc.date({ noInvalidDate: false }) },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  {
    weight: 1,
    arbitrary: fc.record({
      formula: fc.constantFrom("A1+1", "1/0", "", "NOW()"),
      result: fc.oneof(cell, fc.double(), fc.constant(undefined)),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.array(cell, { maxLength: 3 }).map((texts) => ({ richText: texts.map((text) => ({ text })) })),
  },
  { weight: 1, arbitrary: cell.map((text) => ({ text, hyperlink: "http://example.com" })) },
  { weight: 1, arbitrary: fc.constantFrom("#N/A", "#DIV/0!", "#REF!").map((error) => ({ error })) },
);
const hostileWorkbook = fc
  .record({
    header,
    rows: fc.array(fc.array(cellValue, { maxLength: 18 }), { maxLength: 20 }),
    skip: fc.nat(3),
    merge: fc.boolean(),
    emptyFirstSheet: fc.boolean(),
  })
  .map(async ({ header, rows, skip, merge, emptyFirstSheet }) => {
    const workbook = new ExcelJS.Workbook();
    if (emptyFirstSheet) workbook.addWorksheet("空");
    const sheet = workbook.addWorksheet("户籍");
    sheet.getRow(skip + 1).values = header;
    for (const [i, row] of rows.entries()) sheet.getRow(skip + 2 + i).values = row as ExcelJS.CellValue[];
    if (merge && rows.length) sheet.mergeCells(skip + 2, 1, skip + 2 + Math.min(2, rows.length - 1), 3);
    return new Uint8Array(await workbook.xlsx.writeBuffer());
  });

// ---------- what every reader must answer ----------

function expectChinese(key: string, what: string) {
  expect(messageText(zh, key), `${what}: ${key}`).toMatch(CJK);
}

/** Rows, or the module's own refusal in Chinese; nothing else, and soon. */
const tally = { read: 0, refused: 0 };
async function read(bytes: Uint8Array, kind: "csv" | "xlsx"): Promise<ParsedFile | null> {
  const started = performance.now();
  let parsed: ParsedFile | null = null;
  try {
    parsed = await parseSpreadsheet(bytes, kind);
    tally.read++;
  } catch (error) {
    if (!(error instanceof ImportFileError)) throw error;
    tally.refused++;
    expectChinese(error.messageKey, `refused ${kind}`);
  }
  expect(performance.now() - started, `${kind} of ${bytes.length} bytes read in bounded time`).toBeLessThan(BOUND_MS);
  return parsed;
}

/** The upload check: a kind, or a refusal on the file field in Chinese. */
function upload(name: string, bytes: Uint8Array) {
  try {
    return checkUpload({ name, size: bytes.length, bytes });
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const messages = error.fieldErrors.file ?? [];
    expect(messages.length, `${name}: refused on the file field`).toBeGreaterThan(0);
    for (const m of messages) expectChinese(m, `${name} refused`);
    return null;
  }
}

const VILLAGES: VillageRef[] = [
  {
    id: "00000000-0000-4000-8000-000000000001",
    name: "振兴村",
    code: "230828101001",
    townshipId: "t",
    townshipName: "振兴乡",
    countyId: "c",
  },
];

/** The row checker on whatever rows a file gave: no exception, every row error in Chinese. */
async function check(parsed: ParsedFile) {
  const registered = new Map([[makeIdNumber("230828", "1951-04-12", 3, "male"), true]]);
  const result = await checkRows(parsed, {
    villages: VILLAGES,
    groups: [{ id: "g", name: "一组", villageId: VILLAGES[0].id }],
    registered,
    causes: [
      { code: "illness", nameZh: "因病", retired: false },
      { code: "lack_funds", nameZh: "缺资金", retired: false },
      { code: "education", nameZh: "因学", retired: true },
    ],
    today: new Date("2026-03-02"),
  });
  for (const e of result.errors) expectChinese(e.message, `row ${e.row}`);
}

test("random bytes under any file name: the upload check answers a kind or refuses the file in Chinese", () => {
  fc.assert(
    fc.property(
      fc.constantFrom("户籍.csv", "户籍.xlsx", "户籍.xls", "户籍.txt", "户籍", ".csv", "户籍.CSV", "a.xlsx.csv", ""),
      fc.oneof(fc.uint8Array({ maxLength: 4_000 }), garbledXlsx, lyingDirectory),
      (name, bytes) => {
        upload(name, bytes);
      },
    ),
    { numRuns: RUNS, ...SEED },
  );
});

test("the zip directory reader never throws, whatever the bytes", () => {
  fc.assert(
    fc.property(
      fc.oneof(
        fc.uint8Array({ maxLength: 4_000 }),
        garbledXlsx,
        lyingDirectory,
        fc.uint8Array({ maxLength: 200 }).map((tail) => new Uint8Array([0x50, 0x4b, 0x05, 0x06, ...tail])),
      ),
      (bytes) => {
        const entries = zipDirectory(bytes);
        expect(entries === null || Array.isArray(entries)).toBe(true);
      },
    ),
    { numRuns: RUNS * 3, ...SEED },
  );
});

test("CSV: random bytes and hostile cells give rows or a Chinese refusal, and the rows a Chinese report", async () => {
  await fc.assert(
    fc.asyncProperty(csvBytes, async (bytes) => {
      expect(() => decodeCsv(bytes)).not.toThrow();
      const parsed = await read(bytes, "csv");
      if (parsed) await check(parsed);
    }),
    { numRuns: RUNS, ...SEED },
  );
});

test("XLSX: workbooks cut short, garbled, or whose zip directory lies give rows or a Chinese refusal, in bounded time", async () => {
  await fc.assert(
    fc.asyncProperty(fc.oneof(garbledXlsx, lyingDirectory), async (bytes) => {
      upload("户籍.xlsx", bytes);
      // a job reads what was stored, so the reader holds on its own too
      const parsed = await read(bytes, "xlsx");
      if (parsed) await check(parsed);
    }),
    { numRuns: RUNS, ...SEED },
  );
}, 120_000);

test("XLSX: zips of made-up workbook parts give rows or a Chinese refusal, in bounded time", async () => {
  await fc.assert(
    fc.asyncProperty(madeUpZip, async (pending) => {
      const bytes = await pending;
      upload("户籍.xlsx", bytes);
      // a job reads what was stored, so the reader holds on its own too
      const parsed = await read(bytes, "xlsx");
      if (parsed) await check(parsed);
    }),
    { numRuns: RUNS, ...SEED },
  );
}, 120_000);

test("XLSX: well-formed workbooks holding any kind of cell give rows or a Chinese refusal, and the rows a Chinese report", async () => {
  await fc.assert(
    fc.asyncProperty(hostileWorkbook, async (pending) => {
      const bytes = await pending;
      expect(upload("户籍.xlsx", bytes)).toBe("xlsx");
      const parsed = await read(bytes, "xlsx");
      if (parsed) await check(parsed);
    }),
    { numRuns: Math.ceil(RUNS / 3), ...SEED },
  );
}, 120_000);
