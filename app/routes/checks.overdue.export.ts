import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { translator } from "~/i18n";
import { auditExport } from "~/models/audit.server";
import { overdueHouseholds } from "~/models/checks.server";
import { requirePermission } from "~/http/auth.server";
import { todayISO } from "~/utils/dates";
import { exportResponse, requireExportFormat } from "~/http/export.server";
import { getLocale } from "~/http/locale.server";
import { queryParams } from "~/utils/text";
import { auditedResource } from "~/http/refusals.server";

const FilterSchema = z.object({
  village: z.uuid().optional().catch(undefined),
  cadre: z.uuid().optional().catch(undefined),
});

// The overdue-check list (/checks/overdue) as a file: the same village / cadre filter, every row.
export const loader = auditedResource(async ({ request }: LoaderFunctionArgs) => {
  const user = await requirePermission(request, "overdue.read");
  const { scope } = user;
  const format = requireExportFormat(request);
  const filter = FilterSchema.parse(queryParams(new URL(request.url)));
  const today = todayISO();
  const t = translator(await getLocale(request));
  const rows = await overdueHouseholds({
    scope,
    today,
    villageId: filter.village,
    cadreId: filter.cadre,
    limit: 200_000,
  });
  await auditExport({ scope, kind: "overdue_checks", format, filters: filter, rows: rows.length });
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
