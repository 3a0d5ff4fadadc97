import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ExportLinks } from "~/components/export-links";
import { useT } from "~/i18n";
import { overdueHouseholds, overdueSummary } from "~/models/checks.server";
import { requirePermission } from "~/http/auth.server";
import { todayISO } from "~/utils/dates";
import { redirectToExport } from "~/http/export.server";
import { queryParams } from "~/utils/text";

const FilterSchema = z.object({
  village: z.uuid().optional().catch(undefined),
  cadre: z.uuid().optional().catch(undefined),
});

// Officials: overdue checks per village and per cadre, with the list behind every number.
export async function loader({ request }: LoaderFunctionArgs) {
  redirectToExport(request, "/checks/overdue/export");
  const user = await requirePermission(request, "overdue.read");
  const { scope } = user;
  const filter = FilterSchema.parse(queryParams(new URL(request.url)));
  const today = todayISO();
  const [summary, list] = await Promise.all([
    overdueSummary({ scope, today }),
    overdueHouseholds({ scope, today, villageId: filter.village, cadreId: filter.cadre }),
  ]);
  return { summary, list, filter, today };
}

export default function OverdueChecks() {
  const { summary, list, filter } = useLoaderData<typeof loader>();
  const t = useT();
  const total = summary.byVillage.reduce((s, v) => s + v.overdue, 0);
  return (
    <>
      <h1>{t("checks.overdueTitle")}</h1>
      <ul className="stats">
        <li className={total ? "stat warn" : "stat"}>
          <b data-testid="overdue-total">{total}</b>
          <span>{t("stat.overdue")}</span>
        </li>
      </ul>
      <h2>{t("checks.byVillage")}</h2>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t("col.village")}</th>
              <th scope="col" className="num">
                {t("stat.households")}
              </th>
              <th scope="col" className="num">
                {t("stat.overdue")}
              </th>
            </tr>
          </thead>
          <tbody>
            {summary.byVillage.map((v) => (
              <tr key={v.id} className={filter.village === v.id ? "selected" : undefined}>
                <th scope="row">{v.name}</th>
                <td className="num">{v.households}</td>
                <td className="num">
                  <Link to={`?village=${v.id}#list`}>{v.overdue}</Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>{t("checks.byCadre")}</h2>
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
                  <Link to={`?cadre=${c.id}#list`}>{c.overdue}</Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2 id="list">{t("checks.overdueList")}</h2>
      {filter.village || filter.cadre ? (
        <p className="small">
          <Link to="?#list">{t("checks.showAll")}</Link>
        </p>
      ) : null}
      {list.length === 0 ? (
        <p className="muted">{t("checks.noOverdue")}</p>
      ) : (
        <ExportLinks path="/checks/overdue/export" />
      )}
      <ul className="rows">
        {list.map((r) => (
          <li key={r.id}>
            <Link className="row" to={`/households/${r.id}`}>
              <span className="title">{r.headName}</span>
              <span className="badge bad">{t("cadre.overdueDays", { days: r.daysOverdue })}</span>
              <span className="meta">
                {r.village} · {r.cadre} · {t("col.lastCheck")} {r.lastVisit ?? "—"} · {t("checks.dueOn")} {r.dueOn}
              </span>
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
