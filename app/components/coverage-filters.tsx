import { Form, Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { useT } from "~/i18n";
import type { CoverageFilterOptions, CoverageParams } from "~/models/coverage.server";
import { CONDITIONS } from "~/utils/coverage";

/**
 * The coverage register's and gap lists' filters as one GET form (works without JavaScript; the button
 * applies them). `withCondition` adds the condition select the gap lists have; `hidden` carries what
 * rides along unchanged (the gap list's view and page size).
 */
export function CoverageFilters({
  params,
  options,
  isCounty,
  withCondition = false,
  clearTo,
  hidden,
}: {
  params: Pick<CoverageParams, "township" | "village" | "status" | "condition">;
  options: CoverageFilterOptions;
  isCounty: boolean;
  withCondition?: boolean;
  clearTo: string;
  hidden?: ReactNode;
}) {
  const t = useT();
  const villages = params.township
    ? options.villages.filter((v) => v.townshipId === params.township)
    : options.villages;
  const active = [params.township, params.village, withCondition ? params.condition : undefined, params.status].filter(
    Boolean,
  ).length;
  return (
    <Form method="get" className="list-filters coverage-filters" key={JSON.stringify(params)}>
      {hidden}
      <div className="filter-grid coverage-filter-grid">
        {isCounty ? (
          <div className="filter">
            <label htmlFor="filter-township">{t("coverage.filter.township")}</label>
            <select id="filter-township" name="township" defaultValue={params.township ?? ""}>
              <option value="">{t("list.filter.all")}</option>
              {options.townships.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <div className="filter">
          <label htmlFor="filter-village">{t("col.village")}</label>
          <select id="filter-village" name="village" defaultValue={params.village ?? ""}>
            <option value="">{t("list.filter.all")}</option>
            {villages.map((o) => (
              <option key={o.value} value={o.value}>
                {isCounty && !params.township ? `${o.township} · ${o.label}` : o.label}
              </option>
            ))}
          </select>
        </div>
        {withCondition ? (
          <div className="filter">
            <label htmlFor="filter-condition">{t("coverage.filter.condition")}</label>
            <select id="filter-condition" name="condition" defaultValue={params.condition ?? ""}>
              <option value="">{t("coverage.filter.anyCondition")}</option>
              {CONDITIONS.map((c) => (
                <option key={c} value={c}>
                  {t(`coverage.condition.${c}`)}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <div className="filter">
          <label htmlFor="filter-status">{t("col.status")}</label>
          <select id="filter-status" name="status" defaultValue={params.status ?? ""}>
            <option value="">{t("list.filter.all")}</option>
            {options.statuses.map((s) => (
              <option key={s} value={s}>
                {t(`povertyStatus.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="filter-actions">
          <button type="submit" className="button">
            {t("list.filter.submit")}
          </button>
          {active ? (
            <Link className="filter-clear" to={clearTo}>
              {t("list.filter.clear")}
            </Link>
          ) : null}
        </div>
      </div>
    </Form>
  );
}
