// Server-driven data tables (the tablecn pattern): the URL holds sort, page and size; the loader reads
// them and returns one page plus the total; a TanStack table instance (manualSorting/manualPagination)
// only renders. Sort headers and pager are plain links, so a list works without JavaScript.
//
// URL convention shared by every list: `sort`, `dir` (asc|desc), `page` (from 1), `size`. A page builds its
// table with `useServerTable` from its loader's page and the list's parameters kit (app/utils/list-params.ts),
// so every link the table writes is the kit's: defaults left out, nothing but the list's own parameters.
import { Form, Link, useLocation, useNavigation, useSearchParams, useSubmit } from "@remix-run/react";
import {
  flexRender,
  getCoreRowModel,
  useReactTable,
  type ColumnDef,
  type Header,
  type RowData,
  type Table,
} from "@tanstack/react-table";
import type { FormEvent, ReactNode } from "react";
import { useT } from "~/i18n";
import type { ListPage, SortDir } from "~/utils/list-params";
import { Pager, useHydrated } from "./pager";

export { useHydrated };

declare module "@tanstack/react-table" {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface ColumnMeta<TData extends RowData, TValue> {
    /** class for the column's header and cells: "num" right-aligns numbers, "phone-hide" leaves it off a phone card */
    className?: string;
    /** this column names the row (rendered as <th scope="row">: a card's title on a phone) */
    rowHeader?: boolean;
    /** the cell's label on a phone card, where the header is not plain text */
    label?: string;
  }
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface TableMeta<TData extends RowData> {
    /** the list's URL with some parameters changed: what sort headers, pager and page-size form link to */
    href?: (changes: Changes) => string;
  }
}

type Changes = Record<string, string | number | null | undefined>;

/** `?…` for the current query with some parameters changed (null/undefined/"" removes one). */
export function searchWith(current: URLSearchParams, changes: Changes): string {
  const next = new URLSearchParams(current);
  for (const [key, value] of Object.entries(changes)) {
    if (value === null || value === undefined || value === "") next.delete(key);
    else next.set(key, String(value));
  }
  for (const [key, value] of [...next.entries()]) if (value === "") next.delete(key);
  const s = next.toString();
  return s ? `?${s}` : "?";
}

/**
 * A TanStack table in manual (server) mode over one page from the loader: sorting and paging are the URL's,
 * the loader has applied them, the table only renders. `href` writes the list's URL with changes (the kit's
 * `search` over the page's parameters); without it links keep the current query and change what they must.
 */
export function useServerTable<TData extends RowData>({
  page,
  columns,
  getRowId,
  sorting,
  href,
}: {
  page: ListPage<TData>;
  columns: ColumnDef<TData, never>[];
  getRowId: (row: TData) => string;
  /** the sort applied; null for a list with one fixed order (no sortable headers) */
  sorting: { sort: string; dir: SortDir } | null;
  href?: (changes: Changes) => string;
}) {
  return useReactTable<TData>({
    data: page.rows,
    columns,
    getCoreRowModel: getCoreRowModel(),
    getRowId,
    manualPagination: true,
    manualSorting: true,
    manualFiltering: true,
    enableSorting: sorting !== null,
    pageCount: page.pageCount,
    rowCount: page.total,
    meta: { href },
    state: {
      sorting: sorting ? [{ id: sorting.sort, desc: sorting.dir === "desc" }] : [],
      pagination: { pageIndex: page.page - 1, pageSize: page.pageSize },
    },
  });
}

/** A link to the table's list with some parameters changed. */
function useTableHref<TData extends RowData>(table: Table<TData>) {
  const [searchParams] = useSearchParams();
  const own = table.options.meta?.href;
  return (changes: Changes) => (own ? own(changes) : searchWith(searchParams, changes));
}

/**
 * A list's filters as a GET form: without JavaScript its button submits it; with JavaScript a changed select
 * submits it at once and empty fields stay out of the URL. `keep` rides along (sort, direction, page size
 * and anything else not on the form); the page starts again at 1.
 */
export function FilterForm({
  keep,
  className,
  gridClassName,
  actionsClassName,
  children,
  submitLabel,
  clearHref,
}: {
  keep: URLSearchParams;
  className?: string;
  /** the grid of filters, and the cell of the button and "clear", as the page's styles lay them out */
  gridClassName?: string;
  actionsClassName?: string;
  children: ReactNode;
  /** the button that applies the filters without JavaScript (with it, a select applies itself) */
  submitLabel?: string;
  /** "clear filters", shown when a filter is set */
  clearHref?: string | null;
}) {
  const t = useT();
  const submit = useSubmit();
  const location = useLocation();
  const hydrated = useHydrated();
  function clean(form: HTMLFormElement) {
    const query = new URLSearchParams();
    for (const [key, value] of new FormData(form)) {
      if (typeof value === "string" && value.trim() !== "") query.append(key, value.trim());
    }
    submit(query, { method: "get", action: location.pathname, preventScrollReset: true });
  }
  const onChange = (e: FormEvent<HTMLFormElement>) => {
    if (e.target instanceof HTMLSelectElement) clean(e.currentTarget);
  };
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    clean(e.currentTarget);
  };
  return (
    <Form
      method="get"
      action={location.pathname}
      className={className}
      role="search"
      onChange={onChange}
      onSubmit={onSubmit}
    >
      {/* the selects' shown values follow the URL after each navigation */}
      <div className={gridClassName ? `filter-grid ${gridClassName}` : "filter-grid"} key={location.search}>
        {children}
        <div className={actionsClassName ? `filter ${actionsClassName}` : "filter"}>
          {hydrated ? null : (
            <button type="submit" className="button secondary small-button">
              {submitLabel ?? t("list.filter.submit")}
            </button>
          )}
          {clearHref ? (
            <Link className="filter-clear" to={clearHref}>
              {t("list.filter.clear")}
            </Link>
          ) : null}
        </div>
      </div>
      {[...keep].map(([name, value], i) =>
        name === "page" ? null : <input key={`${name}-${i}`} type="hidden" name={name} value={value} />,
      )}
    </Form>
  );
}

/** The current page is reloading (a new sort, page or filter on the same list). */
function useReloading() {
  const navigation = useNavigation();
  const location = useLocation();
  return navigation.state === "loading" && navigation.location.pathname === location.pathname;
}

export function DataTable<TData extends RowData>({
  table,
  caption,
  empty,
}: {
  table: Table<TData>;
  caption: string;
  empty: ReactNode;
}) {
  const reloading = useReloading();
  const rows = table.getRowModel().rows;
  return (
    <div className="table-wrap data-table-wrap cards" aria-busy={reloading || undefined}>
      <table className="data-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => (
                <SortHeader key={header.id} header={header} />
              ))}
            </tr>
          ))}
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id}>
              {row.getVisibleCells().map((cell) => {
                const meta = cell.column.columnDef.meta;
                const content = flexRender(cell.column.columnDef.cell, cell.getContext());
                const header = cell.column.columnDef.header;
                const label = meta?.label ?? (typeof header === "string" ? header : undefined);
                return meta?.rowHeader ? (
                  <th key={cell.id} scope="row" className={meta.className}>
                    {content}
                  </th>
                ) : (
                  <td key={cell.id} className={meta?.className} data-label={label}>
                    {content}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      {/* outside the table, so a phone shows it whole rather than centred across every column */}
      {rows.length === 0 ? <p className="data-table-empty">{empty}</p> : null}
    </div>
  );
}

/** A column header; a sortable one is a link that sorts by it (then flips the direction), page 1. */
export function SortHeader<TData extends RowData, TValue>({ header }: { header: Header<TData, TValue> }) {
  const href = useTableHref(header.getContext().table);
  const { column } = header;
  const label = header.isPlaceholder ? null : flexRender(column.columnDef.header, header.getContext());
  const className = column.columnDef.meta?.className;
  if (!column.getCanSort()) {
    return (
      <th scope="col" className={className}>
        {label}
      </th>
    );
  }
  const sorted = column.getIsSorted();
  return (
    <th
      scope="col"
      className={className ? `${className} sortable` : "sortable"}
      aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : undefined}
    >
      <SortLink header={header} href={href} label={label} />
    </th>
  );
}

function SortLink<TData extends RowData, TValue>({
  header,
  href,
  label,
}: {
  header: Header<TData, TValue>;
  href: (changes: Changes) => string;
  label: ReactNode;
}) {
  const t = useT();
  const { column } = header;
  const sorted = column.getIsSorted();
  const next = sorted ? (sorted === "asc" ? "desc" : "asc") : column.getFirstSortDir();
  const name = typeof column.columnDef.header === "string" ? column.columnDef.header : column.id;
  return (
    <Link
      className="sort-link"
      to={href({ sort: column.id, dir: next, page: null })}
      preventScrollReset
      title={t("list.sort.by", { column: name })}
    >
      {label}
      <span className={sorted ? "sort-mark sorted" : "sort-mark"} aria-hidden="true">
        {sorted === "asc" ? "▲" : sorted === "desc" ? "▼" : "↕"}
      </span>
      {sorted ? (
        <span className="visually-hidden">{t(sorted === "asc" ? "list.sort.ascending" : "list.sort.descending")}</span>
      ) : null}
    </Link>
  );
}

/**
 * The sort headers of a list shown as cards rather than a table: the same links, in a line that wraps on a
 * phone. The cards say more than a row of cells could at 360 px.
 */
export function SortLinks<TData extends RowData>({ table }: { table: Table<TData> }) {
  const t = useT();
  const href = useTableHref(table);
  const headers = table.getFlatHeaders().filter((h) => h.column.getCanSort());
  if (headers.length === 0 || table.getRowCount() < 2) return null;
  return (
    <p className="sort-links">
      <span className="muted">{t("list.sort.label")}</span>
      {headers.map((header) => (
        <SortLink
          key={header.id}
          header={header}
          href={href}
          label={flexRender(header.column.columnDef.header, header.getContext())}
        />
      ))}
    </p>
  );
}

/**
 * "1–20 of 512", first / previous / page n of m / next / last as links, and the page-size select
 * (its own GET form: it submits on change with JavaScript, with a button without).
 */
export function DataTablePager<TData extends RowData>({
  table,
  pageSizes,
}: {
  table: Table<TData>;
  pageSizes: readonly number[];
}) {
  const link = useTableHref(table);
  const { pageIndex, pageSize } = table.getState().pagination;
  return (
    <Pager
      page={pageIndex + 1}
      pageSize={pageSize}
      pageCount={Math.max(1, table.getPageCount())}
      total={table.getRowCount()}
      shown={table.getRowModel().rows.length}
      pageSizes={pageSizes}
      href={link}
    />
  );
}
