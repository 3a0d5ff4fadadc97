// The registry import's upload form: one spreadsheet file. What is in the file is checked by the model.
import { z } from "zod";
import { INTENT_COMMIT } from "./plain";

export { INTENT_COMMIT };

export const ImportUploadSchema = z.object({
  file: z
    .instanceof(File, { message: "import.file.required" })
    .refine((f) => f.size > 0 || Boolean(f.name), "import.file.required"),
});

export const ImportCommitSchema = z.object({ intent: z.literal(INTENT_COMMIT) });
