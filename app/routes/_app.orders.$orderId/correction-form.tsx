import { getFormProps, getInputProps, getTextareaProps, useForm } from "@conform-to/react";
import { FORM_CONSTRAINTS } from "~/schemas/constraints";
import type { z } from "zod";
import { Form, useLoaderData, useNavigation } from "@remix-run/react";
import { Choice } from "~/components/choice";
import { ErrorList, Field } from "~/components/forms";
import { useT } from "~/i18n";
import type { DeliveryCorrectionSchema } from "~/schemas/orders";
import { DELIVERY_CORRECTION_MODES } from "~/schemas/plain";
import { useIntentResult } from "~/utils/intent-reply";
import { DELIVERY_GRADES } from "~/vocabulary";
import { INTENT } from "./intents";
import type { LoaderData, loader } from "./route";

/**
 * "更正" on a delivery that stands: a reason, and either the right values (prefilled with the recorded ones,
 * so the clerk changes only what was wrong) or a reversal alone. A plain form: it posts without JavaScript.
 */
export function CorrectionForm({
  delivery: d,
  headName,
}: {
  delivery: LoaderData["deliveries"][number];
  headName: string;
}) {
  const { order } = useLoaderData<typeof loader>();
  const lastResult = useIntentResult(INTENT.correct, d.id);
  const navigation = useNavigation();
  const t = useT();
  const [form, fields] = useForm<z.input<typeof DeliveryCorrectionSchema>>({
    id: `correct-${d.id}`,
    lastResult,
    constraint: FORM_CONSTRAINTS.DeliveryCorrectionSchema,
    defaultValue: {
      deliveryId: d.id,
      mode: "replace",
      reason: "",
      deliveredOn: d.deliveredOn,
      quantityKg: String(d.quantityKg),
      grade: d.grade,
      unitPriceFen: (d.unitPriceFen / 100).toFixed(2),
    },
  });
  return (
    <details className="inline row-form correction-form" open={Boolean(lastResult)}>
      <summary>{t("orders.correction.open")}</summary>
      <Form method="post" action={`/orders/${order.id}`} className="form" {...getFormProps(form)}>
        <input type="hidden" name="intent" value={INTENT.correct} />
        <input type="hidden" name="deliveryId" value={d.id} />
        <p className="muted small">
          <b>{t("orders.correction.title", { name: headName })}</b> · {t("orders.correction.hint")}
        </p>
        <ErrorList id={form.errorId} errors={form.errors} />
        <Field
          label={<label htmlFor={fields.reason.id}>{t("orders.correction.reason")}</label>}
          errorId={fields.reason.errorId}
          errors={fields.reason.errors}
        >
          <textarea {...getTextareaProps(fields.reason)} rows={2} />
        </Field>
        <Choice
          meta={fields.mode}
          label={t("orders.correction.mode")}
          words={DELIVERY_CORRECTION_MODES}
          wordKey="orders.correction.mode"
        />
        <fieldset>
          <legend className="small">{t("orders.correction.newValues")}</legend>
          <div className="form-grid-2">
            <Field
              label={<label htmlFor={fields.deliveredOn.id}>{t("orders.correction.date")}</label>}
              errorId={fields.deliveredOn.errorId}
              errors={fields.deliveredOn.errors}
            >
              <input {...getInputProps(fields.deliveredOn, { type: "date" })} required={false} />
            </Field>
            <Field
              label={<label htmlFor={fields.quantityKg.id}>{t("orders.correction.kg")}</label>}
              errorId={fields.quantityKg.errorId}
              errors={fields.quantityKg.errors}
            >
              <input
                {...getInputProps(fields.quantityKg, { type: "number" })}
                required={false}
                step="0.01"
                inputMode="decimal"
              />
            </Field>
            <Choice
              meta={fields.grade}
              label={t("orders.correction.grade")}
              words={DELIVERY_GRADES}
              wordKey="orders.grade"
            />
            <Field
              label={<label htmlFor={fields.unitPriceFen.id}>{t("orders.correction.price")}</label>}
              errorId={fields.unitPriceFen.errorId}
              errors={fields.unitPriceFen.errors}
            >
              <input
                {...getInputProps(fields.unitPriceFen, { type: "number" })}
                required={false}
                step="0.01"
                inputMode="decimal"
              />
            </Field>
          </div>
        </fieldset>
        <button className="button" type="submit" disabled={navigation.state === "submitting"}>
          {t("orders.correction.submit")}
        </button>
      </Form>
    </details>
  );
}

/**
 * A correction posted from a page opened before someone else corrected the same delivery: its form is gone
 * (the delivery is reversed now), so the refusal is said beside the reversed row instead.
 */
export function CorrectionRefused({ deliveryId }: { deliveryId: string }) {
  const lastResult = useIntentResult(INTENT.correct, deliveryId);
  const errors = lastResult?.error ? Object.values(lastResult.error).flat() : undefined;
  return <ErrorList errors={errors ?? undefined} />;
}
