import type { LoaderFunctionArgs } from "@remix-run/node";
import { translator } from "~/i18n/dictionaries.server";
import { auditExport } from "~/models/audit.server";
import { overdueList } from "~/models/checks.server";
import { requirePermission } from "~/http/auth.server";
import { todayISO } from "~/utils/dates";
import { exportResponse, requireExportFormat } from "~/http/export.server";
import { getLocale } from "~/http/locale.server";
import { overdueListParams } from "~/utils/lists";
import { auditedResource } from "~/http/refusals.server";

// The overdue-check list (/checks/overdue) as a file: the same list function, filter and order, every row.
export const loader = auditedResource(async ({ request }: LoaderFunctionArgs) => {
  const user = await requirePermission(request, "overdue.read");
  const { scope } = user;
  const format = requireExportFormat(request);
  const today = todayISO();
  const t = translator(await getLocale(request));
  const { params, rows } = await overdueList(scope, overdueListParams.parse(new URL(request.url)), {
    today,
    all: true,
  });
  await auditExport({ scope, kind: "overdue_checks", format, filters: params, rows: rows.length });
  return exportResponse({
    format,
    filename: `${t("exports.overdue.file")}-${today}`,
    columns: [
      { header: t("col.head"), value: (r) => r.headName },
      { header: t("col.village"), value: (r) => r.village },
      { header: t("col.cadre"), value: (r) => r.cadre },
      { header: t("col.lastCheck"), value: (r) => r.lastVisit, width: 12 },
      { header: t("checks.dueOn"), value: (r) => r.dueOn, width: 12 },
      { header: t("exports.overdue.days"), value: (r) => r.daysOverdue },
    ],
    rows,
  });
});
