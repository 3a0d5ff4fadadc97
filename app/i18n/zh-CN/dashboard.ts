export const dashboard = {
  "dashboard.title": "统计图表",
} as const;
