import { getFormProps, getInputProps, getSelectProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ErrorList, Field } from "~/components/forms";
import { DEFAULT_LOCALE, isLocale, translator, useT, type MessageKey } from "~/i18n";
import {
  addBroker,
  cooperativeIsInScope,
  getCooperative,
  joinCooperative,
  leaveCooperative,
  membershipCandidates,
} from "~/models/cooperatives.server";
import {
  cooperativeMembershipRequests,
  decideMembershipRequest,
  requestMembership,
  withdrawMembershipRequest,
} from "~/models/membership-requests.server";
import {
  BrokerSchema,
  LeaveSchema,
  MembershipDeclineSchema,
  MembershipRequestIdSchema,
  MembershipRequestSchema,
  MembershipSchema,
} from "~/schemas/orders";
import { requirePermission } from "~/http/auth.server";
import { todayISO } from "~/utils/dates";
import { intentReply, intentReplyFrom, useIntentResult } from "~/utils/intent-reply";
import { notFound, readForm, runModel } from "~/http/form.server";
import orderStyles from "~/styles/orders.css";
import { parseForm } from "~/utils/zod-messages";
import { queryParam } from "~/utils/text";

const ParamsSchema = z.object({ cooperativeId: z.uuid() });
const QuerySchema = z.string().trim().max(20).catch("");
const INTENT = {
  broker: "broker",
  join: "join",
  leave: "leave",
  request: "request",
  withdraw: "withdraw",
  confirm: "confirm",
  decline: "decline",
} as const;
const SAVED = ["broker", "join", "leave", "request", "withdraw", "confirm", "decline"];
const LeaveFormSchema = LeaveSchema.extend({ membershipId: z.string().uuid("field.choice") });

export const links: LinksFunction = () => [{ rel: "stylesheet", href: orderStyles }];

export const meta: MetaFunction = ({ matches }) => {
  const locale = (matches.find((m) => m.id === "root")?.data as { locale?: string } | undefined)?.locale;
  const t = translator(isLocale(locale) ? locale : DEFAULT_LOCALE);
  return [{ title: `${t("orders.coops.title")} · ${t("app.name")}` }];
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "cooperative.read");
  const parsed = ParamsSchema.safeParse(params);
  if (!parsed.success) notFound();
  const coop = await getCooperative({ scope: user.scope, id: parsed.data.cooperativeId });
  if (!coop) notFound();
  const q = QuerySchema.parse(queryParam(new URL(request.url), "q") ?? "");
  const today = todayISO();
  const [candidates, requests] = await Promise.all([
    membershipCandidates({ scope: user.scope, cooperativeId: coop.cooperative.id, q, limit: 50 }),
    cooperativeMembershipRequests({ scope: user.scope, cooperativeId: coop.cooperative.id, today }),
  ]);
  return { ...coop, candidates, requests, q, today };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "cooperative.write");
  const parsed = ParamsSchema.safeParse(params);
  if (!parsed.success) notFound();
  const cooperativeId = parsed.data.cooperativeId;
  if (!(await cooperativeIsInScope({ scope: user.scope, id: cooperativeId }))) notFound();
  const formData = await readForm(request);
  const intent = String(formData.get("intent") ?? "");
  const back = (saved: string, hash: string) => redirect(`/cooperatives/${cooperativeId}?saved=${saved}#${hash}`);
  const reply = (result: SubmissionResult<string[]>, status: number, target?: string) =>
    intentReply(intent, result, status, target);

  switch (intent) {
    case INTENT.broker: {
      const submission = parseForm(formData, { schema: BrokerSchema });
      if (submission.status !== "success") return reply(submission.reply(), 400);
      const result = await runModel(submission, () =>
        addBroker({ scope: user.scope, cooperativeId, input: submission.value }),
      );
      if (!result.ok) return intentReplyFrom(result.response, intent);
      return back("broker", "brokers");
    }
    case INTENT.join: {
      const submission = parseForm(formData, { schema: MembershipSchema });
      if (submission.status !== "success") return reply(submission.reply(), 400);
      const result = await runModel(submission, () =>
        joinCooperative({ scope: user.scope, cooperativeId, ...submission.value }),
      );
      if (!result.ok) return intentReplyFrom(result.response, intent);
      return back("join", "members");
    }
    case INTENT.request: {
      const submission = parseForm(formData, { schema: MembershipRequestSchema });
      if (submission.status !== "success") return reply(submission.reply(), 400);
      const result = await runModel(submission, () =>
        requestMembership({ scope: user.scope, cooperativeId, ...submission.value }),
      );
      if (!result.ok) return intentReplyFrom(result.response, intent);
      return back("request", "requests");
    }
    case INTENT.withdraw:
    case INTENT.confirm: {
      const target = String(formData.get("requestId") ?? "");
      const submission = parseForm(formData, { schema: MembershipRequestIdSchema });
      if (submission.status !== "success") return reply(submission.reply(), 400, target);
      const { requestId } = submission.value;
      const result = await runModel(submission, async () => {
        if (intent === INTENT.withdraw)
          await withdrawMembershipRequest({ scope: user.scope, cooperativeId, requestId });
        else await decideMembershipRequest({ scope: user.scope, cooperativeId, requestId, decision: "confirm" });
      });
      if (!result.ok) return intentReplyFrom(result.response, intent, target);
      return back(intent, "requests");
    }
    case INTENT.decline: {
      const target = String(formData.get("requestId") ?? "");
      const submission = parseForm(formData, { schema: MembershipDeclineSchema });
      if (submission.status !== "success") return reply(submission.reply(), 400, target);
      const result = await runModel(submission, () =>
        decideMembershipRequest({ scope: user.scope, cooperativeId, ...submission.value, decision: "decline" }),
      );
      if (!result.ok) return intentReplyFrom(result.response, intent, target);
      return back("decline", "requests");
    }
    case INTENT.leave: {
      const target = String(formData.get("membershipId") ?? "");
      const submission = parseForm(formData, { schema: LeaveFormSchema });
      if (submission.status !== "success") return reply(submission.reply(), 400, target);
      const result = await runModel(submission, () =>
        leaveCooperative({
          scope: user.scope,
          membershipId: submission.value.membershipId,
          leftOn: submission.value.leftOn,
        }),
      );
      if (!result.ok) return intentReplyFrom(result.response, intent, target);
      return back("leave", "past");
    }
    default:
      return reply({ status: "error", error: { "": ["field.choice"] } }, 400);
  }
}

export default function CooperativePage() {
  const { cooperative, brokers, current, past, can, requests } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const t = useT();
  const saved = searchParams.get("saved");
  return (
    <>
      <p className="small">
        <Link to="/cooperatives">{t("orders.coops.back")}</Link>
      </p>
      <h1>{cooperative.name}</h1>
      {saved && SAVED.includes(saved) ? (
        <p className="success" role="status">
          {t(`orders.coop.saved.${saved}` as MessageKey)}
        </p>
      ) : null}
      <div className="card">
        <dl className="facts">
          <dt>{t("orders.coop.kind")}</dt>
          <dd>{t(`orders.coop.kind.${cooperative.kind}` as MessageKey)}</dd>
          <dt>{t("orders.coop.place")}</dt>
          <dd>{[cooperative.township, cooperative.village].filter(Boolean).join(" · ")}</dd>
          <dt>{t("orders.coop.registrationCode")}</dt>
          <dd className="code-text">{cooperative.registrationCode ?? "—"}</dd>
          <dt>{t("orders.coop.memberCount")}</dt>
          <dd data-testid="member-count">{current.length}</dd>
        </dl>
        <p className="actions">
          <Link to={`/orders?${new URLSearchParams({ cooperative: cooperative.id })}`}>{t("orders.coop.orders")}</Link>
        </p>
      </div>
      {!can.edit ? <p className="muted small">{t("orders.coop.readOnly")}</p> : null}

      <h2 id="brokers">{t("orders.coop.brokers")}</h2>
      {brokers.length === 0 ? (
        <p className="muted">{t("orders.coop.noBrokers")}</p>
      ) : (
        <ul className="rows" data-testid="brokers">
          {brokers.map((b) => (
            <li key={b.id}>
              <div className="row static">
                <span className="title">{b.name}</span>
                {b.phone ? <a href={`tel:${b.phone}`}>{b.phone}</a> : <span className="muted">—</span>}
              </div>
            </li>
          ))}
        </ul>
      )}
      {can.edit ? <BrokerForm /> : null}

      {can.request || can.decide ? <Requests requests={requests} /> : null}

      <h2 id="members">{t("orders.coop.currentMembers", { count: current.length })}</h2>
      {can.join ? <JoinForm /> : null}
      {current.length === 0 ? (
        <p className="muted">{t("orders.coop.noMembers")}</p>
      ) : (
        <ul className="rows" data-testid="current-members">
          {current.map((m) => (
            <li key={m.membershipId}>
              <div className="row static">
                <span className="title">
                  {m.householdId ? <Link to={`/households/${m.householdId}`}>{m.headName}</Link> : m.headName}
                </span>
                <span className="muted small">{t("orders.coop.joinedOn", { date: m.joinedOn })}</span>
                <span className="meta">
                  {m.village} · {m.householdCode}
                </span>
                {can.edit ? <LeaveForm membershipId={m.membershipId} headName={m.headName} /> : null}
              </div>
            </li>
          ))}
        </ul>
      )}

      <h2 id="past">{t("orders.coop.pastMembers", { count: past.length })}</h2>
      {past.length === 0 ? (
        <p className="muted">{t("orders.coop.noPastMembers")}</p>
      ) : (
        <ul className="rows" data-testid="past-members">
          {past.map((m) => (
            <li key={m.membershipId}>
              <div className="row static">
                <span className="title">
                  {m.householdId ? <Link to={`/households/${m.householdId}`}>{m.headName}</Link> : m.headName}
                </span>
                <span className="badge">{t("orders.coop.left")}</span>
                <span className="meta">
                  {m.village} · {t("orders.coop.period", { joinedOn: m.joinedOn, leftOn: m.leftOn ?? "" })}
                </span>
              </div>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function BrokerForm() {
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

type MembershipRequestRow = ReturnType<typeof useLoaderData<typeof loader>>["requests"][number];

/** Enrolment requests: the clerk asks and may withdraw; an official of the township confirms or declines. */
function Requests({ requests }: { requests: MembershipRequestRow[] }) {
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
  const [form, fields] = useForm({
    id: "request",
    lastResult,
    constraint: getZodConstraint(MembershipRequestSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseForm(formData, { schema: MembershipRequestSchema }),
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
  const [form, fields] = useForm({
    id: `decline-${requestId}`,
    lastResult: declineResult,
    constraint: getZodConstraint(MembershipDeclineSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseForm(formData, { schema: MembershipDeclineSchema }),
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

function JoinForm() {
  const { cooperative, candidates, q, today } = useLoaderData<typeof loader>();
  const lastResult = useIntentResult(INTENT.join);
  const navigation = useNavigation();
  const t = useT();
  const [form, fields] = useForm({
    id: "join",
    lastResult,
    constraint: getZodConstraint(MembershipSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseForm(formData, { schema: MembershipSchema }),
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
        <Field
          label={<label htmlFor={fields.householdId.id}>{t("orders.coop.household")}</label>}
          hint={candidates.length === 0 ? t("orders.coop.noCandidates") : t("orders.coop.candidatesHint")}
          errorId={fields.householdId.errorId}
          errors={fields.householdId.errors}
        >
          <select {...getSelectProps(fields.householdId)}>
            <option value="">{t("orders.choose")}</option>
            {candidates.map((h) => (
              <option key={h.id} value={h.id}>
                {h.headName} · {h.village} · {h.code}
              </option>
            ))}
          </select>
        </Field>
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

function LeaveForm({ membershipId, headName }: { membershipId: string; headName: string }) {
  const { cooperative, today } = useLoaderData<typeof loader>();
  const lastResult = useIntentResult(INTENT.leave, membershipId);
  const t = useT();
  const [form, fields] = useForm({
    id: `leave-${membershipId}`,
    lastResult,
    constraint: getZodConstraint(LeaveFormSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseForm(formData, { schema: LeaveFormSchema }),
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

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
