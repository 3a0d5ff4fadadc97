import { describe, expect, test } from "vitest";
import { z } from "zod";
import { messageText, type Locale } from "~/i18n";
import { translator } from "~/i18n/dictionaries.server";
import { zhCN } from "~/i18n/zh-CN";
import { parseForm, zodErrorMap } from "~/utils/zod-messages";
import { ZOD_DEFAULT } from "../support/zod-defaults";

const form = (entries: [string, string][]) => {
  const fd = new FormData();
  for (const [k, v] of entries) fd.append(k, v);
  return fd;
};

/** Every message a parse produced, as the page would show it in this language. */
function shown(locale: Locale, schema: z.ZodType, entries: [string, string][]) {
  const submission = parseForm(form(entries), { schema });
  const error = (submission.reply() as { error?: Record<string, string[] | null> }).error ?? {};
  const t = translator(locale);
  return Object.fromEntries(Object.entries(error).map(([k, v]) => [k, (v ?? []).map((raw) => messageText(t, raw))]));
}

const Schema = z.object({
  text: z.string(),
  shortText: z.string().max(5),
  longText: z.string().min(3),
  count: z.number(),
  whole: z.number().int(),
  small: z.number().min(10),
  big: z.number().max(10),
  kind: z.enum(["a", "b"]),
  id: z.uuid(),
  day: z.iso.date(),
  pattern: z.string().regex(/^x+$/),
  tags: z.array(z.string()).min(2).max(3),
  one: z.literal("one"),
  checked: z.string().refine((v) => v === "ok"),
  own: z.string({ error: "field.phone" }),
  ownCheck: z.string().min(5, "field.phone"),
});

const BAD: [string, string][] = [
  ["shortText", "abcdefg"],
  ["longText", "ab"],
  ["count", "abc"],
  ["whole", "1.5"],
  ["small", "3"],
  ["big", "30"],
  ["kind", "zzz"],
  ["id", "not-an-id"],
  ["day", "2025-02-30"],
  ["pattern", "yyy"],
  ["tags", "only"],
  ["one", "two"],
  ["checked", "nope"],
  ["ownCheck", "abc"],
];

describe.each([
  {
    locale: "zh-CN" as const,
    expected: {
      text: ["必填"],
      shortText: ["不能超过 5 个字"],
      longText: ["至少 3 个字"],
      count: ["请输入数字"],
      whole: ["请输入整数"],
      small: ["不能小于 10"],
      big: ["不能大于 10"],
      kind: ["请从列表中选择"],
      id: ["请从列表中选择"],
      day: ["请输入有效日期"],
      pattern: ["填写的内容不对，请检查"],
      tags: ["至少选 2 项"],
      one: ["请从列表中选择"],
      checked: ["填写的内容不对，请检查"],
      own: ["电话号码格式不对"],
      ownCheck: ["电话号码格式不对"],
    },
  },
  {
    locale: "en" as const,
    expected: {
      text: ["Required"],
      shortText: ["At most 5 characters"],
      longText: ["At least 3 characters"],
      count: ["Enter a number"],
      whole: ["Enter a whole number"],
      small: ["Must be at least 10"],
      big: ["Must be at most 10"],
      kind: ["Choose from the list"],
      id: ["Choose from the list"],
      day: ["Enter a valid date"],
      pattern: ["This value is not valid; please check it"],
      tags: ["Choose at least 2"],
      one: ["Choose from the list"],
      checked: ["This value is not valid; please check it"],
      own: ["Not a phone number"],
      ownCheck: ["Not a phone number"],
    },
  },
])("zod's own messages become the app's, in $locale", ({ locale, expected }) => {
  test("wrong values: each field says what is wrong, and a schema's own message wins", () => {
    expect(shown(locale, Schema, BAD)).toEqual(expected);
  });

  test("an empty form: every required field says it is required", () => {
    const errors = shown(locale, Schema, []);
    const required = translator(locale)("field.required");
    for (const field of [
      "text",
      "shortText",
      "longText",
      "count",
      "whole",
      "small",
      "big",
      "kind",
      "id",
      "day",
      "pattern",
      "one",
      "checked",
    ]) {
      expect(errors[field], field).toEqual([required]);
    }
    expect(errors.tags).toEqual([translator(locale)("field.tooFew", { min: 2 })]);
  });

  test("two values where one goes", () => {
    const errors = shown(locale, Schema, [
      ["text", "a"],
      ["text", "b"],
      ["count", "1"],
      ["count", "2"],
      ["kind", "a"],
      ["kind", "b"],
    ]);
    const single = translator(locale)("field.single");
    expect([errors.text, errors.count, errors.kind]).toEqual([[single], [single], [single]]);
  });
});

test("every key the map can return is in the dictionary, and no zod default text is left", () => {
  const issues: z.core.$ZodRawIssue[] = [
    { code: "invalid_type", expected: "string", input: undefined },
    { code: "invalid_type", expected: "number", input: Number.NaN },
    { code: "invalid_type", expected: "object", input: "x" },
    { code: "invalid_type", expected: "date", input: "x" },
    { code: "too_small", origin: "number", minimum: 0, inclusive: true, input: -1 },
    { code: "too_small", origin: "number", minimum: 0, inclusive: false, input: 0 },
    { code: "too_small", origin: "array", minimum: 1, inclusive: true, input: [] },
    { code: "too_big", origin: "array", maximum: 3, inclusive: true, input: [1, 2, 3, 4] },
    { code: "too_big", origin: "date", maximum: new Date("2026-01-01"), inclusive: true, input: new Date() },
    { code: "invalid_format", format: "email", input: "x" },
    { code: "invalid_format", format: "datetime", input: "x" },
    { code: "not_multiple_of", divisor: 5, input: 3 },
    { code: "invalid_union", errors: [], input: "x" },
    { code: "unrecognized_keys", keys: ["x"], input: {} },
    { code: "invalid_element", origin: "map", key: "x", issues: [], input: new Map() },
    { code: "custom", input: "x" },
  ] as z.core.$ZodRawIssue[];
  for (const issue of issues) {
    const raw = zodErrorMap(issue) as string;
    const key = raw.split("|")[0];
    expect(Object.keys(zhCN), issue.code).toContain(key);
    for (const locale of ["zh-CN", "en"] as const)
      expect(messageText(translator(locale), raw)).not.toMatch(ZOD_DEFAULT);
  }
});

test("without the map, zod's defaults are English: what the map exists to replace", () => {
  const raw = z.object({ text: z.string() }).safeParse({}).error!.issues[0].message;
  expect(raw).toMatch(ZOD_DEFAULT);
});
