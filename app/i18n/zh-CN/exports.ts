export const exports = {
  "exports.title": "导出",
  "exports.label": "导出当前筛选结果：",
  "exports.xlsx": "Excel (XLSX)",
  "exports.csv": "CSV",
  "exports.households.file": "农户名册",
  "exports.households.headId": "户主身份证号",
  "exports.households.cadre": "帮扶干部",
  "exports.households.lastCheck": "最近走访",
  "exports.checks.file": "走访记录",
  "exports.overdue.file": "逾期走访",
} as const;
