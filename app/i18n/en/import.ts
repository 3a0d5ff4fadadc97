import type { imports as zh } from "../zh-CN/import";

export const imports: Record<keyof typeof zh, string> = {
  "import.title": "Import households",
};
