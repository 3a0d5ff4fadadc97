import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { useT, useLocale, type Translate } from "~/i18n";
import {
  cadreWorklist,
  cooperativeOverview,
  regionOverview,
  type RegionRow,
  type WorklistRow,
} from "~/models/overview.server";
import { pendingMembershipRequests } from "~/models/membership-requests.server";
import { requireUser } from "~/http/auth.server";
import { currentYear, todayISO } from "~/utils/dates";

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
          t={t}
        />
      ) : null}
      {data.role === "clerk" ? <CooperativeSummary data={data.cooperative} t={t} /> : null}
    </>
  );
}

function Worklist({ rows, t }: { rows: WorklistRow[]; t: Translate }) {
  const overdue = rows.filter((r) => r.daysOverdue > 0).length;
  return (
    <section aria-labelledby="worklist-title">
      <ul className="stats">
        <li className="stat">
          <b>{rows.length}</b>
          <span>{t("stat.households")}</span>
        </li>
        <li className={overdue ? "stat warn" : "stat"}>
          <b>{overdue}</b>
          <span>{t("stat.overdue")}</span>
        </li>
      </ul>
      <h2 id="worklist-title">{t("cadre.worklist")}</h2>
      {rows.length === 0 ? <p className="muted">{t("cadre.worklistEmpty")}</p> : null}
      <ul className="rows" data-testid="worklist">
        {rows.map((r) => (
          <li key={r.id}>
            <Link className="row" to={`/households/${r.id}`}>
              <span className="title">{r.headName}</span>
              <DueBadge daysOverdue={r.daysOverdue} neverVisited={!r.lastVisit} t={t} />
              <span className="meta">
                {r.village} · {t(`planStatus.${(r.planStatus ?? "none") as "none"}`)} · {t("col.lastCheck")}{" "}
                {r.lastVisit ?? "—"}
              </span>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}

function DueBadge({ daysOverdue, neverVisited, t }: { daysOverdue: number; neverVisited: boolean; t: Translate }) {
  if (neverVisited) return <span className="badge bad">{t("cadre.neverVisited")}</span>;
  if (daysOverdue > 0) return <span className="badge bad">{t("cadre.overdueDays", { days: daysOverdue })}</span>;
  if (daysOverdue === 0) return <span className="badge warn">{t("cadre.dueToday")}</span>;
  const days = -daysOverdue;
  return <span className={days <= 7 ? "badge warn" : "badge"}>{t("cadre.dueInDays", { days })}</span>;
}

function RegionSummary({
  overview,
  regionLabel,
  t,
}: {
  overview: { rows: RegionRow[]; totals: Omit<RegionRow, "regionId" | "name"> };
  regionLabel: "col.village" | "admin.townships";
  t: Translate;
}) {
  const { totals } = overview;
  const locale = useLocale();
  const fmt = new Intl.NumberFormat(locale);
  return (
    <>
      <ul className="stats">
        <li className="stat">
          <b>{fmt.format(totals.households)}</b>
          <span>{t("stat.households")}</span>
        </li>
        <li className="stat">
          <b>{fmt.format(totals.members)}</b>
          <span>{t("stat.members")}</span>
        </li>
        <li className="stat">
          <b>{fmt.format(totals.plansApproved)}</b>
          <span>{t("stat.plansApproved")}</span>
        </li>
        <li className={totals.overdue ? "stat warn" : "stat"}>
          <b>{fmt.format(totals.overdue)}</b>
          <span>{t("stat.overdue")}</span>
        </li>
      </ul>
      <h2>{t(regionLabel === "col.village" ? "official.villages" : "admin.townships")}</h2>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t(regionLabel === "col.village" ? "col.village" : "stat.townships")}</th>
              <th scope="col" className="num">
                {t("stat.households")}
              </th>
              <th scope="col" className="num">
                {t("stat.members")}
              </th>
              <th scope="col" className="num">
                {t("stat.plansApproved")}
              </th>
              <th scope="col" className="num">
                {t("stat.overdue")}
              </th>
              <th scope="col" className="num">
                {t("stat.noCadre")}
              </th>
            </tr>
          </thead>
          <tbody>
            {overview.rows.map((r) => (
              <tr key={r.regionId}>
                <th scope="row">{r.name}</th>
                <td className="num">{fmt.format(r.households)}</td>
                <td className="num">{fmt.format(r.members)}</td>
                <td className="num">{fmt.format(r.plansApproved)}</td>
                <td className="num">{fmt.format(r.overdue)}</td>
                <td className="num">{fmt.format(r.noCadre)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function CooperativeSummary({ data, t }: { data: Awaited<ReturnType<typeof cooperativeOverview>>; t: Translate }) {
  const locale = useLocale();
  const fmt = new Intl.NumberFormat(locale);
  return (
    <>
      <ul className="stats">
        <li className="stat">
          <b>{fmt.format(data.summary.members)}</b>
          <span>{t("stat.currentMembers")}</span>
        </li>
        <li className="stat">
          <b>{fmt.format(data.summary.orders)}</b>
          <span>{t("stat.orders")}</span>
        </li>
        <li className="stat">
          <b>{fmt.format(data.summary.orderedKg)}</b>
          <span>{t("stat.orderedKg")}</span>
        </li>
      </ul>
      <h2>{t("clerk.orders")}</h2>
      {data.orders.length === 0 ? <p className="muted">{t("clerk.noOrders")}</p> : null}
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t("col.crop")}</th>
              <th scope="col">{t("col.buyer")}</th>
              <th scope="col" className="num">
                {t("col.quantityKg")}
              </th>
              <th scope="col" className="num">
                {t("col.unitPrice")}
              </th>
              <th scope="col">{t("col.deliveryWindow")}</th>
              <th scope="col">{t("col.orderStatus")}</th>
            </tr>
          </thead>
          <tbody>
            {data.orders.map((o) => (
              <tr key={o.id} className={o.counted ? undefined : "muted"}>
                <td>{locale === "en" ? o.cropEn : o.crop}</td>
                <td>{o.buyer}</td>
                <td className="num">{fmt.format(o.quantityKg)}</td>
                <td className="num">{(o.unitPriceFen / 100).toFixed(2)}</td>
                <td>
                  {o.deliveryStart} – {o.deliveryEnd}
                </td>
                <td>{t(`orders.status.${o.status as "draft"}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
