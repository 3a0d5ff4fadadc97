import { expect, test } from "vitest";
import { CREDIT_CODE_PER_CHECK_CHAR } from "../fixtures/check-characters";
import {
  CREDIT_CODE_ALPHABET,
  creditCodeCheckChar,
  makeCreditCode,
  orgCodeCheckChar,
  parseCreditCode,
} from "../../app/utils/credit-code";

/** The buyers_credit_code_format check constraint in db/schema.ts. */
const DB_SHAPE = /^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test("the GB 32100-2015 example 91350100M000100Y43 is valid", () => {
  expect(creditCodeCheckChar("91350100M000100Y4")).toBe("3");
  expect(parseCreditCode("91350100M000100Y43")).toEqual({ ok: true, code: "91350100M000100Y43" });
});

test("a published company code (91110108551385082Q) is valid and is accepted in lower case with spaces", () => {
  expect(parseCreditCode("91110108551385082Q")).toEqual({ ok: true, code: "91110108551385082Q" });
  expect(parseCreditCode("  91110108551385082q ")).toEqual({ ok: true, code: "91110108551385082Q" });
});

test("an altered check character or body character fails with checksum", () => {
  expect(parseCreditCode("91350100M000100Y44")).toEqual({ ok: false, reason: "checksum" });
  expect(parseCreditCode("91350100M000100Y4A")).toEqual({ ok: false, reason: "checksum" });
  expect(parseCreditCode("91350100M000200Y43")).toEqual({ ok: false, reason: "checksum" });
  expect(parseCreditCode("92350100M000100Y43")).toEqual({ ok: false, reason: "checksum" });
});

test("letters outside the alphabet (I O S V Z) and letters in the area code fail with format", () => {
  for (const bad of ["I", "O", "S", "V", "Z"]) {
    expect(parseCreditCode(`91350100M000100${bad}43`)).toEqual({ ok: false, reason: "format" });
  }
  // chars 3-8 are the administrative area code: digits only, as the database requires
  expect(parseCreditCode("9135A100M000100Y43")).toEqual({ ok: false, reason: "format" });
  expect(parseCreditCode("91350100M000100Y4-")).toEqual({ ok: false, reason: "format" });
});

test("wrong length fails with length", () => {
  expect(parseCreditCode("")).toEqual({ ok: false, reason: "length" });
  expect(parseCreditCode("91350100M000100Y4")).toEqual({ ok: false, reason: "length" });
  expect(parseCreditCode("91350100M000100Y433")).toEqual({ ok: false, reason: "length" });
});

test("a check value of 31 becomes 0", () => {
  // find a body whose weighted sum is divisible by 31: its check character must be "0"
  const random = mulberry32(31);
  let found = 0;
  for (let i = 0; i < 5000 && found < 3; i++) {
    const body = randomFirst17(random);
    let sum = 0;
    const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    for (let j = 0; j < 17; j++) sum += CREDIT_CODE_ALPHABET.indexOf(body[j]) * weights[j];
    if (sum % 31 === 0) {
      expect(creditCodeCheckChar(body)).toBe("0");
      found++;
    }
  }
  expect(found).toBeGreaterThan(0);
});

function randomFirst17(random: () => number): string {
  const pick = (alphabet: string) => alphabet[Math.floor(random() * alphabet.length)];
  let s = pick("123456789ABCDEFGNY") + pick("123456789");
  for (let i = 0; i < 6; i++) s += pick("0123456789");
  for (let i = 0; i < 9; i++) s += pick(CREDIT_CODE_ALPHABET);
  return s;
}

test("make → parse round trip holds for a thousand random codes, and each fits the database's shape", () => {
  const random = mulberry32(32100);
  for (let i = 0; i < 1000; i++) {
    const code = makeCreditCode(randomFirst17(random));
    expect(code).toHaveLength(18);
    expect(code).toMatch(DB_SHAPE);
    expect(parseCreditCode(code)).toEqual({ ok: true, code });
    expect(parseCreditCode(code.toLowerCase())).toEqual({ ok: true, code });
  }
});

test("the organisation code inside the example (M000100Y4) carries its own GB 11714 check", () => {
  expect(orgCodeCheckChar("M000100Y")).toBe("4");
  expect(orgCodeCheckChar("55138508")).toBe("2"); // 91110108 551385082 Q
});

test("makeCreditCode refuses characters outside the alphabet", () => {
  expect(() => makeCreditCode("91350100M000100O4")).toThrow(RangeError);
  expect(() => makeCreditCode("9135")).toThrow(RangeError);
});

// One known-valid code per check character (31 in all), computed by hand from GB 32100 (not with
// creditCodeCheckChar), so every position of the alphabet used as a check table is pinned; the last is a
// code printed as an example in public descriptions of the standard.

test("each of the 31 check characters is produced where GB 32100 puts it", () => {
  const alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const checkChars = new Set<string>();
  for (const code of CREDIT_CODE_PER_CHECK_CHAR) {
    const first17 = code.slice(0, 17);
    const sum = [...first17].reduce((s, c, i) => s + alphabet.indexOf(c) * weights[i], 0);
    // the fixture's check character is the one the standard's formula gives
    expect(code[17]).toBe(alphabet[(31 - (sum % 31)) % 31]);
    expect(creditCodeCheckChar(first17)).toBe(code[17]);
    expect(parseCreditCode(code)).toEqual({ ok: true, code });
    checkChars.add(code[17]);
  }
  expect(checkChars.size).toBe(31);
});
