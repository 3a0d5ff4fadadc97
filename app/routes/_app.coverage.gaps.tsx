import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { createColumnHelper, type ColumnDef } from "@tanstack/react-table";
import { useMemo } from "react";
import { DataTable, DataTablePager, useServerTable } from "~/components/data-table";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { CoverageFilters } from "~/components/coverage-filters";
import { ExportLinks } from "~/components/export-links";
import { useLocale, useT, type Translate } from "~/i18n";
import { coverageGapList, type GapHouseholdRow, type GapPersonRow } from "~/models/coverage.server";
import { requirePermission } from "~/http/auth.server";
import type { Condition } from "~/utils/coverage";
import { todayISO } from "~/utils/dates";
import { redirectToExport } from "~/http/export.server";
import { notFound } from "~/http/form.server";
import { coverageListParams, type CoverageParams } from "~/utils/lists";
import { coverageListLinks } from "~/utils/list-urls";
import type { ListPage } from "~/utils/list-params";
import listStyles from "~/styles/list.css";
import coverageStyles from "~/styles/coverage.css";
import { numberFormat } from "~/utils/intl";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: listStyles },
  { rel: "stylesheet", href: coverageStyles },
];

// The named lists behind the register's numbers: households not covered (?view=households, the default)
// or persons not covered (?view=persons), filtered by township, village, condition and poverty status.
export async function loader({ request }: LoaderFunctionArgs) {
  redirectToExport(request, "/coverage/gaps/export");
  const user = await requirePermission(request, "coverage.read");
  const { scope } = user;
  const today = todayISO();
  const list = await coverageGapList(scope, coverageListParams.parse(new URL(request.url)), { today });
  if (!list) notFound();
  const base = { params: list.params, options: list.options, isCounty: scope.role === "admin", today };
  if (list.view === "persons") return { ...base, view: list.view, persons: list.persons, households: null };
  return { ...base, view: list.view, households: list.households, persons: null };
}

function Reasons({ reasons }: { reasons: Condition[] }) {
  const t = useT();
  return (
    <span className="reasons">
      {reasons.map((r) => (
        <span key={r} className="badge warn">
          {t(`coverage.reason.${r}`)}
        </span>
      ))}
    </span>
  );
}

/** A household's page, told which list it was opened from: its way back keeps this list's filters and page. */
function householdHref(id: string, params: CoverageParams) {
  return `/households/${id}?${new URLSearchParams({ gaps: coverageListLinks.query(params).toString() })}`;
}

function householdColumns(
  t: Translate,
  isCounty: boolean,
  params: CoverageParams,
): ColumnDef<GapHouseholdRow, never>[] {
  const col = createColumnHelper<GapHouseholdRow>();
  return [
    col.accessor("headName", {
      header: t("col.head"),
      meta: { rowHeader: true },
      cell: (c) => <Link to={householdHref(c.row.original.id, params)}>{c.getValue()}</Link>,
    }),
    col.accessor("reasons", {
      header: t("coverage.col.reasons"),
      cell: (c) => <Reasons reasons={c.getValue()} />,
    }),
    col.accessor("village", {
      header: t("col.village"),
      cell: (c) => (isCounty ? `${c.row.original.township} · ${c.getValue()}` : c.getValue()),
    }),
    col.accessor("cadre", {
      header: t("household.cadre"),
      cell: (c) => c.getValue() ?? <span className="badge bad">{t("household.noCadre")}</span>,
    }),
    col.accessor("code", { header: t("col.code"), meta: { className: "code" } }),
    col.accessor("povertyStatus", { header: t("col.status"), cell: (c) => t(`povertyStatus.${c.getValue()}`) }),
    col.accessor("persons", { header: t("col.members"), meta: { className: "num" } }),
    col.accessor("planStatus", {
      header: t("col.planStatus"),
      cell: (c) => t(`planStatus.${(c.getValue() ?? "none") as "none"}`),
    }),
    col.accessor("lastCheck", {
      header: t("col.lastCheck"),
      cell: (c) => c.getValue() ?? <span className="muted">{t("list.households.neverVisited")}</span>,
    }),
  ] as ColumnDef<GapHouseholdRow, never>[];
}

function personColumns(t: Translate, isCounty: boolean, params: CoverageParams): ColumnDef<GapPersonRow, never>[] {
  const col = createColumnHelper<GapPersonRow>();
  return [
    col.accessor("name", { header: t("col.name"), meta: { rowHeader: true } }),
    col.accessor("reasons", {
      header: t("coverage.col.reasons"),
      cell: (c) => <Reasons reasons={c.getValue()} />,
    }),
    col.accessor("idNumber", { header: t("col.idNumber"), meta: { className: "code" } }),
    col.accessor("relation", { header: t("col.relation"), cell: (c) => t(`relation.${c.getValue() as "head"}`) }),
    col.accessor("headName", {
      header: t("coverage.col.household"),
      cell: (c) => <Link to={householdHref(c.row.original.householdId, params)}>{c.getValue()}</Link>,
    }),
    col.accessor("village", {
      header: t("col.village"),
      cell: (c) => (isCounty ? `${c.row.original.township} · ${c.getValue()}` : c.getValue()),
    }),
    col.accessor("povertyStatus", { header: t("col.status"), cell: (c) => t(`povertyStatus.${c.getValue()}`) }),
  ] as ColumnDef<GapPersonRow, never>[];
}

/** The other view keeps the filters; the page and size start again. */
function viewHref(params: CoverageParams, view: "households" | "persons") {
  return coverageListLinks.search(params, { view: view === "persons" ? "persons" : null, page: null, size: null });
}

export default function CoverageGapsPage() {
  const data = useLoaderData<typeof loader>();
  const { view, params, options, isCounty } = data;
  const t = useT();
  const locale = useLocale();
  const fmt = numberFormat(locale);
  const registerHref = `/coverage${coverageListLinks.search({
    ...coverageListLinks.defaults,
    township: params.township,
    village: params.village,
    status: params.status,
  })}`.replace(/\?$/, "");

  return (
    <>
      <p className="back-link">
        <Link to={registerHref}>← {t("coverage.gaps.back")}</Link>
      </p>
      <h1>{t("coverage.gaps.title")}</h1>
      <nav className="tabs" aria-label={t("coverage.gaps.title")}>
        <Link
          to={viewHref(params, "households")}
          className={view === "households" ? "tab active" : "tab"}
          aria-current={view === "households" ? "page" : undefined}
        >
          {t("coverage.gaps.households")}
        </Link>
        <Link
          to={viewHref(params, "persons")}
          className={view === "persons" ? "tab active" : "tab"}
          aria-current={view === "persons" ? "page" : undefined}
        >
          {t("coverage.gaps.persons")}
        </Link>
      </nav>
      <CoverageFilters
        params={data.params}
        options={data.options}
        isCounty={data.isCounty}
        withCondition
        clearTo={coverageListLinks.search({ ...coverageListLinks.defaults, view: params.view })}
        // the view and page size ride along; the page starts again
        hidden={[
          ...coverageListLinks.query({ ...coverageListLinks.defaults, view: params.view, size: params.size }),
        ].map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
      />
      {data.households ? (
        <HouseholdTable page={data.households} params={params} isCounty={isCounty} fmt={fmt} />
      ) : data.persons ? (
        <PersonTable page={data.persons} params={params} isCounty={isCounty} fmt={fmt} />
      ) : null}
      {(data.households?.total ?? data.persons?.total ?? 0) > 0 ? <ExportLinks path="/coverage/gaps/export" /> : null}
      {options.villages.length === 0 ? <p className="muted">{t("coverage.noVillages")}</p> : null}
    </>
  );
}

/** The gap lists keep one order (household code, then the head first): paged, not sortable. */
function useGapTable<Row extends { id: string }>(
  page: ListPage<Row>,
  params: CoverageParams,
  columns: ColumnDef<Row, never>[],
) {
  return useServerTable<Row>({
    page,
    columns,
    getRowId: (row) => row.id,
    sorting: null,
    href: (changes) => coverageListLinks.search(params, changes),
  });
}

function HouseholdTable({
  page,
  params,
  isCounty,
  fmt,
}: {
  page: ListPage<GapHouseholdRow>;
  params: CoverageParams;
  isCounty: boolean;
  fmt: Intl.NumberFormat;
}) {
  const t = useT();
  const columns = useMemo(() => householdColumns(t, isCounty, params), [t, isCounty, params]);
  const table = useGapTable(page, params, columns);
  return (
    <>
      <p className="muted list-total" aria-live="polite" data-testid="gap-total">
        {t("coverage.gaps.totalHouseholds", { total: fmt.format(page.total) })}
      </p>
      <DataTable
        table={table}
        caption={t("coverage.gaps.captionHouseholds")}
        empty={t("coverage.gaps.emptyHouseholds")}
      />
      <DataTablePager table={table} pageSizes={coverageListLinks.sizes} />
    </>
  );
}

function PersonTable({
  page,
  params,
  isCounty,
  fmt,
}: {
  page: ListPage<GapPersonRow>;
  params: CoverageParams;
  isCounty: boolean;
  fmt: Intl.NumberFormat;
}) {
  const t = useT();
  const columns = useMemo(() => personColumns(t, isCounty, params), [t, isCounty, params]);
  const table = useGapTable(page, params, columns);
  return (
    <>
      <p className="muted list-total" aria-live="polite" data-testid="gap-total">
        {t("coverage.gaps.totalPersons", { total: fmt.format(page.total) })}
      </p>
      <DataTable table={table} caption={t("coverage.gaps.captionPersons")} empty={t("coverage.gaps.emptyPersons")} />
      <DataTablePager table={table} pageSizes={coverageListLinks.sizes} />
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
