// A chart drawn on the server (app/utils/charts.server.ts) shown as a picture: the SVG inline, labelled
// for screen readers, its definition as a caption; the numbers it draws in a table under it (ChartPanel),
// so a reader who cannot see the picture, or a phone too narrow for it, still has every figure.
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

/**
 * One column of a chart's table. The first column names the row (a row header); the others are numbers
 * unless `numeric` is false. `total` fills the column's cell in a totals row, shown when any column has one.
 */
export type ChartColumn<Row> = {
  label: string;
  cell: (row: Row) => ReactNode;
  numeric?: boolean;
  total?: ReactNode;
  totalTestId?: string;
};

/** One chart section: a heading, the chart (or a note that there is nothing to draw), its table and what follows. */
export function ChartPanel<Row>({
  id,
  title,
  svg,
  seeTable,
  caption,
  empty,
  tableCaption,
  columns,
  rows,
  rowKey,
  children,
}: {
  id: string;
  title: string;
  svg: string | null;
  /** tells a screen reader that the picture's numbers are in the table below */
  seeTable: string;
  caption: ReactNode;
  empty: ReactNode;
  /** the table's caption, read by screen readers only (the heading already shows the title) */
  tableCaption: string;
  columns: [ChartColumn<Row>, ...ChartColumn<Row>[]];
  rows: readonly Row[];
  rowKey: (row: Row) => string;
  /** under the table: a link to the full list, a note */
  children?: ReactNode;
}) {
  const [header, ...values] = columns;
  const numeric = (c: ChartColumn<Row>) => (c.numeric === false ? undefined : "num");
  const hasTotals = columns.some((c) => c.total !== undefined);
  return (
    <section className="chart-panel" aria-labelledby={`${id}-title`} data-testid={`chart-${id}`}>
      <h2 id={`${id}-title`}>{title}</h2>
      {svg ? (
        <>
          <ChartFigure svg={svg} label={`${title} · ${seeTable}`} caption={caption} />
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">{tableCaption}</caption>
              <thead>
                <tr>
                  <th scope="col">{header.label}</th>
                  {values.map((c) => (
                    <th key={c.label} scope="col" className={numeric(c)}>
                      {c.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={rowKey(row)}>
                    <th scope="row">{header.cell(row)}</th>
                    {values.map((c) => (
                      <td key={c.label} className={numeric(c)}>
                        {c.cell(row)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
              {hasTotals ? (
                <tfoot>
                  <tr>
                    <th scope="row">{header.total}</th>
                    {values.map((c) => (
                      <td key={c.label} className={numeric(c)} data-testid={c.totalTestId}>
                        {c.total}
                      </td>
                    ))}
                  </tr>
                </tfoot>
              ) : null}
            </table>
          </div>
          {children}
        </>
      ) : (
        <p className="muted">{empty}</p>
      )}
    </section>
  );
}
