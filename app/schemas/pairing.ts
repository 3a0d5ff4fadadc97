// Pairing (结对帮扶): the forms that put a cadre in charge of households, hand them over, or end a pairing.
// The pages validate with these schemas in the browser and in their actions; the model parses the day and
// the reason with the same fields, so a rule is refused with one message wherever it is caught. Whether a
// cadre or household may be chosen, and whether the day fits the history, only the model can tell.
import { z } from "zod";
import { ChoiceSchema, DateSchema, OptionalReasonSchema, ReasonSchema } from "./fields";

export const PAIRING_REASON_MAX = 200;

/** Any change of cadre: the day it takes effect and, if given, why (the previous pairing's end reason). */
export const PairingChangeSchema = z.object({
  startsOn: DateSchema,
  reason: OptionalReasonSchema(PAIRING_REASON_MAX),
});

/** Ending a pairing leaves the household without a cadre, so the reason is required. */
export const PairingEndSchema = z.object({
  endsOn: DateSchema,
  reason: ReasonSchema(PAIRING_REASON_MAX),
});

/** The cadre in charge when the page was shown, "none" for none: a change made since is a conflict. */
const ExpectedCadreSchema = z.union([z.literal("none"), z.uuid()]);

/** The household page: put a cadre in charge of this household. */
export const HouseholdAssignFormSchema = PairingChangeSchema.extend({
  intent: z.literal("assign"),
  cadreId: ChoiceSchema,
  expectedCadreId: ExpectedCadreSchema,
});

/** The household page: end its pairing. */
export const HouseholdEndFormSchema = PairingEndSchema.extend({
  intent: z.literal("end"),
  expectedCadreId: ExpectedCadreSchema,
});

/** The workload page: a cadre for a village's households, all of them or those without one. */
export const VillageAssignFormSchema = PairingChangeSchema.pick({ startsOn: true }).extend({
  intent: z.literal("village"),
  villageId: ChoiceSchema,
  cadreId: ChoiceSchema,
  which: z.enum(["unassigned", "all"], { error: "field.choice" }),
});

/** The workload page: all of one cadre's households handed over to another. */
export const TransferFormSchema = PairingChangeSchema.extend({
  intent: z.literal("transfer"),
  fromCadreId: ChoiceSchema,
  toCadreId: ChoiceSchema,
}).refine((v) => v.fromCadreId !== v.toCadreId, { path: ["toCadreId"], message: "pairing.error.sameCadre" });

const UUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
/** A checkbox's value on the list page: the household id and the cadre in charge when it was shown ("none"). */
export const HOUSEHOLD_PICK = new RegExp(`^(${UUID}):(${UUID}|none)$`);

/** The list page: the checked households to a cadre. */
export const ListAssignFormSchema = PairingChangeSchema.pick({ startsOn: true }).extend({
  households: z
    .array(z.string().regex(HOUSEHOLD_PICK, "pairing.error.pickHouseholds"))
    .min(1, "pairing.error.pickHouseholds"),
  cadreId: ChoiceSchema,
});
