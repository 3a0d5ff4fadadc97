// Aid projects (帮扶项目) and their fund allocations (domain rule 4): one schema for the form and the model.
import { z } from "zod";
import { ALLOCATION_KINDS, PROJECT_STATUSES, PROJECT_TYPES } from "~/vocabulary";
import { CountSchema, DateSchema, ReasonSchema, VersionSchema, YuanAsFenSchema } from "./fields";

const text = (max: number) =>
  z
    .string({ error: "field.required" })
    .trim()
    .min(1, "field.required")
    .max(max, `field.tooLong|${JSON.stringify({ max })}`);
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `field.tooLong|${JSON.stringify({ max })}`)
    .optional()
    .transform((v) => (v ? v : null));

export const ProjectSchema = z
  .object({
    version: VersionSchema.optional(),
    name: text(100),
    type: z.enum(PROJECT_TYPES, { error: "field.choice" }),
    fundingSource: text(100),
    /** typed in yuan, carried on as fen */
    budget: YuanAsFenSchema,
    startsOn: DateSchema,
    endsOn: DateSchema.optional().transform((v) => v ?? null),
    status: z.enum(PROJECT_STATUSES, { error: "field.choice" }).default("active"),
  })
  .superRefine((v, ctx) => {
    if (v.endsOn && v.endsOn < v.startsOn) {
      ctx.addIssue({ code: "custom", path: ["endsOn"], message: "projects.error.endsBeforeStarts" });
    }
  });

export type ProjectInput = z.output<typeof ProjectSchema>;

/** Money or goods with a value; amount (fen) > 0 (the budget check itself is the model's, in a transaction). */
export const AllocationSchema = z
  .object({
    householdId: z.uuid({ error: "projects.error.chooseHousehold" }),
    kind: z.enum(ALLOCATION_KINDS, { error: "field.choice" }).default("cash"),
    item: optionalText(50),
    quantity: CountSchema.optional().transform((v) => v ?? null),
    /** typed in yuan, carried on as fen */
    amount: YuanAsFenSchema.refine((v) => v > 0, "field.positive"),
    allocatedOn: DateSchema,
    note: optionalText(200),
  })
  .superRefine((v, ctx) => {
    if (v.kind === "in_kind") {
      if (!v.item) ctx.addIssue({ code: "custom", path: ["item"], message: "projects.error.itemRequired" });
      if (v.quantity == null)
        ctx.addIssue({ code: "custom", path: ["quantity"], message: "projects.error.quantityRequired" });
    }
  });
// no root-level .transform here: Conform's getZodConstraint refuses it. For cash, the model drops item/quantity.

export type AllocationInput = z.output<typeof AllocationSchema>;

/** Reversing a fund allocation (domain rule 9): the allocation, and the reason kept with its counter-entry. */
export const AllocationReversalSchema = z.object({
  allocationId: z.uuid({ error: "field.choice" }),
  reason: ReasonSchema(200, "projects.error.reversalReason"),
});
export type AllocationReversalInput = z.output<typeof AllocationReversalSchema>;
