export const imports = {
  "import.title": "导入农户",
} as const;
