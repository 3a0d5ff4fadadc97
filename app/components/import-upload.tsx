import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { FORM_CONSTRAINTS } from "~/schemas/constraints";
import type { z } from "zod";
import type { SubmissionResult } from "@conform-to/react";
import { Form, useNavigation } from "@remix-run/react";
import { ErrorList, Field } from "~/components/forms";
import { useT } from "~/i18n";
import { type ImportUploadSchema } from "~/schemas/import";

const ACCEPT = ".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** The spreadsheet upload (multipart, works without JavaScript); posts to the /import page's action. */
export function ImportUploadForm({
  lastResult,
  fileErrors,
  submitLabel,
}: {
  lastResult?: SubmissionResult<string[]> | null;
  /** a problem found in the file after upload (by its job), shown next to the field */
  fileErrors?: string[];
  submitLabel?: string;
}) {
  const t = useT();
  const navigation = useNavigation();
  const busy =
    navigation.state === "submitting" &&
    navigation.formAction?.startsWith("/import") &&
    navigation.formEncType === "multipart/form-data";
  const [form, fields] = useForm<z.input<typeof ImportUploadSchema>>({
    id: "import-upload",
    lastResult,
    constraint: FORM_CONSTRAINTS.ImportUploadSchema,
    shouldValidate: "onSubmit",
  });
  const errors = fields.file.errors?.length ? fields.file.errors : fileErrors;
  return (
    <Form method="post" action="/import?index" encType="multipart/form-data" className="form" {...getFormProps(form)}>
      <ErrorList id={form.errorId} errors={form.errors} />
      <Field
        label={<label htmlFor={fields.file.id}>{t("import.file")}</label>}
        hint={t("import.file.hint")}
        errorId={fields.file.errorId}
        errors={errors}
      >
        <input
          {...getInputProps(fields.file, { type: "file" })}
          accept={ACCEPT}
          aria-invalid={errors?.length ? true : undefined}
        />
      </Field>
      <button className="button" type="submit" disabled={busy}>
        {busy ? t("import.upload.busy") : (submitLabel ?? t("import.upload.submit"))}
      </button>
    </Form>
  );
}
