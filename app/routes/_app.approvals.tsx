import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { requirePermission } from "~/http/auth.server";
import { useLocale, useT, type MessageKey } from "~/i18n";
import {
  amendmentQueue,
  approvalsQueue,
  returnedWork,
  type PlanDiffField,
  type QueuedAmendment,
} from "~/models/approvals.server";
import { pageMeta } from "~/components/page-title";
import { PlanChanges } from "~/components/plan-changes";
import { dateTimeFormat } from "~/utils/intl";

export const meta = pageMeta("approvals.title");

// The township official's queue: every plan and plan amendment waiting for them, oldest first; each row
// leads to the household's plan, where approving asks for confirmation and returning for a reason. With
// ?show=returned, the other side: what they returned and the cadres have not resubmitted yet.
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "plan.approve");
  if (new URL(request.url).searchParams.get("show") === "returned") {
    const returned = await returnedWork({ scope: user.scope });
    const none: { queue: Awaited<ReturnType<typeof approvalsQueue>>; amendments: QueuedAmendment[] } = {
      queue: [],
      amendments: [],
    };
    return { show: "returned" as const, returned, ...none };
  }
  const [plans, amendments] = await Promise.all([
    approvalsQueue({ scope: user.scope }),
    amendmentQueue({ scope: user.scope }),
  ]);
  return { show: "waiting" as const, returned: null, queue: plans, amendments };
}

const FIELD_LABEL: Record<PlanDiffField, MessageKey> = {
  courtyardArea: "plan.courtyardArea",
  livingArea: "plan.livingArea",
  plantingArea: "plan.plantingArea",
  raisingArea: "plan.raisingArea",
  plantingItems: "plan.plantingItems",
  raisingItems: "plan.raisingItems",
  measures: "plan.measures",
  incomeTargetFen: "plan.incomeTarget",
};

export default function Approvals() {
  const { show, returned, queue: plans, amendments } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const day = (value: string | null) =>
    value
      ? dateTimeFormat(locale === "en" ? "en-GB" : "zh-CN", { timeZone: "Asia/Shanghai" }).format(new Date(value))
      : "";
  if (show === "returned" && returned) return <Returned returned={returned} day={day} />;
  // one queue, oldest submission first, whichever kind
  const queue = [
    ...plans.map((p) => ({ kind: "plan" as const, at: p.submittedAt ?? "", plan: p })),
    ...amendments.map((a) => ({ kind: "amendment" as const, at: a.submittedAt, amendment: a })),
  ].sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : 0));
  return (
    <>
      <h1>{t("approvals.title")}</h1>
      <Tabs show="waiting" />
      <p className="muted small">{t("approvals.intro", { count: queue.length })}</p>
      {queue.length === 0 ? <p className="muted">{t("approvals.none")}</p> : null}
      <p className="small">
        <Link to="/plans/rollover">{t("rollover.title")} →</Link>
      </p>
      <ul className="rows" data-testid="approvals">
        {queue.map((item) =>
          item.kind === "amendment" ? (
            <AmendmentRow key={item.amendment.amendmentId} a={item.amendment} day={day} />
          ) : (
            <PlanRow key={item.plan.planId} p={item.plan} day={day} />
          ),
        )}
      </ul>
    </>
  );
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

function Tabs({ show }: { show: "waiting" | "returned" }) {
  const t = useT();
  return (
    <p className="small">
      {show === "waiting" ? (
        <b>{t("approvals.tab.waiting")}</b>
      ) : (
        <Link to="/approvals">{t("approvals.tab.waiting")}</Link>
      )}
      {" · "}
      {show === "returned" ? (
        <b>{t("approvals.tab.returned")}</b>
      ) : (
        <Link to="/approvals?show=returned">{t("approvals.tab.returned")}</Link>
      )}
    </p>
  );
}

/** What the official returned, waiting on the cadres: each row opens the household's plan or amendment. */
function Returned({
  returned,
  day,
}: {
  returned: NonNullable<Data["returned"]>;
  day: (value: string | null) => string;
}) {
  const t = useT();
  return (
    <>
      <h1>{t("approvals.returned.title")}</h1>
      <Tabs show="returned" />
      <p className="muted small" data-testid="returned-total">
        {t("approvals.returned.intro", { count: returned.total })}
      </p>
      {returned.total === 0 ? <p className="muted">{t("approvals.returned.none")}</p> : null}
      <ul className="rows" data-testid="returned-list">
        {returned.rows.map((r) => (
          <li key={r.id}>
            <Link
              className="row"
              to={
                r.kind === "plan"
                  ? `/households/${r.householdId}#plan-actions`
                  : `/households/${r.householdId}#amendment`
              }
            >
              <span className="title">
                {r.head} <span className="muted small">{r.code}</span>
              </span>
              <span className="badge warn">
                {t(r.kind === "plan" ? "home.returned.plan" : "home.returned.amendment", { year: r.year })}
              </span>
              <span className="meta">
                {[r.village, r.cadre].filter(Boolean).join(" · ")}
                {r.returnedAt ? ` · ${t("approvals.returned.on", { date: day(r.returnedAt) })}` : ""}
              </span>
              <span className="meta">{t("home.returned.reason", { reason: r.reason ?? "" })}</span>
            </Link>
          </li>
        ))}
      </ul>
    </>
  );
}

function AmendmentRow({ a, day }: { a: Data["amendments"][number]; day: (value: string | null) => string }) {
  const t = useT();
  return (
    <li data-testid="queued-amendment">
      <Link className="row" to={`/households/${a.householdId}#amendment`}>
        <span className="title">
          {a.head ?? a.code} <span className="muted small">{a.code}</span>
        </span>
        <span className="badge warn">{t("approvals.kind.amendment")}</span>{" "}
        <span className="badge">{t("approvals.year", { year: a.year })}</span>
        {a.sinceReturn ? <span className="badge warn">{t("approvals.resubmitted")}</span> : null}
        <span className="meta">
          {[a.village, a.proposedBy ?? a.cadre].filter(Boolean).join(" · ")} ·{" "}
          {t("approvals.submittedOn", { date: day(a.submittedAt) })}
        </span>
        <span className="meta">{t("amendment.reasonValue", { reason: a.reason })}</span>
      </Link>
      <div className="row-extra">
        <PlanChanges changes={a.changes} />
        {a.sinceReturn ? (
          <>
            <p className="small muted">
              {t("approvals.returnedOn", { date: day(a.sinceReturn.returnedAt), reason: a.sinceReturn.reason ?? "" })}
              {" · "}
              {a.sinceReturn.changes.length ? t("amendment.sinceReturn") : t("amendment.unchangedSinceReturn")}
            </p>
            {a.sinceReturn.changes.length ? <PlanChanges changes={a.sinceReturn.changes} /> : null}
          </>
        ) : null}
      </div>
    </li>
  );
}

function PlanRow({ p, day }: { p: Data["queue"][number]; day: (value: string | null) => string }) {
  const t = useT();
  return (
    <li key={p.planId}>
      <Link className="row" to={`/households/${p.householdId}#plan-actions`}>
        <span className="title">
          {p.head ?? p.code} <span className="muted small">{p.code}</span>
        </span>
        <span className="badge">{t("approvals.kind.plan")}</span>{" "}
        <span className="badge">{t("approvals.year", { year: p.year })}</span>
        {p.sinceReturn ? <span className="badge warn">{t("approvals.resubmitted")}</span> : null}
        <span className="meta">
          {[p.village, p.cadre ?? p.submittedBy].filter(Boolean).join(" · ")} ·{" "}
          {t("approvals.submittedOn", { date: day(p.submittedAt) })}
        </span>
        {p.sinceReturn ? (
          <span className="meta">
            {t("approvals.returnedOn", {
              date: day(p.sinceReturn.returnedAt),
              reason: p.sinceReturn.reason ?? "",
            })}
            {" · "}
            {p.sinceReturn.fields.length
              ? t("approvals.changed", { fields: p.sinceReturn.fields.map((f) => t(FIELD_LABEL[f])).join("、") })
              : t("approvals.unchanged")}
          </span>
        ) : null}
      </Link>
    </li>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
