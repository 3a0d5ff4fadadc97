import type { checks as zh } from "../zh-CN/checks";

export const checks: Record<keyof typeof zh, string> = {
};
