import type { Locale } from "~/i18n";

/** Kilograms as the page shows them: the reader's digits, at most two decimals. */
export const fmtKg = (locale: Locale, v: number) =>
  new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(v);

/** When a ledger row was written, in the county's time (the server runs in UTC). */
export const fmtWhen = (locale: Locale, iso: string) =>
  new Intl.DateTimeFormat(locale === "en" ? "en-GB" : "zh-CN", {
    dateStyle: "short",
    timeStyle: "short",
    timeZone: "Asia/Shanghai",
  }).format(new Date(iso));
