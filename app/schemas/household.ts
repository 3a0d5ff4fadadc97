// The household record (一户一档) and its members: one schema for the form and the model.
import { z } from "zod";
import { HEALTH, LABOUR, POVERTY_STATUSES, RELATIONS, SEXES } from "~/vocabulary";
import { AreaSchema, ChoiceSchema, IdNumberSchema, VersionSchema, message } from "./fields";

const PhoneSchema = z
  .string()
  .trim()
  .regex(/^[0-9+\- ]{7,20}$/, "field.phone")
  .optional();

const NameSchema = z
  .string({ error: "field.required" })
  .trim()
  .min(1, "field.required")
  .max(30, message("field.tooLong", { max: 30 }));

const choice = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: (issue) => (issue.input === undefined ? "field.required" : "field.choice") });

const MemberFields = z.object({
  name: NameSchema,
  idNumber: IdNumberSchema,
  relation: choice(RELATIONS),
  sex: choice(SEXES),
  health: choice(HEALTH).default("healthy"),
  labourAbility: choice(LABOUR).default("full"),
  phone: PhoneSchema,
});

function withMemberRules<T extends typeof MemberFields>(schema: T) {
  return schema
    .superRefine((m, ctx) => {
      // the 17th digit carries the sex: odd for men, even for women
      if (m.idNumber.sex !== m.sex) {
        ctx.addIssue({ code: "custom", path: ["sex"], message: "idNumber.sexMismatch" });
      }
    })
    .transform(({ idNumber, ...m }) => ({
      ...(m as Omit<z.output<T>, "idNumber">),
      idNumber: idNumber.idNumber,
      birthDate: idNumber.birthDate,
    }));
}

/** The member form's fields alone, for Conform's constraints (which cannot read through a transform). */
export const MemberFieldsSchema = MemberFields;
export const EditMemberFieldsSchema = MemberFields.extend({ version: VersionSchema });
export const MemberSchema = withMemberRules(MemberFields);
export const EditMemberSchema = withMemberRules(
  MemberFields.extend({ version: VersionSchema }) as never,
) as unknown as z.ZodType<z.output<typeof MemberSchema> & { version: number }>;

export type MemberInput = z.output<typeof MemberSchema>;

export const HouseholdFieldsSchema = z.object({
  villageId: ChoiceSchema,
  groupId: ChoiceSchema.optional(),
  address: z.string().trim().max(100).optional(),
  phone: PhoneSchema,
  povertyStatus: choice(POVERTY_STATUSES),
  /** a code of the poverty causes' list: the model checks it is on the list, and live unless the household had it */
  povertyCause: z
    .string({ error: "field.required" })
    .trim()
    .min(1, "field.required")
    .regex(/^[a-z][a-z0-9_]{0,29}$/, "field.choice"),
  courtyardArea: AreaSchema.optional(),
});
export type HouseholdFields = z.output<typeof HouseholdFieldsSchema>;

/** Member-list rules: exactly one head, no number twice. Used by the form and again by the model. */
export function memberListViolations(list: { relation: string; idNumber: string }[]) {
  const out: { path: string; message: string }[] = [];
  const heads = list.filter((m) => m.relation === "head").length;
  if (heads !== 1)
    out.push({ path: "members", message: heads === 0 ? "household.error.noHead" : "household.error.twoHeads" });
  const seen = new Map<string, number>();
  list.forEach((m, i) => {
    const first = seen.get(m.idNumber);
    if (first !== undefined)
      out.push({ path: `members[${i}].idNumber`, message: message("idNumber.repeated", { row: first + 1 }) });
    else seen.set(m.idNumber, i);
  });
  return out;
}

export const NewHouseholdSchema = HouseholdFieldsSchema.extend({
  members: z.array(MemberSchema).min(1, "household.error.noHead").max(20),
}).superRefine((h, ctx) => {
  for (const v of memberListViolations(h.members)) {
    const path = v.path.match(/^members\[(\d+)\]\.(\w+)$/);
    ctx.addIssue({ code: "custom", path: path ? ["members", Number(path[1]), path[2]] : [v.path], message: v.message });
  }
});
export type NewHousehold = z.output<typeof NewHouseholdSchema>;

export const EditHouseholdSchema = HouseholdFieldsSchema.extend({ version: VersionSchema });
