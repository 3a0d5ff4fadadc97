import type { pairing as zh } from "../zh-CN/pairing";

export const pairing: Record<keyof typeof zh, string> = {
};
