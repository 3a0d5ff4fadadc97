import type { list as zh } from "../zh-CN/list";

export const list: Record<keyof typeof zh, string> = {
};
