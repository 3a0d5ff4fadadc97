import { getFormProps, getInputProps, getTextareaProps, useForm } from "@conform-to/react";
import { FORM_CONSTRAINTS } from "~/schemas/constraints";
import type { z } from "zod";
import { Form, useLoaderData, useNavigation } from "@remix-run/react";
import { ErrorList, Field } from "~/components/forms";
import { useLocale, useT } from "~/i18n";
import { type AllocationChangeSchema } from "~/schemas/orders";
import { fmtWhen } from "~/utils/dates";
import { useIntentResult } from "~/utils/intent-reply";
import { fmtKg } from "./format";
import { INTENT } from "./intents";
import type { LoaderData, loader } from "./route";

type Allocation = LoaderData["households"][number];

/** The allocation as recorded, then each change with its reason, who and when (domain rule 9). */
export function AllocationHistory({ allocation: h }: { allocation: Allocation }) {
  const t = useT();
  const locale = useLocale();
  if (!h.changes.length) return null;
  return (
    <ul
      className="allocation-history small"
      aria-label={t("orders.allocation.history")}
      data-testid="allocation-history"
    >
      <li>
        {t("orders.allocation.recorded", { when: fmtWhen(locale, h.createdAt), kg: fmtKg(locale, h.recordedKg) })}
      </li>
      {h.changes.map((c) => (
        <li key={c.id} data-testid="allocation-change">
          {t("orders.allocation.changeLine", {
            sign: c.deltaKg > 0 ? "+" : "−",
            kg: fmtKg(locale, Math.abs(c.deltaKg)),
            reason: c.reason,
            who: c.createdByName ?? "—",
            when: fmtWhen(locale, c.createdAt),
          })}
        </li>
      ))}
    </ul>
  );
}

/** "调整分配": the new quantity (0 withdraws) and the reason, at the version the page showed. */
export function AllocationChangeForm({ allocation: h }: { allocation: Allocation }) {
  const { order } = useLoaderData<typeof loader>();
  const lastResult = useIntentResult(INTENT.changeAllocation, h.allocationId);
  const navigation = useNavigation();
  const t = useT();
  const [form, fields] = useForm<z.input<typeof AllocationChangeSchema>>({
    id: `change-allocation-${h.allocationId}`,
    lastResult,
    constraint: FORM_CONSTRAINTS.AllocationChangeSchema,
    defaultValue: {
      allocationId: h.allocationId,
      version: String(h.version),
      quantityKg: String(h.allocatedKg),
      reason: "",
    },
  });
  return (
    <details className="inline row-form allocation-change-form" open={Boolean(lastResult)}>
      <summary>{t("orders.allocation.change")}</summary>
      <Form method="post" action={`/orders/${order.id}`} className="form" {...getFormProps(form)}>
        <input type="hidden" name="intent" value={INTENT.changeAllocation} />
        <input type="hidden" name="allocationId" value={h.allocationId} />
        <input type="hidden" name="version" value={h.version} />
        <p className="muted small">{t("orders.allocation.changeHint")}</p>
        <ErrorList id={form.errorId} errors={form.errors} />
        <Field
          label={<label htmlFor={fields.quantityKg.id}>{t("orders.allocation.newKg")}</label>}
          errorId={fields.quantityKg.errorId}
          errors={fields.quantityKg.errors}
        >
          <input {...getInputProps(fields.quantityKg, { type: "number" })} step="0.01" min="0" inputMode="decimal" />
        </Field>
        <Field
          label={<label htmlFor={fields.reason.id}>{t("orders.allocation.reason")}</label>}
          errorId={fields.reason.errorId}
          errors={fields.reason.errors}
        >
          <textarea {...getTextareaProps(fields.reason)} rows={2} />
        </Field>
        <button className="button" type="submit" disabled={navigation.state === "submitting"}>
          {t("orders.allocation.submit")}
        </button>
      </Form>
    </details>
  );
}
