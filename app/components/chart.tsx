// A chart drawn on the server (app/utils/charts.server.ts) shown as a picture: the SVG inline, labelled
// for screen readers, its definition as a caption. The numbers go in a table beside it (ChartPanel).
import type { ReactNode } from "react";

export function ChartFigure({ svg, label, caption }: { svg: string; label: string; caption?: ReactNode }) {
  return (
    <figure className="chart-figure">
      {/* the SVG comes from our own renderer (ECharts escapes the text it draws), never from user HTML */}
      <div className="chart" role="img" aria-label={label} dangerouslySetInnerHTML={{ __html: svg }} />
      {caption ? <figcaption className="muted small">{caption}</figcaption> : null}
    </figure>
  );
}

/** One dashboard section: a heading, the chart (or a note that there is nothing to draw) and its table. */
export function ChartPanel({
  id,
  title,
  svg,
  seeTable,
  caption,
  empty,
  children,
}: {
  id: string;
  title: string;
  svg: string | null;
  seeTable: string;
  caption: ReactNode;
  empty: ReactNode;
  children: ReactNode;
}) {
  return (
    <section className="chart-panel" aria-labelledby={`${id}-title`} data-testid={`chart-${id}`}>
      <h2 id={`${id}-title`}>{title}</h2>
      {svg ? (
        <>
          <ChartFigure svg={svg} label={`${title} · ${seeTable}`} caption={caption} />
          {children}
        </>
      ) : (
        <p className="muted">{empty}</p>
      )}
    </section>
  );
}
