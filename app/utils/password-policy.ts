// One password policy for every page that sets a password (ASVS 5.0 V6.2): length and a block list,
// no composition rules (they push people to "Password1!"), any Unicode, no truncation.
import { COMMON_PASSWORDS } from "~/utils/common-passwords";

export const PASSWORD_MIN_LENGTH = 8;
// argon2 takes any length; the cap only keeps hashing cost bounded and matches the sign-in form
export const PASSWORD_MAX_LENGTH = 200;

export type PasswordProblem =
  "password.tooShort" | "password.tooLong" | "password.common" | "password.containsUsername";

/** The dictionary keys of what is wrong with a new password, or [] when it is acceptable. */
export function passwordProblems(password: string, username?: string | null): PasswordProblem[] {
  const problems: PasswordProblem[] = [];
  // count characters as people do: 密码 is two characters, not six bytes or two UTF-16 units
  const length = [...password.normalize("NFC")].length;
  if (length < PASSWORD_MIN_LENGTH) problems.push("password.tooShort");
  if (length > PASSWORD_MAX_LENGTH) problems.push("password.tooLong");
  const lower = password.trim().toLowerCase();
  if (COMMON_PASSWORDS.has(lower)) problems.push("password.common");
  const name = username?.trim().toLowerCase();
  if (name && name.length >= 3 && lower.includes(name)) problems.push("password.containsUsername");
  return problems;
}
