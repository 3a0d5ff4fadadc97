// zh-CN is the first language: every key starts here. One file per area of the app; add an area by
// importing it below and giving en/ the same file.
import { amendments } from "./amendments";
import { card } from "./card";
import { checks } from "./checks";
import { common } from "./common";
import { list } from "./list";
import { orders } from "./orders";
import { pairing } from "./pairing";
import { plan } from "./plan";
import { points } from "./points";
import { projects } from "./projects";
import { record } from "./record";
import { coverage } from "./coverage";
import { dashboard } from "./dashboard";
import { exports } from "./exports";
import { imports } from "./import";
import { settings } from "./settings";
import { users } from "./users";
import { regions } from "./regions";
import { reference } from "./reference";
import { calendar } from "./calendar";
import { home } from "./home";

export const zhCN = {
  ...common,
  ...list,
  ...record,
  ...plan,
  ...amendments,
  ...card,
  ...pairing,
  ...checks,
  ...points,
  ...projects,
  ...orders,
  ...coverage,
  ...dashboard,
  ...exports,
  ...imports,
  ...users,
  ...regions,
  ...reference,
  ...calendar,
  ...settings,
  ...home,
} as const;

export type MessageKey = keyof typeof zhCN;
export type Dictionary = Record<MessageKey, string>;
