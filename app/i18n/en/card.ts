import type { card as zh } from "../zh-CN/card";

export const card: Record<keyof typeof zh, string> = {
};
