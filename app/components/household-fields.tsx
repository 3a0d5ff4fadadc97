import { getInputProps, getSelectProps, type FieldMetadata } from "@conform-to/react";
import { Field } from "~/components/forms";
import { useLocale, useT } from "~/i18n";
import { HEALTH, LABOUR, POVERTY_STATUSES, RELATIONS, SEXES } from "~/vocabulary";
import { entryLabel, type ReferenceEntry } from "~/utils/reference";
import { Choice } from "~/components/choice";

type Village = { id: string; name: string; groups: { id: string; name: string }[] };
type Meta = FieldMetadata<string | number | undefined>;

/** The household's own fields, shared by the new-household and edit-household forms. */
export function HouseholdFieldset({
  fields,
  villages,
  causes,
}: {
  fields: Record<
    "villageId" | "groupId" | "address" | "phone" | "povertyStatus" | "povertyCause" | "courtyardArea",
    Meta
  >;
  villages: Village[];
  /** the live poverty causes, and the household's own when it has been retired since */
  causes: ReferenceEntry[];
}) {
  const t = useT();
  const locale = useLocale();
  return (
    <>
      <Choice
        meta={fields.villageId}
        label={t("record.village")}
        placeholder={t("record.chooseVillage")}
        options={villages.map((v) => ({ value: v.id, label: v.name }))}
      />
      <Field
        label={<label htmlFor={fields.groupId.id}>{t("record.group")}</label>}
        errorId={fields.groupId.errorId}
        errors={fields.groupId.errors}
      >
        <select {...getSelectProps(fields.groupId)}>
          <option value="">{t("record.noGroup")}</option>
          {villages.map((v) => (
            <optgroup key={v.id} label={v.name}>
              {v.groups.map((g) => (
                <option key={g.id} value={g.id}>
                  {v.name} {g.name}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </Field>
      <Field
        label={<label htmlFor={fields.address.id}>{t("household.address")}</label>}
        errorId={fields.address.errorId}
        errors={fields.address.errors}
      >
        <input {...getInputProps(fields.address, { type: "text" })} />
      </Field>
      <Field
        label={<label htmlFor={fields.phone.id}>{t("household.phone")}</label>}
        errorId={fields.phone.errorId}
        errors={fields.phone.errors}
      >
        <input {...getInputProps(fields.phone, { type: "tel" })} inputMode="tel" />
      </Field>
      <Choice meta={fields.povertyStatus} label={t("col.status")} words={POVERTY_STATUSES} wordKey="povertyStatus" />
      <Choice
        meta={fields.povertyCause}
        label={t("col.cause")}
        placeholder={t("plan.choose")}
        options={causes.map((c) => ({ value: c.code, label: entryLabel(c, locale) }))}
      />
      <Field
        label={<label htmlFor={fields.courtyardArea.id}>{t("record.courtyardArea")}</label>}
        errorId={fields.courtyardArea.errorId}
        errors={fields.courtyardArea.errors}
      >
        <input {...getInputProps(fields.courtyardArea, { type: "number" })} step="0.01" inputMode="decimal" />
      </Field>
    </>
  );
}

/** One member's fields; the birth date is read from the ID number, never typed twice. */
export function MemberFieldset({
  fields,
}: {
  fields: Record<"name" | "idNumber" | "relation" | "sex" | "health" | "labourAbility" | "phone", Meta>;
}) {
  const t = useT();
  return (
    <>
      <Field
        label={<label htmlFor={fields.name.id}>{t("col.name")}</label>}
        errorId={fields.name.errorId}
        errors={fields.name.errors}
      >
        <input {...getInputProps(fields.name, { type: "text" })} autoComplete="off" />
      </Field>
      <Field
        label={<label htmlFor={fields.idNumber.id}>{t("col.idNumber")}</label>}
        hint={t("record.member.idHint")}
        errorId={fields.idNumber.errorId}
        errors={fields.idNumber.errors}
      >
        <input
          {...getInputProps(fields.idNumber, { type: "text" })}
          maxLength={18}
          autoComplete="off"
          spellCheck={false}
        />
      </Field>
      <Choice
        meta={fields.relation}
        label={t("col.relation")}
        placeholder={t("plan.choose")}
        words={RELATIONS}
        wordKey="relation"
      />
      <Choice meta={fields.sex} label={t("col.sex")} placeholder={t("plan.choose")} words={SEXES} wordKey="sex" />
      <Choice meta={fields.health} label={t("col.health")} words={HEALTH} wordKey="health" />
      <Choice meta={fields.labourAbility} label={t("col.labour")} words={LABOUR} wordKey="labour" />
      <Field
        label={<label htmlFor={fields.phone.id}>{t("household.phone")}</label>}
        errorId={fields.phone.errorId}
        errors={fields.phone.errors}
      >
        <input {...getInputProps(fields.phone, { type: "tel" })} inputMode="tel" />
      </Field>
    </>
  );
}
