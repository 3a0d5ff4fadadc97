import type { LoaderFunctionArgs } from "@remix-run/node";
import { type Translate } from "~/i18n";
import { translator } from "~/i18n/dictionaries.server";
import { auditExport } from "~/models/audit.server";
import { coverageRegisterList, type CoverageRow } from "~/models/coverage.server";
import { requirePermission } from "~/http/auth.server";
import { CONDITIONS } from "~/utils/coverage";
import { todayISO } from "~/utils/dates";
import { exportResponse, requireExportFormat, type ExportColumn } from "~/http/export.server";
import { getLocale } from "~/http/locale.server";
import { notFound } from "~/http/form.server";
import { coverageListParams } from "~/utils/lists";
import { auditedResource } from "~/http/refusals.server";

// The coverage register (/coverage) as a file: the same filters and grouping, with the total row last.
export const loader = auditedResource(async ({ request }: LoaderFunctionArgs) => {
  const user = await requirePermission(request, "coverage.read");
  const format = requireExportFormat(request);
  const { scope } = user;
  const register = await coverageRegisterList(scope, coverageListParams.parse(new URL(request.url)), {
    today: todayISO(),
  });
  if (!register) notFound();
  const { groupBy, filters } = register;
  const t = translator(await getLocale(request));
  const total: CoverageRow = {
    ...register.totals,
    regionId: "",
    name: t("coverage.total"),
    township: "",
    townshipId: "",
    level: groupBy,
  };
  const rows = [...register.rows, total];
  await auditExport({ scope, kind: "coverage", format, filters: { ...filters, groupBy }, rows: rows.length });
  return exportResponse({
    format,
    filename: `${t("coverage.export.register")}-${register.today}`,
    columns: registerExportColumns(t, scope.role === "admin"),
    rows,
  });
});

function registerExportColumns(t: Translate, county: boolean): ExportColumn<CoverageRow>[] {
  const columns: ExportColumn<CoverageRow>[] = [
    ...(county ? [{ header: t("coverage.col.township"), value: (r: CoverageRow) => r.township, width: 14 }] : []),
    {
      header: t("coverage.region.village"),
      value: (r) => (r.level === "village" || !r.regionId ? r.name : ""),
      width: 14,
    },
    { header: t("coverage.col.households"), value: (r) => r.households },
    { header: t("coverage.col.covered"), value: (r) => r.householdsCovered },
    { header: t("coverage.export.percentHouseholds"), value: (r) => r.householdsPercent, width: 14 },
    { header: t("coverage.col.persons"), value: (r) => r.persons },
    { header: t("coverage.col.personsCovered"), value: (r) => r.personsCovered, width: 12 },
    { header: t("coverage.export.percentPersons"), value: (r) => r.personsPercent, width: 14 },
  ];
  for (const c of CONDITIONS) {
    const condition = t(`coverage.condition.${c}`);
    columns.push(
      { header: t("coverage.export.conditionMet", { condition }), value: (r) => r.conditions[c].met, width: 16 },
      {
        header: t("coverage.export.conditionPercent", { condition }),
        value: (r) => r.conditions[c].percent,
        width: 16,
      },
    );
  }
  return columns;
}
