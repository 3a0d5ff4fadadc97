import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { CheckList } from "~/components/check-list";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ExportLinks } from "~/components/export-links";
import { translator, useT } from "~/i18n";
import { canRecordChecks, listChecks } from "~/models/checks.server";
import { getHousehold } from "~/models/households.server";
import { requireUser } from "~/utils/auth.server";
import { currentYear } from "~/utils/dates";
import { exportFormat, exportResponse } from "~/utils/export.server";
import { notFound } from "~/utils/form.server";
import { getLocale } from "~/utils/locale.server";

type Check = Awaited<ReturnType<typeof listChecks>>["rows"][number];

const ParamsSchema = z.object({ householdId: z.uuid() });
const PageSchema = z.coerce.number().int().min(1).max(10_000).catch(1);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const parsed = ParamsSchema.safeParse(params);
  if (!parsed.success) notFound();
  const household = await getHousehold({ id: parsed.data.householdId, scope: user.scope, year: currentYear() });
  if (!household) notFound();
  const format = exportFormat(request);
  if (format) {
    const t = translator(await getLocale(request));
    const all = await listChecks({ scope: user.scope, householdId: household.id, page: 1, pageSize: 100_000 });
    const zone = (z: "living" | "planting" | "raising") => t(`record.zone.${z}`);
    return exportResponse({
      format,
      filename: `${t("exports.checks.file")}-${household.code}`,
      columns: [
        { header: t("checks.visitedOn"), value: (r: Check) => r.visitedOn, width: 12 },
        { header: t("col.cadre"), value: (r: Check) => r.cadre },
        ...(["living", "planting", "raising"] as const).flatMap((z) => [
          { header: t("exports.checks.zone", { zone: zone(z) }), value: (r: Check) => t(`zoneStatus.${r[`${z}Status`]}`) },
          { header: t("exports.checks.note", { zone: zone(z) }), value: (r: Check) => r[`${z}Note`], width: 30 },
        ]),
        { header: t("checks.seen"), value: (r: Check) => r.seen, width: 30 },
        { header: t("checks.problems"), value: (r: Check) => r.problems, width: 30 },
        { header: t("checks.measures"), value: (r: Check) => r.measures, width: 30 },
        { header: t("checks.helpNeeded"), value: (r: Check) => r.helpNeeded, width: 30 },
        { header: t("checks.nextDueOn"), value: (r: Check) => r.nextDueOn, width: 12 },
        { header: t("exports.checks.corrects"), value: (r: Check) => (r.correctsCheckId ? t("exports.yes") : "") },
      ],
      rows: all.rows,
    });
  }
  const page = PageSchema.parse(new URL(request.url).searchParams.get("page") ?? 1);
  const checks = await listChecks({ scope: user.scope, householdId: household.id, page, pageSize: 10 });
  return { household: { id: household.id, headName: household.headName }, checks, canRecord: canRecordChecks(user.scope) };
}

export default function HouseholdChecks() {
  const { household, checks, canRecord } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <>
      <p className="small">
        <Link to={`/households/${household.id}`}>← {t("plan.editor.back")}</Link>
      </p>
      <h1>{t("checks.listTitle", { head: household.headName })}</h1>
      <CheckList householdId={household.id} rows={checks.rows} canCorrect={canRecord} />
      <nav className="pager" aria-label="pagination">
        {checks.page > 1 ? <Link to={`?page=${checks.page - 1}`}>{t("households.prev")}</Link> : <span />}
        <span className="muted">{t("households.page", { page: checks.page, pages: checks.pageCount })}</span>
        {checks.page < checks.pageCount ? <Link to={`?page=${checks.page + 1}`}>{t("households.next")}</Link> : <span />}
      </nav>
      {checks.total > 0 ? <ExportLinks /> : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
