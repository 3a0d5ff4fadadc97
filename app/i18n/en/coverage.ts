import type { coverage as zh } from "../zh-CN/coverage";

export const coverage: Record<keyof typeof zh, string> = {
  "coverage.title": "Coverage",
};
