import { getFormProps, getTextareaProps, useForm } from "@conform-to/react";
import { FORM_CONSTRAINTS } from "~/schemas/constraints";
import type { z } from "zod";
import { Form, useLoaderData, useNavigation } from "@remix-run/react";
import { ErrorList, Field } from "~/components/forms";
import { useLocale, useT } from "~/i18n";
import { type PaymentReversalSchema } from "~/schemas/orders";
import { fmtWhen } from "~/utils/dates";
import { useIntentResult } from "~/utils/intent-reply";
import { fenToYuan } from "~/utils/units";
import { INTENT } from "./intents";
import type { LoaderData, loader } from "./route";

type Payment = LoaderData["deliveries"][number]["payments"][number];

/**
 * A delivery's payments, each reversal right after its original (domain rule 9: the ledger shows both); a
 * payment that stands offers 冲销 with a reason.
 */
export function PaymentLedger({ payments }: { payments: Payment[] }) {
  const { can } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  if (!payments.length) return null;
  return (
    <ul className="payment-list" aria-label={t("orders.payment.ledger")} data-testid="payment-ledger">
      {payments.map((p) =>
        p.correctsPaymentId ? (
          <li key={p.id} id={`payment-${p.id}`} className="reversal" data-testid="payment-reversal">
            <span className="badge">{t("orders.payment.reversal")}</span>{" "}
            {t("orders.payment.reversalLine", {
              date: p.paidOn,
              amount: fenToYuan(p.amountFen),
              reason: p.reason ?? "",
              who: p.createdByName ?? "—",
              when: fmtWhen(locale, p.createdAt),
            })}
          </li>
        ) : (
          <li
            key={p.id}
            id={`payment-${p.id}`}
            className={p.reversedBy ? "reversed" : undefined}
            data-testid="payment-line"
          >
            {p.reversedBy ? <span className="badge warn">{t("orders.payment.reversed")}</span> : null}{" "}
            {t("orders.payment.line", { date: p.paidOn, amount: fenToYuan(p.amountFen) })}
            {p.note ? <span className="muted"> · {p.note}</span> : null}
            {can.reversePayment && !p.reversedBy ? <PaymentReversalForm payment={p} /> : null}
            {p.reversedBy ? <ReversalRefused paymentId={p.id} /> : null}
          </li>
        ),
      )}
    </ul>
  );
}

function PaymentReversalForm({ payment: p }: { payment: Payment }) {
  const { order } = useLoaderData<typeof loader>();
  const lastResult = useIntentResult(INTENT.reversePayment, p.id);
  const navigation = useNavigation();
  const t = useT();
  const [form, fields] = useForm<z.input<typeof PaymentReversalSchema>>({
    id: `reverse-payment-${p.id}`,
    lastResult,
    constraint: FORM_CONSTRAINTS.PaymentReversalSchema,
    defaultValue: { paymentId: p.id, reason: "" },
  });
  return (
    <details className="inline row-form payment-reversal-form" open={Boolean(lastResult)}>
      <summary>{t("orders.payment.reverseOpen")}</summary>
      <Form method="post" action={`/orders/${order.id}`} className="form" {...getFormProps(form)}>
        <input type="hidden" name="intent" value={INTENT.reversePayment} />
        <input type="hidden" name="paymentId" value={p.id} />
        <p className="muted small">{t("orders.payment.reverseHint")}</p>
        <ErrorList id={form.errorId} errors={form.errors} />
        <Field
          label={<label htmlFor={fields.reason.id}>{t("orders.payment.reverseReason")}</label>}
          errorId={fields.reason.errorId}
          errors={fields.reason.errors}
        >
          <textarea {...getTextareaProps(fields.reason)} rows={2} />
        </Field>
        <button className="button" type="submit" disabled={navigation.state === "submitting"}>
          {t("orders.payment.reverseSubmit")}
        </button>
      </Form>
    </details>
  );
}

/** A reversal posted from a page drawn before someone else reversed the same payment: said beside the row. */
function ReversalRefused({ paymentId }: { paymentId: string }) {
  const lastResult = useIntentResult(INTENT.reversePayment, paymentId);
  const errors = lastResult?.error ? Object.values(lastResult.error).flat() : undefined;
  return <ErrorList errors={errors ?? undefined} />;
}
