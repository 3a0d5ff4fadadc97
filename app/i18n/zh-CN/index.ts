// zh-CN is the first language: every key starts here. One file per area of the app; add an area by
// importing it below and giving en/ the same file.
import { card } from "./card";
import { common } from "./common";
import { list } from "./list";
import { plan } from "./plan";
import { record } from "./record";

export const zhCN = {
  ...common,
  ...list,
  ...record,
  ...plan,
  ...card,
} as const;

export type MessageKey = keyof typeof zhCN;
export type Dictionary = Record<MessageKey, string>;
