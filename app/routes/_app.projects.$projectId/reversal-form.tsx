import { getFormProps, getTextareaProps, useForm } from "@conform-to/react";
import { FORM_CONSTRAINTS } from "~/schemas/constraints";
import type { z } from "zod";
import { Form, useLoaderData, useNavigation } from "@remix-run/react";
import { ErrorList, Field } from "~/components/forms";
import { useT } from "~/i18n";
import { type AllocationReversalSchema } from "~/schemas/project";
import { useIntentResult } from "~/utils/intent-reply";
import { fenToYuan } from "~/utils/units";
import { INTENT } from "./intents";
import type { loader } from "./route";

type Allocation = ReturnType<typeof useLoaderData<typeof loader>>["project"]["allocations"][number];

/** "冲销" on an allocation that stands: the reason only; the counter-entry copies every figure, negated. */
export function ReversalForm({ allocation: a }: { allocation: Allocation }) {
  const { project } = useLoaderData<typeof loader>();
  const lastResult = useIntentResult(INTENT.reverse, a.id);
  const navigation = useNavigation();
  const t = useT();
  const [form, fields] = useForm<z.input<typeof AllocationReversalSchema>>({
    id: `reverse-${a.id}`,
    lastResult,
    constraint: FORM_CONSTRAINTS.AllocationReversalSchema,
    defaultValue: { allocationId: a.id, reason: "" },
  });
  return (
    <details className="inline row-form reversal-form" open={Boolean(lastResult)}>
      <summary>{t("projects.reversal.open")}</summary>
      <Form method="post" action={`/projects/${project.id}`} className="form" {...getFormProps(form)}>
        <input type="hidden" name="intent" value={INTENT.reverse} />
        <input type="hidden" name="allocationId" value={a.id} />
        <p className="muted small">
          {t("projects.reversal.hint", { name: a.headName, amount: fenToYuan(a.amountFen) })}
        </p>
        <ErrorList id={form.errorId} errors={form.errors} />
        <Field
          label={<label htmlFor={fields.reason.id}>{t("projects.reversal.reason")}</label>}
          errorId={fields.reason.errorId}
          errors={fields.reason.errors}
        >
          <textarea {...getTextareaProps(fields.reason)} rows={2} />
        </Field>
        <button className="button" type="submit" disabled={navigation.state === "submitting"}>
          {t("projects.reversal.submit")}
        </button>
      </Form>
    </details>
  );
}

/** A reversal posted from a page drawn before someone else reversed the same allocation: said beside it. */
export function ReversalRefused({ allocationId }: { allocationId: string }) {
  const lastResult = useIntentResult(INTENT.reverse, allocationId);
  const errors = lastResult?.error ? Object.values(lastResult.error).flat() : undefined;
  return <ErrorList errors={errors ?? undefined} />;
}
