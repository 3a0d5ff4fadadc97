// Reusable field schemas shared by the browser (Conform) and the server (actions and models).
// Messages are dictionary keys; "key|{json}" carries values for placeholders (see ErrorList).
import { z } from "zod";
import { isCalendarDate } from "~/utils/dates";
import { parseIdNumber } from "~/utils/id-number";
import { message } from "./plain";

export { message };

export const MAX_AREA_SQM = 100_000;

/** Square metres, ≥ 0, two decimals. */
export const AreaSchema = z
  .number({ error: (issue) => (issue.input === undefined ? "field.required" : "field.number") })
  .min(0, "field.nonNegative")
  .max(MAX_AREA_SQM, message("field.areaTooLarge", { max: MAX_AREA_SQM }))
  .transform((v) => Math.round(v * 100) / 100);

export const PositiveAreaSchema = AreaSchema.refine((v) => v > 0, "field.positive");

export const KgSchema = z
  .number({ error: (issue) => (issue.input === undefined ? "field.required" : "field.number") })
  .min(0, "field.nonNegative")
  .max(100_000_000, "field.tooLarge")
  .transform((v) => Math.round(v * 100) / 100);

export const CountSchema = z
  .number({ error: (issue) => (issue.input === undefined ? "field.required" : "field.number") })
  .int("field.integer")
  .min(1, "field.positive")
  .max(1_000_000, "field.tooLarge");

/** Yuan as typed by a person (up to 2 decimals), carried on as integer fen. */
export const YuanAsFenSchema = z
  .number({ error: (issue) => (issue.input === undefined ? "field.required" : "field.number") })
  .min(0, "field.nonNegative")
  .max(100_000_000, "field.tooLarge")
  .transform((v) => Math.round(v * 100));

export const VersionSchema = z.number().int().min(1);

/** A day as YYYY-MM-DD that is on the calendar: 2025-02-30 has the shape, but the database refuses it. */
export const DateSchema = z
  .string({ error: "field.required" })
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: "field.date", abort: true })
  .refine(isCalendarDate, "field.date");

/** A record picked from a list, by id: anything else did not come from the list. */
export const ChoiceSchema = z.uuid({
  error: (issue) => (issue.input === undefined ? "field.required" : "field.choice"),
});

/**
 * Why something was done, in the user's words, kept in the record and shown to others: two characters at
 * least, so a stray keystroke is not a reason. `requiredKey` lets a form say which reason it asks for.
 */
export const ReasonSchema = (max: number, requiredKey = "field.reasonRequired") =>
  z.string({ error: requiredKey }).trim().min(2, requiredKey).max(max, message("field.reasonTooLong", { max }));

/** A reason the user may leave out; when given, it has the same limit. */
export const OptionalReasonSchema = (max: number) =>
  z.string().trim().max(max, message("field.reasonTooLong", { max })).optional();

/** A GB 11643 number: 18 characters, checksum, a real birth date. */
export const IdNumberSchema = z
  .string({ error: "field.required" })
  .trim()
  .min(1, "field.required")
  .transform((v, ctx) => {
    const parsed = parseIdNumber(v);
    if (!parsed.ok) {
      ctx.addIssue({ code: "custom", message: `idNumber.${parsed.reason}` });
      return z.NEVER;
    }
    return parsed;
  });

/** Free-text lines, one per line (measures, notes). */
export const LinesSchema = (maxLines: number, maxLength: number) =>
  z
    .string()
    .optional()
    .transform((v) =>
      (v ?? "")
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter(Boolean),
    )
    .pipe(
      z
        .array(z.string().max(maxLength, message("field.lineTooLong", { max: maxLength })))
        .max(maxLines, message("field.tooManyLines", { max: maxLines })),
    );
