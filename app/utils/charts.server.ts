// Charts as pictures drawn on the server (docs/decisions/012-server-rendered-charts.md): Apache ECharts
// renders an SVG string in the loader, the page inlines it, and a phone downloads no charting library.
//
// Two layers: pure option builders (data + labels → an ECharts option and a size; unit-tested) and one
// renderer (option → SVG string). Builders know nothing about the database or the request.
import * as echarts from "echarts";
import type { EChartsOption } from "echarts";
import { numberFormat } from "./intl";

/**
 * Chinese glyphs need a CJK font where the picture is drawn: the browser (inline SVG text). Single quotes:
 * ECharts writes the family into a double-quoted style attribute without escaping it.
 */
export const CHART_FONT =
  "'Noto Sans CJK SC', 'WenQuanYi Zen Hei', 'WenQuanYi Micro Hei', 'PingFang SC', 'Microsoft YaHei', system-ui, sans-serif";

/** The app's colours (app/styles/app.css): brand green, accent red, gold, slate, muted grey. */
export const PALETTE = {
  brand: "#2f6b3a",
  accent: "#b5482d",
  gold: "#c98a1b",
  slate: "#3b6ea5",
  grey: "#9aa3ad",
  text: "#1f2328",
  muted: "#5b6470",
  line: "#d9d5cc",
};

/**
 * An option and the size it is drawn at. `locale` is the one the option's formatters format numbers in: they
 * are functions of the locale alone, so the locale and the option's data name the picture (the render cache).
 */
export type Chart = { option: EChartsOption; width: number; height: number; locale?: string };

/** The width charts are drawn at; the page scales them to its column (viewBox), 360-px phones included. */
export const CHART_WIDTH = 400;

/**
 * Renders a chart to an SVG string that scales with its container: the root `<svg>` keeps its viewBox and
 * loses its fixed width and height; it is hidden from assistive technology (its container carries the label).
 */
export function renderChartSvg(chart: Chart): string {
  const key = chartKey(chart);
  const cached = rendered.get(key);
  if (cached !== undefined) {
    // most recently used last, so the oldest entry is the first one evicted
    rendered.delete(key);
    rendered.set(key, cached);
    return cached;
  }
  const svg = drawSvg(chart);
  rendered.set(key, svg);
  if (rendered.size > RENDERED_MAX) rendered.delete(rendered.keys().next().value as string);
  return svg;
}

/*
 * Drawing is most of a dashboard's time outside SQL (ECharts lays out every axis, label and bar, ~10 ms a
 * chart, several times that under load), while the figures it draws change only when someone writes. The
 * figures are still counted on every request; only the drawing of figures already drawn is reused.
 */
const RENDERED_MAX = 200;
const rendered = new Map<string, string>();

function chartKey({ option, width, height, locale }: Chart): string {
  return JSON.stringify([locale ?? null, width, height, option], (_, v: unknown) =>
    typeof v === "function" ? `fn:${String(v)}` : v,
  );
}

function drawSvg({ option, width, height }: Chart): string {
  const chart = echarts.init(null, null, { renderer: "svg", ssr: true, width, height });
  try {
    chart.setOption({ animation: false, textStyle: { fontFamily: CHART_FONT, color: PALETTE.text }, ...option });
    const svg = chart.renderToSVGString();
    return responsive(svg, width, height);
  } finally {
    chart.dispose();
  }
}

function responsive(svg: string, width: number, height: number): string {
  // ECharts adds a <style> element of hover effects; the page's Content-Security-Policy (style-src 'self')
  // blocks inline style elements, and a static chart loses nothing but a hover tint without it.
  svg = svg.replace(/<style\b[^>]*>[\s\S]*?<\/style>/g, "");
  return svg.replace(/^<svg\b([^>]*)>/, (_, attrs: string) => {
    let out = attrs.replace(/\swidth="[^"]*"/, "").replace(/\sheight="[^"]*"/, "");
    if (!/\sviewBox=/.test(out)) out += ` viewBox="0 0 ${width} ${height}"`;
    return `<svg${out} preserveAspectRatio="xMidYMid meet" aria-hidden="true" focusable="false">`;
  });
}

// ---------- generic builders ----------

export type Series = { name: string; data: number[]; color: string; kind?: "bar" | "line" };

type NumberFormat = (n: number) => string;

/** Axis numbers short enough for a phone: 12,000 → "1.2万" (zh-CN) or "12K" (en). */
export function compactNumber(locale: string): NumberFormat {
  const fmt = numberFormat(locale, { notation: "compact", maximumFractionDigits: 1 });
  return (n) => fmt.format(n);
}

const legend = (names: string[]) => ({
  data: names,
  top: 0,
  left: "center",
  itemWidth: 14,
  itemHeight: 10,
  textStyle: { fontSize: 13, color: PALETTE.text },
});

/**
 * Columns over categories along the bottom (e.g. months), with bars and/or lines on one value axis.
 */
export function columnChart({
  categories,
  series,
  locale,
  height = 260,
}: {
  categories: string[];
  series: Series[];
  locale: string;
  height?: number;
}): Chart {
  const compact = compactNumber(locale);
  const option: EChartsOption = {
    color: series.map((s) => s.color),
    legend: legend(series.map((s) => s.name)),
    grid: { left: 8, right: 12, top: 34, bottom: 4, containLabel: true },
    xAxis: {
      type: "category",
      data: categories,
      axisTick: { alignWithLabel: true },
      axisLabel: { interval: 0, fontSize: 11, color: PALETTE.muted, hideOverlap: false },
      axisLine: { lineStyle: { color: PALETTE.line } },
    },
    yAxis: {
      type: "value",
      minInterval: 1,
      axisLabel: { fontSize: 11, color: PALETTE.muted, formatter: (v: number) => compact(v) },
      splitLine: { lineStyle: { color: "#ebe8e1" } },
    },
    series: series.map((s) =>
      s.kind === "line"
        ? { type: "line" as const, name: s.name, data: s.data, symbolSize: 5, lineStyle: { width: 2 } }
        : { type: "bar" as const, name: s.name, data: s.data, barMaxWidth: 18 },
    ),
  };
  return { option, width: CHART_WIDTH, height, locale };
}

/**
 * Horizontal bars, categories down the left (long Chinese names read best this way on a phone); the height
 * grows with the number of categories and series.
 */
export function barChart({
  categories,
  series,
  locale,
  valueLabels = false,
}: {
  categories: string[];
  series: Series[];
  locale: string;
  /** print each bar's value at its end */
  valueLabels?: boolean;
}): Chart {
  const compact = compactNumber(locale);
  const perCategory = Math.max(28, series.length * 14 + 12);
  const top = series.length > 1 ? 34 : 8;
  const height = top + 28 + categories.length * perCategory;
  const option: EChartsOption = {
    color: series.map((s) => s.color),
    ...(series.length > 1 ? { legend: legend(series.map((s) => s.name)) } : {}),
    grid: { left: 8, right: valueLabels ? 40 : 16, top, bottom: 4, containLabel: true },
    xAxis: {
      type: "value",
      axisLabel: { fontSize: 11, color: PALETTE.muted, formatter: (v: number) => compact(v) },
      splitLine: { lineStyle: { color: "#ebe8e1" } },
      minInterval: 1,
    },
    yAxis: {
      type: "category",
      // first category at the top, as in the table below the chart
      inverse: true,
      data: categories,
      axisTick: { show: false },
      axisLabel: { fontSize: 13, color: PALETTE.text },
      axisLine: { lineStyle: { color: PALETTE.line } },
    },
    series: series.map((s) => ({
      type: "bar" as const,
      name: s.name,
      data: s.data,
      barMaxWidth: 14,
      barGap: "15%",
      label: valueLabels
        ? {
            show: true,
            position: "right" as const,
            fontSize: 12,
            color: PALETTE.text,
            formatter: (p: { value: unknown }) => compact(Number(p.value)),
          }
        : undefined,
    })),
  };
  return { option, width: CHART_WIDTH, height, locale };
}
