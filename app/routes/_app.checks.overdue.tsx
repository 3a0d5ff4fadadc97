import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { createColumnHelper, type ColumnDef } from "@tanstack/react-table";
import { useMemo } from "react";
import { DataTable, DataTablePager, useServerTable } from "~/components/data-table";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ExportLinks } from "~/components/export-links";
import { useLocale, useT, type Translate } from "~/i18n";
import { overdueList, overdueSummary } from "~/models/checks.server";
import { requirePermission } from "~/http/auth.server";
import { todayISO } from "~/utils/dates";
import { redirectToExport } from "~/http/export.server";
import { overdueListParams, type OverdueListParams } from "~/utils/lists";
import { overdueListLinks } from "~/utils/list-urls";
import listStyles from "~/styles/list.css";
import { numberFormat } from "~/utils/intl";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: listStyles }];

// Officials: overdue checks per village and per cadre, with the list behind every number.
export async function loader({ request }: LoaderFunctionArgs) {
  redirectToExport(request, "/checks/overdue/export");
  const user = await requirePermission(request, "overdue.read");
  const { scope } = user;
  const today = todayISO();
  const [summary, list] = await Promise.all([
    overdueSummary({ scope, today }),
    overdueList(scope, overdueListParams.parse(new URL(request.url)), { today }),
  ]);
  return { summary, list, filter: list.params, today };
}

type OverdueRow = ReturnType<typeof useLoaderData<typeof loader>>["list"]["rows"][number];

/** The list's columns; each sortable id is the URL's sort key. */
function overdueColumns(t: Translate): ColumnDef<OverdueRow, never>[] {
  const col = createColumnHelper<OverdueRow>();
  const id = (key: OverdueListParams["sort"]) => key;
  return [
    col.accessor("headName", {
      id: id("head"),
      header: t("col.head"),
      meta: { rowHeader: true },
      cell: (c) => <Link to={`/households/${c.row.original.id}`}>{c.getValue()}</Link>,
    }),
    col.accessor("daysOverdue", {
      id: "days",
      header: t("exports.overdue.days"),
      enableSorting: false,
      cell: (c) => <span className="badge bad">{t("cadre.overdueDays", { days: c.getValue() })}</span>,
    }),
    col.accessor("village", { id: id("village"), header: t("col.village") }),
    col.accessor("cadre", { id: id("cadre"), header: t("col.cadre") }),
    col.accessor("lastVisit", {
      id: "lastVisit",
      header: t("col.lastCheck"),
      enableSorting: false,
      cell: (c) => c.getValue() ?? "—",
    }),
    col.accessor("dueOn", { id: id("due"), header: t("checks.dueOn") }),
  ] as ColumnDef<OverdueRow, never>[];
}

export default function OverdueChecks() {
  const { summary, list, filter } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const columns = useMemo(() => overdueColumns(t), [t]);
  const table = useServerTable<OverdueRow>({
    page: list,
    columns,
    getRowId: (row) => row.id,
    sorting: filter,
    href: (changes) => overdueListLinks.search(filter, changes),
  });
  // a number in the summary lists its households: one filter at a time, sort and page size kept
  const only = (change: { township?: string; village?: string; cadre?: string }) =>
    `${overdueListLinks.search(filter, { township: null, village: null, cadre: null, page: null, ...change })}#list`;
  const total = summary.totals.overdue;
  const byTownship = summary.regionLevel === "township";
  const selected = byTownship ? filter.township : filter.village;
  return (
    <>
      <h1>{t("checks.overdueTitle")}</h1>
      <ul className="stats">
        <li className={total ? "stat warn" : "stat"}>
          <b data-testid="overdue-total">{total}</b>
          <span>{t("stat.overdue")}</span>
        </li>
      </ul>
      <h2>{t(byTownship ? "checks.byTownship" : "checks.byVillage")}</h2>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t(byTownship ? "col.township" : "col.village")}</th>
              <th scope="col" className="num">
                {t("stat.households")}
              </th>
              <th scope="col" className="num">
                {t("stat.overdue")}
              </th>
            </tr>
          </thead>
          <tbody>
            {summary.byRegion.map((v) => (
              <tr key={v.id} className={selected === v.id ? "selected" : undefined}>
                <th scope="row">{v.name}</th>
                <td className="num">{v.households}</td>
                <td className="num">
                  <Link to={only(byTownship ? { township: v.id } : { village: v.id })}>{v.overdue}</Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>{t("checks.byCadre")}</h2>
      {summary.byCadre.length < summary.totals.cadres ? (
        <p className="muted small">
          {t("checks.cadresShown", { shown: summary.byCadre.length, total: summary.totals.cadres })}
        </p>
      ) : null}
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t("col.cadre")}</th>
              <th scope="col" className="num">
                {t("stat.households")}
              </th>
              <th scope="col" className="num">
                {t("stat.overdue")}
              </th>
            </tr>
          </thead>
          <tbody>
            {summary.byCadre.map((c) => (
              <tr key={c.id} className={filter.cadre === c.id ? "selected" : undefined}>
                <th scope="row">{c.name}</th>
                <td className="num">{c.households}</td>
                <td className="num">
                  <Link to={only({ cadre: c.id })}>{c.overdue}</Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2 id="list">{t("checks.overdueList")}</h2>
      {filter.township || filter.village || filter.cadre ? (
        <p className="small">
          <Link to={only({})}>{t("checks.showAll")}</Link>
        </p>
      ) : null}
      {list.total === 0 ? (
        <p className="muted">{t("checks.noOverdue")}</p>
      ) : (
        <>
          <p className="muted list-total" aria-live="polite">
            {t("households.total", { total: numberFormat(locale).format(list.total) })}
          </p>
          <DataTable table={table} caption={t("checks.overdueList")} empty={t("checks.noOverdue")} />
          <DataTablePager table={table} pageSizes={overdueListLinks.sizes} />
          <ExportLinks path="/checks/overdue/export" />
        </>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
