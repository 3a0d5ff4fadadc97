import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation, useSubmit } from "@remix-run/react";
import { createColumnHelper, type ColumnDef } from "@tanstack/react-table";
import { useEffect, useMemo, useRef, type FormEvent, type ReactNode } from "react";
import { DataTable, DataTablePager, useServerTable } from "~/components/data-table";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { useLocale, useT, type Locale, type Translate } from "~/i18n";
// Only types from the model reach the browser bundle: a *.server module is empty there. The list's URL is
// the kit's (app/utils/lists.ts), a plain module both sides share.
import {
  activeFilterCount,
  householdList,
  type HouseholdListRow,
  type HouseholdSortKey,
  type Option,
  type VillageOption,
} from "~/models/household-list.server";
import { ExportLinks } from "~/components/export-links";
import type { SessionUser } from "~/models/sessions.server";
import { can } from "~/permissions";
import { requireUser } from "~/http/auth.server";
import { readForm } from "~/http/form.server";
import { isPrivateSearch } from "~/utils/id-number";
import { redirectToExport } from "~/http/export.server";
import { currentYear } from "~/utils/dates";
import { householdListParams } from "~/utils/lists";
import { householdListLinks } from "~/utils/list-urls";
import { entryLabel, type ReferenceEntry } from "~/utils/reference";
import listStyles from "~/styles/list.css";
import { numberFormat } from "~/utils/intl";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: listStyles }];

export async function loader({ request }: LoaderFunctionArgs) {
  redirectToExport(request, "/households/export");
  const user = await requireUser(request);
  const url = new URL(request.url);
  // an ID number does not belong in a URL: such a search is posted (see the action); one that arrives in a
  // link anyway is not run, and the page says how to search instead
  const privateQuery = isPrivateSearch(url.searchParams.get("q"));
  if (privateQuery) url.searchParams.delete("q");
  return { ...(await listPage(user, url)), privateQuery };
}

/**
 * The filter form is posted. A search by more of an ID number than a mask shows is answered here, from the
 * body, and its results are the page; any other search goes back to the list's URL (post, redirect, get),
 * so that it can be bookmarked and paged.
 */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readForm(request);
  const query = new URLSearchParams();
  for (const [key, value] of form)
    if (typeof value === "string" && value.trim() !== "") query.append(key, value.trim());
  if (!isPrivateSearch(query.get("q"))) return redirect(`/households${query.size ? `?${query}` : ""}`);
  return { ...(await listPage(user, new URL(`/households?${query}`, request.url))), privateQuery: false };
}

async function listPage(user: SessionUser, url: URL) {
  const list = await householdList(user.scope, householdListParams.parse(url), { year: currentYear() });
  return {
    ...list,
    activeFilters: activeFilterCount(list.params),
    can: { create: can(user.scope, "household.write") },
    maskedIds: !can(user.scope, "idNumber.read"),
    /** the page shows the answer to a posted ID search: its links and pager cannot carry the search */
    posted: url.searchParams.has("q") && isPrivateSearch(url.searchParams.get("q")),
  };
}

const PLAN_BADGE: Record<string, string> = {
  returned: "badge bad",
  approved: "badge ok",
  in_progress: "badge ok",
  completed: "badge ok",
};

/** The registry's columns; each id is the URL's sort key. No cause column for a role offered no causes. */
function householdColumns(
  t: Translate,
  locale: Locale,
  causes: ReferenceEntry[] | null,
): ColumnDef<HouseholdListRow, never>[] {
  const col = createColumnHelper<HouseholdListRow>();
  const id = (key: HouseholdSortKey) => key;
  const columns = [
    col.accessor("headName", {
      id: id("head"),
      header: t("col.head"),
      meta: { rowHeader: true },
      cell: (c) => <Link to={`/households/${c.row.original.id}`}>{c.getValue()}</Link>,
    }),
    col.accessor("code", { id: id("code"), header: t("col.code"), meta: { className: "code" } }),
    col.accessor("village", { id: id("village"), header: t("col.village") }),
    col.accessor("group", {
      id: id("group"),
      header: t("col.group"),
      meta: { className: "phone-hide" },
      cell: (c) => c.getValue() ?? "—",
    }),
    col.accessor("povertyStatus", {
      id: id("status"),
      header: t("col.status"),
      cell: (c) => t(`povertyStatus.${c.getValue()}`),
    }),
    ...(causes
      ? [
          col.accessor("povertyCause", {
            id: id("cause"),
            header: t("col.cause"),
            cell: (c) => {
              const code = c.getValue();
              const cause = code ? causes?.find((e) => e.code === code) : undefined;
              return cause ? entryLabel(cause, locale) : (code ?? "—");
            },
          }),
        ]
      : []),
    col.accessor("memberCount", { id: id("members"), header: t("col.members"), meta: { className: "num" } }),
    col.accessor("planStatus", {
      id: id("plan"),
      header: t("col.planStatus"),
      cell: (c) => {
        const status = c.getValue() ?? "none";
        return (
          <span className={PLAN_BADGE[status] ?? (status === "none" ? "badge warn" : "badge")}>
            {t(`planStatus.${status}`)}
          </span>
        );
      },
    }),
    col.accessor("cadreName", {
      id: id("cadre"),
      header: t("col.cadre"),
      cell: (c) => c.getValue() ?? <span className="badge warn">{t("list.households.noCadre")}</span>,
    }),
    col.accessor("lastCheck", {
      id: id("lastCheck"),
      header: t("col.lastCheck"),
      cell: (c) => c.getValue() ?? <span className="muted">{t("list.households.neverVisited")}</span>,
    }),
  ];
  return columns as ColumnDef<HouseholdListRow, never>[];
}

export default function HouseholdsPage() {
  const loaded = useLoaderData<typeof loader>();
  // the answer to a posted ID search is the page until the next navigation
  const data = useActionData<typeof action>() ?? loaded;
  const { total, params, options, activeFilters, can, idSearchRefused, maskedIds, posted } = data;
  const t = useT();
  const locale = useLocale();
  const causes = options.povertyCauses;
  const columns = useMemo(() => householdColumns(t, locale, causes), [t, locale, causes]);
  const table = useServerTable<HouseholdListRow>({
    page: data,
    columns,
    getRowId: (row) => row.id,
    sorting: params,
    // the answer to a posted ID search has no URL: its sort links drop the search rather than put it in one
    href: (changes) => householdListLinks.search(posted ? { ...params, q: undefined } : params, changes),
  });

  return (
    <>
      <div className="list-head">
        <h1>{t("households.title")}</h1>
        {can.create ? (
          <Link className="button" to="/households/new">
            {t("list.households.new")}
          </Link>
        ) : null}
      </div>
      <HouseholdFilters
        params={params}
        options={options}
        activeFilters={activeFilters}
        idSearchRefused={idSearchRefused}
        maskedIds={maskedIds}
      />
      {loaded.privateQuery ? (
        <p className="error-list" role="status">
          {t("list.households.privateQueryInUrl")}
        </p>
      ) : null}
      <p className="muted list-total" aria-live="polite">
        {t(posted ? "list.households.postedTotal" : "households.total", {
          total: numberFormat(locale).format(total),
        })}
      </p>
      <DataTable table={table} caption={t("list.households.caption")} empty={t("households.empty")} />
      {/* a posted search has no URL: its pager and export would drop the search, so it has neither */}
      {posted ? null : <DataTablePager table={table} pageSizes={householdListLinks.sizes} />}
      {total > 0 && !posted ? <ExportLinks path="/households/export" /> : null}
    </>
  );
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

/**
 * The filters as one form. It is posted, so that a search by an ID number stays out of the URL: the action
 * answers that search itself and sends every other one back to the list's URL. With JavaScript a changed
 * select, or a search that is not an ID number, goes straight to the URL (empty fields left out). Sort and
 * page size ride along; the page starts again at 1.
 */
function HouseholdFilters({
  params,
  options,
  activeFilters,
  idSearchRefused,
  maskedIds,
}: {
  params: LoaderData["params"];
  options: LoaderData["options"];
  activeFilters: number;
  idSearchRefused: boolean;
  maskedIds: boolean;
}) {
  const t = useT();
  const locale = useLocale();
  const submit = useSubmit();
  const location = useLocation();
  const details = useRef<HTMLDetailsElement>(null);

  // Wide screens show the filters open (CSS does it where ::details-content is supported).
  useEffect(() => {
    const el = details.current;
    if (!el || CSS.supports?.("selector(::details-content)")) return;
    if (window.matchMedia("(min-width: 720px)").matches) el.open = true;
  }, []);

  function submitClean(form: HTMLFormElement) {
    const query = new URLSearchParams();
    for (const [key, value] of new FormData(form)) {
      if (typeof value === "string" && value.trim() !== "") query.append(key, value.trim());
    }
    if (isPrivateSearch(query.get("q"))) submit(query, { method: "post", preventScrollReset: true });
    else submit(query, { method: "get", action: location.pathname, preventScrollReset: true });
  }

  function onChange(event: FormEvent<HTMLFormElement>) {
    if (event.target instanceof HTMLSelectElement) submitClean(event.currentTarget);
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    submitClean(event.currentTarget);
  }

  // sort, direction and page size ride along; the page starts again at 1
  const keep = householdListLinks.query({
    ...householdListLinks.defaults,
    sort: params.sort,
    dir: params.dir,
    size: params.size,
  });
  const clearHref = `?${keep}`;
  // the selects' shown values follow the URL after each navigation
  const resetKey = location.search;

  return (
    <Form method="post" className="list-filters" role="search" onChange={onChange} onSubmit={onSubmit}>
      <div className="search-bar">
        <label className="visually-hidden" htmlFor="household-q">
          {t("list.households.search")}
        </label>
        <input
          key={resetKey}
          id="household-q"
          type="search"
          name="q"
          defaultValue={params.q ?? ""}
          placeholder={t(maskedIds ? "list.households.searchPlaceholderMasked" : "list.households.searchPlaceholder")}
          enterKeyHint="search"
          autoComplete="off"
          aria-invalid={idSearchRefused || undefined}
          aria-describedby={idSearchRefused ? "household-q-error" : undefined}
        />
        <button type="submit" className="button">
          {t("list.filter.submit")}
        </button>
      </div>
      {idSearchRefused ? (
        <ul id="household-q-error" className="error-list" aria-live="polite">
          <li>{t("list.households.idSearchRefused")}</li>
        </ul>
      ) : null}
      <details className="filters" ref={details}>
        <summary>{activeFilters ? t("list.filters.active", { count: activeFilters }) : t("list.filters")}</summary>
        <div className="filter-grid" key={resetKey}>
          <Select name="village" label={t("col.village")} value={params.village}>
            <VillageOptions villages={options.villages} />
          </Select>
          <Select
            name="group"
            label={t("col.group")}
            value={params.group}
            disabled={!params.village || options.groups.length === 0}
            allLabel={params.village ? undefined : t("list.filter.pickVillageFirst")}
          >
            <Options options={options.groups} />
          </Select>
          <Select name="status" label={t("col.status")} value={params.status}>
            <Options options={options.povertyStatuses.map((s) => ({ value: s, label: t(`povertyStatus.${s}`) }))} />
          </Select>
          {options.povertyCauses ? (
            <Select name="cause" label={t("col.cause")} value={params.cause}>
              <Options options={options.povertyCauses.map((c) => ({ value: c.code, label: entryLabel(c, locale) }))} />
            </Select>
          ) : null}
          <Select name="plan" label={t("col.planStatus")} value={params.plan}>
            <option value="none">{t("list.filter.planNone")}</option>
            <Options options={options.planStatuses.map((s) => ({ value: s, label: t(`planStatus.${s}`) }))} />
          </Select>
          {options.cadres ? (
            <Select name="cadre" label={t("col.cadre")} value={params.cadre}>
              <option value="none">{t("list.filter.noCadre")}</option>
              {options.cadresNeedVillage ? (
                <option disabled value="pick-village">
                  {t("list.filter.pickVillageFirst")}
                </option>
              ) : (
                <Options options={options.cadres} />
              )}
            </Select>
          ) : null}
          {activeFilters || params.q ? (
            <Link className="filter-clear" to={clearHref}>
              {t("list.filter.clear")}
            </Link>
          ) : null}
        </div>
      </details>
      {[...keep].map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
    </Form>
  );
}

function Select({
  name,
  label,
  value,
  disabled,
  allLabel,
  children,
}: {
  name: string;
  label: string;
  value: string | undefined;
  disabled?: boolean;
  allLabel?: string;
  children: ReactNode;
}) {
  const t = useT();
  const id = `filter-${name}`;
  return (
    <div className="filter">
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} defaultValue={value ?? ""} disabled={disabled}>
        <option value="">{allLabel ?? t("list.filter.all")}</option>
        {children}
      </select>
    </div>
  );
}

function Options({ options }: { options: Option[] }) {
  return (
    <>
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </>
  );
}

/** Villages of one township as a flat list; of several (an administrator's county) grouped by township. */
function VillageOptions({ villages }: { villages: VillageOption[] }) {
  const townships = [...new Set(villages.map((v) => v.township))];
  if (townships.length <= 1) return <Options options={villages} />;
  return (
    <>
      {townships.map((township) => (
        <optgroup key={township} label={township}>
          <Options options={villages.filter((v) => v.township === township)} />
        </optgroup>
      ))}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
