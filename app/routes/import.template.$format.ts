import type { LoaderFunctionArgs } from "@remix-run/node";
import { importColumns, templateCsv, templateXlsx } from "~/models/import-parse.server";
import { liveCauseNames } from "~/models/reference-lists.server";
import { requirePermission } from "~/http/auth.server";
import { auditedResource } from "~/http/refusals.server";

// The import template with its Chinese headers: /import/template/xlsx and /import/template/csv.
export const loader = auditedResource(async ({ request, params }: LoaderFunctionArgs) => {
  await requirePermission(request, "household.import");
  const name = "农户成员导入模板";
  if (params.format === "xlsx") {
    return file(
      await templateXlsx(importColumns(await liveCauseNames())),
      `${name}.xlsx`,
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    );
  }
  if (params.format === "csv") return file(templateCsv(), `${name}.csv`, "text/csv; charset=utf-8");
  throw new Response("Not found", { status: 404 });
});

function file(bytes: Buffer, name: string, type: string) {
  return new Response(new Uint8Array(bytes), {
    headers: {
      "Content-Type": type,
      "Content-Disposition": `attachment; filename="template.${name.split(".").pop()}"; filename*=UTF-8''${encodeURIComponent(name)}`,
      "Cache-Control": "private, max-age=3600",
    },
  });
}
