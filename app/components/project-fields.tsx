import { getInputProps, type FieldMetadata } from "@conform-to/react";
import { Field } from "~/components/forms";
import { useT } from "~/i18n";
import type { ProjectSchema } from "~/schemas/project";
import { PROJECT_STATUSES, PROJECT_TYPES } from "~/vocabulary";
import type { z } from "zod";
import { Choice } from "~/components/choice";

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
      <Choice
        meta={fields.type}
        label={t("projects.typeLabel")}
        placeholder={t("projects.choose")}
        words={PROJECT_TYPES}
        wordKey="projects.type"
      />
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
      <Choice
        meta={fields.status}
        label={t("projects.statusLabel")}
        words={PROJECT_STATUSES}
        wordKey="projects.status"
      />
    </>
  );
}
