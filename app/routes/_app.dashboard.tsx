import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ChartPanel } from "~/components/chart";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { useLocale, useT, type MessageKey } from "~/i18n";
import { translator } from "~/i18n/dictionaries.server";
import { dashboardCharts } from "~/models/dashboard-charts.server";
import { dashboard } from "~/models/dashboard.server";
import { requirePermission } from "~/http/auth.server";
import { currentYear, todayISO } from "~/utils/dates";
import { getLocale } from "~/http/locale.server";
import dashboardStyles from "~/styles/dashboard.css";
import { PageHeading, pageMeta } from "~/components/page-title";
import { numberFormat } from "~/utils/intl";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: dashboardStyles }];

export const meta = pageMeta("dashboard.title");

// Officials see their township, admins the county; the charts come as SVG drawn here, in the reader's language.
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "dashboard.read");
  const { scope } = user;
  const locale = await getLocale(request);
  const data = await dashboard(scope, currentYear(), todayISO());
  const charts = dashboardCharts(data, { t: translator(locale), locale });
  return { scopeName: user.scopeName, data, charts };
}

const share = (part: number, whole: number) => (whole > 0 ? part / whole : null);

export default function Dashboard() {
  const { scopeName, data, charts } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const int = numberFormat(locale, { maximumFractionDigits: 0 });
  const kg = numberFormat(locale, { maximumFractionDigits: 2 });
  const pct = numberFormat(locale, { style: "percent", maximumFractionDigits: 0 });
  const percent = (v: number | null) => (v === null ? "—" : pct.format(v));
  const year = data.year;
  const plansTotal = data.plans.reduce((sum, r) => sum + r.households, 0);
  /** what every panel says the same way */
  const panel = (title: string) => ({
    title,
    seeTable: t("dashboard.seeTable"),
    tableCaption: t("dashboard.tableCaption", { title }),
  });

  const coverageSum = data.coverage.reduce(
    (acc, r) => ({
      households: acc.households + r.households,
      covered: acc.covered + r.householdsCovered,
      persons: acc.persons + r.persons,
      personsCovered: acc.personsCovered + r.personsCovered,
    }),
    { households: 0, covered: 0, persons: 0, personsCovered: 0 },
  );
  return (
    <>
      <PageHeading title={{ key: "dashboard.title" }} />
      <p className="muted">{t("dashboard.intro", { scope: scopeName, year, today: data.today })}</p>
      <div className="chart-grid">
        <ChartPanel
          id="coverage"
          {...panel(
            t(
              data.coverage[0]?.level === "township"
                ? "dashboard.coverage.title.township"
                : "dashboard.coverage.title.village",
            ),
          )}
          svg={charts.coverage}
          caption={t("dashboard.coverage.caption")}
          empty={t("dashboard.coverage.empty")}
          rows={data.coverage}
          rowKey={(r) => r.regionId}
          columns={[
            { label: t("dashboard.coverage.col.region"), cell: (r) => r.name, total: t("dashboard.coverage.total") },
            {
              label: t("dashboard.coverage.col.households"),
              cell: (r) => int.format(r.households),
              total: int.format(coverageSum.households),
              totalTestId: "coverage-households",
            },
            {
              label: t("dashboard.coverage.col.covered"),
              cell: (r) => int.format(r.householdsCovered),
              total: int.format(coverageSum.covered),
              totalTestId: "coverage-covered",
            },
            {
              label: t("dashboard.coverage.series.households"),
              cell: (r) => percent(share(r.householdsCovered, r.households)),
              total: percent(share(coverageSum.covered, coverageSum.households)),
            },
            {
              label: t("dashboard.coverage.col.persons"),
              cell: (r) => int.format(r.persons),
              total: int.format(coverageSum.persons),
              totalTestId: "coverage-persons",
            },
            {
              label: t("dashboard.coverage.series.persons"),
              cell: (r) => percent(share(r.personsCovered, r.persons)),
              total: percent(share(coverageSum.personsCovered, coverageSum.persons)),
            },
          ]}
        >
          <p className="small">
            <Link to="/coverage">{t("dashboard.coverage.open")}</Link>
          </p>
        </ChartPanel>

        <ChartPanel
          id="overdue"
          {...panel(t("dashboard.overdue.title"))}
          svg={charts.overdue}
          caption={t("dashboard.overdue.caption", {
            interval: data.intervals["check.intervalDays"],
            monitored: data.intervals["check.monitoredIntervalDays"],
          })}
          empty={t("dashboard.overdue.empty")}
          rows={data.overdue}
          rowKey={(r) => r.month}
          columns={[
            { label: t("dashboard.overdue.col.month"), cell: (r) => r.month },
            { label: t("dashboard.overdue.col.tracked"), cell: (r) => int.format(r.tracked) },
            { label: t("dashboard.overdue.col.overdue"), cell: (r) => int.format(r.overdue) },
            { label: t("dashboard.overdue.col.visits"), cell: (r) => int.format(r.visits) },
          ]}
        />

        <ChartPanel
          id="plans"
          {...panel(t("dashboard.plans.title", { year }))}
          svg={charts.plans}
          caption={t("dashboard.plans.caption")}
          empty={t("dashboard.plans.empty")}
          rows={data.plans}
          rowKey={(r) => r.status}
          columns={[
            {
              label: t("dashboard.plans.col.status"),
              cell: (r) => t(`planStatus.${r.status}` as MessageKey),
              total: t("dashboard.plans.total"),
            },
            {
              label: t("dashboard.plans.col.households"),
              cell: (r) => int.format(r.households),
              total: int.format(plansTotal),
            },
            { label: t("dashboard.plans.col.share"), cell: (r) => percent(share(r.households, plansTotal)) },
          ]}
        />

        <ChartPanel
          id="orders"
          {...panel(t("dashboard.orders.title"))}
          svg={charts.orders}
          caption={t("dashboard.orders.caption", { year })}
          empty={t("dashboard.orders.empty", { year })}
          rows={data.orders}
          rowKey={(r) => r.cropCode}
          columns={[
            { label: t("dashboard.orders.col.crop"), cell: (r) => (locale === "en" ? r.cropEn : r.cropZh) },
            { label: t("dashboard.orders.col.orders"), cell: (r) => int.format(r.orders) },
            { label: t("dashboard.orders.col.ordered"), cell: (r) => kg.format(r.orderedKg) },
            { label: t("dashboard.orders.col.allocated"), cell: (r) => kg.format(r.allocatedKg) },
            { label: t("dashboard.orders.col.delivered"), cell: (r) => kg.format(r.deliveredKg) },
            {
              label: t("dashboard.orders.col.deliveredShare"),
              cell: (r) => percent(share(r.deliveredKg, r.orderedKg)),
            },
          ]}
        />

        <ChartPanel
          id="funds"
          {...panel(t("dashboard.funds.title"))}
          svg={charts.funds}
          caption={t("dashboard.funds.caption", { year })}
          empty={t("dashboard.funds.empty", { year })}
          rows={data.funds}
          rowKey={(r) => r.type}
          columns={[
            { label: t("dashboard.funds.col.type"), cell: (r) => t(`projects.type.${r.type}` as MessageKey) },
            { label: t("dashboard.funds.col.projects"), cell: (r) => int.format(r.projects) },
            { label: t("dashboard.funds.col.budget"), cell: (r) => int.format(Math.round(r.budgetFen / 100)) },
            { label: t("dashboard.funds.col.allocated"), cell: (r) => int.format(Math.round(r.allocatedFen / 100)) },
            { label: t("dashboard.funds.col.used"), cell: (r) => percent(share(r.allocatedFen, r.budgetFen)) },
          ]}
        />
      </div>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
