// Unified social credit codes (统一社会信用代码, GB 32100-2015): registration authority (1), entity
// category (1), 6-digit administrative area code, 9-character organisation code (GB 11714) and a check
// character. Pure TypeScript: used in the browser and on the server.

export const CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
/** The shape the database accepts (buyers_credit_code_format): chars 3-8 are the area code, digits. */
const SHAPE = /^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$/;
const FIRST17 = /^[0-9A-HJ-NPQRTUWXY]{17}$/;

export type ParsedCreditCode = { ok: true; code: string } | { ok: false; reason: "length" | "format" | "checksum" };

/** The check character for the first 17 characters. Throws if one is outside the alphabet. */
export function creditCodeCheckChar(first17: string): string {
  if (!FIRST17.test(first17)) {
    throw new RangeError(`creditCodeCheckChar needs 17 characters of ${CREDIT_CODE_ALPHABET}, got "${first17}"`);
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CREDIT_CODE_ALPHABET.indexOf(first17[i]) * WEIGHTS[i];
  const value = 31 - (sum % 31);
  return CREDIT_CODE_ALPHABET[value === 31 ? 0 : value];
}

/**
 * Checks a credit code as typed (trimmed, upper-cased). "format" covers characters outside the alphabet
 * (I, O, S, V, Z) and letters where the 6-digit area code belongs.
 */
export function parseCreditCode(input: string): ParsedCreditCode {
  const s = (input ?? "").trim().toUpperCase();
  if (s.length !== 18) return { ok: false, reason: "length" };
  if (!SHAPE.test(s)) return { ok: false, reason: "format" };
  if (creditCodeCheckChar(s.slice(0, 17)) !== s[17]) return { ok: false, reason: "checksum" };
  return { ok: true, code: s };
}

/** The full 18-character code for 17 given characters. */
export function makeCreditCode(first17: string): string {
  return first17 + creditCodeCheckChar(first17);
}

/**
 * The check character of a GB 11714 organisation code (the 9th character of its 9, i.e. the 17th of a
 * credit code) for its first 8 characters: weights 3 7 9 10 5 8 4 2, digits 0-9 and letters A-Z as 10-35,
 * check = 11 − (sum mod 11), 10 → X, 11 → 0. Used to make realistic codes.
 */
export function orgCodeCheckChar(first8: string): string {
  if (!/^[0-9A-Z]{8}$/.test(first8)) throw new RangeError(`orgCodeCheckChar needs 8 characters, got "${first8}"`);
  const weights = [3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const c = first8.charCodeAt(i);
    sum += (c <= 57 ? c - 48 : c - 55) * weights[i];
  }
  const value = 11 - (sum % 11);
  return value === 10 ? "X" : value === 11 ? "0" : String(value);
}
