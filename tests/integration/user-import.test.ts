// Cadres in bulk: a spreadsheet is checked row by row (every problem at once, with its row number), then
// created all or nothing; what comes back from the page is checked again, never trusted.
import { eq, inArray, sql } from "drizzle-orm";
import { expect, test } from "vitest";
import { auditLog, users } from "../../db/schema";
import type { ValidationError } from "~/models/errors.server";
import { scopeOf } from "~/models/scope.server";
import { login } from "~/models/sessions.server";
import { checkUserImport, commitUserImport, readUserImportFile } from "~/models/user-import.server";
import { db } from "~/utils/db.server";
import * as f from "../support/factories";

async function setup() {
  const d = await db();
  const world = await f.createWorld(d);
  const admin = scopeOf(await f.createUser(d, world, "admin"));
  const official = scopeOf(await f.createUser(d, world, "official", { townshipIndex: 0 }));
  return { d, world, admin, official };
}

const tag = () => Math.random().toString(36).slice(2, 7);
const csv = (text: string) => {
  const bytes = new TextEncoder().encode(text);
  return { name: "干部.csv", size: bytes.length, bytes };
};

test("a file is read by its headers, blank rows skipped, row numbers as the spreadsheet shows them", async () => {
  const rows = await readUserImportFile(
    csv("\ufeff用户名,姓名,手机,乡镇\r\nwang1,王一,13900000001,振兴乡\r\n,,,\r\nli2,李二,,230828101\r\n"),
  );
  expect(rows).toEqual([
    { row: 2, username: "wang1", displayName: "王一", phone: "13900000001", township: "振兴乡" },
    { row: 4, username: "li2", displayName: "李二", phone: "", township: "230828101" },
  ]);
  await expect(readUserImportFile(csv("姓名,电话\r\n王一,1\r\n"))).rejects.toMatchObject({
    fieldErrors: { file: [expect.stringMatching(/^import\.file\.missingColumns\|.*用户名/)] },
  });
});

test("every problem at once, by row: usernames taken in the file or the database, townships out of reach", async () => {
  const { d, world, admin, official } = await setup();
  const existing = await f.createUser(d, world, "cadre", { username: `taken-${tag()}` });
  const t = tag();
  const rows = [
    { row: 2, username: `a-${t}`, displayName: "甲", phone: "", township: world.townships[0].name },
    { row: 3, username: `A-${t}`, displayName: "乙", phone: "", township: world.townships[0].code },
    {
      row: 4,
      username: existing.username.toUpperCase(),
      displayName: "丙",
      phone: "",
      township: world.townships[1].name,
    },
    { row: 5, username: "x", displayName: "", phone: "abc", township: "不存在乡" },
  ];
  const { problems } = await checkUserImport({ scope: admin, rows });
  expect(problems).toEqual(
    expect.arrayContaining([
      { row: 3, field: "username", message: expect.stringMatching(/^users\.import\.duplicateInFile\|.*"row":2/) },
      { row: 4, field: "username", message: "users.error.usernameTaken" },
      { row: 5, field: "username", message: expect.stringMatching(/^users\.error\.usernameShort/) },
      { row: 5, field: "displayName", message: "field.required" },
      { row: 5, field: "phone", message: "field.phone" },
      { row: 5, field: "township", message: expect.stringMatching(/^users\.import\.unknownTownship/) },
    ]),
  );
  expect(problems.filter((p) => p.row === 2)).toEqual([]);

  // an official's rows go to their township: left empty it is theirs, another one is not in reach
  const own = await checkUserImport({
    scope: official,
    rows: [
      { row: 2, username: `b-${t}`, displayName: "丁", phone: "", township: "" },
      { row: 3, username: `c-${t}`, displayName: "戊", phone: "", township: world.townships[1].name },
    ],
  });
  expect(own.problems).toEqual([
    { row: 3, field: "township", message: expect.stringMatching(/^users\.import\.unknownTownship/) },
  ]);
  expect(own.checked[0].townshipId).toBe(world.townships[0].id);
});

test("a clean file becomes cadres who must change their one-time passwords, each audited", async () => {
  const { d, world, official } = await setup();
  const t = tag();
  const rows = Array.from({ length: 30 }, (_, i) => ({
    row: i + 2,
    username: `bulk-${t}-${i}`,
    displayName: `干部${i}`,
    phone: "",
    township: "",
  }));
  const accounts = await commitUserImport({ scope: official, rows });
  expect(accounts).toHaveLength(30);
  const created = await d
    .select()
    .from(users)
    .where(sql`${users.username} like ${`bulk-${t}-%`}`);
  expect(created).toHaveLength(30);
  for (const u of created)
    expect(u).toMatchObject({ role: "cadre", townshipId: world.townships[0].id, mustChangePassword: true });
  const audits = await d
    .select()
    .from(auditLog)
    .where(
      inArray(
        auditLog.entityId,
        created.map((u) => u.id),
      ),
    );
  expect(audits.map((a) => a.action)).toEqual(Array(30).fill("user.create_bulk"));
  expect(JSON.stringify(audits)).not.toMatch(/argon2|passwordHash/);
  const first = accounts[0];
  expect(await login({ username: first.username, password: first.oneTimePassword })).not.toBeNull();
});

test("all or nothing: one bad row, or a username taken since the check, and no account is made", async () => {
  const { d, world, admin } = await setup();
  const t = tag();
  const rows = [
    { row: 2, username: `ok-${t}`, displayName: "甲", phone: "", township: world.townships[0].name },
    { row: 3, username: `late-${t}`, displayName: "乙", phone: "", township: world.townships[0].name },
  ];
  expect((await checkUserImport({ scope: admin, rows })).problems).toEqual([]);
  // someone takes a username between the check and the commit
  await f.createUser(d, world, "cadre", { username: `late-${t}` });
  const error = (await commitUserImport({ scope: admin, rows }).catch((e) => e)) as ValidationError;
  expect(error.formErrors[0]).toMatch(/^users\.import\.notClean/);
  expect(
    await d
      .select()
      .from(users)
      .where(eq(users.username, `ok-${t}`)),
  ).toHaveLength(0);

  // rows changed in the page are checked again: a township out of reach is refused, not written
  const official = scopeOf(await f.createUser(d, world, "official", { townshipIndex: 0 }));
  const tampered = [{ row: 2, username: `far-${t}`, displayName: "丙", phone: "", township: world.townships[1].name }];
  await expect(commitUserImport({ scope: official, rows: tampered })).rejects.toMatchObject({
    formErrors: [expect.stringMatching(/^users\.import\.notClean/)],
  });
  expect(
    await d
      .select()
      .from(users)
      .where(eq(users.username, `far-${t}`)),
  ).toHaveLength(0);
});
