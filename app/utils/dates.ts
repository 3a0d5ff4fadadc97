// The app works in China Standard Time: "today" and "this year" are Beijing's, whatever the server's zone.
import { dateTimeFormat } from "./intl";
const TIME_ZONE = "Asia/Shanghai";

export function todayISO(now = new Date()): string {
  // en-CA formats as YYYY-MM-DD
  return dateTimeFormat("en-CA", { timeZone: TIME_ZONE }).format(now);
}

export function currentYear(now = new Date()): number {
  return Number(todayISO(now).slice(0, 4));
}

/** A YYYY-MM-DD that names a day on the calendar: 2025-02-30 has the shape but the database refuses it. */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** When a ledger row was written, in the county's time (the server runs in UTC), in the reader's language. */
export const fmtWhen = (locale: string, iso: string) =>
  dateTimeFormat(locale === "en" ? "en-GB" : "zh-CN", {
    dateStyle: "short",
    timeStyle: "short",
    timeZone: TIME_ZONE,
  }).format(new Date(iso));
