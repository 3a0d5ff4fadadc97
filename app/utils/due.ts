// The due-date rule (domain rule 8) in plain TypeScript: the form the browser and the tests read, and the
// reference the SQL of app/models/due.server.ts must agree with.
//   due on: the next due date the last check set; else the last visit + the interval (monitored
//   households: the shorter one; intervals per township); never visited: the later of registration and
//   the current cadre's assignment, + the interval; the earlier of that and the next calendar visit of the
//   household's plans not yet made (a check on or after its window opened makes it). Overdue: the due
//   date is before the day.
//   "As of" a day: the last check visited on or before it, the assignment in force on it, the intervals in
//   effect on it (a visit is judged as of its own day, a past month as of its last day).
export type DueInput = {
  lastVisit: string | null;
  nextDueOn: string | null;
  registeredOn: string;
  /** the start of the assignment in force (the cadre in charge); null without one */
  assignedOn: string | null;
  monitored: boolean;
  /** the visits the household's running plans propose (app/utils/calendar.ts) */
  calendar?: CalendarDue[];
};
/** A calendar visit: due on `dueOn`, made by a check on or after `opensOn`. */
export type CalendarDue = { dueOn: string; opensOn: string };
export type DueSettings = { "check.intervalDays": number; "check.monitoredIntervalDays": number };
/**
 * The intervals, or the intervals in effect on each day: a due date as of a day is judged with that day's
 * (docs/decisions/028-settings-effective-dates.md).
 */
export type DueSettingsOn = DueSettings | ((day: string) => DueSettings);
const on = (s: DueSettingsOn, day: string) => (typeof s === "function" ? s(day) : s);

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

/** The earliest calendar visit the last visit (null: none) has not made. */
export function nextCalendarDue(calendar: readonly CalendarDue[], lastVisit: string | null): string | null {
  let next: string | null = null;
  for (const v of calendar) {
    if (lastVisit !== null && v.opensOn <= lastVisit) continue;
    if (next === null || v.dueOn < next) next = v.dueOn;
  }
  return next;
}

export function dueOn(h: DueInput, s: DueSettings): string {
  const byInterval = intervalDue(h, s);
  const calendar = nextCalendarDue(h.calendar ?? [], h.lastVisit);
  return calendar !== null && calendar < byInterval ? calendar : byInterval;
}

function intervalDue(h: DueInput, s: DueSettings): string {
  if (h.lastVisit) return h.nextDueOn ?? addDays(h.lastVisit, intervalDays(h.monitored, s));
  // a cadre handed a household long registered gets a full interval for the first visit
  const since = h.assignedOn && h.assignedOn > h.registeredOn ? h.assignedOn : h.registeredOn;
  return addDays(since, intervalDays(h.monitored, s));
}

/** Positive: days overdue; 0: due today; negative: days left. */
export function daysOverdue(h: DueInput, s: DueSettings, today: string): number {
  return daysBetween(dueOn(h, s), today);
}

// ---------- a household's history, judged as of a day ----------

export type CheckEntry = {
  visitedOn: string;
  nextDueOn: string | null;
  /** entries of one day in the order they were written */
  createdAt: string;
};
export type AssignmentEntry = { startsOn: string; endsOn: string | null; cadreId: string };
export type History = {
  registeredOn: string;
  monitored: boolean;
  checks: CheckEntry[];
  assignments: AssignmentEntry[];
  calendar?: CalendarDue[];
};

const byVisit = (a: CheckEntry, b: CheckEntry) =>
  a.visitedOn === b.visitedOn ? a.createdAt.localeCompare(b.createdAt) : a.visitedOn.localeCompare(b.visitedOn);

/** The assignment in force on `day` (the later start when a handover day holds two). */
export function assignmentOn(assignments: AssignmentEntry[], day: string): AssignmentEntry | null {
  const live = assignments.filter((a) => a.startsOn <= day && (a.endsOn === null || a.endsOn >= day));
  live.sort((a, b) => b.startsOn.localeCompare(a.startsOn));
  return live[0] ?? null;
}

/** The due-date inputs as they stood on `day`. */
export function dueInputOn(h: History, day: string): DueInput {
  const last = h.checks
    .filter((c) => c.visitedOn <= day)
    .sort(byVisit)
    .at(-1);
  return {
    lastVisit: last?.visitedOn ?? null,
    nextDueOn: last?.nextDueOn ?? null,
    registeredOn: h.registeredOn,
    assignedOn: assignmentOn(h.assignments, day)?.startsOn ?? null,
    monitored: h.monitored,
    calendar: h.calendar,
  };
}

/** Overdue on `day`: a cadre is in charge that day and the due date as it stood then is before it. */
export function overdueOn(h: History, s: DueSettingsOn, day: string): boolean {
  if (!assignmentOn(h.assignments, day)) return false;
  return dueOn(dueInputOn(h, day), on(s, day)) < day;
}

/**
 * Whether a visit kept the due date that applied to it: the date set by the checks written before it
 * (earlier days, or earlier the same day), with the cadre in charge on the visit day.
 */
export function visitOnTime(h: History, s: DueSettingsOn, visit: CheckEntry): boolean {
  const before = h.checks.filter((c) => byVisit(c, visit) < 0);
  return visit.visitedOn <= dueOn(dueInputOn({ ...h, checks: before }, visit.visitedOn), on(s, visit.visitedOn));
}
