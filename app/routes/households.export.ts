import type { LoaderFunctionArgs } from "@remix-run/node";
import { type Locale, type Translate } from "~/i18n";
import { translator } from "~/i18n/dictionaries.server";
import { entryLabel, type ReferenceEntry } from "~/utils/reference";
import { auditExport } from "~/models/audit.server";
import { householdList, type HouseholdExportRow } from "~/models/household-list.server";
import { requireUser } from "~/http/auth.server";
import { currentYear } from "~/utils/dates";
import { householdListParams } from "~/utils/lists";
import { exportResponse, requireExportFormat, type ExportColumn } from "~/http/export.server";
import { getLocale } from "~/http/locale.server";
import { auditedResource } from "~/http/refusals.server";

// The household list (/households) as a file: the same list function and parameters as the page, every page.
export const loader = auditedResource(async ({ request, context }: LoaderFunctionArgs) => {
  const user = await requireUser(request);
  const format = requireExportFormat(request);
  const asked = householdListParams.parse(new URL(request.url));
  const locale = await getLocale(request);
  const t = translator(locale);
  const { params, options, count, batches } = await householdList(user.scope, asked, {
    year: currentYear(),
    all: true,
  });
  // the audit row first: a file whose export cannot be logged is not sent (the rows are not read then)
  try {
    await auditExport({ scope: user.scope, kind: "households", format, filters: params, rows: count });
  } catch (error) {
    await batches.return(undefined);
    throw error;
  }
  const columns = householdExportColumns(t, locale, options.povertyCauses);
  const filename = t("exports.households.file");
  return exportResponse({ format, filename, columns, rows: batches, request, context });
});

/** The list's columns; the cause only for a role offered causes (the model gives others none). */
function householdExportColumns(
  t: Translate,
  locale: Locale,
  causes: ReferenceEntry[] | null,
): ExportColumn<HouseholdExportRow>[] {
  const causeName = (code: string | null) => {
    const cause = code ? causes?.find((c) => c.code === code) : undefined;
    return cause ? entryLabel(cause, locale) : (code ?? "");
  };
  return [
    { header: t("col.code"), value: (r) => r.code, width: 22 },
    { header: t("col.head"), value: (r) => r.headName },
    { header: t("exports.households.headId"), value: (r) => r.headIdNumber, width: 22 },
    { header: t("col.village"), value: (r) => r.village },
    { header: t("col.group"), value: (r) => r.group },
    { header: t("col.status"), value: (r) => t(`povertyStatus.${r.povertyStatus}`) },
    ...(causes ? [{ header: t("col.cause"), value: (r: HouseholdExportRow) => causeName(r.povertyCause) }] : []),
    { header: t("col.members"), value: (r) => r.memberCount },
    { header: t("col.planStatus"), value: (r) => t(`planStatus.${r.planStatus ?? "none"}`) },
    { header: t("exports.households.cadre"), value: (r) => r.cadreName },
    { header: t("exports.households.lastCheck"), value: (r) => r.lastCheck, width: 12 },
  ];
}
