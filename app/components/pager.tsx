// The pager of a paged list: first, previous, "page n of m", next, last and the page size, as links and a GET
// form that work without JavaScript. Apart from the table kit (data-table.tsx) so a page that pages a
// hand-written table does not load TanStack Table for it (the cadre pages' script budget).
import { Form, Link, useLocation, useSubmit } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useLocale, useT } from "~/i18n";
import { numberFormat } from "~/utils/intl";

export type PagerChanges = Record<string, string | number | null | undefined>;

/** True once React has hydrated: controls that only matter without JavaScript can step aside. */
export function useHydrated() {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}

export function Pager({
  page,
  pageSize,
  pageCount,
  total,
  shown,
  pageSizes,
  href: link,
}: {
  page: number;
  pageSize: number;
  pageCount: number;
  total: number;
  /** rows on this page */
  shown: number;
  pageSizes: readonly number[];
  /** the list's URL with some parameters changed (null: back to the default) */
  href: (changes: PagerChanges) => string;
}) {
  const t = useT();
  const locale = useLocale();
  const fmt = numberFormat(locale);
  const from = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const to = Math.min(total, (page - 1) * pageSize + shown);
  const href = (p: number) => link({ page: p === 1 ? null : p });
  if (total === 0) return null;

  return (
    <nav className="pager data-table-pager" aria-label={t("list.pager.label")}>
      <span className="muted pager-range">
        {t("list.pager.range", { from: fmt.format(from), to: fmt.format(to), total: fmt.format(total) })}
      </span>
      <span className="pager-links">
        <PagerLink to={href(1)} enabled={page > 1} label={t("list.pager.first")} className="pager-end" />
        <PagerLink to={href(page - 1)} enabled={page > 1} label={t("households.prev")} rel="prev" />
        <span className="pager-page">
          {t("households.page", { page: fmt.format(page), pages: fmt.format(pageCount) })}
        </span>
        <PagerLink to={href(page + 1)} enabled={page < pageCount} label={t("households.next")} rel="next" />
        <PagerLink to={href(pageCount)} enabled={page < pageCount} label={t("list.pager.last")} className="pager-end" />
      </span>
      <PageSizeForm
        pageSize={pageSize}
        pageSizes={pageSizes}
        // a list lower down a page links to its own place (`…#members`): the form keeps the query only
        keep={new URLSearchParams(link({ size: null, page: null }).split("#")[0])}
      />
    </nav>
  );
}

function PagerLink({
  to,
  enabled,
  label,
  rel,
  className,
}: {
  to: string;
  enabled: boolean;
  label: string;
  rel?: string;
  className?: string;
}) {
  const classes = className ? `pager-link ${className}` : "pager-link";
  if (!enabled) {
    return (
      <span className={classes} aria-disabled="true">
        {label}
      </span>
    );
  }
  return (
    <Link className={classes} to={to} rel={rel}>
      {label}
    </Link>
  );
}

function PageSizeForm({
  pageSize,
  pageSizes,
  keep: kept,
}: {
  pageSize: number;
  pageSizes: readonly number[];
  keep: URLSearchParams;
}) {
  const t = useT();
  const hydrated = useHydrated();
  const submit = useSubmit();
  const location = useLocation();
  // keep every other parameter; a new page size starts again at page 1
  const keep = [...kept.entries()].filter(([k, v]) => k !== "size" && k !== "page" && v !== "");
  return (
    <Form method="get" action={location.pathname} className="page-size-form">
      {keep.map(([k, v], i) => (
        <input key={`${k}-${i}`} type="hidden" name={k} value={v} />
      ))}
      <label className="visually-hidden" htmlFor="page-size">
        {t("list.pager.pageSize")}
      </label>
      <select
        id="page-size"
        name="size"
        defaultValue={String(pageSize)}
        key={pageSize}
        onChange={(e) => submit(e.currentTarget.form, { method: "get", action: location.pathname })}
      >
        {pageSizes.map((size) => (
          <option key={size} value={size}>
            {t("list.pager.pageSizeOption", { size })}
          </option>
        ))}
      </select>
      {hydrated ? null : (
        <button type="submit" className="button secondary">
          {t("list.pager.apply")}
        </button>
      )}
    </Form>
  );
}
