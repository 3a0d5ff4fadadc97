import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { CheckList } from "~/components/check-list";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ExportLinks } from "~/components/export-links";
import { useT } from "~/i18n";
import { listChecks } from "~/models/checks.server";
import { getHousehold } from "~/models/households.server";
import { can } from "~/permissions";
import { requireUser } from "~/http/auth.server";
import { currentYear } from "~/utils/dates";
import { redirectToExport } from "~/http/export.server";
import { notFound } from "~/http/form.server";
import { PageHeading, pageMeta, type PageTitle } from "~/components/page-title";

export const meta = pageMeta();

const ParamsSchema = z.object({ householdId: z.uuid() });
const PageSchema = z.coerce.number().int().min(1).max(10_000).catch(1);

export async function loader({ request, params }: LoaderFunctionArgs) {
  redirectToExport(request, `/households/${params.householdId}/checks/export`);
  const user = await requireUser(request);
  const parsed = ParamsSchema.safeParse(params);
  if (!parsed.success) notFound();
  const household = await getHousehold({ id: parsed.data.householdId, scope: user.scope, year: currentYear() });
  if (!household) notFound();
  const page = PageSchema.parse(new URL(request.url).searchParams.get("page") ?? 1);
  const checks = await listChecks({ scope: user.scope, householdId: household.id, page, pageSize: 10 });
  return {
    household: { id: household.id, headName: household.headName },
    title: { key: "checks.listTitle", values: { head: household.headName } } satisfies PageTitle,
    checks,
    can: { record: can(user.scope, "check.record") },
  };
}

export default function HouseholdChecks() {
  const { household, title, checks, can } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <>
      <PageHeading title={title} back={{ to: `/households/${household.id}`, label: "plan.editor.back" }} />
      <CheckList householdId={household.id} rows={checks.rows} canCorrect={can.record} />
      <nav className="pager" aria-label="pagination">
        {checks.page > 1 ? <Link to={`?page=${checks.page - 1}`}>{t("households.prev")}</Link> : <span />}
        <span className="muted">{t("households.page", { page: checks.page, pages: checks.pageCount })}</span>
        {checks.page < checks.pageCount ? (
          <Link to={`?page=${checks.page + 1}`}>{t("households.next")}</Link>
        ) : (
          <span />
        )}
      </nav>
      {checks.total > 0 ? <ExportLinks path={`/households/${household.id}/checks/export`} /> : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
