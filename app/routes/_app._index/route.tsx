import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { useT } from "~/i18n";
import { cadreWorklist, cooperativeOverview, regionOverview } from "~/models/overview.server";
import { pendingMembershipRequests } from "~/models/membership-requests.server";
import { pendingApprovalCount } from "~/models/approvals.server";
import { requireUser } from "~/http/auth.server";
import { currentYear, todayISO } from "~/utils/dates";
import { CooperativeSummary } from "./cooperative-summary";
import { RegionSummary } from "./region-summary";
import { Worklist } from "./worklist";

// Each role lands on its own home: a cadre's worklist, an official's villages, a clerk's cooperative,
// an administrator's county.
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const today = todayISO();
  const year = currentYear();
  const base = { displayName: user.displayName, scopeName: user.scopeName, today, year };
  const scope = user.scope;
  switch (scope.role) {
    case "cadre":
      return { ...base, role: "cadre" as const, worklist: await cadreWorklist(scope, year, today) };
    case "official":
      return {
        ...base,
        role: "official" as const,
        overview: await regionOverview(scope, year, today),
        requests: await pendingMembershipRequests(scope),
        approvals: await pendingApprovalCount({ scope }),
      };
    case "admin":
      return { ...base, role: "admin" as const, overview: await regionOverview(scope, year, today) };
    case "clerk":
      return { ...base, role: "clerk" as const, cooperative: await cooperativeOverview(scope) };
  }
}

export default function Home() {
  const data = useLoaderData<typeof loader>();
  const t = useT();
  const [searchParams] = useSearchParams();
  return (
    <>
      <h1>{t("home.greeting", { name: data.displayName })}</h1>
      {searchParams.get("saved") === "check" ? (
        <p className="success" role="status">
          {t("checks.saved")}
        </p>
      ) : null}
      {data.role === "cadre" ? <Worklist rows={data.worklist} t={t} /> : null}
      {data.role === "official" && data.approvals > 0 ? (
        <Link className="card dashboard-link" to="/approvals" data-testid="home-approvals-link">
          <span className="badge warn">{t("approvals.title")}</span>{" "}
          <b>{t("approvals.homeCount", { count: data.approvals })} →</b>
        </Link>
      ) : null}
      {data.role === "official" && data.requests.length > 0 ? (
        <ul className="rows" data-testid="pending-requests">
          {data.requests.map((r) => (
            <li key={r.cooperativeId}>
              <Link className="row" to={`/cooperatives/${r.cooperativeId}#requests`}>
                <span className="badge warn">{t("orders.coop.requestStatus.pending")}</span>
                <span className="title">
                  {t("orders.coop.pendingRequests", { cooperative: r.cooperative, count: r.count })}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      ) : null}
      {data.role === "official" || data.role === "admin" ? (
        <Link className="card dashboard-link" to="/dashboard" data-testid="home-dashboard-link">
          <b>{t("dashboard.open")} →</b>
          <span className="muted small">{t("dashboard.openHint")}</span>
        </Link>
      ) : null}
      {data.role === "official" || data.role === "admin" ? (
        <RegionSummary
          overview={data.overview}
          regionLabel={data.role === "official" ? "col.village" : "admin.townships"}
          canPair={data.role === "official"}
          t={t}
        />
      ) : null}
      {data.role === "clerk" ? <CooperativeSummary data={data.cooperative} t={t} /> : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
