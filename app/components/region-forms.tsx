import { getFormProps, getInputProps, useForm, type SubmissionResult } from "@conform-to/react";
import { FORM_CONSTRAINTS } from "~/schemas/constraints";
import { Form, useNavigation } from "@remix-run/react";
import type { z } from "zod";
import { ErrorList, Field } from "~/components/forms";
import { useT } from "~/i18n";
import { type RegionCreateSchema } from "~/schemas/regions";

/**
 * A new township, village or group under `parent`. The code field starts with the parent's code: what is
 * left to type is the region's own digits, and the length is said beside the field.
 */
export function RegionCreateForm({
  parent,
  level,
  codeLength,
  lastResult,
  intent,
}: {
  parent: { id: string; code: string };
  level: "township" | "village" | "group";
  codeLength: number;
  lastResult?: SubmissionResult<string[]>;
  /** the intent field, on a page with several forms */
  intent?: string;
}) {
  const t = useT();
  const navigation = useNavigation();
  const [form, fields] = useForm<z.input<typeof RegionCreateSchema>, z.output<typeof RegionCreateSchema>>({
    id: `region-create-${parent.id}`,
    lastResult,
    constraint: FORM_CONSTRAINTS.RegionCreateSchema,
    defaultValue: { parentId: parent.id, code: parent.code },
  });
  return (
    <Form method="post" className="form" {...getFormProps(form)}>
      <ErrorList id={form.errorId} errors={form.errors} />
      {intent ? <input type="hidden" name="intent" value={intent} /> : null}
      <input {...getInputProps(fields.parentId, { type: "hidden" })} />
      <Field
        label={<label htmlFor={fields.code.id}>{t("regions.code")}</label>}
        hint={t("regions.codeHint", { length: codeLength, parent: parent.code })}
        errorId={fields.code.errorId}
        errors={fields.code.errors}
      >
        <input
          {...getInputProps(fields.code, { type: "text" })}
          inputMode="numeric"
          autoComplete="off"
          maxLength={20}
          aria-invalid={fields.code.errors?.length ? true : undefined}
        />
      </Field>
      <Field
        label={<label htmlFor={fields.name.id}>{t("regions.name")}</label>}
        errorId={fields.name.errorId}
        errors={fields.name.errors}
      >
        <input {...getInputProps(fields.name, { type: "text" })} autoComplete="off" />
      </Field>
      <Field
        label={<label htmlFor={fields.nameEn.id}>{t("regions.nameEn")}</label>}
        hint={t("regions.nameEnHint")}
        errorId={fields.nameEn.errorId}
        errors={fields.nameEn.errors}
      >
        <input {...getInputProps(fields.nameEn, { type: "text" })} autoComplete="off" />
      </Field>
      <button className="button" type="submit" disabled={navigation.state === "submitting"}>
        {t(`regions.addChild.${level}`)}
      </button>
    </Form>
  );
}
