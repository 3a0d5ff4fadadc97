import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { FORM_CONSTRAINTS } from "~/schemas/constraints";
import type { z } from "zod";
import { Form, useLoaderData, useNavigation } from "@remix-run/react";
import { ErrorList, Field } from "~/components/forms";
import { useT } from "~/i18n";
import { type PaymentSchema } from "~/schemas/orders";
import { useIntentResult } from "~/utils/intent-reply";
import { fenToYuan } from "~/utils/units";
import { INTENT } from "./intents";
import type { LoaderData, loader } from "./route";

export function PaymentForm({ delivery: d }: { delivery: LoaderData["deliveries"][number] }) {
  const { order, today } = useLoaderData<typeof loader>();
  const lastResult = useIntentResult(INTENT.pay, d.id);
  const navigation = useNavigation();
  const t = useT();
  const outstanding = fenToYuan(d.amountFen - d.paidFen);
  const [form, fields] = useForm<z.input<typeof PaymentSchema>>({
    id: `pay-${d.id}`,
    lastResult,
    constraint: FORM_CONSTRAINTS.PaymentSchema,
    defaultValue: { deliveryId: d.id, amountFen: outstanding, paidOn: today },
  });
  return (
    <details className="inline row-form payment-form" open={Boolean(lastResult)}>
      <summary>
        {t("orders.payment.record")} · {t("orders.payment.outstanding", { amount: outstanding })}
      </summary>
      <Form method="post" action={`/orders/${order.id}`} className="form" {...getFormProps(form)}>
        <input type="hidden" name="intent" value={INTENT.pay} />
        <input type="hidden" name="deliveryId" value={d.id} />
        <ErrorList id={form.errorId} errors={form.errors} />
        <div className="form-grid-2">
          <Field
            label={<label htmlFor={fields.amountFen.id}>{t("orders.payment.amount")}</label>}
            errorId={fields.amountFen.errorId}
            errors={fields.amountFen.errors}
          >
            <input {...getInputProps(fields.amountFen, { type: "number" })} step="0.01" inputMode="decimal" />
          </Field>
          <Field
            label={<label htmlFor={fields.paidOn.id}>{t("orders.payment.date")}</label>}
            errorId={fields.paidOn.errorId}
            errors={fields.paidOn.errors}
          >
            <input {...getInputProps(fields.paidOn, { type: "date" })} />
          </Field>
        </div>
        <Field
          label={<label htmlFor={fields.note.id}>{t("orders.payment.note")}</label>}
          errorId={fields.note.errorId}
          errors={fields.note.errors}
        >
          <input {...getInputProps(fields.note, { type: "text" })} maxLength={200} />
        </Field>
        <button className="button" type="submit" disabled={navigation.state === "submitting"}>
          {t("orders.payment.submit")}
        </button>
      </Form>
    </details>
  );
}
