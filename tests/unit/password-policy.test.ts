import { describe, expect, test } from "vitest";
import { passwordProblems } from "~/utils/password-policy";
import { COMMON_PASSWORDS } from "~/utils/common-passwords";

describe("password policy", () => {
  test("a long, uncommon passphrase passes, whatever its characters", () => {
    expect(passwordProblems("correct horse battery", "cadre01")).toEqual([]);
    expect(passwordProblems("庭院里的葡萄架子", "cadre01")).toEqual([]);
    expect(passwordProblems("tingyuan-demo", "admin")).toEqual([]);
  });

  test("fewer than 8 characters is refused; characters, not bytes, are counted", () => {
    expect(passwordProblems("a7#kQ2z", "u")).toEqual(["password.tooShort"]);
    expect(passwordProblems("a7#kQ2zp", "u")).toEqual([]);
    expect(passwordProblems("庭院葡萄架", "u")).toEqual(["password.tooShort"]);
  });

  test("absurd lengths are refused", () => {
    expect(passwordProblems("x".repeat(201) + "7q", "u")).toContain("password.tooLong");
  });

  test.each([
    "123456",
    "12345678",
    "88888888",
    "5201314",
    "woaini1314",
    "qwertyuiop",
    "password",
    "iloveyou",
    "aa123456",
    "1qaz2wsx",
  ])("the common password %s is refused", (pw) => {
    expect(passwordProblems(pw, "someone")).toContain("password.common");
  });

  test("the block list ignores case and surrounding spaces", () => {
    expect(passwordProblems(" PassWord123 ", "someone")).toContain("password.common");
  });

  test("the list holds a couple of hundred entries, all lower case", () => {
    expect(COMMON_PASSWORDS.size).toBeGreaterThanOrEqual(200);
    for (const pw of COMMON_PASSWORDS) expect(pw).toBe(pw.toLowerCase());
  });

  test("a password that is or contains the username is refused", () => {
    expect(passwordProblems("wangfang88", "WangFang88")).toContain("password.containsUsername");
    expect(passwordProblems("wangfang88!!", "wangfang88")).toContain("password.containsUsername");
    expect(passwordProblems("wangfang88!!", null)).toEqual([]);
  });
});
