export const exports = {
  "exports.title": "导出",
} as const;
