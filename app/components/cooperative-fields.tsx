import { getInputProps, type FieldMetadata } from "@conform-to/react";
import { Choice } from "~/components/choice";
import { Field } from "~/components/forms";
import { useT } from "~/i18n";
import { COOPERATIVE_KINDS } from "~/vocabulary";

type F = FieldMetadata<any, any, string[]>;
export type CooperativeFieldOptions = {
  /** empty for an official: their own township is the cooperative's */
  townships: { id: string; name: string }[];
  villages: { id: string; name: string; township: string }[];
};

/** A cooperative's own details, shared by the new and edit pages; the township only when it may be chosen. */
export function CooperativeFields({
  fields,
  options,
  townshipFixed,
}: {
  fields: { name: F; kind: F; townshipId: F; villageId: F; registrationCode: F; contactName: F; phone: F };
  options: CooperativeFieldOptions;
  townshipFixed: boolean;
}) {
  const t = useT();
  return (
    <>
      <Field
        label={<label htmlFor={fields.name.id}>{t("orders.coop.field.name")}</label>}
        errorId={fields.name.errorId}
        errors={fields.name.errors}
      >
        <input {...getInputProps(fields.name, { type: "text" })} />
      </Field>
      <Choice
        meta={fields.kind}
        label={t("orders.coop.field.kind")}
        placeholder={t("users.choose")}
        words={COOPERATIVE_KINDS}
        wordKey="orders.coop.kind"
      />
      {townshipFixed ? null : (
        <Choice
          meta={fields.townshipId}
          label={t("orders.coop.field.township")}
          placeholder={t("users.choose")}
          options={options.townships.map((tw) => ({ value: tw.id, label: tw.name }))}
        />
      )}
      <Choice
        meta={fields.villageId}
        label={t("orders.coop.field.village")}
        placeholder={t("orders.coop.field.villageNone")}
        options={options.villages.map((v) => ({
          value: v.id,
          label: townshipFixed ? v.name : `${v.township} · ${v.name}`,
        }))}
      />
      <Field
        label={<label htmlFor={fields.registrationCode.id}>{t("orders.coop.field.registrationCode")}</label>}
        hint={t("orders.coop.field.registrationCodeHint")}
        errorId={fields.registrationCode.errorId}
        errors={fields.registrationCode.errors}
      >
        <input
          {...getInputProps(fields.registrationCode, { type: "text" })}
          autoCapitalize="characters"
          spellCheck={false}
        />
      </Field>
      <Field
        label={<label htmlFor={fields.contactName.id}>{t("orders.coop.field.contactName")}</label>}
        errorId={fields.contactName.errorId}
        errors={fields.contactName.errors}
      >
        <input {...getInputProps(fields.contactName, { type: "text" })} />
      </Field>
      <Field
        label={<label htmlFor={fields.phone.id}>{t("orders.coop.field.phone")}</label>}
        errorId={fields.phone.errorId}
        errors={fields.phone.errors}
      >
        <input {...getInputProps(fields.phone, { type: "tel" })} inputMode="tel" />
      </Field>
    </>
  );
}
