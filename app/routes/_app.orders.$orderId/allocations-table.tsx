import { Link, useLoaderData } from "@remix-run/react";
import { useLocale, useT } from "~/i18n";
import { fenToYuan } from "~/utils/units";
import { fmtKg } from "./format";
import type { loader } from "./route";

/** Each household's share of the order: allocated, delivered, left, its money, and who is behind. */
export function AllocationsTable() {
  const { households, tableTotals } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const kg = (v: number) => fmtKg(locale, v);
  return (
    <div className="table-wrap">
      <table data-testid="allocations">
        <caption className="visually-hidden">{t("orders.households.title")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("orders.col.household")}</th>
            <th scope="col" className="num">
              {t("orders.col.allocated")}
            </th>
            <th scope="col" className="num">
              {t("orders.col.delivered")}
            </th>
            <th scope="col" className="num">
              {t("orders.col.remaining")}
            </th>
            <th scope="col" className="num">
              {t("orders.col.amount")}
            </th>
            <th scope="col" className="num">
              {t("orders.col.paid")}
            </th>
            <th scope="col">{t("orders.col.flag")}</th>
          </tr>
        </thead>
        <tbody>
          {households.map((h) => (
            <tr key={h.allocationId} className={h.behind ? "behind" : undefined}>
              <th scope="row">
                {h.householdId ? <Link to={`/households/${h.householdId}`}>{h.headName}</Link> : h.headName}
              </th>
              <td className="num">{kg(h.allocatedKg)}</td>
              <td className="num">{kg(h.deliveredKg)}</td>
              <td className="num">{kg(h.remainingKg)}</td>
              <td className="num">{fenToYuan(h.amountFen)}</td>
              <td className="num">{fenToYuan(h.paidFen)}</td>
              <td>
                {h.behind ? (
                  <span className="badge warn">{t("orders.behind")}</span>
                ) : h.remainingKg === 0 ? (
                  <span className="badge ok">{t("orders.done")}</span>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr className="totals">
            <th scope="row">{t("orders.totalsRow")}</th>
            <td className="num">{kg(tableTotals.allocatedKg)}</td>
            <td className="num">{kg(tableTotals.deliveredKg)}</td>
            <td className="num">{kg(tableTotals.remainingKg)}</td>
            <td className="num">{fenToYuan(tableTotals.amountFen)}</td>
            <td className="num">{fenToYuan(tableTotals.paidFen)}</td>
            <td>{tableTotals.behindCount ? t("orders.behindCount", { count: tableTotals.behindCount }) : ""}</td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
