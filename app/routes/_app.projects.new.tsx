import { getFormProps, getInputProps, getSelectProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ErrorList, Field } from "~/components/forms";
import { useT, type MessageKey } from "~/i18n";
import { createProject } from "~/models/projects.server";
import { PROJECT_STATUSES, PROJECT_TYPES, ProjectSchema } from "~/schemas/project";
import { requireRole } from "~/utils/auth.server";
import { todayISO } from "~/utils/dates";
import { runModel } from "~/utils/form.server";

// Township officials create their township's projects.
export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ["official"]);
  return { today: todayISO() };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, ["official"]);
  const submission = parseWithZod(await request.formData(), { schema: ProjectSchema });
  if (submission.status !== "success") {
    return Response.json(submission.reply(), { status: submission.status === "error" ? 400 : 200 });
  }
  const result = await runModel(submission, () => createProject({ scope: user.scope, input: submission.value }));
  if (!result.ok) return result.response;
  return redirect(`/projects/${result.value.id}?saved=project`);
}

export default function NewProject() {
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const t = useT();
  const [form, fields] = useForm({
    id: "new-project",
    lastResult,
    constraint: getZodConstraint(ProjectSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ProjectSchema }),
    defaultValue: { status: "active", startsOn: todayISO() },
  });
  return (
    <>
      <p className="small">
        <Link to="/projects">{t("projects.back")}</Link>
      </p>
      <h1>{t("projects.newTitle")}</h1>
      <Form method="post" className="form" {...getFormProps(form)}>
        <ErrorList id={form.errorId} errors={form.errors} />
        <Field label={<label htmlFor={fields.name.id}>{t("projects.name")}</label>} errorId={fields.name.errorId} errors={fields.name.errors}>
          <input {...getInputProps(fields.name, { type: "text" })} />
        </Field>
        <Field label={<label htmlFor={fields.type.id}>{t("projects.typeLabel")}</label>} errorId={fields.type.errorId} errors={fields.type.errors}>
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
        <Field label={<label htmlFor={fields.budget.id}>{t("projects.budget")}</label>} errorId={fields.budget.errorId} errors={fields.budget.errors}>
          <input {...getInputProps(fields.budget, { type: "number" })} step="0.01" inputMode="decimal" />
        </Field>
        <Field label={<label htmlFor={fields.startsOn.id}>{t("projects.startsOn")}</label>} errorId={fields.startsOn.errorId} errors={fields.startsOn.errors}>
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
        <Field label={<label htmlFor={fields.status.id}>{t("projects.statusLabel")}</label>} errorId={fields.status.errorId} errors={fields.status.errors}>
          <select {...getSelectProps(fields.status)}>
            {PROJECT_STATUSES.map((v) => (
              <option key={v} value={v}>
                {t(`projects.status.${v}` as MessageKey)}
              </option>
            ))}
          </select>
        </Field>
        <button className="button" type="submit" disabled={navigation.state === "submitting"}>
          {t("projects.create")}
        </button>
      </Form>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
