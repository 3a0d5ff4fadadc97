import { getFormProps, getTextareaProps, useForm } from "@conform-to/react";
import { FORM_CONSTRAINTS } from "~/schemas/constraints";
import type { z } from "zod";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { ErrorList, Field, useMessage } from "~/components/forms";
import { useLocale, useT, type Translate } from "~/i18n";
import { type PlanTransitionSchema } from "~/schemas/plan";
import { fenToYuan, sqmToMu } from "~/utils/units";
import { AmendmentSection, amendmentReply } from "./amendment-section";
import type { LoaderData, action, loader } from "./route";
import { animalLabel, cropLabel } from "~/utils/reference";
import { DATE_AND_TIME, dateTimeFormat } from "~/utils/intl";

/** This year's plan: what it holds, the workflow steps the viewer may take, its history. */
export function PlanSection() {
  const { household: h, year, plan, can } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <section id="plan" aria-labelledby="plan-title">
      <div className="section-head">
        <h2 id="plan-title">{t("plan.section", { year })}</h2>
        {plan?.can.edit ? (
          <Link className="button small-button" to={`/households/${h.id}/plan`}>
            {t("plan.edit")}
          </Link>
        ) : null}
      </div>
      {plan ? <PlanSummary plan={plan} t={t} /> : <p className="muted">{t("plan.none")}</p>}
      {can.createPlan ? (
        <Link className="button" to={`/households/${h.id}/plan`}>
          {t("plan.create")}
        </Link>
      ) : null}
      {plan ? <PlanActions plan={plan} /> : null}
      <AmendmentSection />
      {plan && plan.events.length > 0 ? (
        <details className="inline">
          <summary>{t("plan.history")}</summary>
          <ul className="timeline">
            {plan.events.map((e, i) => (
              <li key={i}>
                {e.userName ?? "—"} ·{" "}
                <time>
                  {dateTimeFormat("zh-CN", { ...DATE_AND_TIME, timeZone: "Asia/Shanghai" }).format(new Date(e.at))}
                </time>{" "}
                · {t(`planStatus.${e.toStatus}`)}
                {e.reason ? `（${e.reason}）` : ""}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}

type PlanView = NonNullable<LoaderData["plan"]>;

function PlanSummary({ plan, t }: { plan: PlanView; t: Translate }) {
  const locale = useLocale();
  return (
    <div className="card" data-testid="plan-summary">
      <p>
        <span
          className={`badge ${plan.status === "returned" ? "bad" : plan.status === "approved" || plan.status === "in_progress" || plan.status === "completed" ? "ok" : "warn"}`}
        >
          {t(`planStatus.${plan.status}`)}
        </span>
        {plan.status === "returned" && plan.returnReason ? (
          <span className="small"> {t("plan.returnedBecause", { reason: plan.returnReason })}</span>
        ) : null}
      </p>
      <ul className="zones">
        {(
          [
            ["plan.courtyardArea", plan.courtyardArea],
            ["plan.livingArea", plan.livingArea],
            ["plan.plantingArea", plan.plantingArea],
            ["plan.raisingArea", plan.raisingArea],
          ] as const
        ).map(([label, value]) => (
          <li key={label}>
            <span className="muted">{t(label)}</span>
            <b>{t("unit.sqm", { value })}</b>
            <span className="small muted">{t("unit.mu", { value: sqmToMu(value) })}</span>
          </li>
        ))}
      </ul>
      {plan.plantingItems.length ? (
        <p>
          <b>{t("plan.plantingItems")}：</b>
          {plan.plantingItems.map((i) => `${cropLabel(i, locale)} ${i.area}㎡ / ${i.expectedYieldKg}kg`).join("；")}
        </p>
      ) : null}
      {plan.raisingItems.length ? (
        <p>
          <b>{t("plan.raisingItems")}：</b>
          {plan.raisingItems.map((i) => `${animalLabel(i, locale)} ${i.headCount}`).join("；")}
        </p>
      ) : null}
      {plan.measures.length ? (
        <>
          <b>{t("plan.measures")}</b>
          <ol>
            {plan.measures.map((m, i) => (
              <li key={i}>{m}</li>
            ))}
          </ol>
        </>
      ) : null}
      <p>{t("plan.incomeTargetValue", { value: fenToYuan(plan.incomeTargetFen) })}</p>
    </div>
  );
}

const CONFIRMED: string[] = ["approve", "complete"];
type Confirmed = "approve" | "complete";

function PlanActions({ plan }: { plan: PlanView }) {
  const t = useT();
  const m = useMessage();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  // a step on an amendment answers beside the amendment
  const lastResult =
    actionData && "status" in actionData && !amendmentReply(actionData) ? (actionData as never) : undefined;
  const [form, fields] = useForm<z.input<typeof PlanTransitionSchema>>({
    id: `plan-actions-${plan.id}`,
    lastResult,
    constraint: FORM_CONSTRAINTS.PlanTransitionSchema,
    shouldValidate: "onSubmit",
  });
  const busy = navigation.state === "submitting";
  const [searchParams] = useSearchParams();
  const confirming = searchParams.get("confirm");
  const simple = plan.can.transitions.filter((i) => i !== "return");
  // a step refused because someone moved the plan on meanwhile must still say so, with no step left to offer
  if (plan.can.transitions.length === 0 && !form.errors?.length) return null;
  return (
    <div className="card" id="plan-actions" data-testid="plan-actions">
      <ErrorList id={form.errorId} errors={form.errors} />
      <div className="actions">
        {simple.map((intent) =>
          // an official's approval (and a plan marked completed) is asked for once more: a page state, so it
          // works without JavaScript — the button leads here, the form below posts
          CONFIRMED.includes(intent) && confirming !== intent ? (
            <Link key={intent} className="button" to={`?confirm=${intent}#plan-actions`}>
              {t(`plan.intent.${intent}`)}
            </Link>
          ) : (
            <Form method="post" key={intent} className={CONFIRMED.includes(intent) ? "notice" : undefined}>
              {CONFIRMED.includes(intent) ? <p>{t(`plan.confirm.${intent as Confirmed}`)}</p> : null}
              <input type="hidden" name="planId" value={plan.id} />
              <input type="hidden" name="version" value={plan.version} />
              <button className="button" type="submit" name="intent" value={intent} disabled={busy}>
                {CONFIRMED.includes(intent)
                  ? t(`plan.confirm.${intent as Confirmed}.submit`)
                  : t(`plan.intent.${intent}`)}
              </button>
              {CONFIRMED.includes(intent) ? (
                <>
                  {" "}
                  <Link to=".">{t("common.cancel")}</Link>
                </>
              ) : null}
            </Form>
          ),
        )}
      </div>
      {plan.can.transitions.includes("return") ? (
        <Form method="post" className="form" {...getFormProps(form)}>
          <input type="hidden" name="planId" value={plan.id} />
          <input type="hidden" name="version" value={plan.version} />
          <Field
            label={<label htmlFor={fields.reason.id}>{t("plan.returnReason")}</label>}
            errorId={fields.reason.errorId}
            errors={fields.reason.errors?.map((e) => m(e))}
          >
            <textarea {...getTextareaProps(fields.reason)} rows={2} />
          </Field>
          <button className="button secondary" type="submit" name="intent" value="return" disabled={busy}>
            {t("plan.intent.return")}
          </button>
        </Form>
      ) : null}
    </div>
  );
}
