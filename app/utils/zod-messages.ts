// What zod says when a schema did not choose its own message, as the app's dictionary keys. Plain module:
// the browser (Conform's client validation) and the server (actions) parse forms through the same map.
//
// The map returns keys, not text: a reply carries keys and ErrorList translates them with the page's
// locale, so no language is chosen while parsing and nothing about one request can leak into another's.
// It is passed per parse, never through z.config(), which would be process-wide and easy to forget in one
// of the bundles.
import { parseWithZod } from "@conform-to/zod/v4";
import { type z } from "zod";
import { message } from "~/schemas/fields";

type Issue = z.core.$ZodRawIssue;

const SCALARS = new Set(["string", "number", "int", "bigint", "boolean", "date", "enum", "literal"]);
const DATE_FORMATS = new Set(["date", "datetime", "time", "duration"]);
const ID_FORMATS = new Set([
  "uuid",
  "uuidv4",
  "uuidv6",
  "uuidv7",
  "guid",
  "cuid",
  "cuid2",
  "ulid",
  "nanoid",
  "xid",
  "ksuid",
]);

const isEmpty = (input: unknown) =>
  input === undefined || input === null || (typeof input === "string" && input.trim() === "");

const bound = (v: number | bigint | Date) => (v instanceof Date ? v.toISOString().slice(0, 10) : Number(v));

/** A dictionary key (with "|{json}" values where the text has placeholders) for any issue zod raises. */
export function zodMessageKey(issue: Issue): string {
  switch (issue.code) {
    case "invalid_type": {
      if (isEmpty(issue.input)) return "field.required";
      if (Array.isArray(issue.input) && SCALARS.has(String(issue.expected))) return "field.single";
      // .int() reports a fraction as the wrong type
      if (issue.expected === "int" && typeof issue.input === "number" && Number.isFinite(issue.input))
        return "field.integer";
      if (issue.expected === "number" || issue.expected === "int" || issue.expected === "bigint") return "field.number";
      if (issue.expected === "date") return "field.date";
      return "field.invalid";
    }
    case "too_small": {
      const min = bound(issue.minimum);
      if (issue.origin === "string") {
        return min === 1 || (min === 0 && !issue.inclusive) ? "field.required" : message("field.tooShort", { min });
      }
      if (issue.origin === "array" || issue.origin === "set") {
        return min === 1 ? "field.required" : message("field.tooFew", { min });
      }
      if (issue.origin === "date") return message("field.min", { min });
      if (min === 0) return issue.inclusive ? "field.nonNegative" : "field.positive";
      return message("field.min", { min });
    }
    case "too_big": {
      const max = bound(issue.maximum);
      if (issue.origin === "string") return message("field.tooLong", { max });
      if (issue.origin === "array" || issue.origin === "set") return message("field.tooMany", { max });
      return message("field.max", { max });
    }
    case "invalid_value":
      if (Array.isArray(issue.input)) return "field.single";
      return isEmpty(issue.input) ? "field.required" : "field.choice";
    case "invalid_format":
      if (DATE_FORMATS.has(issue.format)) return "field.date";
      if (ID_FORMATS.has(issue.format)) return "field.choice";
      return "field.invalid";
    case "not_multiple_of":
      return issue.divisor === 1 ? "field.integer" : "field.invalid";
    case "invalid_union":
      return isEmpty(issue.input) ? "field.required" : "field.choice";
    default:
      // custom refinements without a message, unknown keys, bad elements: nothing more useful to say
      return "field.invalid";
  }
}

export const zodErrorMap: z.core.$ZodErrorMap = (issue) => zodMessageKey(issue);

const INTENT = "__intent__";
const LIST_INTENTS = new Set(["insert", "remove", "reorder"]);

type Def = {
  type: string;
  shape?: Record<string, z.core.$ZodType>;
  in?: z.core.$ZodType;
  innerType?: z.core.$ZodType;
  options?: z.core.$ZodType[];
};
const defOf = (schema: z.core.$ZodType) => schema._zod.def as unknown as Def;

/** The schema's top-level fields that hold a list: the only names a page's add-row or remove-row button sends. */
function listFields(schema: z.core.$ZodType, into = new Set<string>()): Set<string> {
  const def = defOf(schema);
  if (def.type === "object") {
    for (const [name, field] of Object.entries(def.shape ?? {})) {
      let inner: z.core.$ZodType | undefined = field;
      while (inner && defOf(inner).type !== "array") inner = defOf(inner).innerType ?? defOf(inner).in;
      if (inner) into.add(name);
    }
  } else if (def.options) {
    for (const option of def.options) listFields(option, into);
  } else if (def.in ?? def.innerType) {
    listFields((def.in ?? def.innerType)!, into);
  }
  return into;
}

/** A list intent naming no list of this form (only a script sends one): Conform would treat the submission as no submission. */
function strayListIntent(payload: FormData | URLSearchParams, schema: z.core.$ZodType): boolean {
  const raw = payload.get(INTENT);
  if (typeof raw !== "string") return false;
  try {
    const intent = JSON.parse(raw) as { type?: unknown; payload?: { name?: unknown } } | null;
    return LIST_INTENTS.has(String(intent?.type)) && !listFields(schema).has(String(intent?.payload?.name));
  } catch {
    return false;
  }
}

function withoutIntent(payload: FormData | URLSearchParams): FormData {
  const rest = new FormData();
  for (const [name, value] of payload) if (name !== INTENT) rest.append(name, value);
  return rest;
}

/**
 * Conform's parseWithZod with the app's messages: every form parses through this, in the browser and in actions.
 * A list intent (add row, remove row) is honoured only on a list of the form's own; Conform throws on one
 * whose field holds no list. Such an intent only comes from a script: the form is then parsed as if its
 * save button had been pressed.
 */
export function parseForm<Schema extends z.core.$ZodType>(
  payload: FormData | URLSearchParams,
  options: { schema: Schema },
) {
  const parse = (form: FormData | URLSearchParams) =>
    parseWithZod(form, { schema: options.schema, error: zodErrorMap });
  if (strayListIntent(payload, options.schema)) return parse(withoutIntent(payload));
  try {
    return parse(payload);
  } catch (error) {
    if (!payload.has(INTENT)) throw error;
    return parse(withoutIntent(payload));
  }
}
