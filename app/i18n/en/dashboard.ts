import type { dashboard as zh } from "../zh-CN/dashboard";

export const dashboard: Record<keyof typeof zh, string> = {
  "dashboard.title": "Dashboard",
};
