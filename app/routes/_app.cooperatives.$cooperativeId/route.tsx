import type { SubmissionResult } from "@conform-to/react";
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { CooperativeParamsSchema, SearchQuerySchema } from "~/schemas/route-params";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { PageHeading, pageMeta, type PageTitle } from "~/components/page-title";
import { useT, type MessageKey } from "~/i18n";
import {
  addBroker,
  retireBroker,
  updateBroker,
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
  BrokerEditSchema,
  BrokerRetireSchema,
  BrokerSchema,
  LeaveFormSchema,
  MembershipDeclineSchema,
  MembershipRequestIdSchema,
  MembershipRequestSchema,
  MembershipSchema,
} from "~/schemas/orders";
import { requirePermission } from "~/http/auth.server";
import { todayISO } from "~/utils/dates";
import { intentReply, intentReplyFrom } from "~/utils/intent-reply";
import { notFound, readForm, runModel } from "~/http/form.server";
import { cooperativeMemberListParams } from "~/utils/lists";
import listStyles from "~/styles/list.css";
import orderStyles from "~/styles/orders.css";
import { parseForm } from "~/utils/zod-messages";
import { queryParam } from "~/utils/text";
import { BrokerEditForm, BrokerForm } from "./broker-form";
import { INTENT } from "./intents";
import { CurrentMembers } from "./members";
import { JoinForm } from "./membership-forms";
import { Requests } from "./requests";

const SAVED = [
  "broker",
  "brokerUpdate",
  "brokerRetire",
  "setup",
  "join",
  "leave",
  "request",
  "withdraw",
  "confirm",
  "decline",
];

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: listStyles },
  { rel: "stylesheet", href: orderStyles },
];

export const meta = pageMeta();

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "cooperative.read");
  const parsed = CooperativeParamsSchema.safeParse(params);
  if (!parsed.success) notFound();
  const memberParams = cooperativeMemberListParams.parse(new URL(request.url));
  const coop = await getCooperative({ scope: user.scope, id: parsed.data.cooperativeId, members: memberParams });
  if (!coop) notFound();
  const q = SearchQuerySchema.parse(queryParam(new URL(request.url), "q") ?? "");
  const today = todayISO();
  const [candidates, requests] = await Promise.all([
    membershipCandidates({ scope: user.scope, cooperativeId: coop.cooperative.id, q, limit: 50 }),
    cooperativeMembershipRequests({ scope: user.scope, cooperativeId: coop.cooperative.id, today }),
  ]);
  return {
    ...coop,
    memberParams,
    title: { name: coop.cooperative.name } satisfies PageTitle,
    candidates,
    requests,
    q,
    today,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "cooperative.write");
  const parsed = CooperativeParamsSchema.safeParse(params);
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
    case INTENT.brokerUpdate: {
      const submission = parseForm(formData, { schema: BrokerEditSchema });
      const target = String(formData.get("brokerId") ?? "");
      if (submission.status !== "success") return reply(submission.reply(), 400, target);
      const { brokerId, version, name, phone } = submission.value;
      const result = await runModel(submission, () =>
        updateBroker({ scope: user.scope, cooperativeId, brokerId, version, name, phone }),
      );
      if (!result.ok) return intentReplyFrom(result.response, intent, target);
      return back("brokerUpdate", "brokers");
    }
    case INTENT.brokerRetire: {
      const submission = parseForm(formData, { schema: BrokerRetireSchema });
      const target = String(formData.get("brokerId") ?? "");
      if (submission.status !== "success") return reply(submission.reply(), 400, target);
      const { brokerId, version } = submission.value;
      const result = await runModel(submission, () =>
        retireBroker({ scope: user.scope, cooperativeId, brokerId, version }),
      );
      if (!result.ok) return intentReplyFrom(result.response, intent, target);
      return back("brokerRetire", "brokers");
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
  const { title, brokers, currentTotal, past, can, requests, cooperative } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const t = useT();
  const saved = searchParams.get("saved");
  return (
    <>
      <PageHeading title={title} back={{ to: "/cooperatives", label: "orders.coops.back" }} />
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
          <dt>{t("orders.coop.contact")}</dt>
          <dd>{[cooperative.contactName, cooperative.phone].filter(Boolean).join(" ") || "—"}</dd>
          <dt>{t("orders.coop.memberCount")}</dt>
          <dd data-testid="member-count">{currentTotal}</dd>
        </dl>
        <p className="actions">
          <Link to={`/orders?${new URLSearchParams({ cooperative: cooperative.id })}`}>{t("orders.coop.orders")}</Link>
          {can.setup ? (
            <>
              {" · "}
              <Link to={`/cooperatives/${cooperative.id}/edit`}>{t("orders.coop.editDetails")}</Link>
            </>
          ) : null}
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
              {can.edit ? <BrokerEditForm broker={b} /> : null}
            </li>
          ))}
        </ul>
      )}
      {can.edit ? <BrokerForm /> : null}

      {can.request || can.decide ? <Requests requests={requests} /> : null}

      <h2 id="members">{t("orders.coop.currentMembers", { count: currentTotal })}</h2>
      {can.join ? <JoinForm /> : null}
      <CurrentMembers />

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

export type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
