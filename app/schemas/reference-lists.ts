// The lists a plan, an order and a household choose from (crops, animals, poverty causes), kept by the
// administrator: one schema per form, parsed by /admin/reference and again by
// app/models/reference-lists.server.ts, which adds what needs the database (a code never used before, a
// Chinese name no live entry of the list has).
import { z } from "zod";
import { parseSeasonDate } from "~/utils/calendar";
import { VersionSchema, message } from "./fields";

export const REFERENCE_LISTS = ["crops", "animals", "povertyCauses"] as const;
export type ReferenceListName = (typeof REFERENCE_LISTS)[number];

export const REFERENCE_CODE_MAX = 30;
export const REFERENCE_NAME_MAX = 30;
export const REFERENCE_NAME_EN_MAX = 60;

const ListSchema = z.enum(REFERENCE_LISTS, {
  error: (issue) => (issue.input === undefined ? "field.required" : "field.choice"),
});

/** Short lowercase ASCII, as the database's check has it: printed in exports and typed in imports. */
export const ReferenceCodeSchema = z
  .string({ error: "field.required" })
  .trim()
  .min(1, "field.required")
  .max(REFERENCE_CODE_MAX, message("field.tooLong", { max: REFERENCE_CODE_MAX }))
  .regex(/^[a-z][a-z0-9_]*$/, "reference.error.codeFormat");

const Names = {
  nameZh: z
    .string({ error: "field.required" })
    .trim()
    .min(1, "field.required")
    .max(REFERENCE_NAME_MAX, message("field.tooLong", { max: REFERENCE_NAME_MAX })),
  /** left out, the English pages show the Chinese name */
  nameEn: z
    .string()
    .trim()
    .max(REFERENCE_NAME_EN_MAX, message("field.tooLong", { max: REFERENCE_NAME_EN_MAX }))
    .optional()
    .transform((v) => (v ? v : null)),
};

/** An entry posted from a row of the list: its code is the list's, never changed. */
const EntryCode = z.string({ error: "field.choice" }).regex(/^[a-z][a-z0-9_]{0,29}$/, "field.choice");

export const ReferenceAddSchema = z.object({ list: ListSchema, code: ReferenceCodeSchema, ...Names });
export type ReferenceAddInput = z.output<typeof ReferenceAddSchema>;

export const ReferenceRenameSchema = z.object({ list: ListSchema, code: EntryCode, version: VersionSchema, ...Names });
export type ReferenceRenameInput = z.output<typeof ReferenceRenameSchema>;

/** Retire or restore: the entry at the version the page showed. */
export const ReferenceStateSchema = z.object({ list: ListSchema, code: EntryCode, version: VersionSchema });

/**
 * A crop's or animal's key dates, each "月-日" (05-01) or left empty: the stages of the entry's list are
 * read, the others ignored (docs/decisions/039-crop-calendar.md).
 */
const SeasonDateSchema = z
  .string({ error: "calendar.error.format" })
  .trim()
  .optional()
  .transform((v, ctx) => {
    if (!v) return null;
    if (!/^\d{1,2}-\d{1,2}$/.test(v)) {
      ctx.addIssue({ code: "custom", message: "calendar.error.format" });
      return z.NEVER;
    }
    const date = parseSeasonDate(v);
    if (!date) {
      ctx.addIssue({ code: "custom", message: "calendar.error.day" });
      return z.NEVER;
    }
    return date;
  });

export const ReferenceCalendarSchema = z.object({
  list: z.enum(["crops", "animals"], { error: "field.choice" }),
  code: EntryCode,
  version: VersionSchema,
  transplant: SeasonDateSchema,
  flowering: SeasonDateSchema,
  harvest: SeasonDateSchema,
  buyIn: SeasonDateSchema,
  sell: SeasonDateSchema,
});
export type ReferenceCalendarInput = z.output<typeof ReferenceCalendarSchema>;
