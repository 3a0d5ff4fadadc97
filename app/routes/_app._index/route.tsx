import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { useT } from "~/i18n";
import { cadreWorklist, cooperativeOverview, cooperativeWork, regionOverview } from "~/models/overview.server";
import { pendingMembershipRequests } from "~/models/membership-requests.server";
import { pendingApprovalCount, returnedWork } from "~/models/approvals.server";
import { coverageGapCount } from "~/models/coverage.server";
import { openProblems } from "~/models/points.server";
import { requireUser } from "~/http/auth.server";
import { currentYear, todayISO } from "~/utils/dates";
import { CooperativeSummary } from "./cooperative-summary";
import { RegionSummary } from "./region-summary";
import { Worklist } from "./worklist";
import homeStyles from "~/styles/home.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: homeStyles }];

// Each role lands on its own home: a cadre's worklist, an official's villages, a clerk's cooperative,
// an administrator's county.
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const today = todayISO();
  const year = currentYear();
  const base = { displayName: user.displayName, scopeName: user.scopeName, today, year };
  const scope = user.scope;
  switch (scope.role) {
    case "cadre": {
      const [worklist, returned, problems] = await Promise.all([
        cadreWorklist(scope, year, today),
        returnedWork({ scope, limit: 50 }),
        openProblems({ scope, limit: 50 }),
      ]);
      return { ...base, role: "cadre" as const, worklist, returned: returned.rows, problems };
    }
    case "official": {
      const [overview, requests, approvals, returned, gaps] = await Promise.all([
        regionOverview(scope, year, today),
        pendingMembershipRequests(scope),
        pendingApprovalCount({ scope }),
        returnedWork({ scope, limit: 0 }),
        coverageGapCount(scope, today),
      ]);
      return {
        ...base,
        role: "official" as const,
        overview,
        requests,
        work: { approvals, returned: returned.total, gaps },
      };
    }
    case "admin":
      return { ...base, role: "admin" as const, overview: await regionOverview(scope, year, today) };
    case "clerk":
      return {
        ...base,
        role: "clerk" as const,
        cooperative: await cooperativeOverview(scope),
        work: await cooperativeWork(scope, today),
      };
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
      {data.role === "cadre" ? (
        <Worklist rows={data.worklist} returned={data.returned} problems={data.problems} t={t} />
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
          work={data.role === "official" ? data.work : null}
          t={t}
        />
      ) : null}
      {data.role === "clerk" ? <CooperativeSummary data={data.cooperative} work={data.work} t={t} /> : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
