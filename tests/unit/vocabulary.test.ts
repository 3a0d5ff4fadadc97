// The database's enums, the word lists and the forms' choices are one set of words: a value the form
// accepts that the enum lacks would be a 500 on save, and one the enum has that the form lacks a record
// nobody can edit.
import { isPgEnum, type PgEnum } from "drizzle-orm/pg-core";
import { expect, test } from "vitest";
import { z } from "zod";
import * as schema from "../../db/schema";
import { CheckSchema } from "~/schemas/check";
import { HouseholdFieldsSchema, MemberFieldsSchema } from "~/schemas/household";
import { DeliverySchema, OrderStatusSchema } from "~/schemas/orders";
import { AllocationSchema, ProjectSchema } from "~/schemas/project";
import { VOCABULARY, type Vocabulary } from "~/vocabulary";

test("every pgEnum is built from the vocabulary list of its name, and every list has its pgEnum", () => {
  const declared = (Object.values(schema) as unknown[]).filter((v): v is PgEnum<[string, ...string[]]> => isPgEnum(v));
  expect(declared.map((e) => e.enumName).sort()).toEqual(Object.keys(VOCABULARY).sort());
  for (const e of declared) {
    expect(e.enumValues, e.enumName).toEqual([...VOCABULARY[e.enumName as keyof Vocabulary]]);
    expect(schema.pgEnums[e.enumName as keyof Vocabulary], e.enumName).toBe(e);
  }
});

/** The values a form field offers: the enum inside its default or optional wrapper. */
function optionsOf(field: z.ZodType): readonly string[] {
  if (field instanceof z.ZodEnum) return field.options as string[];
  if (field instanceof z.ZodDefault || field instanceof z.ZodOptional) return optionsOf(field.unwrap() as z.ZodType);
  throw new Error(`not an enum field: ${field.constructor.name}`);
}

test("every form choice stored in an enum offers exactly the enum's values", () => {
  const fields: [z.ZodType, keyof Vocabulary][] = [
    [MemberFieldsSchema.shape.relation, "relation_to_head"],
    [MemberFieldsSchema.shape.sex, "sex"],
    [MemberFieldsSchema.shape.health, "health"],
    [MemberFieldsSchema.shape.labourAbility, "labour_ability"],
    [HouseholdFieldsSchema.shape.povertyStatus, "poverty_status"],
    [ProjectSchema.shape.type, "project_type"],
    [ProjectSchema.shape.status, "project_status"],
    [AllocationSchema.shape.kind, "allocation_kind"],
    [OrderStatusSchema.shape.status, "order_status"],
    [DeliverySchema.shape.grade, "delivery_grade"],
    [CheckSchema.shape.livingStatus, "zone_status"],
    [CheckSchema.shape.plantingStatus, "zone_status"],
    [CheckSchema.shape.raisingStatus, "zone_status"],
  ];
  for (const [field, name] of fields) expect(optionsOf(field), name).toEqual(schema.pgEnums[name].enumValues);
});
