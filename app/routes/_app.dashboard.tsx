import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ChartPanel } from "~/components/chart";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { DEFAULT_LOCALE, isLocale, translator, useLocale, useT, type MessageKey } from "~/i18n";
import { dashboardCharts } from "~/models/dashboard-charts.server";
import { dashboard } from "~/models/dashboard.server";
import { requirePermission } from "~/http/auth.server";
import { currentYear, todayISO } from "~/utils/dates";
import { getLocale } from "~/http/locale.server";
import dashboardStyles from "~/styles/dashboard.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: dashboardStyles }];

export const meta: MetaFunction = ({ matches }) => {
  const locale = (matches.find((m) => m.id === "root")?.data as { locale?: string } | undefined)?.locale;
  const t = translator(isLocale(locale) ? locale : DEFAULT_LOCALE);
  return [{ title: `${t("dashboard.metaTitle")} · ${t("app.name")}` }];
};

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
  const int = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const kg = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  const pct = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 });
  const percent = (v: number | null) => (v === null ? "—" : pct.format(v));
  const year = data.year;
  const plansTotal = data.plans.reduce((sum, r) => sum + r.households, 0);
  const tableCaption = (title: string) => (
    <caption className="visually-hidden">{t("dashboard.tableCaption", { title })}</caption>
  );

  const coverageTitle = t(
    data.coverage[0]?.level === "township" ? "dashboard.coverage.title.township" : "dashboard.coverage.title.village",
  );
  const coverageSum = data.coverage.reduce(
    (acc, r) => ({
      households: acc.households + r.households,
      covered: acc.covered + r.householdsCovered,
      persons: acc.persons + r.persons,
      personsCovered: acc.personsCovered + r.personsCovered,
    }),
    { households: 0, covered: 0, persons: 0, personsCovered: 0 },
  );
  const overdueTitle = t("dashboard.overdue.title");
  const plansTitle = t("dashboard.plans.title", { year });
  const ordersTitle = t("dashboard.orders.title");
  const fundsTitle = t("dashboard.funds.title");
  return (
    <>
      <h1>{t("dashboard.title")}</h1>
      <p className="muted">{t("dashboard.intro", { scope: scopeName, year, today: data.today })}</p>
      <div className="chart-grid">
        <ChartPanel
          id="coverage"
          title={coverageTitle}
          svg={charts.coverage}
          seeTable={t("dashboard.seeTable")}
          caption={t("dashboard.coverage.caption")}
          empty={t("dashboard.coverage.empty")}
        >
          <div className="table-wrap">
            <table>
              {tableCaption(coverageTitle)}
              <thead>
                <tr>
                  <th scope="col">{t("dashboard.coverage.col.region")}</th>
                  <th scope="col" className="num">
                    {t("dashboard.coverage.col.households")}
                  </th>
                  <th scope="col" className="num">
                    {t("dashboard.coverage.col.covered")}
                  </th>
                  <th scope="col" className="num">
                    {t("dashboard.coverage.series.households")}
                  </th>
                  <th scope="col" className="num">
                    {t("dashboard.coverage.col.persons")}
                  </th>
                  <th scope="col" className="num">
                    {t("dashboard.coverage.series.persons")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.coverage.map((r) => (
                  <tr key={r.regionId}>
                    <th scope="row">{r.name}</th>
                    <td className="num">{int.format(r.households)}</td>
                    <td className="num">{int.format(r.householdsCovered)}</td>
                    <td className="num">{percent(share(r.householdsCovered, r.households))}</td>
                    <td className="num">{int.format(r.persons)}</td>
                    <td className="num">{percent(share(r.personsCovered, r.persons))}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">{t("dashboard.coverage.total")}</th>
                  <td className="num" data-testid="coverage-households">
                    {int.format(coverageSum.households)}
                  </td>
                  <td className="num" data-testid="coverage-covered">
                    {int.format(coverageSum.covered)}
                  </td>
                  <td className="num">{percent(share(coverageSum.covered, coverageSum.households))}</td>
                  <td className="num" data-testid="coverage-persons">
                    {int.format(coverageSum.persons)}
                  </td>
                  <td className="num">{percent(share(coverageSum.personsCovered, coverageSum.persons))}</td>
                </tr>
              </tfoot>
            </table>
          </div>
          <p className="small">
            <Link to="/coverage">{t("dashboard.coverage.open")}</Link>
          </p>
        </ChartPanel>

        <ChartPanel
          id="overdue"
          title={overdueTitle}
          svg={charts.overdue}
          seeTable={t("dashboard.seeTable")}
          caption={t("dashboard.overdue.caption", {
            interval: data.intervals["check.intervalDays"],
            monitored: data.intervals["check.monitoredIntervalDays"],
          })}
          empty={t("dashboard.overdue.empty")}
        >
          <div className="table-wrap">
            <table>
              {tableCaption(overdueTitle)}
              <thead>
                <tr>
                  <th scope="col">{t("dashboard.overdue.col.month")}</th>
                  <th scope="col" className="num">
                    {t("dashboard.overdue.col.tracked")}
                  </th>
                  <th scope="col" className="num">
                    {t("dashboard.overdue.col.overdue")}
                  </th>
                  <th scope="col" className="num">
                    {t("dashboard.overdue.col.visits")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.overdue.map((r) => (
                  <tr key={r.month}>
                    <th scope="row">{r.month}</th>
                    <td className="num">{int.format(r.tracked)}</td>
                    <td className="num">{int.format(r.overdue)}</td>
                    <td className="num">{int.format(r.visits)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </ChartPanel>

        <ChartPanel
          id="plans"
          title={plansTitle}
          svg={charts.plans}
          seeTable={t("dashboard.seeTable")}
          caption={t("dashboard.plans.caption")}
          empty={t("dashboard.plans.empty")}
        >
          <div className="table-wrap">
            <table>
              {tableCaption(plansTitle)}
              <thead>
                <tr>
                  <th scope="col">{t("dashboard.plans.col.status")}</th>
                  <th scope="col" className="num">
                    {t("dashboard.plans.col.households")}
                  </th>
                  <th scope="col" className="num">
                    {t("dashboard.plans.col.share")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.plans.map((r) => (
                  <tr key={r.status}>
                    <th scope="row">{t(`planStatus.${r.status}` as MessageKey)}</th>
                    <td className="num">{int.format(r.households)}</td>
                    <td className="num">{percent(share(r.households, plansTotal))}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">{t("dashboard.plans.total")}</th>
                  <td className="num">{int.format(plansTotal)}</td>
                  <td className="num" />
                </tr>
              </tfoot>
            </table>
          </div>
        </ChartPanel>

        <ChartPanel
          id="orders"
          title={ordersTitle}
          svg={charts.orders}
          seeTable={t("dashboard.seeTable")}
          caption={t("dashboard.orders.caption", { year })}
          empty={t("dashboard.orders.empty", { year })}
        >
          <div className="table-wrap">
            <table>
              {tableCaption(ordersTitle)}
              <thead>
                <tr>
                  <th scope="col">{t("dashboard.orders.col.crop")}</th>
                  <th scope="col" className="num">
                    {t("dashboard.orders.col.orders")}
                  </th>
                  <th scope="col" className="num">
                    {t("dashboard.orders.col.ordered")}
                  </th>
                  <th scope="col" className="num">
                    {t("dashboard.orders.col.allocated")}
                  </th>
                  <th scope="col" className="num">
                    {t("dashboard.orders.col.delivered")}
                  </th>
                  <th scope="col" className="num">
                    {t("dashboard.orders.col.deliveredShare")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.orders.map((r) => (
                  <tr key={r.cropCode}>
                    <th scope="row">{locale === "en" ? r.cropEn : r.cropZh}</th>
                    <td className="num">{int.format(r.orders)}</td>
                    <td className="num">{kg.format(r.orderedKg)}</td>
                    <td className="num">{kg.format(r.allocatedKg)}</td>
                    <td className="num">{kg.format(r.deliveredKg)}</td>
                    <td className="num">{percent(share(r.deliveredKg, r.orderedKg))}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </ChartPanel>

        <ChartPanel
          id="funds"
          title={fundsTitle}
          svg={charts.funds}
          seeTable={t("dashboard.seeTable")}
          caption={t("dashboard.funds.caption", { year })}
          empty={t("dashboard.funds.empty", { year })}
        >
          <div className="table-wrap">
            <table>
              {tableCaption(fundsTitle)}
              <thead>
                <tr>
                  <th scope="col">{t("dashboard.funds.col.type")}</th>
                  <th scope="col" className="num">
                    {t("dashboard.funds.col.projects")}
                  </th>
                  <th scope="col" className="num">
                    {t("dashboard.funds.col.budget")}
                  </th>
                  <th scope="col" className="num">
                    {t("dashboard.funds.col.allocated")}
                  </th>
                  <th scope="col" className="num">
                    {t("dashboard.funds.col.used")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.funds.map((r) => (
                  <tr key={r.type}>
                    <th scope="row">{t(`projects.type.${r.type}` as MessageKey)}</th>
                    <td className="num">{int.format(r.projects)}</td>
                    <td className="num">{int.format(Math.round(r.budgetFen / 100))}</td>
                    <td className="num">{int.format(Math.round(r.allocatedFen / 100))}</td>
                    <td className="num">{percent(share(r.allocatedFen, r.budgetFen))}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </ChartPanel>
      </div>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
