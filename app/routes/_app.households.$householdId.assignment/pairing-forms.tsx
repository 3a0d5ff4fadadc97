import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { FORM_CONSTRAINTS } from "~/schemas/constraints";
import type { z } from "zod";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { Choice } from "~/components/choice";
import { ErrorList, Field } from "~/components/forms";
import { useT } from "~/i18n";
import { type HouseholdAssignFormSchema, type HouseholdEndFormSchema } from "~/schemas/pairing";
import type { ActionData, Intent, LoaderData } from "./route";

function useLastResult(intent: Intent) {
  const data = useActionData() as ActionData | undefined;
  return data?.intent === intent ? data.result : undefined;
}

export function AssignOne({ data }: { data: LoaderData }) {
  const t = useT();
  const navigation = useNavigation();
  const { current } = data;
  const [form, fields] = useForm<z.input<typeof HouseholdAssignFormSchema>>({
    id: "assign-one",
    lastResult: useLastResult("assign"),
    constraint: FORM_CONSTRAINTS.HouseholdAssignFormSchema,
    defaultValue: { startsOn: data.today },
  });
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "assign";
  const others = data.cadres.filter((c) => c.id !== current?.cadreId);
  return (
    <section aria-labelledby="assign-title">
      <h2 id="assign-title">{t(current ? "pairing.handOver.title" : "pairing.assign.title")}</h2>
      <Form method="post" className="form card" {...getFormProps(form)}>
        <input type="hidden" name="intent" value="assign" />
        <input type="hidden" name="expectedCadreId" value={current?.cadreId ?? "none"} />
        <ErrorList id={form.errorId} errors={form.errors} />
        <Choice
          meta={fields.cadreId}
          label={t(current ? "pairing.handOver.to" : "pairing.assignTo")}
          placeholder={t("pairing.chooseCadre")}
          options={others.map((c) => ({
            value: c.id,
            label: t("pairing.cadreOption", { name: c.name, n: c.households }),
          }))}
        />
        <Field
          label={<label htmlFor={fields.startsOn.id}>{t("pairing.startsOn")}</label>}
          errorId={fields.startsOn.errorId}
          errors={fields.startsOn.errors}
        >
          <input {...getInputProps(fields.startsOn, { type: "date" })} max={data.today} />
        </Field>
        {current ? (
          <Field
            label={<label htmlFor={fields.reason.id}>{t("pairing.reason")}</label>}
            errorId={fields.reason.errorId}
            errors={fields.reason.errors}
          >
            <input
              {...getInputProps(fields.reason, { type: "text" })}
              placeholder={t("pairing.handOver.reasonPlaceholder")}
            />
          </Field>
        ) : null}
        <button className="button" type="submit" disabled={busy}>
          {t(current ? "pairing.handOver.submit" : "pairing.assign.submit")}
        </button>
      </Form>
    </section>
  );
}

export function EndOne({ data }: { data: LoaderData }) {
  const t = useT();
  const navigation = useNavigation();
  const lastResult = useLastResult("end");
  const [form, fields] = useForm<z.input<typeof HouseholdEndFormSchema>>({
    id: "end-one",
    lastResult,
    constraint: FORM_CONSTRAINTS.HouseholdEndFormSchema,
    defaultValue: { endsOn: data.today },
  });
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "end";
  return (
    <details className="card pairing-end" open={lastResult ? true : undefined}>
      <summary>{t("pairing.end.title")}</summary>
      <p className="muted small">{t("pairing.end.hint")}</p>
      <Form method="post" className="form" {...getFormProps(form)}>
        <input type="hidden" name="intent" value="end" />
        <input type="hidden" name="expectedCadreId" value={data.current?.cadreId ?? "none"} />
        <ErrorList id={form.errorId} errors={form.errors} />
        <Field
          label={<label htmlFor={fields.endsOn.id}>{t("pairing.endsOn")}</label>}
          errorId={fields.endsOn.errorId}
          errors={fields.endsOn.errors}
        >
          <input {...getInputProps(fields.endsOn, { type: "date" })} max={data.today} />
        </Field>
        <Field
          label={<label htmlFor={fields.reason.id}>{t("pairing.reason")}</label>}
          errorId={fields.reason.errorId}
          errors={fields.reason.errors}
        >
          <input {...getInputProps(fields.reason, { type: "text" })} placeholder={t("pairing.end.reasonPlaceholder")} />
        </Field>
        <button className="button secondary" type="submit" disabled={busy}>
          {t("pairing.end.submit")}
        </button>
      </Form>
    </details>
  );
}
