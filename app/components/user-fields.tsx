import { getInputProps, getSelectProps, type FieldMetadata } from "@conform-to/react";
import { Field } from "~/components/forms";
import { useT } from "~/i18n";
import type { Role } from "~/permissions";

type AccountField = FieldMetadata<any, any, string[]>;
export type UserFieldOptions = {
  roles: Role[];
  townships: { id: string; name: string }[];
  cooperatives: { id: string; name: string }[];
};

/**
 * The account's own fields, shared by the new and edit pages. Both scope fields are always there (a page
 * without JavaScript cannot show one by the role chosen): the hint says which role uses which; the model
 * clears the one the role does not use.
 */
export function UserFields({
  fields,
  options,
}: {
  fields: {
    displayName: AccountField;
    phone: AccountField;
    role: AccountField;
    townshipId: AccountField;
    cooperativeId: AccountField;
  };
  options: UserFieldOptions;
}) {
  const t = useT();
  return (
    <>
      <Field
        label={<label htmlFor={fields.displayName.id}>{t("users.displayName")}</label>}
        errorId={fields.displayName.errorId}
        errors={fields.displayName.errors}
      >
        <input {...getInputProps(fields.displayName, { type: "text" })} autoComplete="off" />
      </Field>
      <Field
        label={<label htmlFor={fields.phone.id}>{t("users.phone")}</label>}
        errorId={fields.phone.errorId}
        errors={fields.phone.errors}
      >
        <input {...getInputProps(fields.phone, { type: "tel" })} inputMode="tel" autoComplete="off" />
      </Field>
      <Field
        label={<label htmlFor={fields.role.id}>{t("users.role")}</label>}
        errorId={fields.role.errorId}
        errors={fields.role.errors}
      >
        <select {...getSelectProps(fields.role)}>
          <option value="">{t("users.choose")}</option>
          {options.roles.map((role) => (
            <option key={role} value={role}>
              {t(`users.roleOption.${role}`)}
            </option>
          ))}
        </select>
      </Field>
      <Field
        label={
          <label htmlFor={fields.townshipId.id}>
            {t("users.township")}{" "}
            <span className="muted small">
              ({t("users.roleOption.official")}、{t("users.roleOption.cadre")})
            </span>
          </label>
        }
        errorId={fields.townshipId.errorId}
        errors={fields.townshipId.errors}
      >
        <select {...getSelectProps(fields.townshipId)}>
          <option value="">{t("users.choose")}</option>
          {options.townships.map((township) => (
            <option key={township.id} value={township.id}>
              {township.name}
            </option>
          ))}
        </select>
      </Field>
      <Field
        label={
          <label htmlFor={fields.cooperativeId.id}>
            {t("users.cooperative")} <span className="muted small">({t("users.roleOption.clerk")})</span>
          </label>
        }
        errorId={fields.cooperativeId.errorId}
        errors={fields.cooperativeId.errors}
      >
        <select {...getSelectProps(fields.cooperativeId)}>
          <option value="">{t("users.choose")}</option>
          {options.cooperatives.map((coop) => (
            <option key={coop.id} value={coop.id}>
              {coop.name}
            </option>
          ))}
        </select>
      </Field>
    </>
  );
}
