import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { createColumnHelper, type ColumnDef } from "@tanstack/react-table";
import { useMemo } from "react";
import { DataTable, DataTablePager, useServerTable } from "~/components/data-table";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { type MessageKey, metaTranslator, type Translate, useT } from "~/i18n";
// Only types from the model reach the browser bundle; the list's URL is the kit's (a plain module).
import { projectList, type ProjectListRow, type ProjectSortKey } from "~/models/projects.server";
import { can } from "~/permissions";
import { requirePermission } from "~/http/auth.server";
import { projectListParams } from "~/utils/lists";
import { projectListLinks } from "~/utils/list-urls";
import { fenToYuan } from "~/utils/units";
import listStyles from "~/styles/list.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: listStyles }];

export const meta: MetaFunction = ({ matches }) => {
  const t = metaTranslator(matches);
  return [{ title: `${t("projects.metaTitle")} · ${t("app.name")}` }];
};

// Officials and admins: the projects of their township / county; cadres: projects reaching their households.
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "project.read");
  const list = await projectList(user.scope, projectListParams.parse(new URL(request.url)));
  return {
    ...list,
    can: { create: can(user.scope, "project.write") },
    role: user.role,
  };
}

function projectColumns(t: Translate): ColumnDef<ProjectListRow, never>[] {
  const col = createColumnHelper<ProjectListRow>();
  const id = (key: ProjectSortKey) => key;
  const columns = [
    col.accessor("name", {
      id: id("name"),
      header: t("projects.name"),
      meta: { rowHeader: true },
      cell: (c) => (
        <>
          <Link to={`/projects/${c.row.original.id}`}>{c.getValue()}</Link>{" "}
          <span className={c.row.original.status === "active" ? "badge ok" : "badge"}>
            {t(`projects.status.${c.row.original.status}` as MessageKey)}
          </span>
        </>
      ),
    }),
    col.accessor("type", {
      id: "type",
      header: t("projects.typeLabel"),
      enableSorting: false,
      cell: (c) =>
        `${t(`projects.type.${c.getValue()}` as MessageKey)} · ${c.row.original.township ?? t("projects.countyWide")} · ${c.row.original.fundingSource}`,
    }),
    col.accessor("budgetFen", {
      id: id("budget"),
      header: t("projects.stat.budget"),
      sortDescFirst: true,
      meta: { className: "num" },
      cell: (c) => fenToYuan(c.getValue()),
    }),
    col.accessor("allocatedFen", {
      id: id("allocated"),
      header: t("projects.stat.allocated"),
      sortDescFirst: true,
      meta: { className: "num" },
      cell: (c) => fenToYuan(c.getValue()),
    }),
    col.accessor("remainingFen", {
      id: "remaining",
      header: t("projects.stat.remaining"),
      enableSorting: false,
      meta: { className: "num" },
      // a closed project allocates no more: its unspent budget is not left to allocate
      cell: (c) =>
        c.row.original.status === "closed" ? (
          <span title={t("projects.stat.remainingClosed")}>—</span>
        ) : (
          fenToYuan(c.getValue())
        ),
    }),
    col.accessor("householdsReached", {
      id: "households",
      header: t("projects.stat.households"),
      enableSorting: false,
      meta: { className: "num" },
    }),
    col.accessor("startsOn", {
      id: id("start"),
      header: t("projects.startsOn"),
      sortDescFirst: true,
    }),
  ];
  return columns as ColumnDef<ProjectListRow, never>[];
}

export default function Projects() {
  const data = useLoaderData<typeof loader>();
  const { total, totals, params, can, role } = data;
  const t = useT();
  const columns = useMemo(() => projectColumns(t), [t]);
  const table = useServerTable<ProjectListRow>({
    page: data,
    columns,
    getRowId: (row) => row.id,
    sorting: params,
    href: (changes) => projectListLinks.search(params, changes),
  });
  return (
    <>
      <div className="section-head">
        <h1>{t("projects.title")}</h1>
        {can.create ? (
          <Link className="button" to="/projects/new">
            {t("projects.new")}
          </Link>
        ) : null}
      </div>
      {total ? (
        <>
          <ul className="stats">
            <li className="stat">
              <b data-testid="projects-budget">{Math.round(totals.budgetFen / 100)}</b>
              <span>{t("projects.stat.budget")}</span>
            </li>
            <li className="stat">
              <b data-testid="projects-remaining">{Math.round(totals.remainingFen / 100)}</b>
              <span>{t("projects.stat.remainingTotal")}</span>
            </li>
          </ul>
          <DataTable table={table} caption={t("projects.title")} empty={null} />
          <DataTablePager table={table} pageSizes={projectListLinks.sizes} />
        </>
      ) : (
        <p className="muted">{t(role === "cadre" ? "projects.noneCadre" : "projects.none")}</p>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
