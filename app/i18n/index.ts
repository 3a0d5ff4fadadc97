// The app's words. The server holds both languages (app/i18n/dictionaries.server.ts); the browser holds the
// reader's only, read from a cached file before hydration (app/entry.client.tsx). Either side puts what it
// holds here, and components and meta functions translate with the dictionary of the root's locale.
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

/** What the root loader gives every page: the reader's language and where its dictionary file is. */
export type RootData = { locale: Locale; messagesUrl: string };

/** The dictionary file's body: `/i18n/<locale>.<hash>.json`. */
export type MessagesFile = { locale: Locale; messages: Dictionary };

const held: Partial<Record<Locale, Dictionary>> = {};

/** Makes a language's dictionary the one its pages translate with (the server: both; a browser: its reader's). */
export function holdDictionary(locale: Locale, messages: Dictionary) {
  held[locale] = messages;
}

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
  return translatorOf(held[localeOf(matches.find((m) => m.id === "root")?.data)]);
}

function localeOf(rootData: unknown): Locale {
  const locale = (rootData as Partial<RootData> | undefined)?.locale;
  return isLocale(locale) ? locale : DEFAULT_LOCALE;
}

/** The locale chosen in the root loader (cookie), for components. */
export function useLocale(): Locale {
  return localeOf(useRouteLoaderData("root"));
}

export function useT(): Translate {
  return translatorOf(held[useLocale()]);
}
