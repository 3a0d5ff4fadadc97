import type { exports as zh } from "../zh-CN/exports";

export const exports: Record<keyof typeof zh, string> = {
  "exports.title": "Export",
};
