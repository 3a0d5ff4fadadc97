// The app works in China Standard Time: "today" and "this year" are Beijing's, whatever the server's zone.
const TIME_ZONE = "Asia/Shanghai";

export function todayISO(now = new Date()): string {
  // en-CA formats as YYYY-MM-DD
  return new Intl.DateTimeFormat("en-CA", { timeZone: TIME_ZONE }).format(now);
}

export function currentYear(now = new Date()): number {
  return Number(todayISO(now).slice(0, 4));
}
