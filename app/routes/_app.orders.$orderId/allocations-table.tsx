import { Link, useLoaderData } from "@remix-run/react";
import { useLocale, useT } from "~/i18n";
import { fenToYuan } from "~/utils/units";
import { fmtKg } from "./format";
import type { loader } from "./route";

/**
 * Each household's share of the order: allocated, delivered, left, its money, and who is behind; one page
 * of households, and under them the total of every household the caller sees, not only the page's.
 */
export function AllocationsTable() {
  const { households, tableTotals, allocationCount } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <div className="table-wrap cards">
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
              <Figures
                allocatedKg={h.allocatedKg}
                deliveredKg={h.deliveredKg}
                remainingKg={h.remainingKg}
                amountFen={h.amountFen}
                paidFen={h.paidFen}
              />
              <td data-label={t("orders.col.flag")}>
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
            <th scope="row">{t("orders.totalsRow", { count: allocationCount })}</th>
            <Figures {...tableTotals} />
            <td data-label={t("orders.col.flag")}>
              {tableTotals.behindCount ? t("orders.behindCount", { count: tableTotals.behindCount }) : ""}
            </td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

/** A row's figures, each labelled with its column for the card a phone shows. */
function Figures(f: {
  allocatedKg: number;
  deliveredKg: number;
  remainingKg: number;
  amountFen: number;
  paidFen: number;
}) {
  const t = useT();
  const locale = useLocale();
  const kg = (v: number) => fmtKg(locale, v);
  return (
    <>
      <td className="num" data-label={t("orders.col.allocated")}>
        {kg(f.allocatedKg)}
      </td>
      <td className="num" data-label={t("orders.col.delivered")}>
        {kg(f.deliveredKg)}
      </td>
      <td className="num" data-label={t("orders.col.remaining")}>
        {kg(f.remainingKg)}
      </td>
      <td className="num" data-label={t("orders.col.amount")}>
        {fenToYuan(f.amountFen)}
      </td>
      <td className="num" data-label={t("orders.col.paid")}>
        {fenToYuan(f.paidFen)}
      </td>
    </>
  );
}
