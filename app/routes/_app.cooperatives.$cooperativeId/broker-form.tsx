import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { getZodConstraint } from "@conform-to/zod/v4";
import { Form, useLoaderData, useNavigation } from "@remix-run/react";
import { ErrorList, Field } from "~/components/forms";
import { useT } from "~/i18n";
import { useIntentResult } from "~/utils/intent-reply";
import { parseForm } from "~/utils/zod-messages";
import { BrokerSchema } from "~/schemas/orders";
import { INTENT } from "./intents";
import type { loader } from "./route";

export function BrokerForm() {
  const { cooperative } = useLoaderData<typeof loader>();
  const lastResult = useIntentResult(INTENT.broker);
  const navigation = useNavigation();
  const t = useT();
  const [form, fields] = useForm({
    id: "broker",
    lastResult,
    constraint: getZodConstraint(BrokerSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseForm(formData, { schema: BrokerSchema }),
  });
  return (
    <details className="card" open={Boolean(lastResult)}>
      <summary>{t("orders.coop.addBroker")}</summary>
      <Form method="post" action={`/cooperatives/${cooperative.id}`} className="form" {...getFormProps(form)}>
        <input type="hidden" name="intent" value={INTENT.broker} />
        <ErrorList id={form.errorId} errors={form.errors} />
        <Field
          label={<label htmlFor={fields.name.id}>{t("orders.broker.name")}</label>}
          errorId={fields.name.errorId}
          errors={fields.name.errors}
        >
          <input {...getInputProps(fields.name, { type: "text" })} />
        </Field>
        <Field
          label={<label htmlFor={fields.phone.id}>{t("orders.broker.phone")}</label>}
          errorId={fields.phone.errorId}
          errors={fields.phone.errors}
        >
          <input {...getInputProps(fields.phone, { type: "tel" })} inputMode="tel" />
        </Field>
        <button className="button" type="submit" disabled={navigation.state === "submitting"}>
          {t("orders.coop.addBrokerSubmit")}
        </button>
      </Form>
    </details>
  );
}
