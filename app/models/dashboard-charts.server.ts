// The dashboard's charts: its numbers (app/models/dashboard.server.ts) turned into chart options in the
// reader's language, then into SVG. Pure but for the final render, so the tests can read the options.
import type { MessageKey, Translate } from "~/i18n";
import { barChart, columnChart, PALETTE, renderChartSvg, type Chart } from "~/utils/charts.server";
import type {
  CoverageByRegion,
  CropFulfilment,
  DashboardData,
  FundsByType,
  OverdueMonth,
  PlanStatusCount,
} from "./dashboard.server";
import { dateTimeFormat } from "~/utils/intl";

type Labels = { t: Translate; locale: string };

/** "2026-03" → "3月" (zh-CN) or "Mar" (en): short enough for twelve of them across a phone. */
export function monthLabel(month: string, locale: string): string {
  const [y, m] = month.split("-").map(Number);
  return dateTimeFormat(locale, { month: "short", timeZone: "UTC" }).format(new Date(Date.UTC(y, m - 1, 1)));
}

export function overdueChart(rows: OverdueMonth[], { t, locale }: Labels): Chart {
  return columnChart({
    locale,
    categories: rows.map((r) => monthLabel(r.month, locale)),
    series: [
      { name: t("dashboard.overdue.series.overdue"), data: rows.map((r) => r.overdue), color: PALETTE.accent },
      {
        name: t("dashboard.overdue.series.visits"),
        data: rows.map((r) => r.visits),
        color: PALETTE.brand,
        kind: "line",
      },
    ],
  });
}

export function plansChart(rows: PlanStatusCount[], { t, locale }: Labels): Chart {
  const chart = barChart({
    locale,
    valueLabels: true,
    categories: rows.map((r) => t(`planStatus.${r.status}` as MessageKey)),
    series: [
      { name: t("dashboard.plans.series.households"), data: rows.map((r) => r.households), color: PALETTE.brand },
    ],
  });
  // one colour per status: the workflow's start in grey, approval onwards in green, returned and none in red
  const colours: Record<PlanStatusCount["status"], string> = {
    draft: PALETTE.grey,
    submitted: PALETTE.slate,
    returned: PALETTE.accent,
    approved: PALETTE.brand,
    in_progress: PALETTE.brand,
    completed: "#1d4424",
    none: PALETTE.accent,
  };
  const [series] = chart.option.series as { data: unknown[] }[];
  series.data = rows.map((r) => ({ value: r.households, itemStyle: { color: colours[r.status] } }));
  return chart;
}

export function ordersChart(rows: CropFulfilment[], { t, locale }: Labels): Chart {
  return barChart({
    locale,
    categories: rows.map((r) => (locale === "en" ? r.cropEn : r.cropZh)),
    series: [
      { name: t("dashboard.orders.series.ordered"), data: rows.map((r) => r.orderedKg), color: PALETTE.grey },
      { name: t("dashboard.orders.series.allocated"), data: rows.map((r) => r.allocatedKg), color: PALETTE.gold },
      { name: t("dashboard.orders.series.delivered"), data: rows.map((r) => r.deliveredKg), color: PALETTE.brand },
    ],
  });
}

export function fundsChart(rows: FundsByType[], { t, locale }: Labels): Chart {
  const yuan = (fen: number) => Math.round(fen / 100);
  return barChart({
    locale,
    categories: rows.map((r) => t(`projects.type.${r.type}` as MessageKey)),
    series: [
      { name: t("dashboard.funds.series.budget"), data: rows.map((r) => yuan(r.budgetFen)), color: PALETTE.grey },
      {
        name: t("dashboard.funds.series.allocated"),
        data: rows.map((r) => yuan(r.allocatedFen)),
        color: PALETTE.brand,
      },
    ],
  });
}

export function coverageChart(rows: CoverageByRegion[], { t, locale }: Labels): Chart {
  const chart = barChart({
    locale,
    valueLabels: true,
    categories: rows.map((r) => r.name),
    series: [
      {
        name: t("dashboard.coverage.series.households"),
        data: rows.map((r) => r.householdsPercent),
        color: PALETTE.brand,
      },
      { name: t("dashboard.coverage.series.persons"), data: rows.map((r) => r.personsPercent), color: PALETTE.slate },
    ],
  });
  // shares: the axis always runs to 100 %, so a village at 50 % looks half done
  chart.option.xAxis = { ...(chart.option.xAxis as object), min: 0, max: 100 };
  return chart;
}

export type DashboardCharts = {
  coverage: string | null;
  overdue: string | null;
  plans: string | null;
  orders: string | null;
  funds: string | null;
};

/** The dashboard's pictures as SVG strings; null where there is nothing to draw (the page says so). */
export function dashboardCharts(data: DashboardData, labels: Labels): DashboardCharts {
  const draw = <T>(rows: T[], build: (rows: T[], labels: Labels) => Chart, hasData = rows.length > 0) =>
    hasData ? renderChartSvg(build(rows, labels)) : null;
  return {
    overdue: draw(
      data.overdue,
      overdueChart,
      data.overdue.some((r) => r.tracked > 0 || r.visits > 0),
    ),
    plans: draw(
      data.plans,
      plansChart,
      data.plans.some((r) => r.households > 0),
    ),
    orders: draw(data.orders, ordersChart),
    funds: draw(data.funds, fundsChart),
    coverage: draw(
      data.coverage,
      coverageChart,
      data.coverage.some((r) => r.households > 0),
    ),
  };
}
