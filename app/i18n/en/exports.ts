import type { exports as zh } from "../zh-CN/exports";

export const exports: Record<keyof typeof zh, string> = {
  "exports.title": "Export",
  "exports.label": "Export these results:",
  "exports.xlsx": "Excel (XLSX)",
  "exports.csv": "CSV",
  "exports.households.file": "households",
  "exports.households.headId": "Head's ID number",
  "exports.households.cadre": "Aid cadre",
  "exports.households.lastCheck": "Last check",
  "exports.checks.file": "checks",
  "exports.overdue.file": "overdue-checks",
  "exports.overdue.days": "Days overdue",
  "exports.checks.zone": "{zone} status",
  "exports.checks.note": "{zone} note",
  "exports.checks.corrects": "Correction",
  "exports.yes": "yes",
  "exports.orders.file": "orders",
  "exports.orders.windowStart": "Delivery from",
  "exports.orders.windowEnd": "Delivery until",
};
