// A model's input parsed with the schema of the form that sends it: a caller that skipped the form (a
// script, another model, a test, a tampered request) meets the same rules, refused with the same messages.
import type { z } from "zod";
import { zodErrorMap } from "~/utils/zod-messages";
import { ValidationError, type FieldErrors } from "./errors.server";

/** Conform's field name for an issue's path: `members[0].idNumber`. */
const fieldName = (path: PropertyKey[]) =>
  path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join("");

export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input, { error: zodErrorMap });
  if (result.success) return result.data;
  const fieldErrors: FieldErrors = {};
  const formErrors: string[] = [];
  for (const issue of result.error.issues) {
    const name = fieldName(issue.path);
    if (name) (fieldErrors[name] ??= []).push(issue.message);
    else formErrors.push(issue.message);
  }
  throw new ValidationError(fieldErrors, formErrors);
}
