import { expect, test } from "vitest";
import { ID_NUMBER_PER_REMAINDER } from "../fixtures/check-characters";
import {
  idNumberCheckChar,
  makeIdNumber,
  maskIdNumber,
  maskIdNumbersIn,
  parseIdNumber,
} from "../../app/utils/id-number";

const TODAY = new Date(2026, 10, 26);

/** A small seeded PRNG so the round-trip test is repeatable. */
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

test("the GB 11643-1999 example number 11010519491231002X is valid: a woman born 1949-12-31", () => {
  expect(idNumberCheckChar("11010519491231002")).toBe("X");
  expect(parseIdNumber("11010519491231002X", TODAY)).toEqual({
    ok: true,
    idNumber: "11010519491231002X",
    birthDate: "1949-12-31",
    sex: "female",
    areaCode: "110105",
  });
});

test("input is trimmed and a lower-case trailing x is accepted as X", () => {
  const parsed = parseIdNumber("  11010519491231002x \n", TODAY);
  expect(parsed).toMatchObject({ ok: true, idNumber: "11010519491231002X" });
});

test("a changed check character fails with checksum", () => {
  expect(parseIdNumber("110105194912310021", TODAY)).toEqual({ ok: false, reason: "checksum" });
  expect(parseIdNumber("110105194912310020", TODAY)).toEqual({ ok: false, reason: "checksum" });
});

test("a changed body digit fails with checksum (the check character catches single-digit typos)", () => {
  const valid = "11010519491231002X";
  for (const i of [0, 3, 5, 14, 15, 16]) {
    const digit = Number(valid[i]);
    const changed = valid.slice(0, i) + String((digit + 1) % 10) + valid.slice(i + 1);
    expect(parseIdNumber(changed, TODAY)).toEqual({ ok: false, reason: "checksum" });
  }
});

test("a birth date that is not a real calendar date fails with birthDate, even with a correct check character", () => {
  // 1999-02-30 does not exist; build the number with its proper check character so only the date is wrong
  const first17 = "23082819990230001";
  const number = first17 + idNumberCheckChar(first17);
  expect(parseIdNumber(number, TODAY)).toEqual({ ok: false, reason: "birthDate" });
  const month13 = "23082819991301001";
  expect(parseIdNumber(month13 + idNumberCheckChar(month13), TODAY)).toEqual({ ok: false, reason: "birthDate" });
});

test("29 February is a birth date only in a leap year", () => {
  expect(parseIdNumber(makeIdNumber("230828", "2000-02-29", 1, "male"), TODAY).ok).toBe(true);
  const first17 = "23082819000229001"; // 1900 is not a leap year
  expect(parseIdNumber(first17 + idNumberCheckChar(first17), TODAY)).toEqual({ ok: false, reason: "birthDate" });
});

test("a birth date before 1900 or in the future fails with birthDate", () => {
  // GB 11643's second example, born 1880: its checksum is right, but nobody in the registry is that old
  expect(idNumberCheckChar("44052418800101001")).toBe("4");
  expect(parseIdNumber("440524188001010014", TODAY)).toEqual({ ok: false, reason: "birthDate" });
  const tomorrow = makeIdNumber("230828", "2026-11-27", 0, "female");
  expect(parseIdNumber(tomorrow, TODAY)).toEqual({ ok: false, reason: "birthDate" });
  const today = makeIdNumber("230828", "2026-11-26", 0, "female");
  expect(parseIdNumber(today, TODAY).ok).toBe(true);
});

test("wrong length and wrong characters are told apart", () => {
  expect(parseIdNumber("", TODAY)).toEqual({ ok: false, reason: "length" });
  expect(parseIdNumber("11010519491231002", TODAY)).toEqual({ ok: false, reason: "length" });
  expect(parseIdNumber("11010519491231002X1", TODAY)).toEqual({ ok: false, reason: "length" });
  expect(parseIdNumber("1101051949123100X2", TODAY)).toEqual({ ok: false, reason: "format" });
  expect(parseIdNumber("11010519491231002Y", TODAY)).toEqual({ ok: false, reason: "format" });
  expect(parseIdNumber("11010519491231 02X", TODAY)).toEqual({ ok: false, reason: "format" });
});

test("sex comes from the parity of the 17th digit: odd is male, even is female", () => {
  const male = makeIdNumber("230828", "1975-06-15", 7, "male");
  const female = makeIdNumber("230828", "1975-06-15", 7, "female");
  expect(Number(male[16]) % 2).toBe(1);
  expect(Number(female[16]) % 2).toBe(0);
  expect(parseIdNumber(male, TODAY)).toMatchObject({ ok: true, sex: "male" });
  expect(parseIdNumber(female, TODAY)).toMatchObject({ ok: true, sex: "female" });
  expect(male).not.toBe(female);
});

test("masking keeps the area code and the last four characters, hiding birth date and sequence", () => {
  expect(maskIdNumber("230828198005060061")).toBe("230828********0061");
  expect(maskIdNumber("11010519491231002X")).toBe("110105********002X");
  expect(maskIdNumber("11010519491231002X")).not.toContain("19491231");
});

test("text kept in a log shows an ID number in it only as its mask shows it", () => {
  expect(maskIdNumbersIn("230828198005060061")).toBe("230828********0061");
  expect(maskIdNumbersIn("11010519491231002x")).toBe("110105********002X");
  // typed with spaces or hyphens, or inside other text, it is still one number
  expect(maskIdNumbersIn("230828 19800506 0061")).toBe("230828********0061");
  expect(maskIdNumbersIn("张三 2308-2819-8005-0600-61")).toBe("张三 230828********0061");
  // hidden digits someone typed keep only the last four; what a mask shows anyway stays
  expect(maskIdNumbersIn("19800506006")).toBe("…6006");
  expect(maskIdNumbersIn("0061")).toBe("0061");
  expect(maskIdNumbersIn("李秀英")).toBe("李秀英");
  expect(maskIdNumbersIn("2026秋季")).toBe("2026秋季");
});

test("make → parse round trip holds for a thousand random areas, dates, sequences and sexes", () => {
  const random = mulberry32(11643);
  const seen = new Set<string>();
  for (let i = 0; i < 1000; i++) {
    const area = String(110000 + Math.floor(random() * 540000)).padStart(6, "0");
    const day = new Date(Date.UTC(1900, 0, 1) + Math.floor(random() * 46000) * 86400000);
    const birthDate = day.toISOString().slice(0, 10);
    const seq = Math.floor(random() * 500);
    const sex = random() < 0.5 ? "male" : "female";
    const number = makeIdNumber(area, birthDate, seq, sex);
    expect(number).toMatch(/^[0-9]{17}[0-9X]$/);
    expect(parseIdNumber(number, TODAY)).toEqual({ ok: true, idNumber: number, birthDate, sex, areaCode: area });
    seen.add(`${area}|${birthDate}|${seq}|${sex}`);
  }
  expect(seen.size).toBeGreaterThan(990);
});

test("different sequence numbers give different ID numbers for the same person data", () => {
  const numbers = new Set<string>();
  for (let seq = 0; seq < 500; seq++) {
    numbers.add(makeIdNumber("230828", "1990-01-01", seq, "male"));
    numbers.add(makeIdNumber("230828", "1990-01-01", seq, "female"));
  }
  expect(numbers.size).toBe(1000);
});

test("makeIdNumber refuses inputs it cannot encode", () => {
  expect(() => makeIdNumber("23082", "1990-01-01", 0, "male")).toThrow(RangeError);
  expect(() => makeIdNumber("230828", "1990/01/01", 0, "male")).toThrow(RangeError);
  expect(() => makeIdNumber("230828", "1990-01-01", 500, "male")).toThrow(RangeError);
  expect(() => idNumberCheckChar("1101051949123100X")).toThrow(RangeError);
});

// One known-valid number per remainder of the weighted sum mod 11, computed by hand from GB 11643
// (not with idNumberCheckChar), so each entry of the check table "10X98765432" is pinned: swapping any two
// entries fails two of these.

test("each of the 11 remainders gives its own check character, as GB 11643 lists them", () => {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const checkChars = new Set<string>();
  for (const [remainder, idNumber] of ID_NUMBER_PER_REMAINDER) {
    const first17 = idNumber.slice(0, 17);
    // the fixture really has that remainder
    expect([...first17].reduce((s, c, i) => s + Number(c) * weights[i], 0) % 11).toBe(remainder);
    expect(idNumberCheckChar(first17)).toBe(idNumber[17]);
    expect(parseIdNumber(idNumber, TODAY)).toMatchObject({ ok: true, idNumber });
    checkChars.add(idNumber[17]);
    // every other check character is refused
    for (const other of "0123456789X".replace(idNumber[17], "")) {
      expect(parseIdNumber(first17 + other, TODAY)).toEqual({ ok: false, reason: "checksum" });
    }
  }
  expect(checkChars.size).toBe(11);
});
