// The points card's two forms (积分卡): an official's bonus or deduction, and a problem marked solved.
// The page validates with these schemas in the browser and in its action, and the model parses its input
// with the same fields, so each rule is refused with one message wherever it is caught.
import { z } from "zod";
import { DateSchema, ReasonSchema } from "./fields";

/** An adjustment moves a cadre's month by at most this many points, either way. */
export const ADJUSTMENT_LIMIT = 100;

/** A whole number of points within the limit; 0 would be an entry that changes nothing. */
export const AdjustmentPointsSchema = z
  .number({ error: (issue) => (issue.input === undefined ? "field.required" : "field.number") })
  .int("field.integer")
  .min(-ADJUSTMENT_LIMIT, "points.error.range")
  .max(ADJUSTMENT_LIMIT, "points.error.range")
  .refine((v) => v !== 0, "points.error.zero");

/** What the model records: whose card, the day it counts for, the points and why. */
export const AdjustmentSchema = z.object({
  cadreId: z.uuid({ error: "points.error.cadre" }),
  effectiveOn: DateSchema,
  points: AdjustmentPointsSchema,
  reason: ReasonSchema(200),
});
export type AdjustmentInput = z.output<typeof AdjustmentSchema>;

/** The official's form: the adjustment, and the page it was sent from, which the answer returns to. */
export const AdjustFormSchema = AdjustmentSchema.extend({
  intent: z.literal("adjust"),
  from: z.enum(["league", "card"]).default("league"),
});

/** The day a problem was solved: what the model checks before it looks the check up. */
export const SolvedOnSchema = z.object({ solvedOn: DateSchema });

/** The form beside a problem on the card: the check, the day, and the month and card to return to. */
export const SolveFormSchema = SolvedOnSchema.extend({
  intent: z.literal("solve"),
  checkId: z.uuid(),
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/),
  cadre: z.uuid().optional(),
});

/** The same, beside a problem on its household's page: the check and the day. */
export const HouseholdSolveSchema = SolvedOnSchema.extend({
  intent: z.literal("solve"),
  checkId: z.uuid(),
});
