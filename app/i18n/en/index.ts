import type { Dictionary } from "../zh-CN";
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

// Typed as the full dictionary: a key missing in English is a compile error.
export const en: Dictionary = {
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
};
