// The shared field schemas: each rule has one message, whichever form or model applies it.
import { expect, test } from "vitest";
import type { z } from "zod";
import { translator } from "~/i18n/dictionaries.server";
import { ChoiceSchema, DateSchema, OptionalReasonSchema, ReasonSchema } from "~/schemas/fields";

const messages = (schema: z.ZodType, input: unknown) => {
  const result = schema.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => i.message);
};

test("a date is a day on the calendar, written YYYY-MM-DD", () => {
  expect(DateSchema.parse("2024-02-29")).toBe("2024-02-29");
  expect(messages(DateSchema, undefined)).toEqual(["field.required"]);
  for (const bad of ["2025-02-29", "2026-13-01", "2026-3-2", "2026-03-02T00:00", "昨天"]) {
    expect(messages(DateSchema, bad), bad).toEqual(["field.date"]);
  }
  expect(translator("zh-CN")("field.date")).toBe("请输入有效日期");
  expect(translator("en")("field.date")).toBe("Enter a valid date");
});

test("a choice is the id of a record from the list", () => {
  const id = "0b5d3a36-58a4-4c4c-9a59-3d7a4f3b8e21";
  expect(ChoiceSchema.parse(id)).toBe(id);
  expect(messages(ChoiceSchema, undefined)).toEqual(["field.required"]);
  expect(messages(ChoiceSchema, "not-an-id")).toEqual(["field.choice"]);
  expect(messages(ChoiceSchema, [id, id])).toEqual(["field.choice"]);
});

test("a reason has two characters at least, trimmed, and a limit that names the reason", () => {
  const reason = ReasonSchema(10);
  expect(reason.parse("  调整结对  ")).toBe("调整结对");
  expect(messages(reason, undefined)).toEqual(["field.reasonRequired"]);
  expect(messages(reason, " 好 ")).toEqual(["field.reasonRequired"]);
  expect(messages(reason, "很".repeat(11))).toEqual(['field.reasonTooLong|{"max":10}']);
  expect(messages(ReasonSchema(10, "plan.error.reasonRequired"), "")).toEqual(["plan.error.reasonRequired"]);
  expect(translator("zh-CN")("field.reasonRequired")).toBe("请写明原因，至少 2 个字");
  expect(translator("zh-CN")("field.reasonTooLong", { max: 200 })).toBe("原因不能超过 200 个字");

  const optional = OptionalReasonSchema(10);
  expect(optional.parse(undefined)).toBeUndefined();
  expect(optional.parse(" 好 ")).toBe("好");
  expect(messages(optional, "很".repeat(11))).toEqual(['field.reasonTooLong|{"max":10}']);
});
