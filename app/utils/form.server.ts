// Turns the model layer's errors into form replies: field messages next to the fields (400), a conflict
// message above the form (409) — the user's input kept in both — or a 404/403 response.
import type { SubmissionResult } from "@conform-to/react";
import { MaxPartSizeExceededError, unstable_parseMultipartFormData, type UploadHandler } from "@remix-run/node";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "~/models/errors.server";

type Replyable = { reply(options?: { formErrors?: string[]; fieldErrors?: Record<string, string[]>; resetForm?: boolean }): SubmissionResult<string[]> };

export async function runModel<T>(
  submission: Replyable,
  fn: () => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; response: Response }> {
  try {
    return { ok: true, value: await fn() };
  } catch (error) {
    if (error instanceof ValidationError) {
      return {
        ok: false,
        response: Response.json(
          submission.reply({ fieldErrors: error.fieldErrors, formErrors: error.formErrors }),
          { status: 400 },
        ),
      };
    }
    if (error instanceof ConflictError) {
      return {
        ok: false,
        response: Response.json(submission.reply({ formErrors: ["common.conflict"] }), { status: 409 }),
      };
    }
    throw toResponse(error);
  }
}

/** 404 for out of scope, 403 for a role that may not; anything else stays an error (500). */
export function toResponse(error: unknown): unknown {
  if (error instanceof NotFoundError) return new Response("Not found", { status: 404 });
  if (error instanceof ForbiddenError) return new Response("Forbidden", { status: 403 });
  return error;
}

export function notFound(): never {
  throw new Response("Not found", { status: 404 });
}

const FORM_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i;

/**
 * The submitted form, or an empty one when the body is not a form at all (JSON, text, a broken multipart):
 * the action's schema then refuses it field by field (400) instead of the body parser failing (500).
 * An upload too large still throws, for the route to say so.
 */
export async function readForm(request: Request, uploadHandler?: UploadHandler): Promise<FormData> {
  if (!FORM_TYPES.test(request.headers.get("Content-Type") ?? "")) return new FormData();
  try {
    return uploadHandler ? await unstable_parseMultipartFormData(request, uploadHandler) : await request.formData();
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) throw error;
    return new FormData();
  }
}
