import type { points as zh } from "../zh-CN/points";

export const points: Record<keyof typeof zh, string> = {
};
