import { Link } from "@remix-run/react";
import { useLocale, type Translate } from "~/i18n";
import type { RegionRow } from "~/models/overview.server";
import { numberFormat } from "~/utils/intl";

export function RegionSummary({
  overview,
  regionLabel,
  canPair,
  work,
  t,
}: {
  overview: { rows: RegionRow[]; totals: Omit<RegionRow, "regionId" | "name"> };
  regionLabel: "col.village" | "admin.townships";
  /** the official pairs cadres: the households without one open the pairing list */
  canPair: boolean;
  /** the official's queues: plans and amendments waiting for them, returned to cadres, households not covered */
  work: { approvals: number; returned: number; gaps: number } | null;
  t: Translate;
}) {
  const { totals } = overview;
  const locale = useLocale();
  const fmt = numberFormat(locale);
  return (
    <>
      {work ? (
        <ul className="stats" data-testid="home-work">
          <li className={work.approvals ? "stat warn" : "stat"}>
            <b>
              <Link to="/approvals" data-testid="home-approvals-link">
                {fmt.format(work.approvals)}
              </Link>
            </b>
            <span>{t("home.work.approvals")}</span>
          </li>
          <li className="stat">
            <b>
              <Link to="/approvals?show=returned" data-testid="home-returned">
                {fmt.format(work.returned)}
              </Link>
            </b>
            <span>{t("home.work.returned")}</span>
          </li>
          <li className={work.gaps ? "stat warn" : "stat"}>
            <b>
              <Link to="/coverage/gaps" data-testid="home-gaps">
                {fmt.format(work.gaps)}
              </Link>
            </b>
            <span>{t("home.work.gaps")}</span>
          </li>
        </ul>
      ) : null}
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
        {/* the counts that ask for work open the list behind them */}
        <li className={totals.overdue ? "stat warn" : "stat"}>
          <b>
            <Link to="/checks/overdue" data-testid="home-overdue">
              {fmt.format(totals.overdue)}
            </Link>
          </b>
          <span>{t("stat.overdue")}</span>
        </li>
        <li className={totals.noCadre ? "stat warn" : "stat"}>
          <b>
            {canPair ? (
              <Link to="/assignments/households?cadre=none" data-testid="home-no-cadre">
                {fmt.format(totals.noCadre)}
              </Link>
            ) : (
              fmt.format(totals.noCadre)
            )}
          </b>
          <span>{t("stat.noCadre")}</span>
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
