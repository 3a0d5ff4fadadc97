import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { FORM_CONSTRAINTS } from "~/schemas/constraints";
import type { z } from "zod";
import { Form, useLoaderData, useNavigation } from "@remix-run/react";
import { ErrorList, Field } from "~/components/forms";
import { useT, type MessageKey } from "~/i18n";
import { useIntentResult } from "~/utils/intent-reply";
import { type MembershipDeclineSchema, type MembershipRequestSchema } from "~/schemas/orders";
import { todayISO } from "~/utils/dates";
import { INTENT } from "./intents";
import type { LoaderData, loader } from "./route";

type MembershipRequestRow = LoaderData["requests"][number];

/** Enrolment requests: the clerk asks and may withdraw; an official of the township confirms or declines. */
export function Requests({ requests }: { requests: MembershipRequestRow[] }) {
  const { can } = useLoaderData<typeof loader>();
  const t = useT();
  const pending = requests.filter((r) => r.status === "pending");
  return (
    <>
      <h2 id="requests">{t("orders.coop.requests", { count: pending.length })}</h2>
      <p className="muted small">{t("orders.coop.requestsHint")}</p>
      {can.request ? <RequestForm /> : null}
      {requests.length === 0 ? (
        <p className="muted">{t("orders.coop.noRequests")}</p>
      ) : (
        <ul className="rows" data-testid="membership-requests">
          {requests.map((r) => (
            <li key={r.id}>
              <div className="row static">
                <span className="title">{r.headName}</span>
                <span className={r.status === "pending" ? "badge warn" : "badge"}>
                  {t(`orders.coop.requestStatus.${r.status}` as MessageKey)}
                </span>
                <span className="meta">
                  {r.village} · {r.householdCode}
                </span>
                <span className="muted small">
                  {t("orders.coop.requestedBy", {
                    name: r.requestedBy,
                    date: todayISO(new Date(r.requestedAt)),
                    joinedOn: r.joinedOn,
                  })}
                  {r.decidedAt && r.decidedBy
                    ? ` · ${t("orders.coop.decidedBy", { name: r.decidedBy, date: todayISO(new Date(r.decidedAt)) })}`
                    : ""}
                </span>
                {r.reason ? (
                  <span className="small">{t("orders.coop.declineReason", { reason: r.reason })}</span>
                ) : null}
                {r.status === "pending" && can.decide ? <DecideForms requestId={r.id} headName={r.headName} /> : null}
                {r.status === "pending" && can.request ? <WithdrawForm requestId={r.id} /> : null}
              </div>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function RequestForm() {
  const { cooperative, today } = useLoaderData<typeof loader>();
  const lastResult = useIntentResult(INTENT.request);
  const navigation = useNavigation();
  const t = useT();
  const [form, fields] = useForm<z.input<typeof MembershipRequestSchema>>({
    id: "request",
    lastResult,
    constraint: FORM_CONSTRAINTS.MembershipRequestSchema,
    defaultValue: { joinedOn: today },
  });
  return (
    <details className="card" open={Boolean(lastResult)}>
      <summary>{t("orders.coop.request")}</summary>
      <p className="small muted">{t("orders.coop.requestHelp")}</p>
      <Form method="post" action={`/cooperatives/${cooperative.id}`} className="form" {...getFormProps(form)}>
        <input type="hidden" name="intent" value={INTENT.request} />
        <ErrorList id={form.errorId} errors={form.errors} />
        <Field
          label={<label htmlFor={fields.identifier.id}>{t("orders.coop.identifier")}</label>}
          errorId={fields.identifier.errorId}
          errors={fields.identifier.errors}
        >
          <input {...getInputProps(fields.identifier, { type: "text" })} autoComplete="off" spellCheck={false} />
        </Field>
        <Field
          label={<label htmlFor={fields.joinedOn.id}>{t("orders.coop.joinedOnLabel")}</label>}
          errorId={fields.joinedOn.errorId}
          errors={fields.joinedOn.errors}
        >
          <input {...getInputProps(fields.joinedOn, { type: "date" })} />
        </Field>
        <button className="button" type="submit" disabled={navigation.state === "submitting"}>
          {t("orders.coop.requestSubmit")}
        </button>
      </Form>
    </details>
  );
}

function DecideForms({ requestId, headName }: { requestId: string; headName: string }) {
  const { cooperative } = useLoaderData<typeof loader>();
  const confirmResult = useIntentResult(INTENT.confirm, requestId);
  const declineResult = useIntentResult(INTENT.decline, requestId);
  const t = useT();
  const [confirmForm] = useForm({ id: `confirm-${requestId}`, lastResult: confirmResult });
  const [form, fields] = useForm<z.input<typeof MembershipDeclineSchema>>({
    id: `decline-${requestId}`,
    lastResult: declineResult,
    constraint: FORM_CONSTRAINTS.MembershipDeclineSchema,
    defaultValue: { requestId },
  });
  return (
    <div className="actions">
      <Form method="post" action={`/cooperatives/${cooperative.id}`} {...getFormProps(confirmForm)}>
        <input type="hidden" name="intent" value={INTENT.confirm} />
        <input type="hidden" name="requestId" value={requestId} />
        <ErrorList id={confirmForm.errorId} errors={confirmForm.errors} />
        <button className="button small-button" type="submit">
          {t("orders.coop.confirm")}
        </button>
      </Form>
      <details className="inline row-form" open={Boolean(declineResult)}>
        <summary>{t("orders.coop.decline")}</summary>
        <Form method="post" action={`/cooperatives/${cooperative.id}`} className="form" {...getFormProps(form)}>
          <input type="hidden" name="intent" value={INTENT.decline} />
          <input type="hidden" name="requestId" value={requestId} />
          <ErrorList id={form.errorId} errors={form.errors} />
          <Field
            label={<label htmlFor={fields.reason.id}>{t("orders.coop.declineReasonLabel")}</label>}
            hint={headName}
            errorId={fields.reason.errorId}
            errors={fields.reason.errors}
          >
            <input {...getInputProps(fields.reason, { type: "text" })} />
          </Field>
          <button className="button secondary small-button" type="submit">
            {t("orders.coop.declineSubmit")}
          </button>
        </Form>
      </details>
    </div>
  );
}

function WithdrawForm({ requestId }: { requestId: string }) {
  const { cooperative } = useLoaderData<typeof loader>();
  const lastResult = useIntentResult(INTENT.withdraw, requestId);
  const t = useT();
  const [form] = useForm({ id: `withdraw-${requestId}`, lastResult });
  return (
    <Form method="post" action={`/cooperatives/${cooperative.id}`} {...getFormProps(form)}>
      <input type="hidden" name="intent" value={INTENT.withdraw} />
      <input type="hidden" name="requestId" value={requestId} />
      <ErrorList id={form.errorId} errors={form.errors} />
      <button className="button secondary small-button" type="submit">
        {t("orders.coop.withdraw")}
      </button>
    </Form>
  );
}
