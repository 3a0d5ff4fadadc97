import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { HouseholdParamsSchema } from "~/schemas/route-params";
import { CheckList } from "~/components/check-list";
import { DataTablePager, useServerTable } from "~/components/data-table";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ExportLinks } from "~/components/export-links";
import { householdCheckList } from "~/models/checks.server";
import { can } from "~/permissions";
import { requireUser } from "~/http/auth.server";
import { redirectToExport } from "~/http/export.server";
import { notFound } from "~/http/form.server";
import { PageHeading, pageMeta, type PageTitle } from "~/components/page-title";
import { householdChecksParams } from "~/utils/lists";
import { householdChecksLinks } from "~/utils/list-urls";
import listStyles from "~/styles/list.css";

export const meta = pageMeta();
export const links: LinksFunction = () => [{ rel: "stylesheet", href: listStyles }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  redirectToExport(request, `/households/${params.householdId}/checks/export`);
  const user = await requireUser(request);
  const parsed = HouseholdParamsSchema.safeParse(params);
  if (!parsed.success) notFound();
  const asked = householdChecksParams.parse(new URL(request.url));
  const list = await householdCheckList(user.scope, parsed.data.householdId, asked);
  if (!list) notFound();
  const { household, ...checks } = list;
  return {
    household: { id: household.id, headName: household.headName },
    title: { key: "checks.listTitle", values: { head: household.headName } } satisfies PageTitle,
    checks,
    can: { record: can(user.scope, "check.record") },
  };
}

export default function HouseholdChecks() {
  const { household, title, checks, can } = useLoaderData<typeof loader>();
  // the visits render as cards (CheckList); the table wires only the pager to the URL
  const table = useServerTable({
    page: checks,
    columns: [],
    getRowId: (row) => row.id,
    sorting: null,
    href: (changes) => householdChecksLinks.search(checks.params, changes),
  });
  return (
    <>
      <PageHeading title={title} back={{ to: `/households/${household.id}`, label: "plan.editor.back" }} />
      <CheckList householdId={household.id} rows={checks.rows} canCorrect={can.record} />
      <DataTablePager table={table} pageSizes={householdChecksLinks.sizes} />
      {checks.total > 0 ? <ExportLinks path={`/households/${household.id}/checks/export`} /> : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
