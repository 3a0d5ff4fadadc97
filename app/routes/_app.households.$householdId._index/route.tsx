import { getFormProps, getTextareaProps, useForm } from "@conform-to/react";
import { getZodConstraint } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ErrorList, Field, useMessage } from "~/components/forms";
import { useLocale, useT, type MessageKey, type Translate } from "~/i18n";
import { householdHistory } from "~/models/audit.server";
import { getHousehold, getHouseholdLinks } from "~/models/households.server";
import { listChecks } from "~/models/checks.server";
import { revealIdNumber } from "~/models/members.server";
import { CheckList } from "~/components/check-list";
import { householdIncome } from "~/models/household-income.server";
import { getHouseholdPlans, transitionPlan } from "~/models/plans.server";
import { can } from "~/permissions";
import { PlanTransitionSchema } from "~/schemas/plan";
import { requireUser } from "~/http/auth.server";
import { currentYear } from "~/utils/dates";
import { notFound, readForm, runModel, toResponse } from "~/http/form.server";
import { fenToYuan, sqmToMu } from "~/utils/units";
import { parseForm } from "~/utils/zod-messages";

const ParamsSchema = z.object({ householdId: z.uuid() });
const RevealSchema = z.object({ intent: z.literal("reveal"), memberId: z.uuid() });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const parsed = ParamsSchema.safeParse(params);
  if (!parsed.success) notFound();
  const year = currentYear();
  const household = await getHousehold({ id: parsed.data.householdId, scope: user.scope, year });
  if (!household) notFound();
  const [plans, history, links, recentChecks, income] = await Promise.all([
    getHouseholdPlans({ scope: user.scope, householdId: household.id }),
    householdHistory({ scope: user.scope, householdId: household.id, limit: 30 }),
    getHouseholdLinks({ scope: user.scope, householdId: household.id }),
    listChecks({ scope: user.scope, householdId: household.id, page: 1, pageSize: 5 }),
    householdIncome({ scope: user.scope, householdId: household.id, year }),
  ]);
  if (!links) notFound();
  const plan = plans.find((p) => p.year === year) ?? null;
  return {
    household,
    year,
    plan,
    links,
    income: {
      items: income.items,
      expectedFen: income.expectedFen,
      actual: income.actual,
      hasPlan: income.plan !== null,
      incomeTargetFen: income.plan?.incomeTargetFen ?? null,
    },
    recentChecks: recentChecks.rows,
    earlierPlans: plans
      .filter((p) => p.year !== year)
      .map((p) => ({ id: p.id, year: p.year, status: p.status, incomeTargetFen: p.incomeTargetFen })),
    history: history.map((h) => ({
      id: h.id,
      at: h.at,
      action: h.action,
      userName: h.userName,
      changed: h.changed,
      reason: h.reason,
    })),
    can: {
      editHousehold: can(user.scope, "household.write"),
      editMembers: can(user.scope, "household.write"),
      reveal: can(user.scope, "idNumber.reveal"),
      createPlan: !plan && can(user.scope, "plan.write"),
      recordCheck: can(user.scope, "check.record"),
    },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const parsed = ParamsSchema.safeParse(params);
  if (!parsed.success) notFound();
  const formData = await readForm(request);
  if (formData.get("intent") === "reveal") {
    const reveal = RevealSchema.safeParse(Object.fromEntries(formData));
    if (!reveal.success)
      return Response.json({ status: "error", error: { "": ["common.badRequest"] } }, { status: 400 });
    try {
      const idNumber = await revealIdNumber({
        scope: user.scope,
        householdId: parsed.data.householdId,
        memberId: reveal.data.memberId,
      });
      return { revealed: { memberId: reveal.data.memberId, idNumber } };
    } catch (error) {
      throw toResponse(error);
    }
  }
  const submission = parseForm(formData, { schema: PlanTransitionSchema });
  if (submission.status !== "success") return Response.json(submission.reply(), { status: 400 });
  const planId = z.uuid().safeParse(formData.get("planId"));
  if (!planId.success) notFound();
  const result = await runModel(submission, () =>
    // the plan must be this page's household's, not any plan in scope
    transitionPlan({
      scope: user.scope,
      planId: planId.data,
      householdId: parsed.data.householdId,
      transition: submission.value,
    }),
  );
  if (!result.ok) return result.response;
  return { done: submission.value.intent, ...submission.reply({ resetForm: true }) };
}

export default function HouseholdPage() {
  const {
    household: h,
    year,
    plan,
    earlierPlans,
    history,
    can,
    links,
    recentChecks,
    income,
  } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const t = useT();
  const revealed = actionData && "revealed" in actionData ? actionData.revealed : null;
  return (
    <>
      <div className="section-head">
        <h1>{t("household.title", { head: h.headName })}</h1>
        <span className="actions">
          {can.recordCheck ? (
            <Link className="button small-button" to={`/households/${h.id}/checks/new`}>
              {t("checks.record")}
            </Link>
          ) : null}
          <Link className="button secondary small-button" to={`/households/${h.id}/card`}>
            {t("record.card")}
          </Link>
          {can.editHousehold ? (
            <Link className="button secondary small-button" to={`/households/${h.id}/edit`}>
              {t("common.edit")}
            </Link>
          ) : null}
        </span>
      </div>
      {searchParams.get("saved") ? (
        <p className="success" role="status">
          {t("common.saved")}
        </p>
      ) : null}
      <div className="card">
        <dl className="facts">
          <dt>{t("col.code")}</dt>
          <dd>{h.code}</dd>
          <dt>{t("col.village")}</dt>
          <dd>{h.village}</dd>
          <dt>{t("col.status")}</dt>
          <dd>{t(`povertyStatus.${h.povertyStatus}`)}</dd>
          {h.povertyCause ? (
            <>
              <dt>{t("col.cause")}</dt>
              <dd>{t(`povertyCause.${h.povertyCause}`)}</dd>
            </>
          ) : null}
          {h.address ? (
            <>
              <dt>{t("household.address")}</dt>
              <dd>{h.address}</dd>
            </>
          ) : null}
          {h.phone ? (
            <>
              <dt>{t("household.phone")}</dt>
              <dd>
                <a href={`tel:${h.phone}`}>{h.phone}</a>
              </dd>
            </>
          ) : null}
          {h.courtyardArea != null ? (
            <>
              <dt>{t("household.courtyard")}</dt>
              <dd>
                {t("unit.sqm", { value: h.courtyardArea })}（{t("unit.mu", { value: sqmToMu(h.courtyardArea) })}）
              </dd>
            </>
          ) : null}
          <dt>{t("household.cadre")}</dt>
          <dd>
            {h.cadre ? (
              <>
                {h.cadre.name}
                {h.cadre.phone ? (
                  <>
                    {" · "}
                    <a href={`tel:${h.cadre.phone}`}>{h.cadre.phone}</a>
                  </>
                ) : null}
              </>
            ) : (
              <span className="badge bad">{t("household.noCadre")}</span>
            )}{" "}
            <Link className="small" to={`/households/${h.id}/assignment`}>
              {t("record.pairing")}
            </Link>
          </dd>
        </dl>
      </div>

      <div className="section-head">
        <h2>{t("household.members")}</h2>
        {can.editMembers ? (
          <Link className="small" to={`/households/${h.id}/members/new`}>
            + {t("record.addMember")}
          </Link>
        ) : null}
      </div>
      <ul className="rows" data-testid="members">
        {h.members.map((m) => (
          <li key={m.id} className="member">
            <div className="row static">
              <span className="title">
                {m.name} <span className="badge">{t(`relation.${m.relation}`)}</span>
              </span>
              {can.editMembers ? (
                <Link className="small" to={`/households/${h.id}/members/${m.id}`}>
                  {t("common.edit")}
                </Link>
              ) : (
                <span />
              )}
              <span className="meta">
                <span data-testid="id-number">{revealed?.memberId === m.id ? revealed.idNumber : m.idNumber}</span>
                {can.reveal && revealed?.memberId !== m.id ? (
                  <Form method="post" className="inline-form" preventScrollReset>
                    <input type="hidden" name="intent" value="reveal" />
                    <input type="hidden" name="memberId" value={m.id} />
                    <button type="submit" className="linklike small">
                      {t("record.reveal")}
                    </button>
                  </Form>
                ) : null}
                {" · "}
                {t(`sex.${m.sex}`)} · {m.birthDate}
                {m.health ? ` · ${t(`health.${m.health}`)}` : null} · {t(`labour.${m.labourAbility}`)}
              </span>
            </div>
          </li>
        ))}
      </ul>

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
        {plan && plan.events.length > 0 ? (
          <details className="inline">
            <summary>{t("plan.history")}</summary>
            <ul className="timeline">
              {plan.events.map((e, i) => (
                <li key={i}>
                  {e.userName ?? "—"} ·{" "}
                  <time>{new Date(e.at).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai" })}</time> ·{" "}
                  {t(`planStatus.${e.toStatus}`)}
                  {e.reason ? `（${e.reason}）` : ""}
                </li>
              ))}
            </ul>
          </details>
        ) : null}
      </section>

      {earlierPlans.length > 0 ? (
        <>
          <h2>{t("plan.earlier")}</h2>
          <ul className="timeline">
            {earlierPlans.map((p) => (
              <li key={p.id}>
                <Link to={`/households/${h.id}/plan?year=${p.year}`}>{p.year}</Link> · {t(`planStatus.${p.status}`)} ·{" "}
                {t("plan.incomeTargetValue", { value: fenToYuan(p.incomeTargetFen) })}
              </li>
            ))}
          </ul>
        </>
      ) : null}

      <section id="checks">
        <div className="section-head">
          <h2>{t("record.checks", { count: links.checkCount })}</h2>
          {can.recordCheck ? (
            <Link className="button small-button" to={`/households/${h.id}/checks/new`}>
              {t("checks.record")}
            </Link>
          ) : null}
        </div>
        <CheckList householdId={h.id} rows={recentChecks} canCorrect={can.recordCheck} />
        {links.checkCount > recentChecks.length ? (
          <Link to={`/households/${h.id}/checks`}>{t("checks.all")} →</Link>
        ) : null}
      </section>

      <Links links={links} t={t} />
      <Income income={income} year={year} t={t} />

      <h2>{t("record.history")}</h2>
      {history.length === 0 ? <p className="muted">{t("record.noHistory")}</p> : null}
      <ul className="timeline" data-testid="history">
        {history.map((e) => (
          <li key={e.id}>
            <time>{new Date(e.at).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai" })}</time> · {e.userName ?? "—"} ·{" "}
            {auditLabel(t, e.action)}
            {e.changed.length > 0 && e.action.endsWith(".update") ? (
              <span className="muted small">（{e.changed.map((f) => fieldLabel(t, f)).join("、")}）</span>
            ) : null}
            {e.reason ? <span className="muted small">（{e.reason}）</span> : null}
          </li>
        ))}
      </ul>
    </>
  );
}

type LinksView = ReturnType<typeof useLoaderData<typeof loader>>["links"];

function Links({ links, t }: { links: LinksView; t: Translate }) {
  const locale = useLocale();
  return (
    <>
      <h2>{t("record.cooperatives")}</h2>
      {links.memberships.length === 0 ? <p className="muted">{t("record.noCooperatives")}</p> : null}
      <ul className="timeline">
        {links.memberships.map((m) => (
          <li key={m.id}>
            <span className={m.leftOn ? "badge" : "badge ok"}>
              {t(m.leftOn ? "record.membership.past" : "record.membership.current")}
            </span>{" "}
            {m.cooperative} · {t("record.joinedOn", { date: m.joinedOn })}
            {m.leftOn ? ` · ${t("record.leftOn", { date: m.leftOn })}` : ""}
          </li>
        ))}
      </ul>

      <h2>{t("record.orders")}</h2>
      {links.orders.length === 0 ? (
        <p className="muted">{t("record.noOrders")}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("col.crop")}</th>
                <th scope="col">{t("col.buyer")}</th>
                <th scope="col" className="num">
                  {t("record.allocatedKg")}
                </th>
                <th scope="col" className="num">
                  {t("record.deliveredKg")}
                </th>
                <th scope="col" className="num">
                  {t("col.unitPrice")}
                </th>
                <th scope="col" className="num">
                  {t("record.paidYuan")}
                </th>
                <th scope="col">{t("col.orderStatus")}</th>
              </tr>
            </thead>
            <tbody>
              {links.orders.map((o) => (
                <tr key={o.id}>
                  <td>
                    <Link to={`/orders/${o.orderId}`}>
                      {locale === "en" ? o.cropEn : o.cropZh} · {o.season}
                    </Link>
                  </td>
                  <td>{o.buyer}</td>
                  <td className="num">{o.quantityKg}</td>
                  <td className="num">{o.deliveredKg}</td>
                  <td className="num">{fenToYuan(o.unitPriceFen)}</td>
                  <td className="num">{fenToYuan(o.paidFen)}</td>
                  <td>{t(`orders.status.${o.status}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h2>{t("record.funds", { total: fenToYuan(links.fundTotalFen) })}</h2>
      {links.funds.length === 0 ? (
        <p className="muted">{t("record.noFunds")}</p>
      ) : (
        <ul className="timeline">
          {links.funds.map((f) => (
            <li key={f.id}>
              {f.allocatedOn} · <Link to={`/projects/${f.projectId}`}>{f.project}</Link> ·{" "}
              <b>{t("unit.yuan", { value: fenToYuan(f.amountFen) })}</b>
              {f.kind === "in_kind" && f.item ? ` · ${f.item}${f.quantity ? ` × ${f.quantity}` : ""}` : ""}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

type IncomeView = ReturnType<typeof useLoaderData<typeof loader>>["income"];

function Income({ income, year, t }: { income: IncomeView; year: number; t: Translate }) {
  const locale = useLocale();
  return (
    <section id="income" aria-labelledby="income-title">
      <h2 id="income-title">{t("record.income.title", { year })}</h2>
      <ul className="stats" data-testid="income">
        <li className="stat">
          <b data-testid="income-expected">{fenToYuan(income.expectedFen)}</b>
          <span>{t("record.income.expected")}</span>
        </li>
        <li className="stat">
          <b data-testid="income-actual">{fenToYuan(income.actual.amountFen)}</b>
          <span>
            {t("record.income.actual")} · {t("record.income.deliveredKg", { kg: income.actual.deliveredKg })}
          </span>
        </li>
        <li className="stat">
          <b>{fenToYuan(income.actual.paidFen)}</b>
          <span>{t("record.income.paid")}</span>
        </li>
      </ul>
      {income.incomeTargetFen != null ? (
        <p className="small muted">{t("record.income.target", { value: fenToYuan(income.incomeTargetFen) })}</p>
      ) : null}
      {!income.hasPlan ? <p className="muted">{t("record.income.noPlan")}</p> : null}
      {income.items.length > 0 ? (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("col.crop")}</th>
                <th scope="col" className="num">
                  {t("record.income.yieldKg")}
                </th>
                <th scope="col" className="num">
                  {t("record.income.price")}
                </th>
                <th scope="col" className="num">
                  {t("record.income.expectedShort")}
                </th>
              </tr>
            </thead>
            <tbody>
              {income.items.map((i, n) => (
                <tr key={n}>
                  <th scope="row">{locale === "en" ? i.cropEn : i.cropZh}</th>
                  <td className="num">{i.expectedYieldKg}</td>
                  <td className="num">
                    {i.unitPriceFen === null ? "—" : fenToYuan(i.unitPriceFen)}
                    <br />
                    <span className="muted small">{t(`record.income.source.${i.source ?? "none"}`)}</span>
                  </td>
                  <td className="num">{fenToYuan(i.expectedFen)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" colSpan={3}>
                  {t("record.income.total")}
                </th>
                <td className="num">{fenToYuan(income.expectedFen)}</td>
              </tr>
            </tfoot>
          </table>
        </div>
      ) : null}
      <p className="small muted">{t("record.income.note")}</p>
    </section>
  );
}

const FIELD_LABELS: Record<string, Parameters<Translate>[0]> = {
  courtyardArea: "plan.courtyardArea",
  livingArea: "plan.livingArea",
  plantingArea: "plan.plantingArea",
  raisingArea: "plan.raisingArea",
  plantingItems: "plan.plantingItems",
  raisingItems: "plan.raisingItems",
  measures: "plan.measures",
  incomeTargetFen: "plan.incomeTarget",
  status: "plan.status",
  address: "household.address",
  phone: "household.phone",
  povertyStatus: "col.status",
  povertyCause: "col.cause",
  villageId: "col.village",
  groupId: "col.group",
  name: "col.name",
  idNumber: "col.idNumber",
  relation: "col.relation",
  sex: "col.sex",
  health: "col.health",
  labourAbility: "col.labour",
  headName: "col.head",
};
/** A history line's words; an action without its own words (added later) still reads as a change. */
function auditLabel(t: Translate, action: string) {
  const key = `audit.${action}` as MessageKey;
  const text = t(key);
  return text === key ? t("audit.other") : text;
}

function fieldLabel(t: Translate, field: string) {
  const key = FIELD_LABELS[field];
  return key ? t(key) : field;
}

type PlanView = NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["plan"]>;

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
          {plan.plantingItems
            .map((i) => `${locale === "en" ? i.cropEn : i.cropZh} ${i.area}㎡ / ${i.expectedYieldKg}kg`)
            .join("；")}
        </p>
      ) : null}
      {plan.raisingItems.length ? (
        <p>
          <b>{t("plan.raisingItems")}：</b>
          {plan.raisingItems.map((i) => `${locale === "en" ? i.animalEn : i.animalZh} ${i.headCount}`).join("；")}
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

function PlanActions({ plan }: { plan: PlanView }) {
  const t = useT();
  const m = useMessage();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const lastResult = actionData && "status" in actionData ? (actionData as never) : undefined;
  const [form, fields] = useForm({
    id: `plan-actions-${plan.id}`,
    lastResult,
    constraint: getZodConstraint(PlanTransitionSchema),
    shouldValidate: "onSubmit",
  });
  const busy = navigation.state === "submitting";
  const simple = plan.can.transitions.filter((i) => i !== "return");
  // a step refused because someone moved the plan on meanwhile must still say so, with no step left to offer
  if (plan.can.transitions.length === 0 && !form.errors?.length) return null;
  return (
    <div className="card" data-testid="plan-actions">
      <ErrorList id={form.errorId} errors={form.errors} />
      <div className="actions">
        {simple.map((intent) => (
          <Form method="post" key={intent}>
            <input type="hidden" name="planId" value={plan.id} />
            <input type="hidden" name="version" value={plan.version} />
            <button className="button" type="submit" name="intent" value={intent} disabled={busy}>
              {t(`plan.intent.${intent}`)}
            </button>
          </Form>
        ))}
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

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
