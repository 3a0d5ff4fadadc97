export const coverage = {
  "coverage.title": "覆盖台账",
} as const;
