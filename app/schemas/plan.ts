// One plan per household per year (一户一策): one schema for the editor and the model.
import { z } from "zod";
import {
  AreaSchema,
  CountSchema,
  KgSchema,
  LinesSchema,
  PositiveAreaSchema,
  ReasonSchema,
  VersionSchema,
  YuanAsFenSchema,
  message,
} from "./fields";
import { AMENDMENT_INTENTS } from "./plain";

export { AMENDMENT_INTENTS };

export const PlantingItemSchema = z.object({
  cropCode: z.string({ error: "field.required" }).min(1, "field.required"),
  area: PositiveAreaSchema,
  expectedYieldKg: KgSchema,
});

export const RaisingItemSchema = z.object({
  animalCode: z.string({ error: "field.required" }).min(1, "field.required"),
  headCount: CountSchema,
});

export const PlanContentSchema = z.object({
  courtyardArea: AreaSchema,
  livingArea: AreaSchema,
  plantingArea: AreaSchema,
  raisingArea: AreaSchema,
  plantingItems: z.array(PlantingItemSchema).max(20).default([]),
  raisingItems: z.array(RaisingItemSchema).max(20).default([]),
  measures: LinesSchema(20, 200),
  incomeTargetFen: YuanAsFenSchema,
});

export type PlanContent = z.output<typeof PlanContentSchema>;

export type Violation = { path: string; message: string };

const round2 = (n: number) => Math.round(n * 100) / 100;

/** Domain rule 3, as field-level violations. Used by the form schema and, again, by the model. */
export function planRuleViolations(plan: {
  courtyardArea: number;
  livingArea: number;
  plantingArea: number;
  raisingArea: number;
  plantingItems: { area: number; cropCode?: string }[];
  raisingItems: unknown[];
}): Violation[] {
  const out: Violation[] = [];
  // one line per crop: a crop listed twice counts its area and yield twice on the card and in the totals
  const firstLine = new Map<string, number>();
  plan.plantingItems.forEach((item, i) => {
    if (!item.cropCode) return;
    const first = firstLine.get(item.cropCode);
    if (first === undefined) firstLine.set(item.cropCode, i);
    else
      out.push({
        path: `plantingItems[${i}].cropCode`,
        message: message("plan.error.duplicateCrop", { row: first + 1 }),
      });
  });
  const zones = round2(plan.livingArea + plan.plantingArea + plan.raisingArea);
  if (zones > plan.courtyardArea) {
    out.push({
      path: "courtyardArea",
      message: message("plan.error.zonesExceedCourtyard", { zones, courtyard: plan.courtyardArea }),
    });
  }
  const planted = round2(plan.plantingItems.reduce((s, i) => s + i.area, 0));
  if (planted > plan.plantingArea) {
    out.push({
      path: "plantingItems",
      message: message("plan.error.cropsExceedPlantingZone", { planted, zone: plan.plantingArea }),
    });
  }
  if (plan.raisingItems.length > 0 && plan.raisingArea <= 0) {
    out.push({ path: "raisingItems", message: "plan.error.raisingNeedsZone" });
  }
  return out;
}

function addRuleIssues(plan: Parameters<typeof planRuleViolations>[0], ctx: z.RefinementCtx) {
  for (const v of planRuleViolations(plan)) ctx.addIssue({ code: "custom", path: [v.path], message: v.message });
}

/** The plan editor's form: content plus the version the user started from (domain rule 6). */
export const PlanFormSchema = PlanContentSchema.extend({
  version: VersionSchema.optional(),
}).superRefine(addRuleIssues);

export const PlanTransitionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("submit"), version: VersionSchema }),
  z.object({ intent: z.literal("approve"), version: VersionSchema }),
  z.object({
    intent: z.literal("return"),
    version: VersionSchema,
    reason: ReasonSchema(500, "plan.error.reasonRequired"),
  }),
  z.object({ intent: z.literal("start"), version: VersionSchema }),
  z.object({ intent: z.literal("complete"), version: VersionSchema }),
]);
export type PlanTransition = z.output<typeof PlanTransitionSchema>;

/**
 * A proposed change to an approved or running plan (domain rule 10): the plan's content with the same
 * rules, the cadre's reason, and — when an open amendment is edited — the version the cadre started from.
 */
export const AmendmentFormSchema = PlanContentSchema.extend({
  version: VersionSchema.optional(),
  reason: ReasonSchema(500, "amendment.error.reasonRequired"),
}).superRefine(addRuleIssues);
export type AmendmentForm = z.output<typeof AmendmentFormSchema>;

export const AmendmentDecisionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal(AMENDMENT_INTENTS.approve), amendmentId: z.uuid(), version: VersionSchema }),
  z.object({
    intent: z.literal(AMENDMENT_INTENTS.return),
    amendmentId: z.uuid(),
    version: VersionSchema,
    reason: ReasonSchema(500, "plan.error.reasonRequired"),
  }),
  z.object({ intent: z.literal(AMENDMENT_INTENTS.withdraw), amendmentId: z.uuid(), version: VersionSchema }),
]);
export type AmendmentDecision = z.output<typeof AmendmentDecisionSchema>;
