import type { Locale } from "~/i18n";
import { dateTimeFormat } from "~/utils/intl";

/** The page's own address for a month (and a cadre's card), with what was just saved and the entries' page. */
export function pointsUrl(month: string, cadre?: string | null, saved?: string, entries?: URLSearchParams) {
  const q = new URLSearchParams({ month });
  if (cadre) q.set("cadre", cadre);
  if (saved) q.set("saved", saved);
  for (const [key, value] of entries ?? []) q.set(key, value);
  return `/points?${q}`;
}

export function monthLabel(locale: Locale, month: string) {
  return dateTimeFormat(locale, { year: "numeric", month: "long", timeZone: "UTC" }).format(
    new Date(`${month}-01T00:00:00Z`),
  );
}

export function dayLabel(locale: Locale, iso: string) {
  return dateTimeFormat(locale, { month: "short", day: "numeric", timeZone: "UTC" }).format(
    new Date(`${iso}T00:00:00Z`),
  );
}

/** "+2", "-1", "0": ASCII signs, so tests and screen readers read the same number. */
export function signed(n: number) {
  return n > 0 ? `+${n}` : String(n);
}
