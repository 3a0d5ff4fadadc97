import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { FORM_CONSTRAINTS } from "~/schemas/constraints";
import { Form, useLoaderData, useNavigation } from "@remix-run/react";
import { Choice } from "~/components/choice";
import { ErrorList, Field } from "~/components/forms";
import { useT } from "~/i18n";
import type { DeliveryFormSchema } from "~/schemas/orders";
import {
  DELIVERY_DAYS_AFTER_WINDOW,
  DELIVERY_DAYS_BEFORE_WINDOW,
  DELIVERY_PRICE_TOLERANCE_PERCENT,
} from "~/schemas/plain";
import type { z } from "zod";
import { useIntentResult } from "~/utils/intent-reply";
import { DELIVERY_GRADES } from "~/vocabulary";
import { INTENT } from "./intents";
import type { LoaderData, loader } from "./route";

export function DeliveryForm({ allocation: h }: { allocation: LoaderData["households"][number] }) {
  const { order, today } = useLoaderData<typeof loader>();
  const lastResult = useIntentResult(INTENT.deliver, h.allocationId);
  const navigation = useNavigation();
  const t = useT();
  const [form, fields] = useForm<z.input<typeof DeliveryFormSchema>>({
    id: `deliver-${h.allocationId}`,
    lastResult,
    constraint: FORM_CONSTRAINTS.DeliveryFormSchema,
    defaultValue: {
      allocationId: h.allocationId,
      deliveredOn: today,
      quantityKg: h.remainingKg > 0 ? String(h.remainingKg) : "",
      grade: "first",
      unitPriceFen: (order.unitPriceFen / 100).toFixed(2),
      paidFen: "0",
    },
  });
  return (
    <details className="inline row-form delivery-form" open={Boolean(lastResult)}>
      <summary>{t("orders.delivery.record", { name: h.headName })}</summary>
      <Form method="post" action={`/orders/${order.id}`} className="form" {...getFormProps(form)}>
        <input type="hidden" name="intent" value={INTENT.deliver} />
        <input type="hidden" name="allocationId" value={h.allocationId} />
        <ErrorList id={form.errorId} errors={form.errors} />
        <div className="form-grid-2">
          <Field
            label={<label htmlFor={fields.deliveredOn.id}>{t("orders.delivery.date")}</label>}
            errorId={fields.deliveredOn.errorId}
            errors={fields.deliveredOn.errors}
          >
            <input {...getInputProps(fields.deliveredOn, { type: "date" })} />
          </Field>
          <Field
            label={<label htmlFor={fields.quantityKg.id}>{t("orders.delivery.kg")}</label>}
            errorId={fields.quantityKg.errorId}
            errors={fields.quantityKg.errors}
          >
            <input {...getInputProps(fields.quantityKg, { type: "number" })} step="0.01" inputMode="decimal" />
          </Field>
          <Choice
            meta={fields.grade}
            label={t("orders.delivery.grade")}
            words={DELIVERY_GRADES}
            wordKey="orders.grade"
          />
          <Field
            label={<label htmlFor={fields.unitPriceFen.id}>{t("orders.delivery.price")}</label>}
            hint={t("orders.delivery.tolerance", {
              percent: DELIVERY_PRICE_TOLERANCE_PERCENT,
              before: DELIVERY_DAYS_BEFORE_WINDOW,
              after: DELIVERY_DAYS_AFTER_WINDOW,
            })}
            errorId={fields.unitPriceFen.errorId}
            errors={fields.unitPriceFen.errors}
          >
            <input {...getInputProps(fields.unitPriceFen, { type: "number" })} step="0.01" inputMode="decimal" />
          </Field>
          <Field
            label={<label htmlFor={fields.paidFen.id}>{t("orders.delivery.paid")}</label>}
            errorId={fields.paidFen.errorId}
            errors={fields.paidFen.errors}
          >
            <input {...getInputProps(fields.paidFen, { type: "number" })} step="0.01" inputMode="decimal" />
          </Field>
        </div>
        <button className="button" type="submit" disabled={navigation.state === "submitting"}>
          {t("orders.delivery.submit")}
        </button>
      </Form>
    </details>
  );
}
