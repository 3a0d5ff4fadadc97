import type { LoaderFunctionArgs } from "@remix-run/node";
import { HouseholdParamsSchema } from "~/schemas/route-params";
import { translator } from "~/i18n/dictionaries.server";
import { auditExport } from "~/models/audit.server";
import { householdCheckList } from "~/models/checks.server";
import { can } from "~/permissions";
import { requireUser } from "~/http/auth.server";
import { exportResponse, requireExportFormat } from "~/http/export.server";
import { notFound } from "~/http/form.server";
import { getLocale } from "~/http/locale.server";
import { auditedResource } from "~/http/refusals.server";
import { householdChecksParams } from "~/utils/lists";

type Check = NonNullable<Awaited<ReturnType<typeof householdCheckList>>>["rows"][number];

// A household's checks (/households/:id/checks) as a file, newest first; 404 out of scope.
export const loader = auditedResource(async ({ request, params }: LoaderFunctionArgs) => {
  const user = await requireUser(request);
  const format = requireExportFormat(request);
  const parsed = HouseholdParamsSchema.safeParse(params);
  if (!parsed.success) notFound();
  const asked = householdChecksParams.parse(new URL(request.url));
  const all = await householdCheckList(user.scope, parsed.data.householdId, asked, { all: true });
  if (!all) notFound();
  const { household } = all;
  const t = translator(await getLocale(request));
  await auditExport({
    scope: user.scope,
    kind: "household_checks",
    format,
    filters: {},
    rows: all.rows.length,
    householdId: household.id,
  });
  const zone = (z: "living" | "planting" | "raising") => t(`record.zone.${z}`);
  // the model leaves the notes empty for a role that does not see them; the file leaves out their columns
  const notes = can(user.scope, "care.read");
  return exportResponse({
    format,
    filename: `${t("exports.checks.file")}-${household.code}`,
    columns: [
      { header: t("checks.visitedOn"), value: (r: Check) => r.visitedOn, width: 12 },
      { header: t("col.cadre"), value: (r: Check) => r.cadre },
      ...(["living", "planting", "raising"] as const).flatMap((z) => [
        {
          header: t("exports.checks.zone", { zone: zone(z) }),
          value: (r: Check) => t(`zoneStatus.${r[`${z}Status`]}`),
        },
        ...(notes
          ? [{ header: t("exports.checks.note", { zone: zone(z) }), value: (r: Check) => r[`${z}Note`], width: 30 }]
          : []),
      ]),
      ...(notes
        ? [
            { header: t("checks.seen"), value: (r: Check) => r.seen, width: 30 },
            { header: t("checks.problems"), value: (r: Check) => r.problems, width: 30 },
            { header: t("checks.measures"), value: (r: Check) => r.measures, width: 30 },
            { header: t("checks.helpNeeded"), value: (r: Check) => r.helpNeeded, width: 30 },
          ]
        : []),
      { header: t("checks.nextDueOn"), value: (r: Check) => r.nextDueOn, width: 12 },
      { header: t("exports.checks.corrects"), value: (r: Check) => (r.correctsCheckId ? t("exports.yes") : "") },
    ],
    rows: all.rows,
  });
});
