import { Link } from "@remix-run/react";
import { useLocale, useT } from "~/i18n";
import { monthLabel, pointsUrl, signed } from "./format";
import type { LoaderData } from "./route";

export function League({ data }: { data: Extract<LoaderData, { view: "league" }> }) {
  const t = useT();
  const locale = useLocale();
  const rows = data.league.rows;
  return (
    <section aria-labelledby="league-title">
      <h2 id="league-title">{monthLabel(locale, data.month)}</h2>
      {rows.length === 0 ? (
        <p className="muted">{t("points.league.empty")}</p>
      ) : (
        <>
          <p className="muted small league-hint">
            {t("points.league.hint")} <a href="#adjust-title">{t("points.adjust.title")} ↓</a>
          </p>
          <div className="table-wrap">
            <table className="league" data-testid="league-table">
              <thead>
                <tr>
                  <th scope="col" className="num">
                    {t("points.col.rank")}
                  </th>
                  <th scope="col">{t("points.col.cadre")}</th>
                  <th scope="col" className="num">
                    {t("points.col.total")}
                  </th>
                  <th scope="col" className="num">
                    {t("points.col.checks")}
                  </th>
                  <th scope="col" className="num">
                    {t("points.col.onTime")}
                  </th>
                  <th scope="col" className="num">
                    {t("points.col.solved")}
                  </th>
                  <th scope="col" className="num">
                    {t("points.col.adjustments")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.cadreId} data-testid={`league-row-${r.username}`}>
                    <td className="num rank">{r.rank}</td>
                    <th scope="row">
                      <Link to={pointsUrl(data.month, r.cadreId)}>{r.displayName}</Link>
                    </th>
                    <td className={`num total ${r.total < 0 ? "neg" : ""}`} data-testid={`points-${r.username}`}>
                      {r.total}
                    </td>
                    <td className="num">{r.checks}</td>
                    <td className="num">{r.onTime}</td>
                    <td className="num">{r.problemsSolved}</td>
                    <td className="num">{r.adjustments === 0 ? "—" : signed(r.adjustments)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
