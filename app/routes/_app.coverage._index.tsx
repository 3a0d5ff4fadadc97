import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { CoverageFilters } from "~/components/coverage-filters";
import { ExportLinks } from "~/components/export-links";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { useLocale, useT } from "~/i18n";
import { coverageRegisterList, type CoverageRow, type CoverageTotals } from "~/models/coverage.server";
import { requirePermission } from "~/http/auth.server";
import { CONDITIONS, type Condition } from "~/utils/coverage";
import { todayISO } from "~/utils/dates";
import { redirectToExport } from "~/http/export.server";
import { notFound } from "~/http/form.server";
import { coverageListParams } from "~/utils/lists";
import { coverageListLinks } from "~/utils/list-urls";
import listStyles from "~/styles/list.css";
import coverageStyles from "~/styles/coverage.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: listStyles },
  { rel: "stylesheet", href: coverageStyles },
];

// Officials (their township) and administrators (the county) track coverage; cadres and clerks have
// no coverage pages (their own lists show what is due), as on the overdue page: 403.
export async function loader({ request }: LoaderFunctionArgs) {
  redirectToExport(request, "/coverage/export");
  const user = await requirePermission(request, "coverage.read");
  const { scope } = user;
  const list = await coverageRegisterList(scope, coverageListParams.parse(new URL(request.url)), { today: todayISO() });
  if (!list) notFound();
  return { ...list, isCounty: scope.role === "admin" };
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

/** The gap list behind a number: same filters, one region, optionally one condition or the persons. */
function gapHref(
  params: Data["params"],
  change: { view?: "persons"; township?: string; village?: string; condition?: Condition },
) {
  return `/coverage/gaps${coverageListLinks.search({
    ...coverageListLinks.defaults,
    township: change.township ?? params.township,
    village: change.village ?? params.village,
    status: params.status,
    condition: change.condition,
    view: change.view,
  })}`.replace(/\?$/, "");
}

export default function CoveragePage() {
  const data = useLoaderData<typeof loader>();
  const { rows, totals, params, options, isCounty, groupBy, today } = data;
  const t = useT();
  const locale = useLocale();
  const fmt = new Intl.NumberFormat(locale);
  // one formatter for the page: making one per cell cost more than the rest of the render
  const pctFmt = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  const pct = (p: number) => `${pctFmt.format(p)}%`;
  const regionKey = (r: CoverageRow) => (r.level === "township" ? { township: r.regionId } : { village: r.regionId });

  return (
    <>
      <div className="list-head">
        <h1>{t("coverage.title")}</h1>
        <Link className="button secondary" to={gapHref(params, {})}>
          {t("coverage.gaps.title")}
        </Link>
      </div>
      <p className="muted coverage-intro">
        {t("coverage.intro")} <span className="nowrap">{t("coverage.asOf", { today })}</span>
      </p>

      <ul className="stats coverage-stats">
        <Headline
          percent={pct(totals.householdsPercent)}
          label={t("coverage.households")}
          detail={t("coverage.ofTotal", {
            covered: fmt.format(totals.householdsCovered),
            total: fmt.format(totals.households),
          })}
          missing={totals.households - totals.householdsCovered}
          href={gapHref(params, {})}
          testId="coverage-households"
        />
        <Headline
          percent={pct(totals.personsPercent)}
          label={t("coverage.persons")}
          detail={t("coverage.ofTotal", {
            covered: fmt.format(totals.personsCovered),
            total: fmt.format(totals.persons),
          })}
          missing={totals.persons - totals.personsCovered}
          href={gapHref(params, { view: "persons" })}
          testId="coverage-persons"
        />
        {CONDITIONS.map((c) => (
          <Headline
            key={c}
            percent={pct(totals.conditions[c].percent)}
            label={t(`coverage.condition.${c}`)}
            detail={t("coverage.ofTotal", {
              covered: fmt.format(totals.conditions[c].met),
              total: fmt.format(totals.households),
            })}
            missing={totals.conditions[c].missing}
            href={gapHref(params, { condition: c })}
          />
        ))}
      </ul>

      <CoverageFilters params={params} options={options} isCounty={isCounty} clearTo="/coverage" />

      <h2>{t(groupBy === "township" ? "coverage.byTownship" : "coverage.byVillage")}</h2>
      <div className="table-wrap data-table-wrap cards">
        <table className="data-table coverage-table">
          <caption className="visually-hidden">{t("coverage.caption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t(groupBy === "township" ? "coverage.region.township" : "coverage.region.village")}</th>
              <th scope="col" className="num">
                {t("coverage.col.households")}
              </th>
              <th scope="col" className="num">
                {t("coverage.col.covered")}
              </th>
              <th scope="col" className="num">
                {t("coverage.col.uncovered")}
              </th>
              <th scope="col" className="num">
                {t("coverage.col.persons")}
              </th>
              <th scope="col" className="num">
                {t("coverage.col.personsCovered")}
              </th>
              <th scope="col" className="num">
                {t("coverage.col.personsUncovered")}
              </th>
              {CONDITIONS.map((c) => (
                <th key={c} scope="col" className="num">
                  {t(`coverage.condition.${c}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.regionId}>
                <th scope="row">
                  {r.level === "township" ? (
                    <Link
                      to={coverageListLinks.search({
                        ...coverageListLinks.defaults,
                        township: r.regionId,
                        status: params.status,
                      })}
                    >
                      {r.name}
                    </Link>
                  ) : (
                    r.name
                  )}
                  {isCounty && r.level === "village" && !params.township ? (
                    <span className="muted region-parent">{r.township}</span>
                  ) : null}
                </th>
                <Counts row={r} params={params} where={regionKey(r)} pct={pct} fmt={fmt} />
              </tr>
            ))}
          </tbody>
          {rows.length > 1 ? (
            <tfoot>
              <tr>
                <th scope="row">{t("coverage.total")}</th>
                <Counts row={totals} params={params} where={{}} pct={pct} fmt={fmt} />
              </tr>
            </tfoot>
          ) : null}
        </table>
        {rows.length === 0 ? <p className="data-table-empty">{t("coverage.noVillages")}</p> : null}
      </div>
      <ExportLinks path="/coverage/export" />
    </>
  );
}

function Headline({
  percent,
  label,
  detail,
  missing,
  href,
  testId,
}: {
  percent: string;
  label: string;
  detail: string;
  missing: number;
  href: string;
  testId?: string;
}) {
  const t = useT();
  return (
    <li className={missing ? "stat warn" : "stat"}>
      <b data-testid={testId}>{percent}</b>
      <span>{label}</span>
      <span className="stat-detail">
        {detail}
        {missing ? (
          <>
            {" · "}
            <Link to={href}>{t("coverage.missingLink", { count: missing })}</Link>
          </>
        ) : null}
      </span>
    </li>
  );
}

/** One row's numbers; every "not covered" and "missing" count links to its gap list. */
function Counts({
  row,
  params,
  where,
  pct,
  fmt,
}: {
  row: CoverageTotals;
  params: Data["params"];
  where: { township?: string; village?: string };
  pct: (p: number) => string;
  fmt: Intl.NumberFormat;
}) {
  const t = useT();
  const gap = (n: number, href: string) =>
    n > 0 ? <Link to={href}>{fmt.format(n)}</Link> : <span className="muted">0</span>;
  return (
    <>
      <td className="num" data-label={t("coverage.col.households")}>
        {fmt.format(row.households)}
      </td>
      <td className="num" data-label={t("coverage.col.covered")}>
        {fmt.format(row.householdsCovered)} <small className="muted">{pct(row.householdsPercent)}</small>
      </td>
      <td className="num" data-label={t("coverage.col.uncovered")}>
        {gap(row.households - row.householdsCovered, gapHref(params, where))}
      </td>
      <td className="num" data-label={t("coverage.col.persons")}>
        {fmt.format(row.persons)}
      </td>
      <td className="num" data-label={t("coverage.col.personsCovered")}>
        {fmt.format(row.personsCovered)} <small className="muted">{pct(row.personsPercent)}</small>
      </td>
      <td className="num" data-label={t("coverage.col.personsUncovered")}>
        {gap(row.persons - row.personsCovered, gapHref(params, { ...where, view: "persons" }))}
      </td>
      {CONDITIONS.map((c) => (
        <td key={c} className="num" data-label={t(`coverage.condition.${c}`)}>
          {pct(row.conditions[c].percent)}
          {row.conditions[c].missing > 0 ? (
            <>
              {" "}
              <Link className="missing" to={gapHref(params, { ...where, condition: c })}>
                {t("coverage.missingLink", { count: fmt.format(row.conditions[c].missing) })}
              </Link>
            </>
          ) : null}
        </td>
      ))}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
