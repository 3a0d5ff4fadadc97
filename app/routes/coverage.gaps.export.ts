import type { LoaderFunctionArgs } from "@remix-run/node";
import { type Translate } from "~/i18n";
import { translator } from "~/i18n/dictionaries.server";
import { auditExport } from "~/models/audit.server";
import { coverageGapList, type GapHouseholdRow, type GapPersonRow } from "~/models/coverage.server";
import { requirePermission } from "~/http/auth.server";
import { CONDITIONS, type Condition } from "~/utils/coverage";
import { todayISO } from "~/utils/dates";
import { exportResponse, requireExportFormat, type ExportColumn } from "~/http/export.server";
import { getLocale } from "~/http/locale.server";
import { notFound } from "~/http/form.server";
import { coverageListParams } from "~/utils/lists";
import { auditedResource } from "~/http/refusals.server";

// The gap lists (/coverage/gaps) as a file: households (default) or persons (?view=persons) not covered,
// the same filters, every page.
export const loader = auditedResource(async ({ request }: LoaderFunctionArgs) => {
  const user = await requirePermission(request, "coverage.read");
  const format = requireExportFormat(request);
  const { scope } = user;
  const today = todayISO();
  const list = await coverageGapList(scope, coverageListParams.parse(new URL(request.url)), { today, all: true });
  if (!list) notFound();
  const t = translator(await getLocale(request));
  // the view is the export's kind, not a filter
  const filters = { ...list.params, view: undefined };
  if (list.view === "persons") {
    const { rows } = list.persons;
    await auditExport({ scope, kind: "coverage_gap_persons", format, filters, rows: rows.length });
    return exportResponse({
      format,
      filename: `${t("coverage.export.gapPersons")}-${today}`,
      columns: personExportColumns(t),
      rows,
    });
  }
  const { rows } = list.households;
  await auditExport({ scope, kind: "coverage_gap_households", format, filters, rows: rows.length });
  return exportResponse({
    format,
    filename: `${t("coverage.export.gapHouseholds")}-${today}`,
    columns: householdExportColumns(t),
    rows,
  });
});

function reasonText(t: Translate, reasons: Condition[]) {
  return reasons.map((r) => t(`coverage.reason.${r}`)).join("；");
}

function householdExportColumns(t: Translate): ExportColumn<GapHouseholdRow>[] {
  const yes = t("coverage.export.yes");
  const no = t("coverage.export.no");
  return [
    { header: t("col.code"), value: (r) => r.code, width: 22 },
    { header: t("col.head"), value: (r) => r.headName },
    { header: t("coverage.col.township"), value: (r) => r.township },
    { header: t("col.village"), value: (r) => r.village },
    { header: t("col.status"), value: (r) => t(`povertyStatus.${r.povertyStatus}`), width: 16 },
    { header: t("col.members"), value: (r) => r.persons },
    { header: t("coverage.col.reasons"), value: (r) => reasonText(t, r.reasons), width: 40 },
    ...CONDITIONS.map((c): ExportColumn<GapHouseholdRow> => ({
      header: t(`coverage.condition.${c}`),
      value: (r) => (r.reasons.includes(c) ? no : yes),
    })),
    { header: t("coverage.export.planStatus"), value: (r) => t(`planStatus.${(r.planStatus ?? "none") as "none"}`) },
    { header: t("coverage.export.lastCheck"), value: (r) => r.lastCheck, width: 12 },
  ];
}

function personExportColumns(t: Translate): ExportColumn<GapPersonRow>[] {
  return [
    { header: t("col.name"), value: (r) => r.name },
    { header: t("col.idNumber"), value: (r) => r.idNumber, width: 22 },
    { header: t("col.relation"), value: (r) => t(`relation.${r.relation as "head"}`) },
    { header: t("col.code"), value: (r) => r.householdCode, width: 22 },
    { header: t("col.head"), value: (r) => r.headName },
    { header: t("coverage.col.township"), value: (r) => r.township },
    { header: t("col.village"), value: (r) => r.village },
    { header: t("col.status"), value: (r) => t(`povertyStatus.${r.povertyStatus}`), width: 16 },
    { header: t("coverage.col.reasons"), value: (r) => reasonText(t, r.reasons), width: 40 },
  ];
}
