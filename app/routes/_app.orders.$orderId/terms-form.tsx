import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { FORM_CONSTRAINTS } from "~/schemas/constraints";
import type { z } from "zod";
import { Form, useLoaderData, useNavigation } from "@remix-run/react";
import { ErrorList, Field } from "~/components/forms";
import { useT } from "~/i18n";
import { type OrderTermsSchema } from "~/schemas/orders";
import { useIntentResult } from "~/utils/intent-reply";
import { INTENT } from "./intents";
import type { loader } from "./route";

/**
 * "修改订单条款": quantity, price, season and delivery window, prefilled with the terms shown and saved at
 * their version. The model refuses what a recorded allocation or delivery contradicts.
 */
export function TermsForm() {
  const { order } = useLoaderData<typeof loader>();
  const lastResult = useIntentResult(INTENT.terms);
  const navigation = useNavigation();
  const t = useT();
  const [form, fields] = useForm<z.input<typeof OrderTermsSchema>>({
    id: "terms",
    lastResult,
    constraint: FORM_CONSTRAINTS.OrderTermsSchema,
    defaultValue: {
      quantityKg: String(order.quantityKg),
      unitPriceFen: (order.unitPriceFen / 100).toFixed(2),
      season: order.season,
      deliveryStart: order.deliveryStart,
      deliveryEnd: order.deliveryEnd,
    },
  });
  return (
    <details className="inline row-form terms-form" id="terms" open={Boolean(lastResult)}>
      <summary>{t("orders.terms.open")}</summary>
      <Form method="post" action={`/orders/${order.id}`} className="form" {...getFormProps(form)}>
        <input type="hidden" name="intent" value={INTENT.terms} />
        <input type="hidden" name="version" value={order.version} />
        <p className="muted small">{t("orders.terms.hint")}</p>
        <ErrorList id={form.errorId} errors={form.errors} />
        <div className="form-grid-2">
          <Field
            label={<label htmlFor={fields.quantityKg.id}>{t("orders.field.quantity")}</label>}
            errorId={fields.quantityKg.errorId}
            errors={fields.quantityKg.errors}
          >
            <input {...getInputProps(fields.quantityKg, { type: "number" })} step="0.01" inputMode="decimal" />
          </Field>
          <Field
            label={<label htmlFor={fields.unitPriceFen.id}>{t("orders.field.price")}</label>}
            errorId={fields.unitPriceFen.errorId}
            errors={fields.unitPriceFen.errors}
          >
            <input {...getInputProps(fields.unitPriceFen, { type: "number" })} step="0.01" inputMode="decimal" />
          </Field>
          <Field
            label={<label htmlFor={fields.season.id}>{t("orders.field.season")}</label>}
            errorId={fields.season.errorId}
            errors={fields.season.errors}
          >
            <input {...getInputProps(fields.season, { type: "text" })} />
          </Field>
          <span />
          <Field
            label={<label htmlFor={fields.deliveryStart.id}>{t("orders.field.deliveryStart")}</label>}
            errorId={fields.deliveryStart.errorId}
            errors={fields.deliveryStart.errors}
          >
            <input {...getInputProps(fields.deliveryStart, { type: "date" })} />
          </Field>
          <Field
            label={<label htmlFor={fields.deliveryEnd.id}>{t("orders.field.deliveryEnd")}</label>}
            errorId={fields.deliveryEnd.errorId}
            errors={fields.deliveryEnd.errors}
          >
            <input {...getInputProps(fields.deliveryEnd, { type: "date" })} />
          </Field>
        </div>
        <button className="button" type="submit" disabled={navigation.state === "submitting"}>
          {t("orders.terms.submit")}
        </button>
      </Form>
    </details>
  );
}
