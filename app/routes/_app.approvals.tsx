import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { requirePermission } from "~/http/auth.server";
import { useLocale, useT, type MessageKey } from "~/i18n";
import { approvalsQueue, type PlanDiffField } from "~/models/approvals.server";
import { pageMeta } from "~/components/page-title";

export const meta = pageMeta("approvals.title");

// The township official's queue: every plan waiting for them, oldest first; each row leads to the plan,
// where approving asks for confirmation and returning for a reason.
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "plan.approve");
  return { queue: await approvalsQueue({ scope: user.scope }) };
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
  const { queue } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const day = (value: string | null) =>
    value ? new Date(value).toLocaleDateString(locale === "en" ? "en-GB" : "zh-CN", { timeZone: "Asia/Shanghai" }) : "";
  return (
    <>
      <h1>{t("approvals.title")}</h1>
      <p className="muted small">{t("approvals.intro", { count: queue.length })}</p>
      {queue.length === 0 ? <p className="muted">{t("approvals.none")}</p> : null}
      <p className="small">
        <Link to="/plans/rollover">{t("rollover.title")} →</Link>
      </p>
      <ul className="rows" data-testid="approvals">
        {queue.map((p) => (
          <li key={p.planId}>
            <Link className="row" to={`/households/${p.householdId}#plan-actions`}>
              <span className="title">
                {p.head ?? p.code} <span className="muted small">{p.code}</span>
              </span>
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
        ))}
      </ul>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
