import { useRouteLoaderData } from "@remix-run/react";
import { en } from "./en";
import { zhCN, type Dictionary, type MessageKey } from "./zh-CN";

export const LOCALES = ["zh-CN", "en"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "zh-CN";
export type { MessageKey };

const dictionaries: Record<Locale, Dictionary> = { "zh-CN": zhCN, en };

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

export function translator(locale: Locale): Translate {
  const dict = dictionaries[locale] ?? zhCN;
  return (key, vars) => {
    const template = dict[key] ?? zhCN[key] ?? key;
    if (!vars) return template;
    return template.replace(/\{(\w+)\}/g, (_, name: string) =>
      vars[name] === undefined ? `{${name}}` : String(vars[name]),
    );
  };
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

/** The locale chosen in the root loader (cookie), for components. */
export function useLocale(): Locale {
  const data = useRouteLoaderData("root") as { locale?: Locale } | undefined;
  return data?.locale && isLocale(data.locale) ? data.locale : DEFAULT_LOCALE;
}

export function useT(): Translate {
  return translator(useLocale());
}
