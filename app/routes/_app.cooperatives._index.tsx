import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { createColumnHelper, type ColumnDef } from "@tanstack/react-table";
import { useMemo } from "react";
import { DataTablePager, SortLinks, useServerTable } from "~/components/data-table";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { PageHeading, pageMeta } from "~/components/page-title";
import { useT, type MessageKey, type Translate } from "~/i18n";
import { can } from "~/permissions";
// Only types from the model reach the browser bundle; the list's URL is the kit's (a plain module).
import { cooperativeList, type CooperativeListRow } from "~/models/cooperatives.server";
import { requirePermission } from "~/http/auth.server";
import listStyles from "~/styles/list.css";
import orderStyles from "~/styles/orders.css";
import { cooperativeListParams } from "~/utils/lists";
import { cooperativeListLinks } from "~/utils/list-urls";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: listStyles },
  { rel: "stylesheet", href: orderStyles },
];

export const meta = pageMeta("orders.coops.title");

// A clerk: their own cooperative; an official: the township's; an administrator: the county's.
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "cooperative.read");
  const list = await cooperativeList(user.scope, cooperativeListParams.parse(new URL(request.url)));
  return { ...list, can: { create: can(user.scope, "cooperative.setup") } };
}

function cooperativeColumns(t: Translate): ColumnDef<CooperativeListRow, never>[] {
  const col = createColumnHelper<CooperativeListRow>();
  return [
    col.accessor("township", { id: "township", header: t("orders.coop.field.township") }),
    col.accessor("name", { id: "name", header: t("orders.coop.field.name") }),
    col.accessor("memberCount", { id: "members", header: t("orders.coop.memberCount"), sortDescFirst: true }),
  ] as ColumnDef<CooperativeListRow, never>[];
}

export default function Cooperatives() {
  const data = useLoaderData<typeof loader>();
  const { rows: cooperatives, params, can } = data;
  const t = useT();
  const columns = useMemo(() => cooperativeColumns(t), [t]);
  // the cooperatives render as cards; the table wires the sort links and the pager to the URL
  const table = useServerTable<CooperativeListRow>({
    page: data,
    columns,
    getRowId: (row) => row.id,
    sorting: params,
    href: (changes) => cooperativeListLinks.search(params, changes),
  });
  return (
    <>
      <PageHeading title={{ key: "orders.coops.title" }}>
        {can.create ? (
          <Link className="button" to="/cooperatives/new">
            {t("orders.coops.new")}
          </Link>
        ) : null}
      </PageHeading>
      {cooperatives.length === 0 ? <p className="muted">{t("orders.coops.none")}</p> : null}
      <SortLinks table={table} />
      <ul className="rows" data-testid="cooperatives">
        {cooperatives.map((c) => (
          <li key={c.id}>
            <Link className="row" to={`/cooperatives/${c.id}`}>
              <span className="title">{c.name}</span>
              <span className="badge">{t(`orders.coop.kind.${c.kind}` as MessageKey)}</span>
              <span className="meta">
                {[c.township, c.village].filter(Boolean).join(" · ")} ·{" "}
                {t("orders.coops.members", { count: c.memberCount })}
              </span>
              <span className="meta">
                {c.brokers.length
                  ? `${t("orders.coop.brokers")}：${c.brokers.map((b) => (b.phone ? `${b.name} ${b.phone}` : b.name)).join("，")}`
                  : t("orders.coop.noBrokers")}
              </span>
            </Link>
          </li>
        ))}
      </ul>
      <DataTablePager table={table} pageSizes={cooperativeListLinks.sizes} />
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
