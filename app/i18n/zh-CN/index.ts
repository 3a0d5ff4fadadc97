// zh-CN is the first language: every key starts here. One file per area of the app; add an area by
// importing it below and giving en/ the same file.
import { common } from "./common";

export const zhCN = {
  ...common,
} as const;

export type MessageKey = keyof typeof zhCN;
export type Dictionary = Record<MessageKey, string>;
