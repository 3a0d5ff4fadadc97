import { getFormProps, getTextareaProps, useForm, type SubmissionResult } from "@conform-to/react";
import { FORM_CONSTRAINTS } from "~/schemas/constraints";
import type { z } from "zod";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { ErrorList, Field, useMessage } from "~/components/forms";
import { PlanChanges } from "~/components/plan-changes";
import { useT } from "~/i18n";
import { AMENDMENT_INTENTS } from "~/schemas/plain";
import type { AmendmentDecisionSchema } from "~/schemas/plan";
import type { action, loader } from "./route";
import { dateTimeFormat } from "~/utils/intl";

const CONFIRM = AMENDMENT_INTENTS.approve;

/** The reply of a step on an amendment (the plan's own steps answer their own form). */
export function amendmentReply(data: unknown): SubmissionResult<string[]> | undefined {
  if (!data || typeof data !== "object" || !("status" in data)) return undefined;
  const intent = (data as SubmissionResult<string[]>).initialValue?.intent;
  return typeof intent === "string" && intent.startsWith("amendment-")
    ? (data as SubmissionResult<string[]>)
    : undefined;
}

const when = (value: string | null) =>
  value ? dateTimeFormat("zh-CN", { timeZone: "Asia/Shanghai" }).format(new Date(value)) : "";

/**
 * A change to the running plan (domain rule 10): the way to propose one, the open one with what it changes
 * against the plan as it is now and the steps the viewer may take, and every amendment decided before.
 */
export function AmendmentSection() {
  const { household, amendments } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  if (!amendments) return null;
  const { open, past } = amendments;
  const done = actionData && "done" in actionData ? String(actionData.done) : null;
  return (
    <div id="amendment" data-testid="amendments">
      {done?.startsWith("amendment-") ? (
        <p className="success" role="status">
          {t(`amendment.done.${done}` as "amendment.done.amendment-approve")}
        </p>
      ) : null}
      {open ? <OpenAmendment /> : null}
      {amendments.can.propose ? (
        <p>
          <Link className="button secondary" to={`/households/${household.id}/amendment`}>
            {t("amendment.propose")}
          </Link>
        </p>
      ) : null}
      {!open && amendmentReply(actionData)?.error ? <StaleReply /> : null}
      {past.length > 0 ? (
        <details className="inline" open>
          <summary>{t("amendment.history", { count: past.length })}</summary>
          <ul className="timeline" data-testid="amendment-history">
            {past.map((a) => (
              <li key={a.id}>
                <span className={`badge ${a.status === "approved" ? "ok" : ""}`}>
                  {t(`amendment.status.${a.status}`)}
                </span>{" "}
                {t("amendment.proposedBy", { name: a.proposedByName, date: when(a.proposedAt) })}
                {a.decidedAt
                  ? ` · ${t(a.status === "approved" ? "amendment.decidedBy" : "amendment.withdrawnBy", {
                      name: a.decidedByName ?? "—",
                      date: when(a.decidedAt),
                    })}`
                  : null}
                {a.returnedAt ? (
                  <span className="muted small">
                    {" · "}
                    {t("amendment.returnedBy", {
                      name: a.returnedByName ?? "—",
                      date: when(a.returnedAt),
                      reason: a.returnReason ?? "",
                    })}
                  </span>
                ) : null}
                <br />
                <span className="small">{t("amendment.reasonValue", { reason: a.reason })}</span>
                <PlanChanges changes={a.changes} />
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}

/** A step refused on an amendment someone else decided meanwhile: the page still says why. */
function StaleReply() {
  const actionData = useActionData<typeof action>();
  const reply = amendmentReply(actionData);
  return <ErrorList errors={reply?.error?.[""] ?? undefined} />;
}

function OpenAmendment() {
  const { household, amendments } = useLoaderData<typeof loader>();
  const open = amendments!.open!;
  const t = useT();
  const m = useMessage();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const [searchParams] = useSearchParams();
  const [form, fields] = useForm<z.input<typeof AmendmentDecisionSchema>>({
    id: `amendment-${open.id}`,
    lastResult: amendmentReply(useActionData<typeof action>()),
    constraint: FORM_CONSTRAINTS.AmendmentDecisionSchema,
    shouldValidate: "onSubmit",
  });
  const hidden = (
    <>
      <input type="hidden" name="amendmentId" value={open.id} />
      <input type="hidden" name="version" value={open.version} />
    </>
  );
  return (
    <div className="card" data-testid="open-amendment">
      <h3>{t("amendment.section")}</h3>
      <p>
        <span className={`badge ${open.status === "returned" ? "bad" : "warn"}`}>
          {t(`amendment.status.${open.status}`)}
        </span>{" "}
        <span className="small muted">
          {t("amendment.proposedBy", { name: open.proposedByName, date: when(open.proposedAt) })}
        </span>
      </p>
      {open.status === "returned" && open.returnReason ? (
        <p className="notice small">
          {t("amendment.returnedBy", {
            name: open.returnedByName ?? "—",
            date: when(open.returnedAt),
            reason: open.returnReason,
          })}
        </p>
      ) : null}
      <p className="small">{t("amendment.reasonValue", { reason: open.reason })}</p>
      <p className="small">
        <b>{t("amendment.againstPlan")}</b>
      </p>
      <PlanChanges changes={open.changes} testId="amendment-changes" />
      {open.sinceReturn ? (
        <>
          <p className="small">
            <b>{t("amendment.sinceReturn")}</b>
          </p>
          {open.sinceReturn.length ? (
            <PlanChanges changes={open.sinceReturn} />
          ) : (
            <p className="muted small">{t("amendment.unchangedSinceReturn")}</p>
          )}
        </>
      ) : null}
      <ErrorList id={form.errorId} errors={form.errors} />
      <div className="actions">
        {open.can.approve ? (
          searchParams.get("confirm") === CONFIRM ? (
            <Form method="post" className="notice">
              <p>{t("amendment.confirm.approve")}</p>
              {hidden}
              <button className="button" type="submit" name="intent" value={CONFIRM} disabled={busy}>
                {t("amendment.confirm.approve.submit")}
              </button>{" "}
              <Link to=".#amendment">{t("common.cancel")}</Link>
            </Form>
          ) : (
            <Link className="button" to={`?confirm=${CONFIRM}#amendment`}>
              {t("amendment.approve")}
            </Link>
          )
        ) : null}
        {open.can.edit ? (
          <Link className="button secondary" to={`/households/${household.id}/amendment`}>
            {t("amendment.edit")}
          </Link>
        ) : null}
        {open.can.withdraw ? (
          <Form method="post">
            {hidden}
            <button
              className="button secondary"
              type="submit"
              name="intent"
              value={AMENDMENT_INTENTS.withdraw}
              disabled={busy}
            >
              {t("amendment.withdraw")}
            </button>
          </Form>
        ) : null}
      </div>
      {open.can.return ? (
        <Form method="post" className="form" {...getFormProps(form)}>
          {hidden}
          <Field
            label={<label htmlFor={fields.reason.id}>{t("amendment.returnReason")}</label>}
            errorId={fields.reason.errorId}
            errors={fields.reason.errors?.map((e) => m(e))}
          >
            <textarea {...getTextareaProps(fields.reason)} rows={2} />
          </Field>
          <button
            className="button secondary"
            type="submit"
            name="intent"
            value={AMENDMENT_INTENTS.return}
            disabled={busy}
          >
            {t("amendment.return")}
          </button>
        </Form>
      ) : null}
    </div>
  );
}
