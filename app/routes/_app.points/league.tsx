import { Form, Link } from "@remix-run/react";
import { Pager } from "~/components/pager";
import { useLocale, useT } from "~/i18n";
import { pointsLeagueLinks } from "~/utils/list-urls";
import { monthLabel, pointsUrl, signed } from "./format";
import type { LoaderData } from "./route";

/**
 * The township's league for a month, best first, a page at a time, with a search by name or username: a
 * township has hundreds of cadres. Links and a GET form, so it pages and searches without JavaScript.
 */
export function League({ data }: { data: Extract<LoaderData, { view: "league" }> }) {
  const t = useT();
  const locale = useLocale();
  const rows = data.league.rows;
  const searched = Boolean(data.list.who);
  // the month rides along: the league of the month shown is searched and paged
  const params = { ...data.list, month: data.month === data.current ? undefined : data.month };
  const href = (changes: Parameters<typeof pointsLeagueLinks.search>[1]) => {
    const q = pointsLeagueLinks.query(data.list, changes);
    if (params.month) q.set("month", params.month);
    const search = q.toString();
    return search ? `/points?${search}` : "/points";
  };
  return (
    <section aria-labelledby="league-title">
      <h2 id="league-title">{monthLabel(locale, data.month)}</h2>
      {data.league.cadreCount > pointsLeagueLinks.sizes[0] || searched ? (
        <Form method="get" action="/points" className="search-bar" role="search">
          {params.month ? <input type="hidden" name="month" value={params.month} /> : null}
          <label className="visually-hidden" htmlFor="league-search">
            {t("points.league.search")}
          </label>
          <input
            id="league-search"
            type="search"
            name="who"
            defaultValue={data.list.who ?? ""}
            maxLength={20}
            placeholder={t("points.league.search")}
          />
          <button className="button secondary" type="submit">
            {t("orders.allocate.searchButton")}
          </button>
        </Form>
      ) : null}
      {searched ? (
        <p className="muted small">
          {t("points.league.found", { count: data.league.page.total })}{" "}
          <Link to={href({ who: null, page: null })}>{t("list.filter.clear")}</Link>
        </p>
      ) : null}
      {rows.length === 0 ? (
        searched ? null : (
          <p className="muted">{t("points.league.empty")}</p>
        )
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
          <Pager {...data.league.page} shown={rows.length} pageSizes={pointsLeagueLinks.sizes} href={href} />
        </>
      )}
    </section>
  );
}
