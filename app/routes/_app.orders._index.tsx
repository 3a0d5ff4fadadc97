import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { createColumnHelper, type ColumnDef } from "@tanstack/react-table";
import { useMemo } from "react";
import { DataTable, DataTablePager, FilterForm, useServerTable } from "~/components/data-table";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { OrderStatusBadge } from "~/components/order-status";
import { type Locale, type MessageKey, metaTranslator, type Translate, useLocale, useT } from "~/i18n";
// Only types from the model reach the browser bundle; the list's URL is the kit's (a plain module).
import { orderList, type OrderListRow, type OrderSortKey } from "~/models/order-list.server";
import { ExportLinks } from "~/components/export-links";
import { can } from "~/permissions";
import { requireUser } from "~/http/auth.server";
import { redirectToExport } from "~/http/export.server";
import { orderListParams } from "~/utils/lists";
import { orderListLinks } from "~/utils/list-urls";
import listStyles from "~/styles/list.css";
import orderStyles from "~/styles/orders.css";
import { cropLabel, entryLabel } from "~/utils/reference";
import { numberFormat } from "~/utils/intl";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: listStyles },
  { rel: "stylesheet", href: orderStyles },
];

export const meta: MetaFunction = ({ matches }) => {
  const t = metaTranslator(matches);
  return [{ title: `${t("orders.title")} · ${t("app.name")}` }];
};

// Every role reads the orders of its scope (a cadre: orders reaching their households); clerks and officials write.
export async function loader({ request }: LoaderFunctionArgs) {
  redirectToExport(request, "/orders/export");
  const user = await requireUser(request);
  const list = await orderList(user.scope, orderListParams.parse(new URL(request.url)));
  return {
    ...list,
    can: { create: can(user.scope, "order.write") },
    showCooperative: user.role !== "clerk",
  };
}

const kg = (locale: Locale, v: number) => numberFormat(locale, { maximumFractionDigits: 2 }).format(v);

function orderColumns(t: Translate, locale: Locale, showCooperative: boolean): ColumnDef<OrderListRow, never>[] {
  const col = createColumnHelper<OrderListRow>();
  const id = (key: OrderSortKey) => key;
  const columns = [
    col.accessor("cropZh", {
      id: id("crop"),
      header: t("orders.col.crop"),
      meta: { rowHeader: true },
      cell: (c) => (
        <Link to={`/orders/${c.row.original.id}`}>
          {cropLabel(c.row.original, locale)} · {c.row.original.season}
        </Link>
      ),
    }),
    col.accessor("status", {
      id: id("status"),
      header: t("orders.col.status"),
      cell: (c) => <OrderStatusBadge status={c.getValue()} />,
    }),
    col.accessor("quantityKg", {
      id: id("quantity"),
      header: t("orders.col.quantity"),
      meta: { className: "num" },
      cell: (c) => kg(locale, c.getValue()),
    }),
    col.accessor("allocatedKg", {
      id: "allocated",
      header: t("orders.col.allocated"),
      enableSorting: false,
      meta: { className: "num phone-hide" },
      cell: (c) => kg(locale, c.getValue()),
    }),
    col.accessor("deliveredKg", {
      id: "delivered",
      header: t("orders.col.delivered"),
      enableSorting: false,
      meta: { className: "num" },
      cell: (c) => kg(locale, c.getValue()),
    }),
    col.accessor("unitPriceFen", {
      id: "price",
      header: t("orders.col.price"),
      enableSorting: false,
      meta: { className: "num phone-hide" },
      cell: (c) => (c.getValue() / 100).toFixed(2),
    }),
    col.accessor("buyerName", { id: id("buyer"), header: t("orders.col.buyer") }),
    ...(showCooperative
      ? [col.accessor("cooperativeName", { id: id("cooperative"), header: t("orders.col.cooperative") })]
      : []),
    col.accessor("deliveryStart", {
      id: id("window"),
      header: t("orders.col.window"),
      sortDescFirst: true,
      cell: (c) => `${c.row.original.deliveryStart} – ${c.row.original.deliveryEnd}`,
    }),
  ];
  return columns as ColumnDef<OrderListRow, never>[];
}

export default function OrdersPage() {
  const data = useLoaderData<typeof loader>();
  const { total, params, can, showCooperative } = data;
  const t = useT();
  const locale = useLocale();
  const columns = useMemo(() => orderColumns(t, locale, showCooperative), [t, locale, showCooperative]);
  const table = useServerTable<OrderListRow>({
    page: data,
    columns,
    getRowId: (row) => row.id,
    sorting: params,
    href: (changes) => orderListLinks.search(params, changes),
  });
  return (
    <>
      <div className="list-head">
        <h1>{t("orders.title")}</h1>
        {can.create ? (
          <Link className="button" to="/orders/new">
            {t("orders.new")}
          </Link>
        ) : null}
      </div>
      <OrderFilters />
      <p className="muted list-total" aria-live="polite">
        {t("orders.total", { total: numberFormat(locale).format(total) })}
      </p>
      <DataTable table={table} caption={t("orders.caption")} empty={t("orders.empty")} />
      <DataTablePager table={table} pageSizes={orderListLinks.sizes} />
      {total > 0 ? <ExportLinks path="/orders/export" /> : null}
    </>
  );
}

/** Status, crop, season (and cooperative for officials and admins) as one GET form: a changed select submits it with JavaScript, the button without. */
function OrderFilters() {
  const { params, options } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const keep = orderListLinks.query({
    ...orderListLinks.defaults,
    sort: params.sort,
    dir: params.dir,
    size: params.size,
  });
  const active = orderListLinks.activeFilters(params);
  return (
    <FilterForm
      keep={keep}
      className="order-filters"
      gridClassName="order-filter-grid"
      actionsClassName="order-filter-actions"
      clearHref={active ? `?${keep}` : null}
    >
      <div className="filter">
        <label htmlFor="filter-status">{t("orders.col.status")}</label>
        <select id="filter-status" name="status" defaultValue={params.status ?? ""}>
          <option value="">{t("list.filter.all")}</option>
          {options.statuses.map((s) => (
            <option key={s} value={s}>
              {t(`orders.status.${s}` as MessageKey)}
            </option>
          ))}
        </select>
      </div>
      <div className="filter">
        <label htmlFor="filter-crop">{t("orders.col.crop")}</label>
        <select id="filter-crop" name="crop" defaultValue={params.crop ?? ""}>
          <option value="">{t("list.filter.all")}</option>
          {options.crops.map((c) => (
            <option key={c.code} value={c.code}>
              {entryLabel({ ...c, retired: Boolean(c.retiredAt) }, locale)}
            </option>
          ))}
        </select>
      </div>
      <div className="filter">
        <label htmlFor="filter-season">{t("orders.col.season")}</label>
        <select id="filter-season" name="season" defaultValue={params.season ?? ""}>
          <option value="">{t("list.filter.all")}</option>
          {options.seasons.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </div>
      {options.cooperatives ? (
        <div className="filter">
          <label htmlFor="filter-cooperative">{t("orders.col.cooperative")}</label>
          <select id="filter-cooperative" name="cooperative" defaultValue={params.cooperative ?? ""}>
            <option value="">{t("list.filter.all")}</option>
            {options.cooperatives.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
      ) : null}
    </FilterForm>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
