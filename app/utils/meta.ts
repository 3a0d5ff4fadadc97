import type { MetaFunction } from "@remix-run/node";
import { DEFAULT_LOCALE, isLocale, translator, type MessageKey } from "~/i18n";

/** A page's `<title>` in the locale the root loader chose: "Page · 庭院". */
export function titleMeta(key: MessageKey): MetaFunction {
  return ({ matches }) => {
    const locale = (matches.find((m) => m.id === "root")?.data as { locale?: string } | undefined)?.locale;
    const t = translator(isLocale(locale) ? locale : DEFAULT_LOCALE);
    return [{ title: `${t(key)} · ${t("app.name")}` }];
  };
}
