import type { Locale } from "~/i18n";

/** Kilograms as the page shows them: the reader's digits, at most two decimals. */
export const fmtKg = (locale: Locale, v: number) =>
  new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(v);
