// Cadres in bulk: a county that starts with 2,000 cadres sets them up from one spreadsheet (姓名, 电话, 乡镇,
// 用户名), checked first (every row's problems at once, by row number), then created all or nothing. Each
// account gets a one-time password, returned once in the answer to the commit and stored only as its hash.
// The rows travel from the check to the commit through the page; the commit checks them all again, so
// what the browser sends back is trusted no more than the file.
import { inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { regions, users } from "../../db/schema";
import { UsernameSchema } from "~/schemas/users";
import { message } from "~/schemas/fields";
import { db } from "~/utils/db.server";
import { hashPassword } from "~/utils/password.server";
import { writeAudits } from "./audit.server";
import { ValidationError, isUniqueViolation } from "./errors.server";
import { checkUpload, ImportFileError, readTable } from "./import-parse.server";
import { assertCan, type Scope } from "./scope.server";
import { oneTimePassword } from "./users.server";

export const USER_IMPORT_MAX_ROWS = 5_000;

/** The columns, by the header a person writes (and a few they write instead). */
export const USER_IMPORT_COLUMNS = [
  { key: "displayName", header: "姓名", aliases: ["名字", "干部姓名", "name"] },
  { key: "phone", header: "电话", aliases: ["手机", "手机号", "联系电话", "phone"] },
  { key: "township", header: "乡镇", aliases: ["乡镇名称", "乡镇代码", "township"] },
  { key: "username", header: "用户名", aliases: ["账号", "登录名", "username"] },
] as const;
type Key = (typeof USER_IMPORT_COLUMNS)[number]["key"];

export type UserImportRow = { row: number; displayName: string; phone: string; township: string; username: string };
export type UserImportProblem = { row: number; field: Key | "file"; message: string };

const HEADERS = new Map<string, Key>(
  USER_IMPORT_COLUMNS.flatMap((c) => [c.header, ...c.aliases].map((h) => [h.toLowerCase(), c.key] as const)),
);

/** The rows of an uploaded file, or a ValidationError on `file` that says why the file cannot be read. */
export async function readUserImportFile(file: { name: string; size: number; bytes: Uint8Array }) {
  const kind = checkUpload(file);
  let table: Awaited<ReturnType<typeof readTable>>["table"];
  try {
    ({ table } = await readTable(file.bytes, kind));
  } catch (error) {
    if (error instanceof ImportFileError) throw ValidationError.field("file", error.messageKey);
    throw error;
  }
  const headerAt = table.findIndex((r) => r.values.some(Boolean));
  if (headerAt < 0) throw ValidationError.field("file", "import.file.noRows");
  const columns = table[headerAt].values.map((h) => HEADERS.get(h.replace(/\s/g, "").toLowerCase()) ?? null);
  const missing = USER_IMPORT_COLUMNS.filter((c) => c.key !== "phone" && !columns.includes(c.key)).map((c) => c.header);
  if (missing.length)
    throw ValidationError.field("file", message("import.file.missingColumns", { columns: missing.join("、") }));
  const rows: UserImportRow[] = [];
  for (const { values, row } of table.slice(headerAt + 1)) {
    if (!values.some(Boolean)) continue;
    const cell = (key: Key) => {
      const i = columns.indexOf(key);
      return i < 0 ? "" : (values[i] ?? "");
    };
    rows.push({
      row,
      displayName: cell("displayName"),
      phone: cell("phone"),
      township: cell("township"),
      username: cell("username"),
    });
    if (rows.length > USER_IMPORT_MAX_ROWS)
      throw ValidationError.field("file", message("import.file.tooManyRows", { max: USER_IMPORT_MAX_ROWS }));
  }
  if (rows.length === 0) throw ValidationError.field("file", "import.file.noRows");
  return rows;
}

type Checked = { row: UserImportRow; townshipId: string | null };

/**
 * Every row's problems, by row number: a username's form, taken in the file or in the database; a name;
 * a phone; a township of the manager's reach, by name or code (an official's own one when left empty).
 */
export async function checkUserImport({ scope, rows }: { scope: Scope; rows: UserImportRow[] }) {
  assertCan(scope, "user.manage");
  if (rows.length > USER_IMPORT_MAX_ROWS)
    throw ValidationError.field("file", message("import.file.tooManyRows", { max: USER_IMPORT_MAX_ROWS }));
  const d = await db();
  const townships = await d
    .select({ id: regions.id, name: regions.name, code: regions.code })
    .from(regions)
    .where(
      sql`${regions.level} = 'township' and ${regions.countyId} = ${scope.countyId}${
        scope.role === "official" ? sql` and ${regions.id} = ${scope.townshipId}` : sql``
      }`,
    );
  const byKey = new Map<string, string>();
  for (const t of townships) {
    byKey.set(t.name, t.id);
    byKey.set(t.code, t.id);
  }
  const lowered = [...new Set(rows.map((r) => r.username.trim().toLowerCase()).filter(Boolean))];
  const taken = new Set<string>();
  for (let i = 0; i < lowered.length; i += 1000) {
    const found = await d
      .select({ name: sql<string>`lower(${users.username})` })
      .from(users)
      .where(inArray(sql`lower(${users.username})`, lowered.slice(i, i + 1000)));
    for (const f of found) taken.add(f.name);
  }
  const seen = new Map<string, number>();
  const problems: UserImportProblem[] = [];
  const checked: Checked[] = [];
  for (const row of rows) {
    const add = (field: Key, key: string) => problems.push({ row: row.row, field, message: key });
    const username = UsernameSchema.safeParse(row.username);
    if (!username.success) add("username", username.error.issues[0].message);
    else {
      const lower = username.data.toLowerCase();
      if (taken.has(lower)) add("username", "users.error.usernameTaken");
      else if (seen.has(lower)) add("username", message("users.import.duplicateInFile", { row: seen.get(lower)! }));
      else seen.set(lower, row.row);
    }
    const name = row.displayName.trim();
    if (!name) add("displayName", "field.required");
    else if ([...name].length > 50) add("displayName", message("field.tooLong", { max: 50 }));
    if (row.phone && !/^[0-9+\- ]{5,20}$/.test(row.phone)) add("phone", "field.phone");
    let townshipId: string | null = null;
    const township = row.township.trim();
    if (!township && scope.role === "official") townshipId = scope.townshipId;
    else if (!township) add("township", "users.error.townshipRequired");
    else {
      townshipId = byKey.get(township) ?? null;
      if (!townshipId) add("township", message("users.import.unknownTownship", { township }));
    }
    checked.push({ row, townshipId });
  }
  return { problems, checked, count: rows.length };
}

export type CreatedAccount = { row: number; username: string; displayName: string; oneTimePassword: string };

/** All the rows become cadres, or none does; the one-time passwords come back once. */
export async function commitUserImport({ scope, rows }: { scope: Scope; rows: UserImportRow[] }) {
  assertCan(scope, "user.manage");
  const { problems, checked } = await checkUserImport({ scope, rows });
  if (problems.length > 0) throw ValidationError.form(message("users.import.notClean", { count: problems.length }));
  // argon2 runs on libuv's threads: a few at a time keeps both cores busy without queueing 2,000 hashes
  const accounts: (CreatedAccount & { hash: string; townshipId: string; phone: string | null })[] = [];
  for (let i = 0; i < checked.length; i += 8) {
    const batch = await Promise.all(
      checked.slice(i, i + 8).map(async ({ row, townshipId }) => {
        const password = oneTimePassword();
        return {
          row: row.row,
          username: row.username.trim(),
          displayName: row.displayName.trim(),
          phone: row.phone.trim() || null,
          townshipId: townshipId!,
          oneTimePassword: password,
          hash: await hashPassword(password),
        };
      }),
    );
    accounts.push(...batch);
  }
  const d = await db();
  try {
    await d.transaction(async (tx) => {
      for (let i = 0; i < accounts.length; i += 500) {
        const created = await tx
          .insert(users)
          .values(
            accounts.slice(i, i + 500).map((a) => ({
              username: a.username,
              displayName: a.displayName,
              phone: a.phone,
              role: "cadre" as const,
              countyId: scope.countyId,
              townshipId: a.townshipId,
              passwordHash: a.hash,
              mustChangePassword: true,
            })),
          )
          .returning();
        await writeAudits(
          tx,
          created.map(({ passwordHash: _hash, ...after }) => ({
            countyId: scope.countyId,
            userId: scope.userId,
            action: "user.create_bulk",
            entity: "user" as const,
            entityId: after.id,
            after,
          })),
        );
      }
    });
  } catch (error) {
    // a username taken between the check and the commit: nothing was written
    if (isUniqueViolation(error, "users_username_uq"))
      throw ValidationError.form(message("users.import.notClean", { count: 1 }));
    throw error;
  }
  return accounts.map(({ row, username, displayName, oneTimePassword }) => ({
    row,
    username,
    displayName,
    oneTimePassword,
  }));
}

/** The checked rows as the page posts them back for the commit. */
export const UserImportRowsSchema = z
  .array(
    z.object({
      row: z.number().int().min(1),
      displayName: z.string().max(200),
      phone: z.string().max(200),
      township: z.string().max(200),
      username: z.string().max(200),
    }),
  )
  .min(1)
  .max(USER_IMPORT_MAX_ROWS);
