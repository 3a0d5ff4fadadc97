// Turns the model layer's errors into form replies: field messages next to the fields (400), a conflict
// message above the form (409) — the user's input kept in both — or a 404/403 response.
import type { SubmissionResult } from "@conform-to/react";
import { MaxPartSizeExceededError, unstable_parseMultipartFormData, type UploadHandler } from "@remix-run/node";
import { translator } from "~/i18n/dictionaries.server";
import { getLocale } from "~/http/locale.server";
import { stripControl } from "~/utils/text";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "~/models/errors.server";

type Replyable = {
  reply(options?: {
    formErrors?: string[];
    fieldErrors?: Record<string, string[]>;
    resetForm?: boolean;
  }): SubmissionResult<string[]>;
};

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
        response: Response.json(submission.reply({ fieldErrors: error.fieldErrors, formErrors: error.formErrors }), {
          status: 400,
        }),
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
const MULTIPART = /^multipart\/form-data\b/i;

/** The largest form any page sends is a plan with a few dozen rows: far below these. */
export const FORM_LIMITS = {
  /** bytes of a form without files (uploads keep their routes' own per-part limits) */
  bodyBytes: 1024 * 1024,
  /** fields (or multipart parts, files included) */
  fields: 1000,
  /** `name[N]`: the schemas' own `.max()` are the real limits and say so; this only stops a sparse
   * `rows[8000]` from making the parser build and validate thousands of empty rows */
  arrayIndex: 200,
} as const;

async function refuse(request: Request, status: 413): Promise<never> {
  const t = translator(await getLocale(request));
  throw new Response(t("error.413.body"), { status, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

const INDEX = /\[(\d+)\]/g;
function indexTooLarge(name: string): boolean {
  for (const match of name.matchAll(INDEX)) {
    if (match[1].length > 4 || Number(match[1]) > FORM_LIMITS.arrayIndex) return true;
  }
  return false;
}

/** The body, read no further than `limit` bytes: null when it is longer. */
async function readCapped(request: Request, limit: number): Promise<Uint8Array<ArrayBuffer> | null> {
  const declared = Number(request.headers.get("Content-Length"));
  if (Number.isFinite(declared) && declared > limit) return null;
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    body.set(chunk, at);
    at += chunk.byteLength;
  }
  return body;
}

/**
 * Conform reads every field name as a path (`plantingItems[0].area`) and throws on one it cannot read
 * (`a..b`, `[x]`, a `__proto__` or `constructor` segment) — in the action, and again when the page renders
 * the reply, which lists every name sent. No page sends such a name; a script's is dropped, like any
 * field no schema knows.
 */
const PATH = /^(?:\.?(?:[^.[\]]+|\[\d*\]))*$/;
function readablePath(name: string): boolean {
  if (!PATH.test(name)) return false;
  for (const [key] of name.matchAll(/[^.[\]]+/g)) if (key === "__proto__" || key === "constructor") return false;
  return true;
}

const INTENT_FIELD = "__intent__";
/** the pages' add-row and remove-row buttons; Conform's other intents stay in the browser, which validates there */
const INTENT_TYPES = new Set(["insert", "remove"]);
const position = (n: unknown) =>
  n === undefined || (Number.isInteger(n) && (n as number) >= 0 && (n as number) <= FORM_LIMITS.arrayIndex);

/**
 * Conform's intent as a page sends it without JavaScript. Conform throws on others (not JSON, no payload,
 * a name it cannot read), applies a row index as given (`rows[99999999]` makes an array of a hundred
 * million empty rows, and the reply never gets written), and answers a validate intent with no errors.
 */
function pageIntent(value: FormDataEntryValue): boolean {
  if (typeof value !== "string") return false;
  let intent: unknown;
  try {
    intent = JSON.parse(value);
  } catch {
    return false;
  }
  if (!intent || typeof intent !== "object") return false;
  const { type, payload } = intent as { type?: unknown; payload?: unknown };
  if (typeof type !== "string" || !INTENT_TYPES.has(type) || !payload || typeof payload !== "object") return false;
  const { name, index, from, to } = payload as Record<string, unknown>;
  if (name !== undefined && (typeof name !== "string" || !readablePath(name) || indexTooLarge(name))) return false;
  return position(index) && position(from) && position(to);
}

/**
 * The limits and the cleaning, on a form already parsed (a multipart form without files). An intent no
 * page sends is dropped: the form is then checked as if its save button had been pressed.
 */
function checked(form: Iterable<[string, FormDataEntryValue]>): FormData | "tooMany" | "index" {
  const out = new FormData();
  let count = 0;
  for (const [rawName, value] of form) {
    if (++count > FORM_LIMITS.fields) return "tooMany";
    if (indexTooLarge(rawName)) return "index";
    const name = stripControl(rawName);
    if (!readablePath(name)) continue;
    if (name === INTENT_FIELD && (out.has(INTENT_FIELD) || !pageIntent(value))) continue;
    out.append(name, typeof value === "string" ? stripControl(value) : value);
  }
  return out;
}

/**
 * The submitted form, or an empty one when the body is not a form at all (JSON, text, a broken multipart):
 * the action's schema then refuses it field by field (400) instead of the body parser failing (500).
 * An upload too large still throws, for the route to say so. A body over the limits above is refused at
 * once (413) before anything parses it, so that one hostile request cannot hold the server for minutes.
 */
export async function readForm(request: Request, uploadHandler?: UploadHandler): Promise<FormData> {
  const type = request.headers.get("Content-Type") ?? "";
  if (!FORM_TYPES.test(type)) return new FormData();

  if (uploadHandler && MULTIPART.test(type)) {
    const seen = { parts: 0, refused: false };
    const counting: UploadHandler = async (part) => {
      if (++seen.parts > FORM_LIMITS.fields || indexTooLarge(part.name)) {
        seen.refused = true;
        throw new Error("form limits");
      }
      return uploadHandler(part);
    };
    let form: FormData;
    try {
      form = await unstable_parseMultipartFormData(request, counting);
    } catch (error) {
      if (seen.refused) return refuse(request, 413);
      if (error instanceof MaxPartSizeExceededError) throw error;
      return new FormData();
    }
    const result = checked(form);
    if (typeof result === "string") return refuse(request, 413);
    return result;
  }

  const body = await readCapped(request, FORM_LIMITS.bodyBytes).catch(() => new Uint8Array(0));
  if (!body) return refuse(request, 413);

  if (MULTIPART.test(type)) {
    let form: FormData;
    try {
      form = await new Request(request.url, { method: "POST", headers: { "Content-Type": type }, body }).formData();
    } catch {
      return new FormData();
    }
    const result = checked(form);
    if (typeof result === "string") return refuse(request, 413);
    return result;
  }

  const text = new TextDecoder().decode(body);
  // Counted before parsing: splitting on "&" is cheap even for a megabyte of "a&a&a…".
  let separators = 0;
  for (let i = text.indexOf("&"); i >= 0 && separators < FORM_LIMITS.fields; i = text.indexOf("&", i + 1)) separators++;
  if (separators >= FORM_LIMITS.fields) return refuse(request, 413);
  const result = checked(new URLSearchParams(text));
  if (typeof result === "string") return refuse(request, 413);
  return result;
}
