import type { LoaderFunctionArgs } from "@remix-run/node";
import { translator } from "~/i18n/dictionaries.server";
import { auditExport } from "~/models/audit.server";
import { orderList, type OrderListRow } from "~/models/order-list.server";
import { requireUser } from "~/http/auth.server";
import { exportResponse, requireExportFormat, type ExportColumn } from "~/http/export.server";
import { getLocale } from "~/http/locale.server";
import { orderListParams } from "~/utils/lists";
import { fenToYuan } from "~/utils/units";
import { auditedResource } from "~/http/refusals.server";
import { cropLabel } from "~/utils/reference";

// The orders list (/orders) as a file: the same filters and sort, every page, in the caller's scope.
export const loader = auditedResource(async ({ request }: LoaderFunctionArgs) => {
  const user = await requireUser(request);
  const format = requireExportFormat(request);
  const locale = await getLocale(request);
  const t = translator(locale);
  const { params, rows } = await orderList(user.scope, orderListParams.parse(new URL(request.url)), { all: true });
  await auditExport({ scope: user.scope, kind: "orders", format, filters: params, rows: rows.length });
  const columns: ExportColumn<OrderListRow>[] = [
    { header: t("orders.col.crop"), value: (r) => cropLabel(r, locale) },
    { header: t("orders.col.season"), value: (r) => r.season },
    { header: t("orders.col.status"), value: (r) => t(`orders.status.${r.status}`) },
    { header: t("orders.col.cooperative"), value: (r) => r.cooperativeName, width: 30 },
    { header: t("orders.col.buyer"), value: (r) => r.buyerName, width: 30 },
    { header: t("orders.col.quantity"), value: (r) => r.quantityKg },
    { header: t("orders.col.allocated"), value: (r) => r.allocatedKg },
    { header: t("orders.col.delivered"), value: (r) => r.deliveredKg },
    { header: t("orders.col.remaining"), value: (r) => Math.round((r.quantityKg - r.deliveredKg) * 100) / 100 },
    { header: t("orders.col.price"), value: (r) => Number(fenToYuan(r.unitPriceFen)) },
    { header: t("exports.orders.windowStart"), value: (r) => r.deliveryStart, width: 12 },
    { header: t("exports.orders.windowEnd"), value: (r) => r.deliveryEnd, width: 12 },
  ];
  return exportResponse({ format, filename: t("exports.orders.file"), columns, rows });
});
