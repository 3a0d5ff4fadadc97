// Registry import: households and members from a township's spreadsheet (XLSX, or CSV in
// UTF-8 or GBK). One row per person; the 户编号 column groups persons into households.
//
// Two steps, each a background job in this process (import_jobs): a dry run parses and checks every row
// and lists each bad row by its spreadsheet row number; a commit checks everything again inside one
// transaction (the database may have changed) and inserts all households and members in batches — or
// nothing. Duplicates against the database are found with one set-based query, never a query per row.
import crypto from "node:crypto";
import { Readable } from "node:stream";
import zlib from "node:zlib";
import ExcelJS from "exceljs";
import Papa from "papaparse";
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { getTableColumns, type SQL } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { DbOrTx, Tx } from "../../db/client";
import { queryRows } from "../../db/client";
import {
  households,
  importJobs,
  members,
  regions,
  type ImportRowError,
  type ImportSummary,
  auditLog,
} from "../../db/schema";
import { can, type Role } from "~/permissions";
import { HEALTH, LABOUR, POVERTY_CAUSES, POVERTY_STATUSES, RELATIONS, SEXES } from "~/vocabulary";
import { message } from "~/schemas/fields";
import { MAX_AREA_SQM } from "~/schemas/fields";
import { todayISO } from "~/utils/dates";
import { db, startDatabase } from "~/utils/db.server";
import { parseIdNumber } from "~/utils/id-number";
import { writeAudit } from "./audit.server";
import { NotFoundError, ValidationError, isUniqueViolation } from "./errors.server";
import { assertCan, householdInScope, scopeOf, type Scope } from "./scope.server";

// ---------- the file format ----------

export type ColumnKey =
  | "householdKey"
  | "township"
  | "village"
  | "group"
  | "name"
  | "idNumber"
  | "relation"
  | "sex"
  | "birthDate"
  | "health"
  | "labourAbility"
  | "phone"
  | "povertyStatus"
  | "povertyCause"
  | "courtyardArea"
  | "address";

export type ImportColumn = {
  key: ColumnKey;
  header: string;
  /** other headers accepted for the same column (other systems' exports) */
  aliases: string[];
  required: boolean;
  /** household columns: one value per household, from any of its rows; rows that differ are refused */
  household: boolean;
  /** what may be written, for the page and the template's notes */
  values?: string[];
  example: string;
};

const RELATION_WORDS: Record<string, (typeof RELATIONS)[number]> = {
  户主: "head", 本人: "head",
  配偶: "spouse", 妻: "spouse", 妻子: "spouse", 夫: "spouse", 丈夫: "spouse",
  子女: "child", 子: "child", 女: "child", 儿子: "child", 女儿: "child", 长子: "child", 次子: "child", 长女: "child", 次女: "child", 之子: "child", 之女: "child",
  "儿媳/女婿": "child_in_law", 儿媳: "child_in_law", 女婿: "child_in_law",
  孙辈: "grandchild", 孙子: "grandchild", 孙女: "grandchild", 外孙子: "grandchild", 外孙女: "grandchild",
  父母: "parent", 父亲: "parent", 母亲: "parent", 公公: "parent", 婆婆: "parent", 岳父: "parent", 岳母: "parent",
  兄弟姐妹: "sibling", 兄弟: "sibling", 姐妹: "sibling", 兄: "sibling", 弟: "sibling", 姐: "sibling", 妹: "sibling",
  其他: "other",
};
const SEX_WORDS: Record<string, (typeof SEXES)[number]> = { 男: "male", 女: "female" };
const HEALTH_WORDS: Record<string, (typeof HEALTH)[number]> = {
  健康: "healthy", 慢性病: "chronic", 长期慢性病: "chronic", 大病: "serious", 患有大病: "serious", 残疾: "disabled",
};
const LABOUR_WORDS: Record<string, (typeof LABOUR)[number]> = {
  有劳动力: "full", 普通劳动力: "full", 技能劳动力: "full", 弱劳动力: "partial", 半劳动力: "partial",
  无劳动力: "none", 丧失劳动力: "none", 在校生: "student", 学生: "student",
};
const STATUS_WORDS: Record<string, (typeof POVERTY_STATUSES)[number]> = {
  建档立卡贫困户: "registered", 贫困户: "registered",
  监测户: "monitored", 防返贫监测户: "monitored", 脱贫不稳定户: "monitored", 边缘易致贫户: "monitored", 突发严重困难户: "monitored",
  已脱贫: "lifted", 脱贫户: "lifted",
};
const CAUSE_WORDS: Record<string, (typeof POVERTY_CAUSES)[number]> = {
  因病: "illness", 因残: "disability", 因学: "education", 缺技术: "lack_skills", 缺劳力: "lack_labour",
  缺资金: "lack_funds", 缺土地: "lack_land", 其他: "other",
};

/** Every column, in the template's order. The first value of `values` is what the template suggests. */
export const IMPORT_COLUMNS: ImportColumn[] = [
  { key: "householdKey", header: "户编号", aliases: ["户号", "户编码", "家庭编号"], required: true, household: true, example: "0001" },
  { key: "township", header: "乡镇", aliases: ["乡镇（街道）", "乡(镇)", "乡"], required: false, household: true, example: "振兴乡" },
  { key: "village", header: "村", aliases: ["行政村", "所在村", "村名"], required: true, household: true, example: "振兴村" },
  { key: "group", header: "组", aliases: ["村民组", "屯", "组（屯）", "组(屯)"], required: false, household: true, example: "一组" },
  { key: "name", header: "姓名", aliases: ["成员姓名"], required: true, household: false, example: "孙立本" },
  { key: "idNumber", header: "身份证号", aliases: ["身份证号码", "公民身份号码", "证件号码"], required: true, household: false, example: "230828196604120011" },
  { key: "relation", header: "与户主关系", aliases: ["与户主的关系", "关系"], required: true, household: false, values: ["户主", "配偶", "子女", "儿媳/女婿", "孙辈", "父母", "兄弟姐妹", "其他"], example: "户主" },
  { key: "sex", header: "性别", aliases: [], required: true, household: false, values: ["男", "女"], example: "男" },
  { key: "birthDate", header: "出生日期", aliases: ["出生年月"], required: false, household: false, example: "1966-04-12" },
  { key: "health", header: "健康状况", aliases: ["健康状态"], required: false, household: false, values: ["健康", "慢性病", "大病", "残疾"], example: "健康" },
  { key: "labourAbility", header: "劳动能力", aliases: ["劳动技能"], required: false, household: false, values: ["有劳动力", "弱劳动力", "无劳动力", "在校生"], example: "有劳动力" },
  { key: "phone", header: "联系电话", aliases: ["电话", "手机号", "手机号码"], required: false, household: false, example: "13904561234" },
  { key: "povertyStatus", header: "贫困状态", aliases: ["户类型", "户属性"], required: true, household: true, values: ["建档立卡贫困户", "监测户", "已脱贫"], example: "建档立卡贫困户" },
  { key: "povertyCause", header: "致贫原因", aliases: ["主要致贫原因", "风险类型"], required: true, household: true, values: ["因病", "因残", "因学", "缺技术", "缺劳力", "缺资金", "缺土地", "其他"], example: "缺资金" },
  { key: "courtyardArea", header: "庭院面积（平方米）", aliases: ["庭院面积", "庭院面积(平方米)", "庭院面积（㎡）", "庭院面积(㎡)"], required: false, household: true, example: "620" },
  { key: "address", header: "家庭住址", aliases: ["住址", "地址"], required: false, household: true, example: "振兴乡振兴村一组12号" },
];
const COLUMN_BY_KEY = Object.fromEntries(IMPORT_COLUMNS.map((c) => [c.key, c])) as Record<ColumnKey, ImportColumn>;

/** Headers compare without spaces, asterisks (a common "required" mark) or full-width brackets. */
function normaliseHeader(h: string) {
  return h
    .replace(/[\s\u3000*＊]/g, "")
    .replace(/（/g, "(")
    .replace(/）/g, ")")
    .toLowerCase();
}
const HEADER_LOOKUP = new Map<string, ColumnKey>();
for (const c of IMPORT_COLUMNS) for (const h of [c.header, ...c.aliases, c.key]) HEADER_LOOKUP.set(normaliseHeader(h), c.key);

export const MAX_FILE_BYTES = 30 * 1024 * 1024;
export const MAX_ROWS = 200_000;
/**
 * What an XLSX may unpack to. Excel writes ≈560 bytes of XML per 14-column row, so 200,000 rows are
 * ≈112 MB; a 30 MB file that unpacks to 442 MB (6 million rows) is refused before it is parsed.
 */
export const MAX_INFLATED_BYTES = 160 * 1024 * 1024;
/** How many row errors a job keeps (the total is counted in full). */
export const ERROR_CAP = 1000;
const MAX_MEMBERS_PER_HOUSEHOLD = 20;

// ---------- reading the file ----------

export type FileKind = "xlsx" | "csv";
export type ParsedFile = {
  kind: FileKind;
  encoding?: "utf-8" | "gbk";
  /** the spreadsheet row number of the header */
  headerRow: number;
  columns: ColumnKey[];
  rows: ParsedRow[];
};
export type ParsedRow = {
  /** the spreadsheet row number, as Excel or WPS shows it */
  row: number;
  cells: Partial<Record<ColumnKey, string>>;
  /** the ID number cell was stored as a number: Excel keeps only 15 digits, the rest is lost */
  idAsNumber?: boolean;
};

/** A problem with the file as a whole; `message` is a dictionary key (with values). */
export class ImportFileError extends Error {
  constructor(public messageKey: string) {
    super(messageKey);
  }
}

/** The file's kind from its name, checked against its first bytes. Throws ValidationError on `file`. */
export function checkUpload(file: { name: string; size: number; bytes: Uint8Array }): FileKind {
  if (!file.name || file.size === 0) throw ValidationError.field("file", "import.file.empty");
  if (file.size > MAX_FILE_BYTES) throw ValidationError.field("file", message("import.file.tooLarge", { max: 30 }));
  const ext = file.name.toLowerCase().split(".").pop() ?? "";
  const zip = file.bytes[0] === 0x50 && file.bytes[1] === 0x4b && file.bytes[2] === 0x03 && file.bytes[3] === 0x04;
  if (ext === "xls" || (file.bytes[0] === 0xd0 && file.bytes[1] === 0xcf)) throw ValidationError.field("file", "import.file.oldXls");
  if (ext === "xlsx") {
    const entries = zip ? zipDirectory(file.bytes) : null;
    if (!entries) throw ValidationError.field("file", "import.file.brokenXlsx");
    if (declaredInflatedBytes(entries) > MAX_INFLATED_BYTES) throw ValidationError.field("file", inflatedTooLarge());
    return "xlsx";
  }
  if (ext === "csv" || ext === "txt") {
    if (zip) throw ValidationError.field("file", "import.file.wrongType");
    return "csv";
  }
  throw ValidationError.field("file", "import.file.wrongType");
}

const inflatedTooLarge = () => message("import.file.tooLargeInflated", { max: MAX_INFLATED_BYTES / 1024 / 1024 });

type ZipEntry = { name: string; method: number; compressedSize: number; uncompressedSize: number; localHeaderOffset: number };

/**
 * The zip's central directory, read from its end-of-central-directory record: each entry's declared
 * sizes, without inflating anything. Null when there is no whole directory (a truncated upload).
 */
export function zipDirectory(bytes: Uint8Array): ZipEntry[] | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const from = Math.max(0, bytes.length - 65_557);
  for (let eocd = bytes.length - 22; eocd >= from; eocd--) {
    if (view.getUint32(eocd, true) !== 0x06054b50) continue;
    let count = view.getUint16(eocd + 10, true);
    let size = view.getUint32(eocd + 12, true);
    let offset = view.getUint32(eocd + 16, true);
    if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) {
      // zip64: the real numbers are in the zip64 record its locator (just before) points to
      const locator = eocd - 20;
      if (locator < 0 || view.getUint32(locator, true) !== 0x07064b50) return null;
      const record = Number(view.getBigUint64(locator + 8, true));
      if (record + 56 > bytes.length || view.getUint32(record, true) !== 0x06064b50) return null;
      count = Number(view.getBigUint64(record + 32, true));
      size = Number(view.getBigUint64(record + 40, true));
      offset = Number(view.getBigUint64(record + 48, true));
    }
    if (offset + size > eocd) continue;
    const entries: ZipEntry[] = [];
    let at = offset;
    for (let i = 0; i < count; i++) {
      if (at + 46 > offset + size || view.getUint32(at, true) !== 0x02014b50) return null;
      const nameLength = view.getUint16(at + 28, true);
      const extraLength = view.getUint16(at + 30, true);
      const commentLength = view.getUint16(at + 32, true);
      // lengths are the sender's word too: an entry that runs past its directory is a broken file
      if (at + 46 + nameLength + extraLength + commentLength > offset + size) return null;
      const entry: ZipEntry = {
        name: new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength)),
        method: view.getUint16(at + 10, true),
        compressedSize: view.getUint32(at + 20, true),
        uncompressedSize: view.getUint32(at + 24, true),
        localHeaderOffset: view.getUint32(at + 42, true),
      };
      // zip64 sizes live in the extra field (id 1), in this order, only for the fields set to all ones
      let extra = at + 46 + nameLength;
      const extraEnd = extra + extraLength;
      while (extra + 4 <= extraEnd) {
        const id = view.getUint16(extra, true);
        const length = view.getUint16(extra + 2, true);
        if (extra + 4 + length > extraEnd) return null;
        if (id === 0x0001) {
          let field = extra + 4;
          for (const key of ["uncompressedSize", "compressedSize", "localHeaderOffset"] as const) {
            if (entry[key] !== 0xffffffff) continue;
            if (field + 8 > extra + 4 + length) return null;
            entry[key] = Number(view.getBigUint64(field, true));
            field += 8;
          }
        }
        extra += 4 + length;
      }
      entries.push(entry);
      at = extraEnd + commentLength;
    }
    return entries;
  }
  return null;
}

function declaredInflatedBytes(entries: ZipEntry[]) {
  return entries.reduce((sum, e) => sum + e.uncompressedSize, 0);
}

/**
 * The declared sizes are the sender's word: each entry is inflated once more, counted and thrown away
 * as it goes (16 KB at a time), and the file refused the moment the total passes the limit.
 */
async function checkInflatedBytes(bytes: Uint8Array, entries: ZipEntry[]): Promise<void> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let total = 0;
  for (const entry of entries) {
    const at = entry.localHeaderOffset;
    if (at + 30 > bytes.length || view.getUint32(at, true) !== 0x04034b50) throw new ImportFileError("import.file.brokenXlsx");
    const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
    const data = bytes.subarray(start, start + entry.compressedSize);
    if (entry.method === 0) {
      total += data.length;
    } else if (entry.method === 8) {
      total = await new Promise<number>((resolve, reject) => {
        let sum = total;
        const inflate = zlib.createInflateRaw();
        inflate.on("data", (chunk: Buffer) => {
          sum += chunk.length;
          if (sum > MAX_INFLATED_BYTES) {
            inflate.destroy();
            resolve(sum);
          }
        });
        inflate.on("end", () => resolve(sum));
        inflate.on("error", () => reject(new ImportFileError("import.file.brokenXlsx")));
        inflate.end(data);
      });
    } else {
      throw new ImportFileError("import.file.brokenXlsx");
    }
    if (total > MAX_INFLATED_BYTES) throw new ImportFileError(inflatedTooLarge());
  }
}

/** UTF-8 if the bytes are valid UTF-8 (BOM dropped), else GBK — what Excel on a Chinese Windows writes. */
export function decodeCsv(bytes: Uint8Array): { text: string; encoding: "utf-8" | "gbk" } {
  try {
    const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
    return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, encoding: "utf-8" };
  } catch {
    return { text: new TextDecoder("gbk").decode(bytes), encoding: "gbk" };
  }
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "" : value.toISOString().slice(0, 10);
  if (typeof value === "object") {
    const v = value as { richText?: { text: string }[]; text?: unknown; result?: unknown; error?: string };
    if (Array.isArray(v.richText)) return v.richText.map((r) => r.text).join("");
    if ("result" in v) return cellText(v.result);
    if (v.text !== undefined) return cellText(v.text);
    if (v.error) return "";
  }
  return String(value);
}

function fromTable(kind: FileKind, table: { values: unknown[]; row: number }[], encoding?: "utf-8" | "gbk"): ParsedFile {
  const blank = (vals: unknown[]) => vals.every((v) => cellText(v).trim() === "");
  const headerAt = table.findIndex((r) => !blank(r.values));
  if (headerAt < 0) throw new ImportFileError("import.file.noRows");
  const header = table[headerAt];
  const columns: (ColumnKey | null)[] = header.values.map((h) => HEADER_LOOKUP.get(normaliseHeader(cellText(h))) ?? null);
  const missing = IMPORT_COLUMNS.filter((c) => c.required && !columns.includes(c.key)).map((c) => c.header);
  if (missing.length) throw new ImportFileError(message("import.file.missingColumns", { columns: missing.join("、") }));
  const idIndex = columns.indexOf("idNumber");
  const rows: ParsedRow[] = [];
  for (let i = headerAt + 1; i < table.length; i++) {
    const { values, row } = table[i];
    if (blank(values)) continue;
    const cells: ParsedRow["cells"] = {};
    for (let j = 0; j < columns.length; j++) {
      const key = columns[j];
      if (!key || cells[key]) continue;
      const text = cellText(values[j]).replace(/\u3000/g, " ").trim();
      if (text) cells[key] = text;
    }
    const parsed: ParsedRow = { row, cells };
    if (typeof values[idIndex] === "number") parsed.idAsNumber = true;
    rows.push(parsed);
    if (rows.length > MAX_ROWS) throw new ImportFileError(message("import.file.tooManyRows", { max: MAX_ROWS }));
  }
  if (rows.length === 0) throw new ImportFileError("import.file.noRows");
  return { kind, encoding, headerRow: header.row, columns: columns.filter((c): c is ColumnKey => c !== null), rows };
}

/** papaparse in 1 MB chunks, pausing between them so other requests get answered. */
function parseCsvText(text: string): Promise<string[][]> {
  return new Promise((resolve, reject) => {
    const data: string[][] = [];
    Papa.parse<string[]>(text, {
      skipEmptyLines: false,
      chunkSize: 1024 * 1024,
      chunk: (results: Papa.ParseResult<string[]>, parser: Papa.Parser) => {
        for (const row of results.data) data.push(row);
        parser.pause();
        setImmediate(() => parser.resume());
      },
      complete: () => resolve(data),
      error: (error: Error) => reject(error),
    });
  });
}

/** Reads the first worksheet of an XLSX or the records of a CSV; ImportFileError if it cannot. */
export async function parseSpreadsheet(bytes: Uint8Array, kind: FileKind): Promise<ParsedFile> {
  if (kind === "csv") {
    const { text, encoding } = decodeCsv(bytes);
    const data = await parseCsvText(text);
    if (data.length === 0) throw new ImportFileError("import.file.noRows");
    // a record is one spreadsheet row, also when a quoted cell holds a line break
    return fromTable("csv", data.map((values, i) => ({ values, row: i + 1 })), encoding);
  }
  // the upload was checked on the declared sizes; a job (or a file stored before) is checked on the real ones
  const entries = zipDirectory(bytes);
  if (!entries) throw new ImportFileError("import.file.brokenXlsx");
  if (declaredInflatedBytes(entries) > MAX_INFLATED_BYTES) throw new ImportFileError(inflatedTooLarge());
  await checkInflatedBytes(bytes, entries);
  let table: XlsxTable;
  try {
    table = await readFirstSheetStreaming(bytes);
  } catch (error) {
    if (error instanceof ImportFileError) throw error;
    // the streaming reader is the fast path; a workbook it cannot follow gets the whole-file reader
    try {
      table = await readFirstSheetWhole(bytes);
    } catch (error) {
      if (error instanceof ImportFileError) throw error;
      throw new ImportFileError("import.file.brokenXlsx");
    }
  }
  return fromTable("xlsx", table);
}

type XlsxTable = { values: unknown[]; row: number }[];
type StreamRow = { values: unknown[]; number: number };

/**
 * exceljs's streaming reader: for 100,000 rows ~30% faster than loading the workbook and a third of the
 * memory (≈250 MB instead of ≈800 MB), and it gives the event loop back between zip chunks.
 */
async function readFirstSheetStreaming(bytes: Uint8Array): Promise<XlsxTable> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)]), {
    sharedStrings: "cache",
    styles: "cache",
    hyperlinks: "ignore",
    worksheets: "emit",
    entries: "ignore",
  } as never);
  const table: XlsxTable = [];
  for await (const sheet of reader as unknown as AsyncIterable<AsyncIterable<StreamRow>>) {
    for await (const row of sheet) {
      // row.values is 1-based (index 0 empty)
      const values = (row.values as unknown[]).slice(1);
      // blank rows are dropped here (the table would skip them anyway), so the count below is of rows
      // with content, and it stops the reader as soon as there are too many of them
      if (values.every((v) => cellText(v).trim() === "")) continue;
      table.push({ values, row: row.number });
      if (table.length > MAX_ROWS + 1) throw new ImportFileError(message("import.file.tooManyRows", { max: MAX_ROWS }));
    }
    break;
  }
  return table;
}

async function readFirstSheetWhole(bytes: Uint8Array): Promise<XlsxTable> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as never);
  const table: XlsxTable = [];
  workbook.worksheets[0]?.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    table.push({ values: (row.values as unknown[]).slice(1), row: rowNumber });
  });
  return table;
}

// ---------- checking the rows ----------

export type VillageRef = { id: string; name: string; code: string; townshipId: string; townshipName: string; countyId: string };
type GroupRef = { id: string; name: string; villageId: string };

export type PreparedMember = {
  name: string;
  idNumber: string;
  relation: (typeof RELATIONS)[number];
  sex: (typeof SEXES)[number];
  birthDate: string;
  health: (typeof HEALTH)[number];
  labourAbility: (typeof LABOUR)[number];
  phone: string | null;
};
export type PreparedHousehold = {
  key: string;
  firstRow: number;
  village: VillageRef;
  groupId: string | null;
  povertyStatus: (typeof POVERTY_STATUSES)[number];
  povertyCause: (typeof POVERTY_CAUSES)[number];
  courtyardArea: number | null;
  address: string | null;
  members: PreparedMember[];
};
export type CheckResult = {
  errors: ImportRowError[];
  households: PreparedHousehold[];
  summary: ImportSummary;
};

/** The villages (and their groups) a scope may import into: an official's township, an admin's county. */
export async function villagesInScope(d: DbOrTx, scope: Scope, lock = false) {
  // locked in id order, so an admin's import and an official's never wait on each other in a circle
  assertCan(scope, "household.import");
  const rows = await queryRows<{ id: string; name: string; code: string; township_id: string; township_name: string; county_id: string }>(
    d,
    sql`select v.id, v.name, v.code, t.id as township_id, t.name as township_name, v.county_id
        from ${regions} v join ${regions} t on t.id = v.parent_id
        where v.level = 'village' and ${
          scope.role === "official" ? sql`v.parent_id = ${scope.townshipId}` : sql`v.county_id = ${scope.countyId}`
        }
        order by v.id${lock ? sql` for update of v` : sql``}`,
  );
  const villages: VillageRef[] = rows.map((r) => ({
    id: r.id, name: r.name, code: r.code, townshipId: r.township_id, townshipName: r.township_name, countyId: r.county_id,
  }));
  const groups = villages.length
    ? await queryRows<{ id: string; name: string; parent_id: string }>(
        d,
        sql`select id, name, parent_id from ${regions} where level = 'group' and parent_id = any(${pgTextArray(villages.map((v) => v.id))}::uuid[])`,
      )
    : [];
  return { villages, groups: groups.map((g) => ({ id: g.id, name: g.name, villageId: g.parent_id })) };
}

/** One array parameter, not one parameter per value: no 65,535-parameter limit, one plan for any size. */
function pgTextArray(values: string[]): string {
  // only ever called with checked ID numbers and uuids: no quoting needed, asserted anyway
  for (const v of values) if (!/^[0-9A-Za-z-]+$/.test(v)) throw new Error(`unsafe array element: ${v}`);
  return `{${values.join(",")}}`;
}

/**
 * Which of these ID numbers are registered already — one query however many there are — and whether
 * the household holding each is in the caller's scope (the refusal says "registered" only then).
 */
export async function registeredIdNumbers(d: DbOrTx, scope: Scope, idNumbers: string[]): Promise<Map<string, boolean>> {
  const found = new Map<string, boolean>();
  for (let i = 0; i < idNumbers.length; i += 50_000) {
    const chunk = idNumbers.slice(i, i + 50_000);
    const rows = await queryRows<{ id_number: string; in_scope: boolean }>(
      d,
      sql`select ${members.idNumber} as id_number, (${householdInScope(scope)}) as in_scope from ${members} join ${households} on ${households.id} = ${members.householdId} where ${members.idNumber} = any(${pgTextArray(chunk)}::text[])`,
    );
    for (const r of rows) found.set(r.id_number, r.in_scope === true || String(r.in_scope) === "t");
  }
  return found;
}

const DATE_RE = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/;
function parseDate(s: string): string | null {
  let m = DATE_RE.exec(s) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (!m) {
    // a date cell read as text by another program, e.g. "1966-04-12T00:00:00.000Z"
    m = /^(\d{4})-(\d{2})-(\d{2})T/.exec(s);
    if (!m) return null;
  }
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return `${m[1]}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

function lookup<T>(words: Record<string, T>, codes: readonly T[], raw: string): T | null {
  const s = raw.replace(/\s/g, "");
  if (s in words) return words[s];
  const lower = s.toLowerCase() as T;
  return codes.includes(lower) ? lower : null;
}

const PHONE_RE = /^[0-9+\- ]{7,20}$/;

/** Rows between two pauses: a big file must not keep the server from answering other requests. */
const YIELD_EVERY = 2000;
const yieldToOthers = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Checks every row: required cells, ID numbers (length, format, birth date, checksum), sex and birth date
 * against the number, allowed values, duplicates in the file and in the database, villages in the
 * caller's scope, one head per household, household cells that agree. Pure apart from the two reads
 * passed in, so the dry run and the commit run the very same rules.
 */
export async function checkRows(
  parsed: ParsedFile,
  ctx: { villages: VillageRef[]; groups: GroupRef[]; registered: Map<string, boolean>; today?: Date },
  onProgress?: (done: number) => void | Promise<void>,
): Promise<CheckResult> {
  const errors: ImportRowError[] = [];
  const add = (row: number, column: ColumnKey | undefined, msg: string) =>
    errors.push({ row, column: column ? COLUMN_BY_KEY[column].header : undefined, message: msg });
  const required = (col: ColumnKey) => message("import.error.required", { column: COLUMN_BY_KEY[col].header });
  const choice = (col: ColumnKey, value: string) =>
    message("import.error.choice", { column: COLUMN_BY_KEY[col].header, value, allowed: (COLUMN_BY_KEY[col].values ?? []).join("、") });

  const villagesByName = new Map<string, VillageRef[]>();
  for (const v of ctx.villages) {
    for (const k of new Set([v.name, v.code])) {
      const list = villagesByName.get(k) ?? [];
      list.push(v);
      villagesByName.set(k, list);
    }
  }
  const groupsByVillage = new Map<string, Map<string, string>>();
  for (const g of ctx.groups) {
    const m = groupsByVillage.get(g.villageId) ?? new Map<string, string>();
    m.set(g.name, g.id);
    groupsByVillage.set(g.villageId, m);
  }

  // persons, and rows grouped by household key in order of first appearance
  type Person = { row: ParsedRow; member: PreparedMember | null };
  const byHousehold = new Map<string, Person[]>();
  const seenIds = new Map<string, number>();
  const today = ctx.today ?? new Date();
  for (const [index, r] of parsed.rows.entries()) {
    if (index % YIELD_EVERY === 0 && index > 0) {
      await onProgress?.(index);
      await yieldToOthers();
    }
    const c = r.cells;
    let ok = true;
    const fail = (col: ColumnKey | undefined, msg: string) => {
      ok = false;
      add(r.row, col, msg);
    };
    if (!c.householdKey) fail("householdKey", required("householdKey"));
    if (!c.name) fail("name", required("name"));
    else if (c.name.length > 30) fail("name", message("import.error.tooLong", { column: "姓名", max: 30 }));

    let idNumber: string | null = null;
    let idBirth: string | null = null;
    let idSex: string | null = null;
    if (r.idAsNumber) fail("idNumber", "import.error.idAsNumber");
    else if (!c.idNumber) fail("idNumber", required("idNumber"));
    else {
      const id = parseIdNumber(c.idNumber, today);
      if (!id.ok) fail("idNumber", `idNumber.${id.reason}`);
      else {
        idNumber = id.idNumber;
        idBirth = id.birthDate;
        idSex = id.sex;
        const first = seenIds.get(idNumber);
        if (first !== undefined) fail("idNumber", message("import.error.duplicateInFile", { row: first }));
        else {
          seenIds.set(idNumber, r.row);
          const inScope = ctx.registered.get(idNumber);
          if (inScope !== undefined) fail("idNumber", inScope ? "import.error.duplicateInDb" : "idNumber.unavailable");
        }
      }
    }

    const relation = c.relation ? lookup(RELATION_WORDS, RELATIONS, c.relation) : null;
    if (!c.relation) fail("relation", required("relation"));
    else if (!relation) fail("relation", choice("relation", c.relation));

    const sex = c.sex ? lookup(SEX_WORDS, SEXES, c.sex) : null;
    if (!c.sex) fail("sex", required("sex"));
    else if (!sex) fail("sex", choice("sex", c.sex));
    else if (idSex && idSex !== sex) fail("sex", "idNumber.sexMismatch");

    if (c.birthDate) {
      const birth = parseDate(c.birthDate);
      if (!birth) fail("birthDate", message("import.error.badDate", { value: c.birthDate }));
      else if (idBirth && birth !== idBirth) fail("birthDate", message("import.error.birthDateMismatch", { birth: idBirth }));
    }
    const health = c.health ? lookup(HEALTH_WORDS, HEALTH, c.health) : "healthy";
    if (!health) fail("health", choice("health", c.health!));
    const labour = c.labourAbility ? lookup(LABOUR_WORDS, LABOUR, c.labourAbility) : "full";
    if (!labour) fail("labourAbility", choice("labourAbility", c.labourAbility!));
    if (c.phone && !PHONE_RE.test(c.phone)) fail("phone", "field.phone");

    const member =
      ok && idNumber && idBirth && relation && sex && health && labour
        ? { name: c.name!, idNumber, relation, sex, birthDate: idBirth, health, labourAbility: labour, phone: c.phone ?? null }
        : null;
    if (c.householdKey) {
      const list = byHousehold.get(c.householdKey) ?? [];
      list.push({ row: r, member });
      byHousehold.set(c.householdKey, list);
    }
  }

  // households: one head, cells that agree, a village in scope
  const prepared: PreparedHousehold[] = [];
  const usedVillages = new Set<string>();
  for (const [key, persons] of byHousehold) {
    let ok = persons.every((p) => p.member !== null);
    const firstRow = persons[0].row.row;
    const value = (col: ColumnKey) => {
      let found: { value: string; row: number } | null = null;
      for (const p of persons) {
        const v = p.row.cells[col];
        if (!v) continue;
        if (!found) found = { value: v, row: p.row.row };
        else if (v !== found.value) {
          ok = false;
          add(p.row.row, col, message("import.error.householdMismatch", { column: COLUMN_BY_KEY[col].header, key, row: found.row }));
        }
      }
      return found;
    };
    const heads = persons.filter((p) => p.row.cells.relation && lookup(RELATION_WORDS, RELATIONS, p.row.cells.relation) === "head");
    if (heads.length === 0) {
      ok = false;
      add(firstRow, "relation", message("import.error.noHead", { key }));
    }
    for (const extra of heads.slice(1)) {
      ok = false;
      add(extra.row.row, "relation", message("import.error.twoHeads", { key, row: heads[0].row.row }));
    }
    if (persons.length > MAX_MEMBERS_PER_HOUSEHOLD) {
      ok = false;
      add(persons[MAX_MEMBERS_PER_HOUSEHOLD].row.row, "householdKey", message("import.error.tooManyMembers", { key, max: MAX_MEMBERS_PER_HOUSEHOLD }));
    }

    const township = value("township");
    const villageCell = value("village");
    let village: VillageRef | null = null;
    if (!villageCell) {
      ok = false;
      add(firstRow, "village", required("village"));
    } else {
      let candidates = villagesByName.get(villageCell.value) ?? villagesByName.get(villageCell.value + "村") ?? [];
      if (township) candidates = candidates.filter((v) => v.townshipName === township.value || v.townshipId === township.value);
      if (candidates.length === 1) village = candidates[0];
      else {
        ok = false;
        // outside the caller's scope reads the same as not there at all: nothing is told about other townships
        add(
          villageCell.row,
          "village",
          candidates.length === 0
            ? message("import.error.unknownVillage", { value: villageCell.value })
            : message("import.error.ambiguousVillage", { value: villageCell.value }),
        );
      }
    }
    const groupCell = value("group");
    let groupId: string | null = null;
    if (village && groupCell) {
      groupId = groupsByVillage.get(village.id)?.get(groupCell.value) ?? null;
      if (!groupId) {
        ok = false;
        add(groupCell.row, "group", message("import.error.unknownGroup", { value: groupCell.value, village: village.name }));
      }
    }
    const statusCell = value("povertyStatus");
    const status = statusCell ? lookup(STATUS_WORDS, POVERTY_STATUSES, statusCell.value) : null;
    if (!statusCell) add(heads[0]?.row.row ?? firstRow, "povertyStatus", required("povertyStatus"));
    else if (!status) add(statusCell.row, "povertyStatus", choice("povertyStatus", statusCell.value));
    const causeCell = value("povertyCause");
    const cause = causeCell ? lookup(CAUSE_WORDS, POVERTY_CAUSES, causeCell.value) : null;
    if (!causeCell) add(heads[0]?.row.row ?? firstRow, "povertyCause", required("povertyCause"));
    else if (!cause) add(causeCell.row, "povertyCause", choice("povertyCause", causeCell.value));
    const areaCell = value("courtyardArea");
    let area: number | null = null;
    if (areaCell) {
      area = Number(areaCell.value.replace(/,/g, ""));
      if (!Number.isFinite(area) || area < 0 || area > MAX_AREA_SQM) {
        ok = false;
        add(areaCell.row, "courtyardArea", message("import.error.badArea", { value: areaCell.value, max: MAX_AREA_SQM }));
      } else area = Math.round(area * 100) / 100;
    }
    const address = value("address");
    if (address && address.value.length > 100) {
      ok = false;
      add(address.row, "address", message("import.error.tooLong", { column: "家庭住址", max: 100 }));
    }

    if (ok && village && status && cause) {
      usedVillages.add(village.id);
      prepared.push({
        key,
        firstRow,
        village,
        groupId,
        povertyStatus: status,
        povertyCause: cause,
        courtyardArea: area,
        address: address?.value ?? null,
        // the head first: the household's head name and phone come from that row
        members: persons.map((p) => p.member!).sort((a, b) => Number(b.relation === "head") - Number(a.relation === "head")),
      });
    }
  }
  await onProgress?.(parsed.rows.length);

  errors.sort((a, b) => a.row - b.row);
  const badRows = new Set(errors.map((e) => e.row)).size;
  return {
    errors,
    households: prepared,
    summary: {
      rows: parsed.rows.length,
      households: byHousehold.size,
      members: parsed.rows.length,
      badRows,
      villages: usedVillages.size,
    },
  };
}

/** Reads what the rules need (villages in scope, registered ID numbers) and checks every row. */
export async function checkImport(d: DbOrTx, scope: Scope, parsed: ParsedFile, opts: { lock?: boolean; onProgress?: (done: number) => void | Promise<void> } = {}) {
  const { villages, groups } = await villagesInScope(d, scope, opts.lock);
  const ids: string[] = [];
  for (const r of parsed.rows) {
    const id = r.cells.idNumber ? parseIdNumber(r.cells.idNumber) : null;
    if (id?.ok) ids.push(id.idNumber);
  }
  const registered = await registeredIdNumbers(d, scope, ids);
  return checkRows(parsed, { villages, groups, registered }, opts.onProgress);
}

// ---------- committing ----------

/** Rows per INSERT: each batch is one statement with one json parameter (see db/seed.ts). */
export const INSERT_BATCH = 5000;

async function insertBatch(tx: Tx, table: PgTable, rows: Record<string, unknown>[]) {
  const columns = getTableColumns(table) as Record<string, { name: string }>;
  const keys = Object.keys(rows[0]);
  const names = keys.map((k) => columns[k].name);
  const list = sql.join(names.map((n) => sql.identifier(n)), sql`, `);
  const json = rows.map((row) => {
    const out: Record<string, unknown> = {};
    for (let j = 0; j < keys.length; j++) out[names[j]] = row[keys[j]] ?? null;
    return out;
  });
  await tx.execute(
    sql`insert into ${table} (${list}) select ${list} from json_populate_recordset(null::${table}, ${JSON.stringify(json)}::json)`,
  );
}

export class ImportRejected extends Error {
  constructor(public result: CheckResult) {
    super(`import rejected: ${result.errors.length} errors`);
  }
}

export type CommitProgress = (p: { phase: "validate" | "insert"; done: number; total: number }) => void | Promise<void>;

/**
 * Everything or nothing: inside one transaction, locks the scope's villages (which also orders household
 * numbering with the one-by-one form), checks every row again, then inserts households and members in
 * batches and writes one audit row. Throws ImportRejected (nothing written) if a row fails now.
 */
export async function commitImport({
  scope,
  parsed,
  jobId,
  fileName,
  today = todayISO(),
  onProgress,
}: {
  scope: Scope;
  parsed: ParsedFile;
  jobId: string;
  fileName: string;
  today?: string;
  onProgress?: CommitProgress;
}) {
  const d = await db();
  const total = parsed.rows.length;
  return d.transaction(async (tx) => {
    await onProgress?.({ phase: "validate", done: 0, total });
    const result = await checkImport(tx, scope, parsed, { lock: true });
    if (result.errors.length > 0) throw new ImportRejected(result);

    // household numbers continue each village's own sequence, as the form numbers them
    const codes = result.households.map((h) => h.village.code);
    const maxRows = await queryRows<{ prefix: string; n: number }>(
      tx,
      sql`select split_part(${households.code}, '-', 1) as prefix,
                 coalesce(max(substring(${households.code} from '-([0-9]+)$')::int), 0)::int as n
          from ${households}
          where split_part(${households.code}, '-', 1) = any(${pgTextArray([...new Set(codes)])}::text[])
          group by 1`,
    );
    const nextNumber = new Map(maxRows.map((r) => [r.prefix, Number(r.n)]));

    const householdRows: (typeof households.$inferInsert)[] = [];
    const memberRows: (typeof members.$inferInsert)[] = [];
    for (const h of result.households) {
      const n = (nextNumber.get(h.village.code) ?? 0) + 1;
      nextNumber.set(h.village.code, n);
      const id = crypto.randomUUID();
      const head = h.members[0];
      householdRows.push({
        id,
        countyId: h.village.countyId,
        townshipId: h.village.townshipId,
        villageId: h.village.id,
        groupId: h.groupId,
        code: `${h.village.code}-${String(n).padStart(4, "0")}`,
        headName: head.name,
        address: h.address,
        phone: head.phone,
        povertyStatus: h.povertyStatus,
        povertyCause: h.povertyCause,
        courtyardArea: h.courtyardArea,
        registeredOn: today,
      });
      for (const m of h.members) memberRows.push({ id: crypto.randomUUID(), countyId: h.village.countyId, householdId: id, ...m });
    }

    let done = 0;
    await onProgress?.({ phase: "insert", done, total });
    for (let i = 0; i < householdRows.length; i += INSERT_BATCH) {
      await insertBatch(tx, households, householdRows.slice(i, i + INSERT_BATCH));
    }
    for (let i = 0; i < memberRows.length; i += INSERT_BATCH) {
      const batch = memberRows.slice(i, i + INSERT_BATCH);
      await insertBatch(tx, members, batch);
      done += batch.length;
      await onProgress?.({ phase: "insert", done, total });
    }
    // each household's own history starts with its import (domain rule 5: who, when, what)
    const membersOf = new Map<string, (typeof members.$inferInsert)[]>();
    for (const m of memberRows) {
      const list = membersOf.get(m.householdId) ?? [];
      list.push(m);
      membersOf.set(m.householdId, list);
    }
    const auditRows = householdRows.map((h) => ({
      countyId: h.countyId,
      userId: scope.userId,
      action: "household.import",
      entity: "household",
      entityId: h.id,
      householdId: h.id,
      after: { ...h, importJobId: jobId, fileName, members: membersOf.get(h.id!) ?? [] },
    }));
    for (let i = 0; i < auditRows.length; i += INSERT_BATCH) {
      await insertBatch(tx, auditLog, auditRows.slice(i, i + INSERT_BATCH));
    }
    const summary: ImportSummary = { ...result.summary, households: householdRows.length, members: memberRows.length };
    await writeAudit(tx, {
      countyId: scope.countyId,
      userId: scope.userId,
      action: "import.commit",
      entity: "import",
      entityId: jobId,
      after: { fileName, ...summary, villages: [...new Set(result.households.map((h) => h.village.name))] },
    });
    return summary;
  });
}

// ---------- jobs ----------

type Progress = { phase: string; done: number; total: number };
type RunnerState = {
  queue: string[];
  running: string | null;
  progress: Map<string, Progress>;
  idle: Promise<void>;
  recovered: Promise<void> | null;
};
const RUNNER = Symbol.for("tingyuan.importRunner");
function runner(): RunnerState {
  const g = globalThis as unknown as { [RUNNER]?: RunnerState };
  g[RUNNER] ??= { queue: [], running: null, progress: new Map(), idle: Promise.resolve(), recovered: null };
  return g[RUNNER]!;
}

/** A running job whose heartbeat is older than this was cut off (a restart, a crash). */
const STALE_AFTER_SECONDS = 60;

/**
 * Jobs left queued or running by a process that is gone are marked failed, once per process at first
 * use. The embedded database has one process by construction, so all of them; on PostgreSQL only those
 * whose heartbeat stopped, since another live process may be running its own.
 */
function recoverStaleJobs(): Promise<void> {
  const state = runner();
  state.recovered ??= (async () => {
    const database = await startDatabase();
    const d = database.db;
    await d
      .update(importJobs)
      .set({ status: "failed", fileError: "import.job.interrupted", finishedAt: new Date(), phase: null })
      .where(
        and(
          inArray(importJobs.status, ["queued", "running"]),
          database.kind === "pglite" ? undefined : sql`${importJobs.heartbeatAt} < now() - make_interval(secs => ${STALE_AFTER_SECONDS})`,
        ),
      );
  })().catch((error) => {
    state.recovered = null;
    throw error;
  });
  return state.recovered;
}

function jobScope(scope: Scope) {
  assertCan(scope, "household.import");
  return { countyId: scope.countyId, townshipId: scope.role === "official" ? scope.townshipId : null };
}

/** Stores the upload and queues its dry run. The file is checked for kind and integrity first. */
export async function createImportJob({ scope, file }: { scope: Scope; file: { name: string; bytes: Uint8Array } }) {
  const { countyId, townshipId } = jobScope(scope);
  const kind = checkUpload({ name: file.name, size: file.bytes.byteLength, bytes: file.bytes });
  await recoverStaleJobs();
  const d = await db();
  const [job] = await d
    .insert(importJobs)
    .values({
      countyId,
      townshipId,
      createdBy: scope.userId,
      kind: "dry_run",
      fileName: file.name.slice(0, 200),
      fileType: kind,
      fileSize: file.bytes.byteLength,
      file: storeFile(file.bytes),
    })
    .returning({ id: importJobs.id });
  enqueueImportJob(job.id);
  return job;
}

/**
 * The upload is kept gzipped, and travels as base64 that the server decodes: PGlite binds a bytea
 * parameter byte by byte (~2 MB/s), base64 text it takes at once (an 11 MB CSV: 5 s → 0.2 s).
 */
function storeFile(bytes: Uint8Array): SQL<Buffer> {
  const gz = zlib.gzipSync(bytes, { level: 1 });
  return sql<Buffer>`decode(${gz.toString("base64")}, 'base64')`;
}
async function loadFile(d: DbOrTx, jobId: string): Promise<Buffer | null> {
  const [row] = await queryRows<{ file: string | null }>(d, sql`select encode(${importJobs.file}, 'base64') as file from ${importJobs} where ${importJobs.id} = ${jobId}`);
  // Node's base64 decoder skips the line breaks PostgreSQL puts in
  return row?.file ? zlib.gunzipSync(Buffer.from(row.file, "base64")) : null;
}

/** Queues the commit of a clean dry run of the caller's (one commit per dry run). */
export async function startImportCommit({ scope, dryRunId }: { scope: Scope; dryRunId: string }) {
  const { countyId, townshipId } = jobScope(scope);
  await recoverStaleJobs();
  const d = await db();
  const job = await d.transaction(async (tx) => {
    const [source] = await tx
      .select({ id: importJobs.id, status: importJobs.status, errorCount: importJobs.errorCount, fileName: importJobs.fileName, fileType: importJobs.fileType, fileSize: importJobs.fileSize, kind: importJobs.kind })
      .from(importJobs)
      .where(and(eq(importJobs.id, dryRunId), eq(importJobs.createdBy, scope.userId), eq(importJobs.kind, "dry_run")))
      .for("update");
    if (!source) throw new NotFoundError("import");
    if (source.status !== "succeeded" || source.errorCount > 0) throw ValidationError.form("import.commit.notClean");
    const [existing] = await tx
      .select({ id: importJobs.id })
      .from(importJobs)
      .where(and(eq(importJobs.sourceJobId, dryRunId), inArray(importJobs.status, ["queued", "running", "succeeded"])));
    if (existing) return existing;
    const [row] = await tx
      .insert(importJobs)
      .values({
        countyId,
        townshipId,
        createdBy: scope.userId,
        kind: "commit",
        sourceJobId: source.id,
        fileName: source.fileName,
        fileType: source.fileType,
        fileSize: source.fileSize,
      })
      .returning({ id: importJobs.id });
    return { ...row, fresh: true };
  });
  if ("fresh" in job) enqueueImportJob(job.id);
  return { id: job.id };
}

const JOB_VIEW = {
  id: importJobs.id,
  kind: importJobs.kind,
  status: importJobs.status,
  sourceJobId: importJobs.sourceJobId,
  fileName: importJobs.fileName,
  fileType: importJobs.fileType,
  fileSize: importJobs.fileSize,
  phase: importJobs.phase,
  progressDone: importJobs.progressDone,
  progressTotal: importJobs.progressTotal,
  errors: importJobs.errors,
  errorCount: importJobs.errorCount,
  fileError: importJobs.fileError,
  summary: importJobs.summary,
  createdAt: importJobs.createdAt,
  startedAt: importJobs.startedAt,
  finishedAt: importJobs.finishedAt,
  heartbeatAt: importJobs.heartbeatAt,
};

/** A job of the caller's, with live progress if this process is running it; null if not theirs. */
export async function getImportJob({ scope, id }: { scope: Scope; id: string }) {
  jobScope(scope);
  await recoverStaleJobs();
  const d = await db();
  const [job] = await d.select(JOB_VIEW).from(importJobs).where(and(eq(importJobs.id, id), eq(importJobs.createdBy, scope.userId)));
  if (!job) return null;
  const state = runner();
  const live = state.progress.get(job.id);
  const active = job.status === "queued" || job.status === "running";
  if (active && !live && !state.queue.includes(job.id) && Date.now() - job.heartbeatAt.getTime() > STALE_AFTER_SECONDS * 1000) {
    // no process is running it any more
    await d
      .update(importJobs)
      .set({ status: "failed", fileError: "import.job.interrupted", finishedAt: new Date(), phase: null })
      .where(and(eq(importJobs.id, job.id), inArray(importJobs.status, ["queued", "running"])));
    return { ...job, status: "failed" as const, fileError: "import.job.interrupted" };
  }
  const [commit] =
    job.kind === "dry_run"
      ? await d
          .select({ id: importJobs.id, status: importJobs.status })
          .from(importJobs)
          .where(eq(importJobs.sourceJobId, job.id))
          .orderBy(desc(importJobs.createdAt))
          .limit(1)
      : [];
  return {
    ...job,
    ...(active && live ? { phase: live.phase, progressDone: live.done, progressTotal: live.total } : {}),
    commit: commit ?? null,
  };
}

/** The caller's latest jobs, newest first. */
export async function listImportJobs({ scope, limit = 10 }: { scope: Scope; limit?: number }) {
  jobScope(scope);
  const d = await db();
  return d
    .select({
      id: importJobs.id,
      kind: importJobs.kind,
      status: importJobs.status,
      fileName: importJobs.fileName,
      errorCount: importJobs.errorCount,
      summary: importJobs.summary,
      createdAt: importJobs.createdAt,
    })
    .from(importJobs)
    .where(eq(importJobs.createdBy, scope.userId))
    .orderBy(desc(importJobs.createdAt))
    .limit(limit);
}

/** Queues a job to run in this process after the current request has answered. */
export function enqueueImportJob(id: string) {
  const state = runner();
  state.queue.push(id);
  if (state.running === null && state.queue.length === 1) {
    state.idle = new Promise<void>((resolve) => setImmediate(() => void drain().finally(resolve)));
  }
}

/**
 * A job that crashed (most often: its database connection was cut) is failed as interrupted, so the
 * page offers to upload again instead of showing "running" until the stale rule notices. The database
 * may still be away: a few tries over ~15 s, then the stale rule in getImportJob is the fallback.
 */
async function markInterrupted(id: string) {
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const d = await db();
      await d
        .update(importJobs)
        .set({ status: "failed", fileError: "import.job.interrupted", finishedAt: new Date(), phase: null })
        .where(and(eq(importJobs.id, id), inArray(importJobs.status, ["queued", "running"])));
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 1000 * 2 ** Math.min(attempt, 3)));
    }
  }
}

/** Resolves when this process has no import job left to run (tests, shutdown). */
export async function importJobsIdle() {
  const state = runner();
  while (state.queue.length || state.running) await state.idle;
}

async function drain() {
  const state = runner();
  while (state.queue.length) {
    const id = state.queue.shift()!;
    state.running = id;
    try {
      await runImportJob(id);
    } catch (error) {
      console.error(`[import] job ${id} crashed`, error);
      await markInterrupted(id);
    } finally {
      state.progress.delete(id);
      state.running = null;
    }
  }
}

/** Runs one job: the dry run checks and reports; the commit checks again and writes. */
export async function runImportJob(id: string) {
  const database = await startDatabase();
  const d = database.db;
  const state = runner();
  const [job] = await d
    .select({
      id: importJobs.id,
      kind: importJobs.kind,
      status: importJobs.status,
      sourceJobId: importJobs.sourceJobId,
      createdBy: importJobs.createdBy,
      fileName: importJobs.fileName,
      fileType: importJobs.fileType,
    })
    .from(importJobs)
    .where(eq(importJobs.id, id));
  if (!job || job.status !== "queued") return;
  const file = await loadFile(d, job.sourceJobId ?? job.id);
  const [creator] = await queryRows<{ id: string; role: Role; county_id: string; township_id: string | null; cooperative_id: string | null }>(
    d,
    sql`select id, role, county_id, township_id, cooperative_id from users where id = ${job.createdBy} and active`,
  );
  const started = Date.now();
  const set = (values: Partial<typeof importJobs.$inferInsert>) =>
    d.update(importJobs).set({ ...values, heartbeatAt: new Date() }).where(eq(importJobs.id, id));
  // a dry run that fails leaves nothing to commit, so its file goes too
  const fail = (values: Partial<typeof importJobs.$inferInsert>) =>
    set({ status: "failed", phase: null, finishedAt: new Date(), ...(job.kind === "dry_run" ? { file: null } : {}), ...values });
  if (!creator || !can(creator.role, "household.import") || !file) {
    await fail({ fileError: "import.job.interrupted" });
    return;
  }
  const scope = scopeOf({ id: creator.id, role: creator.role, countyId: creator.county_id, townshipId: creator.township_id, cooperativeId: creator.cooperative_id });

  const progress = (phase: string, done: number, total: number) => state.progress.set(id, { phase, done, total });
  let lastWrite = 0;
  // progress goes to the row too, but never from inside the commit's transaction on the embedded
  // database (one connection: it would wait for the transaction that waits for it)
  const persist = async (phase: string, done: number, total: number, force = false) => {
    progress(phase, done, total);
    if (!force && Date.now() - lastWrite < 500) return;
    lastWrite = Date.now();
    await set({ phase, progressDone: done, progressTotal: total });
  };

  await set({ status: "running", startedAt: new Date(), phase: "parse", progressDone: 0, progressTotal: 0 });
  progress("parse", 0, 0);
  let parsed: ParsedFile;
  try {
    parsed = await parseSpreadsheet(file, job.fileType as FileKind);
  } catch (error) {
    if (error instanceof ImportFileError) {
      await fail({ fileError: error.messageKey });
      return;
    }
    throw error;
  }
  const total = parsed.rows.length;

  if (job.kind === "dry_run") {
    await persist("validate", 0, total, true);
    const result = await checkImport(d, scope, parsed, { onProgress: (done) => persist("validate", done, total) });
    await set({
      status: "succeeded",
      phase: null,
      progressDone: total,
      progressTotal: total,
      errors: result.errors.slice(0, ERROR_CAP),
      errorCount: result.errors.length,
      summary: { ...result.summary, elapsedMs: Date.now() - started },
      finishedAt: new Date(),
      // a file with errors can never be committed: its full ID numbers are not kept
      ...(result.errors.length ? { file: null } : {}),
    });
    return;
  }

  await persist("validate", 0, total, true);
  try {
    const summary = await commitImport({
      scope,
      parsed,
      jobId: id,
      fileName: job.fileName,
      onProgress: async (p) => {
        progress(p.phase, p.done, p.total);
        // PostgreSQL: the row is written on another pooled connection, so a reload sees it
        if (database.kind === "postgres") await persist(p.phase, p.done, p.total);
      },
    });
    await set({
      status: "succeeded",
      phase: null,
      progressDone: total,
      progressTotal: total,
      summary: { ...summary, elapsedMs: Date.now() - started },
      finishedAt: new Date(),
    });
    // the registry has the data now: the file (full ID numbers) is not kept longer than needed
    await d.update(importJobs).set({ file: null }).where(eq(importJobs.id, job.sourceJobId!));
  } catch (error) {
    if (error instanceof ImportRejected) {
      await fail({
        fileError: "import.commit.rejected",
        errors: error.result.errors.slice(0, ERROR_CAP),
        errorCount: error.result.errors.length,
        summary: error.result.summary,
      });
      return;
    }
    if (isUniqueViolation(error, "members_id_number_uq")) {
      await fail({ fileError: "import.commit.raced" });
      return;
    }
    console.error(`[import] commit ${id} failed`, error);
    await fail({ fileError: "import.commit.failed" });
  }
}

// ---------- the template ----------

export function templateCsv(): Buffer {
  const header = IMPORT_COLUMNS.map((c) => c.header).join(",");
  // a BOM, so Excel opens the UTF-8 file with its Chinese headers intact
  return Buffer.from("\ufeff" + header + "\r\n", "utf8");
}

export async function templateXlsx(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "庭院 Tingyuan";
  const sheet = workbook.addWorksheet("农户成员");
  sheet.columns = IMPORT_COLUMNS.map((c) => ({
    header: c.header,
    key: c.key,
    width: Math.max(10, c.header.length * 2 + 4, c.key === "idNumber" ? 22 : 0, c.key === "address" ? 28 : 0),
    // text cells: Excel would turn an 18-digit ID number into 2.30828E+17 and lose its last digits
    style: { numFmt: c.key === "courtyardArea" ? "0.00" : "@" },
  }));
  const header = sheet.getRow(1);
  header.font = { bold: true };
  header.eachCell((cell, col) => {
    if (IMPORT_COLUMNS[col - 1].required) cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFFCE4D6" } };
  });
  sheet.views = [{ state: "frozen", ySplit: 1 }];
  IMPORT_COLUMNS.forEach((c, i) => {
    if (!c.values) return;
    const letter = sheet.getColumn(i + 1).letter;
    (sheet as unknown as { dataValidations: { add(ref: string, v: unknown): void } }).dataValidations.add(`${letter}2:${letter}100000`, {
      type: "list",
      allowBlank: !c.required,
      formulae: [`"${c.values.join(",")}"`],
      showErrorMessage: false,
    });
  });
  const notes = workbook.addWorksheet("填写说明");
  notes.columns = [
    { header: "列名", key: "header", width: 20 },
    { header: "是否必填", key: "required", width: 12 },
    { header: "说明", key: "note", width: 70 },
    { header: "示例", key: "example", width: 24 },
  ];
  notes.getRow(1).font = { bold: true };
  for (const c of IMPORT_COLUMNS) {
    notes.addRow({
      header: c.header,
      required: c.required ? "必填" : "选填",
      note: [COLUMN_NOTES[c.key], c.values ? `可填：${c.values.join("、")}` : ""].filter(Boolean).join("；"),
      example: c.example,
    });
  }
  notes.addRow({});
  notes.addRow({ header: "一行一人；同一户的人填同一个户编号，其中一人的「与户主关系」填「户主」。只读取第一个工作表。" });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** What each column means, for the template's notes sheet (the page has its own, translated). */
export const COLUMN_NOTES: Record<ColumnKey, string> = {
  householdKey: "把同一户的人归到一起，文件内唯一即可（可用原系统户编号）；系统按村重新编号",
  township: "可不填；县级管理员导入时，村名在多个乡镇重复的须填写",
  village: "本乡镇的行政村名称，如「振兴村」",
  group: "村民组（屯）名称，须是该村已有的组",
  name: "成员姓名，不超过 30 个字",
  idNumber: "18 位身份证号，末位可为 X；请把该列设为文本格式",
  relation: "每户必须有且只有一位户主",
  sex: "须与身份证号第 17 位一致（奇数为男，偶数为女）",
  birthDate: "可不填；填写时须与身份证号中的出生日期一致，如 1966-04-12",
  health: "可不填，默认健康",
  labourAbility: "可不填，默认有劳动力",
  phone: "可不填；户主的电话作为本户联系电话",
  povertyStatus: "每户填一次即可（通常填在户主行）；同户各行如填写须一致",
  povertyCause: "每户填一次即可；同户各行如填写须一致",
  courtyardArea: "可不填；单位平方米，1 亩约 666.7 平方米",
  address: "可不填；不超过 100 个字",
};

export type ImportJobView = NonNullable<Awaited<ReturnType<typeof getImportJob>>>;
