// When a household's next check falls due (issue #5). Pure, so the browser, the tests and the SQL
// in app/models/checks.server.ts agree on one rule:
//   the next due date the cadre set in the last check, else the last visit + the interval
//   (monitored households: the shorter interval), else registration + the interval.
export type DueInput = {
  lastVisit: string | null;
  nextDueOn: string | null;
  registeredOn: string;
  monitored: boolean;
};
export type DueSettings = { "check.intervalDays": number; "check.monitoredIntervalDays": number };

/** ISO date plus whole days, in UTC so month ends and leap days fall where the calendar says. */
export function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export function intervalDays(monitored: boolean, s: DueSettings) {
  return monitored ? s["check.monitoredIntervalDays"] : s["check.intervalDays"];
}

export function dueOn(h: DueInput, s: DueSettings): string {
  if (h.nextDueOn) return h.nextDueOn;
  return addDays(h.lastVisit ?? h.registeredOn, intervalDays(h.monitored, s));
}

/** Positive: days overdue; 0: due today; negative: days left. */
export function daysOverdue(h: DueInput, s: DueSettings, today: string): number {
  return daysBetween(dueOn(h, s), today);
}
