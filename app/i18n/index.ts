// The app's words. The browser gets the reader's language only: the root loader sends that dictionary with
// the page (app/i18n/dictionaries.server.ts holds both), and components and meta functions translate with it.
import { useRouteLoaderData } from "@remix-run/react";
import type { Dictionary, MessageKey } from "./zh-CN";

export const LOCALES = ["zh-CN", "en"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "zh-CN";
export type { Dictionary, MessageKey };

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

/** What the root loader gives every page: the reader's language and its dictionary. */
export type RootData = { locale: Locale; messages: Dictionary };

const translators = new WeakMap<object, Translate>();

/** Translates with one dictionary; a key it lacks shows as the key. */
export function translatorOf(messages: Partial<Dictionary> | undefined): Translate {
  const dict = messages ?? {};
  const known = translators.get(dict);
  if (known) return known;
  const t: Translate = (key, vars) => {
    const template = dict[key] ?? key;
    if (!vars) return template;
    return template.replace(/\{(\w+)\}/g, (_, name: string) =>
      vars[name] === undefined ? `{${name}}` : String(vars[name]),
    );
  };
  translators.set(dict, t);
  return t;
}

/** A message is a dictionary key, optionally with values: "plan.error.x|{\"zones\":650}". Other text shows as-is. */
export function messageText(t: Translate, raw: string): string {
  const bar = raw.indexOf("|");
  if (bar < 0) return t(raw as MessageKey);
  try {
    return t(raw.slice(0, bar) as MessageKey, JSON.parse(raw.slice(bar + 1)));
  } catch {
    return t(raw.slice(0, bar) as MessageKey);
  }
}

/** The translator of a meta function, from the root's data among its matches. */
export function metaTranslator(matches: readonly { id: string; data?: unknown }[]): Translate {
  return translatorOf((matches.find((m) => m.id === "root")?.data as Partial<RootData> | undefined)?.messages);
}

/** The locale chosen in the root loader (cookie), for components. */
export function useLocale(): Locale {
  const data = useRouteLoaderData("root") as Partial<RootData> | undefined;
  return data?.locale && isLocale(data.locale) ? data.locale : DEFAULT_LOCALE;
}

export function useT(): Translate {
  const data = useRouteLoaderData("root") as Partial<RootData> | undefined;
  return translatorOf(data?.messages);
}
