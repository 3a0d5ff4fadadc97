import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { FORM_CONSTRAINTS } from "~/schemas/constraints";
import type { z } from "zod";
import { Form, useLoaderData, useNavigation } from "@remix-run/react";
import { ErrorList, Field } from "~/components/forms";
import { useT } from "~/i18n";
import { useIntentResult } from "~/utils/intent-reply";
import { Choice } from "~/components/choice";
import type { LeaveFormSchema, MembershipSchema } from "~/schemas/orders";
import { INTENT } from "./intents";
import type { loader } from "./route";

export function JoinForm() {
  const { cooperative, candidates, q, today } = useLoaderData<typeof loader>();
  const lastResult = useIntentResult(INTENT.join);
  const navigation = useNavigation();
  const t = useT();
  const [form, fields] = useForm<z.input<typeof MembershipSchema>>({
    id: "join",
    lastResult,
    constraint: FORM_CONSTRAINTS.MembershipSchema,
    defaultValue: { joinedOn: today },
  });
  return (
    <details className="card" open={Boolean(lastResult) || Boolean(q)}>
      <summary>{t("orders.coop.join")}</summary>
      <Form method="get" action={`/cooperatives/${cooperative.id}#members`} className="actions" preventScrollReset>
        <label className="field">
          <span>{t("orders.coop.search")}</span>
          <input type="search" name="q" defaultValue={q} maxLength={20} />
        </label>
        <button className="button secondary small-button" type="submit">
          {t("orders.coop.searchButton")}
        </button>
      </Form>
      <Form
        method="post"
        action={`/cooperatives/${cooperative.id}${q ? `?${new URLSearchParams({ q })}` : ""}`}
        className="form"
        {...getFormProps(form)}
      >
        <input type="hidden" name="intent" value={INTENT.join} />
        <ErrorList id={form.errorId} errors={form.errors} />
        <Choice
          meta={fields.householdId}
          label={t("orders.coop.household")}
          placeholder={t("orders.choose")}
          options={candidates.map((h) => ({ value: h.id, label: `${h.headName} · ${h.village} · ${h.code}` }))}
          hint={candidates.length === 0 ? t("orders.coop.noCandidates") : t("orders.coop.candidatesHint")}
        />
        <Field
          label={<label htmlFor={fields.joinedOn.id}>{t("orders.coop.joinedOnLabel")}</label>}
          errorId={fields.joinedOn.errorId}
          errors={fields.joinedOn.errors}
        >
          <input {...getInputProps(fields.joinedOn, { type: "date" })} />
        </Field>
        <button className="button" type="submit" disabled={navigation.state === "submitting"}>
          {t("orders.coop.joinSubmit")}
        </button>
      </Form>
    </details>
  );
}

export function LeaveForm({ membershipId, headName }: { membershipId: string; headName: string }) {
  const { cooperative, today } = useLoaderData<typeof loader>();
  const lastResult = useIntentResult(INTENT.leave, membershipId);
  const t = useT();
  const [form, fields] = useForm<z.input<typeof LeaveFormSchema>>({
    id: `leave-${membershipId}`,
    lastResult,
    constraint: FORM_CONSTRAINTS.LeaveFormSchema,
    defaultValue: { leftOn: today, membershipId },
  });
  return (
    <details className="inline row-form" open={Boolean(lastResult)}>
      <summary>{t("orders.coop.leave")}</summary>
      <Form method="post" action={`/cooperatives/${cooperative.id}`} className="form" {...getFormProps(form)}>
        <input type="hidden" name="intent" value={INTENT.leave} />
        <input type="hidden" name="membershipId" value={membershipId} />
        <ErrorList id={form.errorId} errors={form.errors} />
        <Field
          label={<label htmlFor={fields.leftOn.id}>{t("orders.coop.leftOnLabel", { name: headName })}</label>}
          errorId={fields.leftOn.errorId}
          errors={fields.leftOn.errors}
        >
          <input {...getInputProps(fields.leftOn, { type: "date" })} />
        </Field>
        <button className="button secondary small-button" type="submit">
          {t("orders.coop.leaveSubmit")}
        </button>
      </Form>
    </details>
  );
}
