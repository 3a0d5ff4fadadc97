import { getInputProps, getSelectProps, type FieldMetadata } from "@conform-to/react";
import { Field } from "~/components/forms";
import { useT } from "~/i18n";
import { HEALTH, LABOUR, POVERTY_CAUSES, POVERTY_STATUSES, RELATIONS, SEXES } from "~/vocabulary";

type Village = { id: string; name: string; groups: { id: string; name: string }[] };
type Meta = FieldMetadata<string | number | undefined>;

/** The household's own fields, shared by the new-household and edit-household forms. */
export function HouseholdFieldset({
  fields,
  villages,
}: {
  fields: Record<
    "villageId" | "groupId" | "address" | "phone" | "povertyStatus" | "povertyCause" | "courtyardArea",
    Meta
  >;
  villages: Village[];
}) {
  const t = useT();
  return (
    <>
      <Field
        label={<label htmlFor={fields.villageId.id}>{t("record.village")}</label>}
        errorId={fields.villageId.errorId}
        errors={fields.villageId.errors}
      >
        <select {...getSelectProps(fields.villageId)}>
          <option value="">{t("record.chooseVillage")}</option>
          {villages.map((v) => (
            <option key={v.id} value={v.id}>
              {v.name}
            </option>
          ))}
        </select>
      </Field>
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
      <Field
        label={<label htmlFor={fields.povertyStatus.id}>{t("col.status")}</label>}
        errorId={fields.povertyStatus.errorId}
        errors={fields.povertyStatus.errors}
      >
        <select {...getSelectProps(fields.povertyStatus)}>
          {POVERTY_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`povertyStatus.${s}`)}
            </option>
          ))}
        </select>
      </Field>
      <Field
        label={<label htmlFor={fields.povertyCause.id}>{t("col.cause")}</label>}
        errorId={fields.povertyCause.errorId}
        errors={fields.povertyCause.errors}
      >
        <select {...getSelectProps(fields.povertyCause)}>
          <option value="">{t("plan.choose")}</option>
          {POVERTY_CAUSES.map((c) => (
            <option key={c} value={c}>
              {t(`povertyCause.${c}`)}
            </option>
          ))}
        </select>
      </Field>
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
      <Field
        label={<label htmlFor={fields.relation.id}>{t("col.relation")}</label>}
        errorId={fields.relation.errorId}
        errors={fields.relation.errors}
      >
        <select {...getSelectProps(fields.relation)}>
          <option value="">{t("plan.choose")}</option>
          {RELATIONS.map((r) => (
            <option key={r} value={r}>
              {t(`relation.${r}`)}
            </option>
          ))}
        </select>
      </Field>
      <Field
        label={<label htmlFor={fields.sex.id}>{t("col.sex")}</label>}
        errorId={fields.sex.errorId}
        errors={fields.sex.errors}
      >
        <select {...getSelectProps(fields.sex)}>
          <option value="">{t("plan.choose")}</option>
          {SEXES.map((s) => (
            <option key={s} value={s}>
              {t(`sex.${s}`)}
            </option>
          ))}
        </select>
      </Field>
      <Field
        label={<label htmlFor={fields.health.id}>{t("col.health")}</label>}
        errorId={fields.health.errorId}
        errors={fields.health.errors}
      >
        <select {...getSelectProps(fields.health)}>
          {HEALTH.map((s) => (
            <option key={s} value={s}>
              {t(`health.${s}`)}
            </option>
          ))}
        </select>
      </Field>
      <Field
        label={<label htmlFor={fields.labourAbility.id}>{t("col.labour")}</label>}
        errorId={fields.labourAbility.errorId}
        errors={fields.labourAbility.errors}
      >
        <select {...getSelectProps(fields.labourAbility)}>
          {LABOUR.map((s) => (
            <option key={s} value={s}>
              {t(`labour.${s}`)}
            </option>
          ))}
        </select>
      </Field>
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
