import type { Locale } from "~/i18n";
import { numberFormat } from "~/utils/intl";

/** Kilograms as the page shows them: the reader's digits, at most two decimals. */
export const fmtKg = (locale: Locale, v: number) => numberFormat(locale, { maximumFractionDigits: 2 }).format(v);
