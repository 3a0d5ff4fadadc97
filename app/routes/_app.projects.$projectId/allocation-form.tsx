import { getFormProps, getInputProps, getTextareaProps, useForm } from "@conform-to/react";
import { FORM_CONSTRAINTS } from "~/schemas/constraints";
import type { z } from "zod";
import { Form, useLoaderData, useNavigation } from "@remix-run/react";
import { Choice } from "~/components/choice";
import { ErrorList, Field } from "~/components/forms";
import { useT } from "~/i18n";
import { type AllocationSchema } from "~/schemas/project";
import { fenToYuan } from "~/utils/units";
import { ALLOCATION_KINDS } from "~/vocabulary";
import { useIntentResult } from "~/utils/intent-reply";
import { INTENT } from "./intents";
import type { loader } from "./route";

/** Funds (or goods) from the project to one household's plan of this year; the model holds the budget. */
export function AllocationForm() {
  const { project, choices, q, year, today } = useLoaderData<typeof loader>();
  const lastResult = useIntentResult(INTENT.allocate);
  const navigation = useNavigation();
  const t = useT();
  const [form, fields] = useForm<z.input<typeof AllocationSchema>>({
    id: `allocate-${project.id}`,
    lastResult,
    constraint: FORM_CONSTRAINTS.ProjectAllocationSchema,
    defaultValue: { kind: "cash", allocatedOn: today },
  });
  return (
    <section className="card">
      <h2>{t("projects.allocate.title")}</h2>
      <Form method="get" className="actions" preventScrollReset>
        <label className="field">
          <span>{t("projects.allocate.search")}</span>
          <input type="search" name="q" defaultValue={q} maxLength={20} />
        </label>
        <button className="button secondary small-button" type="submit">
          {t("projects.allocate.searchButton")}
        </button>
      </Form>
      <p className="muted small">{t("projects.allocate.searchHint", { year })}</p>
      {/* posts to the page itself, keeping the search but not an earlier ?saved= notice */}
      <Form
        method="post"
        action={`/projects/${project.id}${q ? `?${new URLSearchParams({ q })}` : ""}`}
        className="form"
        {...getFormProps(form)}
      >
        <input type="hidden" name="intent" value={INTENT.allocate} />
        <ErrorList id={form.errorId} errors={form.errors} />
        <Choice
          meta={fields.householdId}
          label={t("projects.allocate.household")}
          placeholder={t("projects.choose")}
          options={choices.map((h) => ({ value: h.id, label: `${h.headName} · ${h.village}` }))}
          hint={choices.length === 0 ? t("projects.allocate.noHouseholds") : undefined}
        />
        <Choice
          meta={fields.kind}
          label={t("projects.allocate.kind")}
          words={ALLOCATION_KINDS}
          wordKey="projects.kind"
        />
        <Field
          label={<label htmlFor={fields.item.id}>{t("projects.allocate.item")}</label>}
          hint={t("projects.allocate.itemHint")}
          errorId={fields.item.errorId}
          errors={fields.item.errors}
        >
          <input {...getInputProps(fields.item, { type: "text" })} />
        </Field>
        <Field
          label={<label htmlFor={fields.quantity.id}>{t("projects.allocate.quantity")}</label>}
          errorId={fields.quantity.errorId}
          errors={fields.quantity.errors}
        >
          <input {...getInputProps(fields.quantity, { type: "number" })} step="1" inputMode="numeric" />
        </Field>
        <Field
          label={<label htmlFor={fields.amount.id}>{t("projects.allocate.amount")}</label>}
          hint={t("projects.allocate.amountHint", { remaining: fenToYuan(project.remainingFen) })}
          errorId={fields.amount.errorId}
          errors={fields.amount.errors}
        >
          <input {...getInputProps(fields.amount, { type: "number" })} step="0.01" inputMode="decimal" />
        </Field>
        <Field
          label={<label htmlFor={fields.allocatedOn.id}>{t("projects.allocate.date")}</label>}
          errorId={fields.allocatedOn.errorId}
          errors={fields.allocatedOn.errors}
        >
          <input {...getInputProps(fields.allocatedOn, { type: "date" })} />
        </Field>
        <Field
          label={<label htmlFor={fields.note.id}>{t("projects.allocate.note")}</label>}
          errorId={fields.note.errorId}
          errors={fields.note.errors}
        >
          <textarea {...getTextareaProps(fields.note)} rows={2} />
        </Field>
        <button className="button" type="submit" disabled={navigation.state === "submitting"}>
          {t("projects.allocate.submit")}
        </button>
      </Form>
    </section>
  );
}
