// Registry import: every error kind named by its spreadsheet row, encodings detected, the commit all or
// nothing (also when it fails half way), scope, and the job's state — on PGlite and PostgreSQL.
import fs from "node:fs";
import path from "node:path";
import { and, count, eq, inArray, sql } from "drizzle-orm";
import { expect, test } from "vitest";
import { auditLog, households, importJobs, members, regions } from "../../db/schema";
import { ForbiddenError, ValidationError } from "~/models/errors.server";
import {
  IMPORT_COLUMNS,
  parseSpreadsheet,
  templateCsv,
  templateXlsx,
  ImportFileError,
} from "~/models/import-parse.server";
import { commitImport, INSERT_BATCH } from "~/models/import-commit.server";
import { createImportJob, getImportJob, importJobsIdle, startImportCommit } from "~/models/import-jobs.server";
import { createHousehold as registerHousehold } from "~/models/households.server";
import { scopeOf, type Scope } from "~/models/scope.server";
import { db } from "~/utils/db.server";
import {
  addMemberWithId,
  createGroup,
  createHousehold,
  createUser,
  createWorld,
  newIdNumber,
  type World,
} from "../support/factories";
import { REGISTERED_ID } from "../fixtures/import/make-fixtures";

const FIXTURES = path.resolve("tests/fixtures/import");
const fixture = (name: string) => new Uint8Array(fs.readFileSync(path.join(FIXTURES, name)));
const HEADER = IMPORT_COLUMNS.map((c) => c.header);

/** A world whose villages carry the fixtures' names: 东风村, 西河村 (township 1), 南岗村, 北山村 (township 2). */
async function setup() {
  const d = await db();
  const world = await createWorld(d);
  const names = ["东风村", "西河村", "南岗村", "北山村"];
  for (const [i, v] of world.villages.entries()) {
    await d.update(regions).set({ name: names[i] }).where(eq(regions.id, v.id));
    v.name = names[i];
  }
  return {
    d,
    world,
    official: scopeOf(await createUser(d, world, "official")),
    otherOfficial: scopeOf(await createUser(d, world, "official", { townshipIndex: 1 })),
    admin: scopeOf(await createUser(d, world, "admin")),
    cadre: scopeOf(await createUser(d, world, "cadre")),
  };
}

/** A registry CSV with fresh ID numbers: `households` households of `size` persons in one village. */
function registryCsv(householdCount: number, size: number, village = "东风村") {
  const lines = [HEADER.join(",")];
  const ids: string[] = [];
  for (let h = 0; h < householdCount; h++) {
    for (let m = 0; m < size; m++) {
      const male = m % 2 === 0;
      const id = newIdNumber(male ? "male" : "female", "1961-01-01");
      ids.push(id);
      const cells: Record<string, string> = {
        户编号: `H${h}`,
        村: village,
        姓名: `测试${h}-${m}`,
        身份证号: id,
        与户主关系: m === 0 ? "户主" : "子女",
        性别: male ? "男" : "女",
        贫困状态: m === 0 ? "建档立卡贫困户" : "",
        致贫原因: m === 0 ? "缺资金" : "",
        "庭院面积（平方米）": m === 0 ? "500" : "",
      };
      lines.push(HEADER.map((col) => cells[col] ?? "").join(","));
    }
  }
  return { bytes: new TextEncoder().encode(lines.join("\n") + "\n"), ids };
}

async function runDryRun(scope: Scope, name: string, bytes: Uint8Array) {
  const job = await createImportJob({ scope, file: { name, bytes } });
  await importJobsIdle();
  return (await getImportJob({ scope, id: job.id }))!;
}

async function householdCount(world: World) {
  const d = await db();
  const [{ n }] = await d.select({ n: count() }).from(households).where(eq(households.countyId, world.county.id));
  return n;
}

async function rejection(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a refusal");
}

test("a clean UTF-8 CSV passes the dry run and writes nothing", async () => {
  const { world, official } = await setup();
  const job = await runDryRun(official, "registry.csv", fixture("valid-utf8.csv"));
  expect(job.status).toBe("succeeded");
  expect(job.errors).toEqual([]);
  expect(job.errorCount).toBe(0);
  expect(job.summary).toMatchObject({ rows: 8, households: 3, members: 8, badRows: 0, villages: 2 });
  expect(job.progressDone).toBe(8);
  expect(job.progressTotal).toBe(8);
  expect(await householdCount(world)).toBe(0);
});

test("GBK and UTF-8 with a BOM are detected and read exactly as plain UTF-8", async () => {
  const utf8 = await parseSpreadsheet(fixture("valid-utf8.csv"), "csv");
  const gbk = await parseSpreadsheet(fixture("valid-gbk.csv"), "csv");
  const bom = await parseSpreadsheet(fixture("valid-bom.csv"), "csv");
  const xlsx = await parseSpreadsheet(fixture("valid.xlsx"), "xlsx");
  expect(utf8.encoding).toBe("utf-8");
  expect(gbk.encoding).toBe("gbk");
  expect(bom.encoding).toBe("utf-8");
  // the GBK bytes are not UTF-8 at all: the detection is real
  expect(() => new TextDecoder("utf-8", { fatal: true }).decode(fixture("valid-gbk.csv"))).toThrow();
  expect(utf8.rows[0].cells).toMatchObject({
    householdKey: "001",
    village: "东风村",
    name: "孙立本",
    relation: "户主",
  });
  expect(gbk.rows).toEqual(utf8.rows);
  // the BOM is dropped, so the first header (户编号) is still recognised
  expect(bom.columns[0]).toBe("householdKey");
  expect(bom.rows).toEqual(utf8.rows);
  expect(xlsx.rows.map((r) => r.cells)).toEqual(utf8.rows.map((r) => r.cells));

  const { official } = await setup();
  const job = await runDryRun(official, "registry-gbk.csv", fixture("valid-gbk.csv"));
  expect(job.errors).toEqual([]);
  expect(job.summary).toMatchObject({ households: 3, members: 8 });
});

test("every error kind is named by its spreadsheet row, in Chinese message keys", async () => {
  const { d, world, official } = await setup();
  const existing = await createHousehold(d, world);
  await addMemberWithId(d, world, existing.id, REGISTERED_ID);
  const job = await runDryRun(official, "errors.xlsx", fixture("errors.xlsx"));
  expect(job.status).toBe("succeeded");
  const byRow = new Map<number, string[]>();
  for (const e of job.errors) byRow.set(e.row, [...(byRow.get(e.row) ?? []), e.message]);
  expect(Object.fromEntries(byRow)).toEqual({
    3: ["idNumber.checksum"],
    4: ["idNumber.birthDate"],
    5: ["idNumber.length"],
    6: ['import.error.birthDateMismatch|{"birth":"1952-02-01"}'],
    7: ['import.error.badDate|{"value":"1952-02-30"}'],
    8: ['import.error.duplicateInFile|{"row":2}'],
    9: ["import.error.duplicateInDb"],
    10: ['import.error.unknownVillage|{"value":"不存在村"}'],
    // another township's village reads exactly like one that does not exist
    11: ['import.error.unknownVillage|{"value":"南岗村"}'],
    12: ['import.error.noHead|{"key":"E"}'],
    14: ['import.error.twoHeads|{"key":"F","row":13}'],
    15: ['import.error.required|{"column":"姓名"}'],
    16: ["idNumber.sexMismatch"],
    17: [
      'import.error.choice|{"column":"与户主关系","value":"邻居","allowed":"户主、配偶、子女、儿媳/女婿、孙辈、父母、兄弟姐妹、其他"}',
    ],
    18: ["import.error.idAsNumber"],
    20: ['import.error.householdMismatch|{"column":"村","key":"I","row":19}'],
    21: [
      'import.error.required|{"column":"贫困状态"}',
      'import.error.choice|{"column":"致贫原因","value":"懒","allowed":"因病、因残、因学、缺技术、缺劳力、缺资金、缺土地、其他"}',
    ],
  });
  expect(job.errors.find((e) => e.row === 3)?.column).toBe("身份证号");
  expect(job.errorCount).toBe(18);
  expect(job.summary).toMatchObject({ rows: 20, badRows: 17 });
  // a file that cannot be committed is not kept (full ID numbers)
  const [stored] = await d.select({ file: importJobs.file }).from(importJobs).where(eq(importJobs.id, job.id));
  expect(stored.file).toBeNull();
  // nothing was written, and a file with errors cannot be committed
  expect(await householdCount(world)).toBe(1);
  const refused = await rejection(startImportCommit({ scope: official, dryRunId: job.id }));
  expect(refused).toBeInstanceOf(ValidationError);
  expect((refused as ValidationError).formErrors).toEqual(["import.commit.notClean"]);
});

test("bad uploads are refused next to the file field; an unreadable workbook fails its job with a reason", async () => {
  const { official } = await setup();
  const field = async (name: string, bytes: Uint8Array) => {
    const error = await rejection(createImportJob({ scope: official, file: { name, bytes } }));
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).fieldErrors.file;
  };
  expect(await field("broken.xlsx", fixture("broken.xlsx"))).toEqual(["import.file.brokenXlsx"]);
  expect(await field("registry.pdf", new TextEncoder().encode("%PDF-1.7"))).toEqual(["import.file.wrongType"]);
  expect(await field("registry.xls", new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))).toEqual([
    "import.file.oldXls",
  ]);
  expect(await field("empty.csv", new Uint8Array())).toEqual(["import.file.empty"]);
  expect(await field("big.csv", new Uint8Array(30 * 1024 * 1024 + 1))).toEqual(['import.file.tooLarge|{"max":30}']);

  // whole at the zip level but damaged inside: found by the job, reported on it
  const damaged = fixture("valid.xlsx");
  damaged.fill(0, 600, 2600);
  const job = await runDryRun(official, "damaged.xlsx", damaged);
  expect(job.status).toBe("failed");
  expect(job.fileError).toBe("import.file.brokenXlsx");

  const noColumns = await runDryRun(official, "names.csv", new TextEncoder().encode("姓名,电话\n张三,13900000000\n"));
  expect(noColumns.status).toBe("failed");
  expect(noColumns.fileError).toBe(
    'import.file.missingColumns|{"columns":"户编号、村、身份证号、与户主关系、性别、贫困状态、致贫原因"}',
  );
  await expect(parseSpreadsheet(new TextEncoder().encode("\n\n"), "csv")).rejects.toBeInstanceOf(ImportFileError);
});

test("the commit writes every household and member, numbered per village, audited per import and per household", async () => {
  const { d, world, official } = await setup();
  const { bytes, ids } = registryCsv(40, 3);
  const dry = await runDryRun(official, "registry.csv", bytes);
  expect(dry.errors).toEqual([]);
  const commit = await startImportCommit({ scope: official, dryRunId: dry.id });
  // a second click returns the same commit instead of starting another
  expect((await startImportCommit({ scope: official, dryRunId: dry.id })).id).toBe(commit.id);
  await importJobsIdle();
  const done = (await getImportJob({ scope: official, id: commit.id }))!;
  expect(done.status).toBe("succeeded");
  expect(done.summary).toMatchObject({ households: 40, members: 120 });
  expect(done.progressDone).toBe(120);

  const rows = await d
    .select({
      code: households.code,
      headName: households.headName,
      villageId: households.villageId,
      area: households.courtyardArea,
      status: households.povertyStatus,
    })
    .from(households)
    .where(eq(households.countyId, world.county.id));
  expect(rows).toHaveLength(40);
  expect(new Set(rows.map((r) => r.villageId))).toEqual(new Set([world.villages[0].id]));
  expect(rows.map((r) => r.code).sort()[0]).toBe(`${world.villages[0].code}-0001`);
  expect(rows.map((r) => r.code).sort()[39]).toBe(`${world.villages[0].code}-0040`);
  expect(rows[0]).toMatchObject({ area: 500, status: "registered" });
  expect(rows.every((r) => r.headName.endsWith("-0"))).toBe(true);
  const [{ n }] = await d.select({ n: count() }).from(members).where(inArray(members.idNumber, ids));
  expect(n).toBe(120);
  const heads = await d
    .select({ n: count() })
    .from(members)
    .where(and(inArray(members.idNumber, ids), eq(members.relation, "head")));
  expect(heads[0].n).toBe(40);
  const audit = await d
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.entityId, commit.id), eq(auditLog.action, "import.commit")));
  expect(audit).toHaveLength(1);
  expect(audit[0].after).toMatchObject({
    fileName: "registry.csv",
    households: 40,
    members: 120,
    villages: ["东风村"],
  });
  // each household's own history starts with the import, its members in it
  const perHousehold = await d
    .select({ householdId: auditLog.householdId, userId: auditLog.userId, after: auditLog.after })
    .from(auditLog)
    .innerJoin(households, eq(households.id, auditLog.householdId))
    .where(and(eq(households.countyId, world.county.id), eq(auditLog.action, "household.import")));
  expect(perHousehold).toHaveLength(40);
  expect(perHousehold.every((a) => a.userId === official.userId)).toBe(true);
  expect((perHousehold[0].after as { members: unknown[]; importJobId: string }).members).toHaveLength(3);
  expect((perHousehold[0].after as { importJobId: string }).importJobId).toBe(commit.id);
  // the registry has the data now: the uploaded file is dropped
  const [stored] = await d.select({ file: importJobs.file }).from(importJobs).where(eq(importJobs.id, dry.id));
  expect(stored.file).toBeNull();

  // the same file again: every person is now registered
  const again = await runDryRun(official, "registry.csv", bytes);
  expect(again.errorCount).toBe(120);
  expect(new Set(again.errors.map((e) => e.message))).toEqual(new Set(["import.error.duplicateInDb"]));
});

test("all or nothing: a person registered after the dry run makes the commit write nothing", async () => {
  const { d, world, official } = await setup();
  const { bytes, ids } = registryCsv(30, 2, "西河村");
  const dry = await runDryRun(official, "registry.csv", bytes);
  expect(dry.errors).toEqual([]);
  // between the dry run and the commit, someone registers the 45th person of the file by hand
  const other = await createHousehold(d, world, { villageIndex: 1 });
  await addMemberWithId(d, world, other.id, ids[44]);
  const before = await householdCount(world);

  const commit = await startImportCommit({ scope: official, dryRunId: dry.id });
  await importJobsIdle();
  const job = (await getImportJob({ scope: official, id: commit.id }))!;
  expect(job.status).toBe("failed");
  expect(job.fileError).toBe("import.commit.rejected");
  // row 46: the header is row 1
  expect(job.errors).toEqual([{ row: 46, column: "身份证号", message: "import.error.duplicateInDb" }]);
  // the clean dry run keeps its file until it is committed
  const [stored] = await d.select({ file: importJobs.file }).from(importJobs).where(eq(importJobs.id, dry.id));
  expect(stored.file).not.toBeNull();
  expect(await householdCount(world)).toBe(before);
  const [{ n }] = await d.select({ n: count() }).from(members).where(inArray(members.idNumber, ids));
  expect(n).toBe(1);
  const audit = await d.select().from(auditLog).where(eq(auditLog.entityId, commit.id));
  expect(audit).toHaveLength(0);
});

test("all or nothing: a failure after two batches were inserted rolls them back too", async () => {
  const { d, world, official } = await setup();
  const { bytes, ids } = registryCsv(4000, 3);
  const parsed = await parseSpreadsheet(bytes, "csv");
  const batches: number[] = [];
  const error = await rejection(
    commitImport({
      scope: official,
      parsed,
      jobId: crypto.randomUUID(),
      fileName: "big.csv",
      onProgress: ({ phase, done }) => {
        if (phase !== "insert" || done === 0) return;
        batches.push(done);
        // the disk fills up, the server goes away…: after the second batch of members
        if (batches.length === 2) throw new Error("connection lost");
      },
    }),
  );
  expect((error as Error).message).toBe("connection lost");
  expect(batches).toEqual([INSERT_BATCH, 2 * INSERT_BATCH]);
  expect(await householdCount(world)).toBe(0);
  const [{ n }] = await d.select({ n: count() }).from(members).where(inArray(members.idNumber, ids));
  expect(n).toBe(0);
  const [{ audits }] = await d
    .select({ audits: count() })
    .from(auditLog)
    .where(and(eq(auditLog.countyId, world.county.id), eq(auditLog.action, "household.import")));
  expect(audits).toBe(0);
});

test("a commit racing the one-by-one form in the same village: both land, household numbers never collide", async () => {
  const { d, world, official } = await setup();
  const { bytes } = registryCsv(300, 2);
  const dry = await runDryRun(official, "registry.csv", bytes);
  expect(dry.errors).toEqual([]);
  const head = newIdNumber("male", "1962-02-02");
  const commit = await startImportCommit({ scope: official, dryRunId: dry.id });
  const byHand = registerHousehold({
    scope: official,
    today: "2026-11-27",
    input: {
      villageId: world.villages[0].id,
      povertyStatus: "registered",
      povertyCause: "illness",
      members: [
        {
          name: "手工登记",
          idNumber: head,
          birthDate: "1962-02-02",
          relation: "head",
          sex: "male",
          health: "healthy",
          labourAbility: "full",
        },
      ],
    },
  });
  await Promise.all([byHand, importJobsIdle()]);
  expect((await getImportJob({ scope: official, id: commit.id }))!.status).toBe("succeeded");
  const codes = await d
    .select({ code: households.code })
    .from(households)
    .where(eq(households.villageId, world.villages[0].id));
  expect(codes).toHaveLength(301);
  expect(new Set(codes.map((c) => c.code)).size).toBe(301);
  expect(
    codes
      .map((c) => Number(c.code.split("-")[1]))
      .sort((a, b) => a - b)
      .at(-1),
  ).toBe(301);
});

test("scope: another township's official gets unknown village; the county admin may import anywhere; a cadre may not", async () => {
  const { otherOfficial, admin, cadre } = await setup();
  const other = await runDryRun(otherOfficial, "registry.csv", fixture("valid-utf8.csv"));
  expect(other.errors.map((e) => [e.row, e.message])).toEqual([
    [2, 'import.error.unknownVillage|{"value":"东风村"}'],
    [5, 'import.error.unknownVillage|{"value":"西河村"}'],
    [7, 'import.error.unknownVillage|{"value":"东风村"}'],
  ]);
  const county = await runDryRun(admin, "registry.csv", fixture("valid-utf8.csv"));
  expect(county.errors).toEqual([]);
  await expect(
    createImportJob({ scope: cadre, file: { name: "registry.csv", bytes: fixture("valid-utf8.csv") } }),
  ).rejects.toBeInstanceOf(ForbiddenError);
});

test("a county admin names the township where a village name repeats; groups are found within their village", async () => {
  const { d, world, admin } = await setup();
  // township 2 gets an 东风村 too
  await d.update(regions).set({ name: "东风村" }).where(eq(regions.id, world.villages[2].id));
  const group = await createGroup(d, world, 0, "二组");
  const person = (township: string, group: string) => {
    const id = newIdNumber("male", "1963-03-03");
    const cells: Record<string, string> = {
      户编号: id,
      乡镇: township,
      村: "东风村",
      组: group,
      姓名: "测试",
      身份证号: id,
      与户主关系: "户主",
      性别: "男",
      贫困状态: "监测户",
      致贫原因: "因病",
    };
    return HEADER.map((h) => cells[h] ?? "").join(",");
  };
  const file = [
    HEADER.join(","),
    person("", ""),
    person(world.townships[0].name, "二组"),
    person(world.townships[1].name, ""),
    person(world.townships[0].name, "九组"),
  ].join("\n");
  const job = await runDryRun(admin, "county.csv", new TextEncoder().encode(file));
  expect(job.errors).toEqual([
    { row: 2, column: "村", message: 'import.error.ambiguousVillage|{"value":"东风村"}' },
    { row: 5, column: "组", message: `import.error.unknownGroup|{"value":"九组","village":"东风村"}` },
  ]);
  expect(job.summary).toMatchObject({ households: 4, villages: 2 });

  // without the two bad rows the commit puts each household in its township's 东风村, one in 二组
  const clean = [HEADER.join(","), person(world.townships[0].name, "二组"), person(world.townships[1].name, "")].join(
    "\n",
  );
  const dry = await runDryRun(admin, "county.csv", new TextEncoder().encode(clean));
  expect(dry.errors).toEqual([]);
  await startImportCommit({ scope: admin, dryRunId: dry.id });
  await importJobsIdle();
  const rows = await d
    .select({ townshipId: households.townshipId, villageId: households.villageId, groupId: households.groupId })
    .from(households)
    .where(eq(households.countyId, world.county.id));
  expect(rows).toEqual(
    expect.arrayContaining([
      { townshipId: world.townships[0].id, villageId: world.villages[0].id, groupId: group.id },
      { townshipId: world.townships[1].id, villageId: world.villages[2].id, groupId: null },
    ]),
  );
  expect(rows).toHaveLength(2);
});

test("job state: only its creator sees it; a job whose runner is gone is reported as interrupted", async () => {
  const { d, world, official, otherOfficial } = await setup();
  const job = await createImportJob({
    scope: official,
    file: { name: "registry.csv", bytes: fixture("valid-utf8.csv") },
  });
  const early = (await getImportJob({ scope: official, id: job.id }))!;
  expect(["queued", "running", "succeeded"]).toContain(early.status);
  await importJobsIdle();
  expect(await getImportJob({ scope: otherOfficial, id: job.id })).toBeNull();
  expect((await getImportJob({ scope: official, id: job.id }))!.status).toBe("succeeded");

  // a job left "running" by a process that died two minutes ago
  const [stale] = await d
    .insert(importJobs)
    .values({
      countyId: world.county.id,
      townshipId: world.townships[0].id,
      createdBy: official.userId,
      kind: "dry_run",
      status: "running",
      fileName: "old.csv",
      fileType: "csv",
      fileSize: 10,
      progressDone: 5000,
      progressTotal: 20000,
      heartbeatAt: sql`now() - interval '2 minutes'` as unknown as Date,
    })
    .returning({ id: importJobs.id });
  const seen = (await getImportJob({ scope: official, id: stale.id }))!;
  expect(seen.status).toBe("failed");
  expect(seen.fileError).toBe("import.job.interrupted");
  const [row] = await d.select({ status: importJobs.status }).from(importJobs).where(eq(importJobs.id, stale.id));
  expect(row.status).toBe("failed");
});

test("the templates carry every column's Chinese header and read back as a file with no rows", async () => {
  const csv = templateCsv();
  expect(csv.toString("utf8")).toBe("\ufeff" + HEADER.join(",") + "\r\n");
  await expect(parseSpreadsheet(csv, "csv")).rejects.toMatchObject({ messageKey: "import.file.noRows" });
  const xlsx = await templateXlsx();
  await expect(parseSpreadsheet(xlsx, "xlsx")).rejects.toMatchObject({ messageKey: "import.file.noRows" });
  expect(HEADER.slice(0, 8)).toEqual(["户编号", "乡镇", "村", "组", "姓名", "身份证号", "与户主关系", "性别"]);
});

test("a person registered in another township is refused without the file saying the number is registered", async () => {
  const { d, world, official } = await setup();
  const { bytes, ids } = registryCsv(2, 2, "东风村");
  // the third person of the file lives in the other township already; the fourth in this one
  const far = await createHousehold(d, world, { villageIndex: 2 });
  await addMemberWithId(d, world, far.id, ids[2]);
  const near = await createHousehold(d, world, { villageIndex: 1 });
  await addMemberWithId(d, world, near.id, ids[3]);
  const dry = await runDryRun(official, "registry.csv", bytes);
  expect(dry.errors).toEqual([
    { row: 4, column: "身份证号", message: "idNumber.unavailable" },
    { row: 5, column: "身份证号", message: "import.error.duplicateInDb" },
  ]);
});
