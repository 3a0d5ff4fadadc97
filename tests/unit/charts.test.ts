// Charts drawn on the server: the option builders are pure, the SVG carries the labels and series a reader
// sees, scales with its container and escapes the names it draws.
import { expect, test } from "vitest";
import { translator } from "~/i18n/dictionaries.server";
import {
  coverageChart,
  dashboardCharts,
  fundsChart,
  monthLabel,
  ordersChart,
  overdueChart,
  plansChart,
} from "~/models/dashboard-charts.server";
import type { DashboardData } from "~/models/dashboard.server";
import { barChart, CHART_FONT, compactNumber, renderChartSvg } from "~/utils/charts.server";

const zh = { t: translator("zh-CN"), locale: "zh-CN" };
const en = { t: translator("en"), locale: "en" };

const months = ["2025-12", "2026-01", "2026-02"].map((month, i) => ({
  month,
  asOf: `${month}-28`,
  tracked: 10,
  overdue: i + 1,
  visits: 5 - i,
}));

const data: DashboardData = {
  year: 2026,
  today: "2026-02-20",
  intervals: { "check.intervalDays": 30, "check.monitoredIntervalDays": 15 },
  overdue: months,
  plans: [
    { status: "draft", households: 3 },
    { status: "submitted", households: 0 },
    { status: "returned", households: 1 },
    { status: "approved", households: 7 },
    { status: "in_progress", households: 2 },
    { status: "completed", households: 0 },
    { status: "none", households: 4 },
  ],
  orders: [
    {
      cropCode: "chili",
      cropZh: "辣椒",
      cropEn: "Chili",
      orders: 2,
      orderedKg: 12000,
      allocatedKg: 9000,
      deliveredKg: 4500.5,
    },
    {
      cropCode: "potato",
      cropZh: "马铃薯",
      cropEn: "Potato",
      orders: 1,
      orderedKg: 30000,
      allocatedKg: 0,
      deliveredKg: 0,
    },
  ],
  funds: [{ type: "industry", projects: 2, budgetFen: 50_000_000, allocatedFen: 12_345_600 }],
  coverage: [
    {
      regionId: "v1",
      name: "保安村",
      level: "village",
      households: 40,
      householdsCovered: 30,
      householdsPercent: 75,
      persons: 120,
      personsCovered: 84,
      personsPercent: 70,
    },
    {
      regionId: "v2",
      name: "东兴村",
      level: "village",
      households: 10,
      householdsCovered: 1,
      householdsPercent: 10,
      persons: 30,
      personsCovered: 2,
      personsPercent: 6.7,
    },
  ],
};

test("months are labelled short enough for twelve across a phone, in the reader's language", () => {
  expect(monthLabel("2026-03", "zh-CN")).toBe("3月");
  expect(monthLabel("2026-12", "en")).toBe("Dec");
  expect(monthLabel("2025-01", "en")).toBe("Jan");
});

test("the overdue chart has overdue bars and a line of checks per month, named in Chinese", () => {
  const { option } = overdueChart(months, zh);
  expect((option.xAxis as { data: string[] }).data).toEqual(["12月", "1月", "2月"]);
  const series = option.series as { type: string; name: string; data: number[] }[];
  expect(series.map((s) => [s.type, s.name, s.data])).toEqual([
    ["bar", "月底逾期户数", [1, 2, 3]],
    ["line", "当月走访次数", [5, 4, 3]],
  ]);
});

test("plans are listed in workflow order with 'no plan' last, one colour per status", () => {
  const { option } = plansChart(data.plans, en);
  expect((option.yAxis as { data: string[] }).data).toEqual([
    "Draft",
    "Submitted",
    "Returned",
    "Approved",
    "In progress",
    "Completed",
    "No plan",
  ]);
  const [series] = option.series as { data: { value: number; itemStyle: { color: string } }[] }[];
  expect(series.data.map((d) => d.value)).toEqual([3, 0, 1, 7, 2, 0, 4]);
  expect(new Set(series.data.map((d) => d.itemStyle.color)).size).toBeGreaterThan(3);
});

test("order fulfilment shows ordered, allocated and delivered kilograms per crop", () => {
  const { option, height } = ordersChart(data.orders, zh);
  expect((option.yAxis as { data: string[] }).data).toEqual(["辣椒", "马铃薯"]);
  const series = option.series as { name: string; data: number[] }[];
  expect(series.map((s) => [s.name, s.data])).toEqual([
    ["订购", [12000, 30000]],
    ["已分配", [9000, 0]],
    ["已交售", [4500.5, 0]],
  ]);
  // more crops, a taller picture
  expect(ordersChart([...data.orders, ...data.orders], zh).height).toBeGreaterThan(height);
});

test("funds are charted in yuan, not fen", () => {
  const { option } = fundsChart(data.funds, zh);
  const series = option.series as { name: string; data: number[] }[];
  expect(series.map((s) => [s.name, s.data])).toEqual([
    ["预算", [500_000]],
    ["已分配", [123_456]],
  ]);
});

test("axis numbers are compact: 万 in Chinese, K in English", () => {
  expect(compactNumber("zh-CN")(12000)).toBe("1.2万");
  expect(compactNumber("en")(12000)).toBe("12K");
});

test("the SVG scales with its column, carries a CJK font and shows the labels and series", () => {
  const svg = renderChartSvg(ordersChart(data.orders, zh));
  const root = svg.match(/^<svg[^>]*>/)![0];
  expect(root).toMatch(/viewBox="0 0 400 \d+"/);
  expect(root).not.toMatch(/\swidth=/);
  expect(root).not.toMatch(/\sheight=/);
  expect(root).toContain('aria-hidden="true"');
  // the font family sits whole inside the style attribute (a double quote in it would end the attribute)
  const styles = [...svg.matchAll(/<text[^>]*\sstyle="([^"]*)"/g)].map((m) => m[1]);
  expect(styles.length).toBeGreaterThan(0);
  for (const style of styles) expect(style).toContain("WenQuanYi Zen Hei");
  expect(CHART_FONT).toContain("Noto Sans CJK SC");
  for (const label of ["辣椒", "马铃薯", "订购", "已分配", "已交售"]) expect(svg).toContain(label);
  // one bar per crop and series: 2 crops × 3 series, drawn as paths
  expect(svg.match(/<path/g)!.length).toBeGreaterThanOrEqual(6);
});

test("names from the database are escaped in the picture", () => {
  const svg = renderChartSvg(
    barChart({
      locale: "zh-CN",
      categories: ['<script>alert("x")</script>'],
      series: [
        { name: "a&b", data: [1], color: "#000" },
        { name: "c", data: [2], color: "#111" },
      ],
    }),
  );
  expect(svg).not.toContain("<script>");
  expect(svg).toContain("&lt;script&gt;");
  expect(svg).toContain("a&amp;b");
});

test("a dashboard with nothing to show draws no empty pictures", () => {
  const empty: DashboardData = {
    ...data,
    overdue: months.map((m) => ({ ...m, tracked: 0, overdue: 0, visits: 0 })),
    plans: data.plans.map((p) => ({ ...p, households: 0 })),
    orders: [],
    funds: [],
    coverage: data.coverage.map((c) => ({
      ...c,
      households: 0,
      householdsCovered: 0,
      householdsPercent: 0,
      persons: 0,
      personsCovered: 0,
      personsPercent: 0,
    })),
  };
  expect(dashboardCharts(empty, zh)).toEqual({ coverage: null, overdue: null, plans: null, orders: null, funds: null });
  const full = dashboardCharts(data, en);
  expect(full.overdue).toContain("Overdue at month end");
  expect(full.plans).toContain("No plan");
  expect(full.orders).toContain("Potato");
  expect(full.funds).toContain("Industry");
  expect(full.coverage).toContain("Households covered");
});

test("coverage is charted per village as percentages of households and persons", () => {
  const { option } = coverageChart(data.coverage, zh);
  expect((option.yAxis as { data: string[] }).data).toEqual(["保安村", "东兴村"]);
  const series = option.series as { name: string; data: number[] }[];
  expect(series.map((s) => [s.name, s.data])).toEqual([
    ["户覆盖率", [75, 10]],
    ["人覆盖率", [70, 6.7]],
  ]);
  expect(option.xAxis).toMatchObject({ min: 0, max: 100 });
});

test("a picture drawn again for the same figures is the same; new figures or another locale draw anew", () => {
  const chart = (value: number, locale = "zh-CN") =>
    barChart({
      locale,
      valueLabels: true,
      categories: ["甲村"],
      series: [{ name: "户数", data: [value], color: "#000" }],
    });
  const first = renderChartSvg(chart(12000));
  expect(renderChartSvg(chart(12000))).toBe(first);
  expect(first).toContain("1.2万");
  const changed = renderChartSvg(chart(13000));
  expect(changed).not.toBe(first);
  expect(changed).toContain("1.3万");
  // the same numbers in English: the axis formatter is the locale's, not the cached Chinese one
  expect(renderChartSvg(chart(12000, "en"))).toContain("12K");
});
