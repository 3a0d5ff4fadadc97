// The county's divisions (区划): the administrator's region forms. One schema per form, parsed by the page
// (Conform) and again by app/models/region-admin.server.ts, which adds what needs the database: the code's
// length for the parent's level, its prefix, that it is free, a name not taken beside it.
import { z } from "zod";
import { ChoiceSchema, VersionSchema, message } from "./fields";

export const REGION_NAME_MAX = 50;
export const REGION_NAME_EN_MAX = 100;
/** A county's codes fit in a tenth of this; the commit posts the text back as a form field, under the 1 MB form limit even when every character is Chinese and percent-encoded. */
export const REGION_CSV_MAX_BYTES = 200 * 1024;

/** Digits only: the length and the prefix depend on the parent, which the model knows. */
export const RegionCodeSchema = z
  .string({ error: "field.required" })
  .trim()
  .min(1, "field.required")
  .max(20, message("field.tooLong", { max: 20 }))
  .regex(/^\d+$/, "regions.error.codeDigits");

const Names = {
  name: z
    .string({ error: "field.required" })
    .trim()
    .min(1, "field.required")
    .max(REGION_NAME_MAX, message("field.tooLong", { max: REGION_NAME_MAX })),
  nameEn: z
    .string()
    .trim()
    .max(REGION_NAME_EN_MAX, message("field.tooLong", { max: REGION_NAME_EN_MAX }))
    .optional()
    .transform((v) => (v ? v : null)),
};

/** A township under the county, a village under a township, a group under a village. */
export const RegionCreateSchema = z.object({ parentId: ChoiceSchema, code: RegionCodeSchema, ...Names });
export type RegionCreateInput = z.output<typeof RegionCreateSchema>;

export const RegionRenameSchema = z.object({ version: VersionSchema, ...Names });
export type RegionRenameInput = Omit<z.output<typeof RegionRenameSchema>, "version">;

/** Merge this village into another of its township: the version is the merged village's. */
export const RegionMergeSchema = z.object({ version: VersionSchema, intoId: ChoiceSchema });

export const RegionRetireSchema = z.object({ version: VersionSchema });

/** The dry run: a CSV file of code, name[, name_en]. */
export const RegionCsvUploadSchema = z.object({
  file: z
    .instanceof(File, { message: "regions.csv.error.noFile" })
    .refine((f) => f.size > 0, "regions.csv.error.noFile")
    .refine((f) => f.size <= REGION_CSV_MAX_BYTES, message("regions.csv.error.tooLarge", { max: 200 })),
});

/** The commit: the text the dry run read, and the fingerprint of what it showed would change. */
export const RegionCsvCommitSchema = z.object({
  csv: z
    .string({ error: "regions.csv.error.noFile" })
    .min(1, "regions.csv.error.noFile")
    .max(REGION_CSV_MAX_BYTES, message("regions.csv.error.tooLarge", { max: 200 })),
  plan: z.string({ error: "regions.csv.error.stale" }).regex(/^[0-9a-f]{64}$/, "regions.csv.error.stale"),
});
