// A spreadsheet that is small on the wire and huge unpacked: a real workbook (exceljs's template parts)
// whose first sheet is `rows` rows of XML, deflated at level 9. `lie` writes a small uncompressed size
// into the zip headers, as a hostile file would, so only inflating tells the truth.
import zlib from "node:zlib";
import ExcelJS from "exceljs";
import JSZip from "jszip";

type Entry = { name: string; data: Buffer; crc: number; size: number };

async function deflated(chunks: Iterable<string>): Promise<{ data: Buffer; crc: number; size: number }> {
  const deflate = zlib.createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  deflate.on("data", (c: Buffer) => out.push(c));
  const done = new Promise((resolve, reject) => {
    deflate.on("end", resolve);
    deflate.on("error", reject);
  });
  let crc = 0;
  let size = 0;
  for (const text of chunks) {
    const bytes = Buffer.from(text, "utf8");
    crc = zlib.crc32(bytes, crc);
    size += bytes.length;
    if (!deflate.write(bytes)) await new Promise((r) => deflate.once("drain", r));
  }
  deflate.end();
  await done;
  return { data: Buffer.concat(out), crc, size };
}

function* sheetXml(rows: number) {
  yield '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>';
  yield '<row r="1"><c r="A1" t="inlineStr"><is><t>户编号</t></is></c><c r="B1" t="inlineStr"><is><t>姓名</t></is></c></row>';
  let batch = "";
  for (let r = 2; r <= rows + 1; r++) {
    batch += `<row r="${r}"><c r="A${r}" t="inlineStr"><is><t>H${r}</t></is></c><c r="B${r}" t="inlineStr"><is><t>张三丰张三丰张三丰</t></is></c><c r="C${r}"><v>${r}</v></c></row>`;
    if (batch.length > 1 << 20) {
      yield batch;
      batch = "";
    }
  }
  yield batch + "</sheetData></worksheet>";
}

function zip(entries: Entry[], lie: boolean): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, "utf8");
    const size = lie ? Math.min(e.size, 1000) : e.size;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(e.crc, 14);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, e.data);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(e.crc, 16);
    central.writeUInt32LE(e.data.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += 30 + name.length + e.data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

export async function xlsxBomb({
  rows,
  lie = false,
}: {
  rows: number;
  lie?: boolean;
}): Promise<{ bytes: Uint8Array; inflated: number }> {
  const workbook = new ExcelJS.Workbook();
  workbook.addWorksheet("Sheet1").addRow(["x"]);
  const template = await JSZip.loadAsync(await workbook.xlsx.writeBuffer());
  const entries: Entry[] = [];
  for (const [name, file] of Object.entries(template.files)) {
    if (file.dir) continue;
    if (name === "xl/worksheets/sheet1.xml") {
      entries.push({ name, ...(await deflated(sheetXml(rows))) });
    } else {
      entries.push({ name, ...(await deflated([await file.async("string")])) });
    }
  }
  return { bytes: new Uint8Array(zip(entries, lie)), inflated: entries.reduce((s, e) => s + e.size, 0) };
}
