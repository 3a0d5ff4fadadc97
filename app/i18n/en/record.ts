import type { record as zh } from "../zh-CN/record";

export const record: Record<keyof typeof zh, string> = {
};
