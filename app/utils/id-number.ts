// National ID numbers (居民身份证号码, GB 11643-1999): 6-digit area code, 8-digit birth date,
// 3-digit sequence (its last digit odd for men, even for women) and a check character.
// Pure TypeScript: used by forms in the browser and by models on the server.

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = "10X98765432";

export type IdNumberSex = "male" | "female";

export type ParsedIdNumber =
  | { ok: true; idNumber: string; birthDate: string; sex: IdNumberSex; areaCode: string }
  | { ok: false; reason: "length" | "format" | "birthDate" | "checksum" };

/** The check character for the first 17 digits. Throws on anything but 17 digits. */
export function idNumberCheckChar(first17: string): string {
  if (!/^[0-9]{17}$/.test(first17)) {
    throw new RangeError(`idNumberCheckChar needs 17 digits, got "${first17}"`);
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

/** True for a real calendar date from 1900-01-01 up to and including `today` (local date). */
function isValidBirthDate(year: number, month: number, day: number, today: Date): boolean {
  if (year < 1900 || month < 1 || month > 12 || day < 1) return false;
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) {
    return false;
  }
  const todayKey = today.getFullYear() * 10000 + (today.getMonth() + 1) * 100 + today.getDate();
  return year * 10000 + month * 100 + day <= todayKey;
}

/**
 * Checks an ID number as typed: trims it and accepts a lower-case trailing x.
 * Reasons, in the order checked: length, format (17 digits + digit or X), birthDate (a real date,
 * 1900 or later, not in the future), checksum.
 */
export function parseIdNumber(input: string, today: Date = new Date()): ParsedIdNumber {
  let s = (input ?? "").trim();
  if (s.endsWith("x")) s = s.slice(0, -1) + "X";
  if (s.length !== 18) return { ok: false, reason: "length" };
  if (!/^[0-9]{17}[0-9X]$/.test(s)) return { ok: false, reason: "format" };
  const year = Number(s.slice(6, 10));
  const month = Number(s.slice(10, 12));
  const day = Number(s.slice(12, 14));
  if (!isValidBirthDate(year, month, day, today)) return { ok: false, reason: "birthDate" };
  if (idNumberCheckChar(s.slice(0, 17)) !== s[17]) return { ok: false, reason: "checksum" };
  return {
    ok: true,
    idNumber: s,
    birthDate: `${s.slice(6, 10)}-${s.slice(10, 12)}-${s.slice(12, 14)}`,
    sex: (s.charCodeAt(16) - 48) % 2 === 1 ? "male" : "female",
    areaCode: s.slice(0, 6),
  };
}

/** `230828********1234`: the area code and the last four stay, the birth date and sequence are hidden. */
export function maskIdNumber(idNumber: string): string {
  const s = (idNumber ?? "").trim();
  if (s.length <= 10) return "*".repeat(s.length);
  return s.slice(0, 6) + "*".repeat(s.length - 10) + s.slice(-4);
}

/** Two or more digits, maybe ending in X, that may be split by spaces or hyphens as people type them. */
const ID_CHARACTERS = /\d(?:[\s-]*\d)+(?:[\s-]*[Xx])?/g;

/**
 * Free text (a search term, a filter) as a log may keep it: an ID number in it shows only what its mask
 * shows (`230828********1234`), and any other run of five or more ID characters, hidden digits someone
 * typed, is cut to its last four (`…1234`). Names and short numbers stay as typed.
 */
export function maskIdNumbersIn(text: string): string {
  return text.replace(ID_CHARACTERS, (run) => {
    const compact = run.replace(/[\s-]/g, "").toUpperCase();
    if (compact.length <= 4) return run;
    return compact.length === 18 ? maskIdNumber(compact) : `…${compact.slice(-4)}`;
  });
}

/**
 * A valid ID number (test data, seeding). `seq` 0..499 picks the sequence code `seq * 2 + (male ? 1 : 0)`,
 * so each (area, birth date, sex) has 500 distinct numbers.
 */
export function makeIdNumber(areaCode6: string, birthDate: string, seq: number, sex: IdNumberSex): string {
  if (!/^[0-9]{6}$/.test(areaCode6)) throw new RangeError(`area code must be 6 digits: "${areaCode6}"`);
  const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(birthDate);
  if (!m) throw new RangeError(`birth date must be YYYY-MM-DD: "${birthDate}"`);
  if (!Number.isInteger(seq) || seq < 0 || seq > 499) throw new RangeError(`seq must be 0..499: ${seq}`);
  const code = String(seq * 2 + (sex === "male" ? 1 : 0)).padStart(3, "0");
  const first17 = `${areaCode6}${m[1]}${m[2]}${m[3]}${code}`;
  return first17 + idNumberCheckChar(first17);
}

/** The characters a masked ID number shows at its end (domain rule 2: `230828********1234`). */
export const SHOWN_TAIL = 4;

/**
 * A search term that is the end of an ID number, as typed: 4–18 digits, the last may be X. Returns the
 * tail upper-cased without spaces, or null for anything else (a name).
 */
export function idTailOf(q: string | undefined | null): string | null {
  if (!q) return null;
  const compact = q.replace(/\s+/g, "");
  return /^\d{3,17}[\dXx]$/.test(compact) ? compact.toUpperCase() : null;
}

/**
 * A search that holds more of an ID number than a mask shows: it travels in a POST body, never in a URL
 * (browser history, proxies and server logs keep URLs).
 */
export function isPrivateSearch(q: string | undefined | null): boolean {
  const tail = idTailOf(q);
  return tail !== null && tail.length > SHOWN_TAIL;
}
