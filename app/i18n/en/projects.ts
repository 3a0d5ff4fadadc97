import type { projects as zh } from "../zh-CN/projects";

export const projects: Record<keyof typeof zh, string> = {
};
