import type { plan as zh } from "../zh-CN/plan";

export const plan: Record<keyof typeof zh, string> = {
};
