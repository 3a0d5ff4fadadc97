// The registry import's upload form: one spreadsheet file. What is in the file is checked by the model.
import { z } from "zod";

export const ImportUploadSchema = z.object({
  file: z
    .instanceof(File, { message: "import.file.required" })
    .refine((f) => f.size > 0 || Boolean(f.name), "import.file.required"),
});

export const INTENT_COMMIT = "commit";
export const ImportCommitSchema = z.object({ intent: z.literal(INTENT_COMMIT) });
