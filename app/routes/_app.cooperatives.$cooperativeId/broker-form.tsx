import { getFormProps, getInputProps, useForm, type FieldMetadata } from "@conform-to/react";
import { FORM_CONSTRAINTS } from "~/schemas/constraints";
import type { z } from "zod";
import { Form, useLoaderData, useNavigation } from "@remix-run/react";
import { ErrorList, Field } from "~/components/forms";
import { useT } from "~/i18n";
import { useIntentResult } from "~/utils/intent-reply";
import { type BrokerEditSchema, type BrokerSchema } from "~/schemas/orders";
import { INTENT } from "./intents";
import type { loader } from "./route";

export function BrokerForm() {
  const { cooperative } = useLoaderData<typeof loader>();
  const lastResult = useIntentResult(INTENT.broker);
  const navigation = useNavigation();
  const t = useT();
  const [form, fields] = useForm<z.input<typeof BrokerSchema>>({
    id: "broker",
    lastResult,
    constraint: FORM_CONSTRAINTS.BrokerSchema,
  });
  return (
    <details className="card" open={Boolean(lastResult)}>
      <summary>{t("orders.coop.addBroker")}</summary>
      <Form method="post" action={`/cooperatives/${cooperative.id}`} className="form" {...getFormProps(form)}>
        <input type="hidden" name="intent" value={INTENT.broker} />
        <ErrorList id={form.errorId} errors={form.errors} />
        <BrokerFields name={fields.name} phone={fields.phone} />
        <button className="button" type="submit" disabled={navigation.state === "submitting"}>
          {t("orders.coop.addBrokerSubmit")}
        </button>
      </Form>
    </details>
  );
}

/** A broker's name and phone corrected, or the broker retired: both at the version the page showed. */
export function BrokerEditForm({
  broker,
}: {
  broker: { id: string; name: string; phone: string | null; version: number };
}) {
  const { cooperative } = useLoaderData<typeof loader>();
  const update = useIntentResult(INTENT.brokerUpdate, broker.id);
  const retire = useIntentResult(INTENT.brokerRetire, broker.id);
  const navigation = useNavigation();
  const t = useT();
  const [form, fields] = useForm<z.input<typeof BrokerEditSchema>>({
    id: `broker-${broker.id}-${broker.version}`,
    lastResult: update,
    constraint: FORM_CONSTRAINTS.BrokerEditSchema,
    defaultValue: {
      name: broker.name,
      phone: broker.phone ?? "",
      version: String(broker.version),
      brokerId: broker.id,
    },
  });
  const busy = navigation.state === "submitting";
  const retireErrors = retire?.error ? Object.values(retire.error).flat() : [];
  return (
    <details className="broker-edit" open={Boolean(update || retire)}>
      <summary className="small">{t("orders.broker.edit")}</summary>
      <Form method="post" action={`/cooperatives/${cooperative.id}`} className="form" {...getFormProps(form)}>
        <input type="hidden" name="intent" value={INTENT.brokerUpdate} />
        <input {...getInputProps(fields.brokerId, { type: "hidden" })} />
        <input {...getInputProps(fields.version, { type: "hidden" })} />
        <ErrorList id={form.errorId} errors={form.errors} />
        <BrokerFields name={fields.name} phone={fields.phone} />
        <button className="button" type="submit" disabled={busy}>
          {t("orders.broker.save")}
        </button>
      </Form>
      <Form method="post" action={`/cooperatives/${cooperative.id}`} className="inline-actions">
        <ErrorList errors={retireErrors} />
        <input type="hidden" name="intent" value={INTENT.brokerRetire} />
        <input type="hidden" name="brokerId" value={broker.id} />
        <input type="hidden" name="version" value={broker.version} />
        <button className="button secondary" type="submit" disabled={busy}>
          {t("orders.broker.retire")}
        </button>
      </Form>
    </details>
  );
}

/** A broker's name and phone, in the add form and in each broker's edit form. */
function BrokerFields({ name, phone }: { name: FieldMetadata<string>; phone: FieldMetadata<string> }) {
  const t = useT();
  return (
    <>
      <Field
        label={<label htmlFor={name.id}>{t("orders.broker.name")}</label>}
        errorId={name.errorId}
        errors={name.errors}
      >
        <input {...getInputProps(name, { type: "text" })} />
      </Field>
      <Field
        label={<label htmlFor={phone.id}>{t("orders.broker.phone")}</label>}
        errorId={phone.errorId}
        errors={phone.errors}
      >
        <input {...getInputProps(phone, { type: "tel" })} inputMode="tel" />
      </Field>
    </>
  );
}
