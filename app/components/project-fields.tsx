import { getInputProps, getSelectProps, type FieldMetadata } from "@conform-to/react";
import { Field } from "~/components/forms";
import { useT, type MessageKey } from "~/i18n";
import type { ProjectSchema } from "~/schemas/project";
import { PROJECT_STATUSES, PROJECT_TYPES } from "~/vocabulary";
import type { z } from "zod";

// Loosely typed on purpose: the new page's defaults are typed from the schema, the edit page's from the
// loader's strings; both render the same inputs.

type ProjectFieldset = {
  [K in Exclude<keyof z.input<typeof ProjectSchema>, "version">]-?: FieldMetadata<any, any, string[]>;
};

/** The project's fields, shared by the new and edit pages. */
export function ProjectFields({ fields }: { fields: ProjectFieldset }) {
  const t = useT();
  return (
    <>
      <Field
        label={<label htmlFor={fields.name.id}>{t("projects.name")}</label>}
        errorId={fields.name.errorId}
        errors={fields.name.errors}
      >
        <input {...getInputProps(fields.name, { type: "text" })} />
      </Field>
      <Field
        label={<label htmlFor={fields.type.id}>{t("projects.typeLabel")}</label>}
        errorId={fields.type.errorId}
        errors={fields.type.errors}
      >
        <select {...getSelectProps(fields.type)}>
          <option value="">{t("projects.choose")}</option>
          {PROJECT_TYPES.map((v) => (
            <option key={v} value={v}>
              {t(`projects.type.${v}` as MessageKey)}
            </option>
          ))}
        </select>
      </Field>
      <Field
        label={<label htmlFor={fields.fundingSource.id}>{t("projects.fundingSource")}</label>}
        hint={t("projects.fundingSourceHint")}
        errorId={fields.fundingSource.errorId}
        errors={fields.fundingSource.errors}
      >
        <input {...getInputProps(fields.fundingSource, { type: "text" })} />
      </Field>
      <Field
        label={<label htmlFor={fields.budget.id}>{t("projects.budget")}</label>}
        errorId={fields.budget.errorId}
        errors={fields.budget.errors}
      >
        <input {...getInputProps(fields.budget, { type: "number" })} step="0.01" inputMode="decimal" />
      </Field>
      <Field
        label={<label htmlFor={fields.startsOn.id}>{t("projects.startsOn")}</label>}
        errorId={fields.startsOn.errorId}
        errors={fields.startsOn.errors}
      >
        <input {...getInputProps(fields.startsOn, { type: "date" })} />
      </Field>
      <Field
        label={<label htmlFor={fields.endsOn.id}>{t("projects.endsOn")}</label>}
        hint={t("projects.endsOnHint")}
        errorId={fields.endsOn.errorId}
        errors={fields.endsOn.errors}
      >
        <input {...getInputProps(fields.endsOn, { type: "date" })} />
      </Field>
      <Field
        label={<label htmlFor={fields.status.id}>{t("projects.statusLabel")}</label>}
        errorId={fields.status.errorId}
        errors={fields.status.errors}
      >
        <select {...getSelectProps(fields.status)}>
          {PROJECT_STATUSES.map((v) => (
            <option key={v} value={v}>
              {t(`projects.status.${v}` as MessageKey)}
            </option>
          ))}
        </select>
      </Field>
    </>
  );
}
