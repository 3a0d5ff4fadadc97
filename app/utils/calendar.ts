// The crop calendar (docs/decisions/039-crop-calendar.md): each crop's and animal's key dates in the
// county's season, month and day recurring each year, and the visits a running plan proposes at them. The
// database proposes the same visits (the view proposed_calendar_visits, migration 0019);
// tests/integration/crop-calendar.test.ts holds the two together.
import { addDays, type CalendarDue } from "./due";

export const CROP_STAGES = ["transplant", "flowering", "harvest"] as const;
export const ANIMAL_STAGES = ["buyIn", "sell"] as const;
export type CropStage = (typeof CROP_STAGES)[number];
export type AnimalStage = (typeof ANIMAL_STAGES)[number];
export type Stage = CropStage | AnimalStage;
export type CalendarKind = "crop" | "animal";

export const stagesOf = (kind: CalendarKind): readonly Stage[] => (kind === "crop" ? CROP_STAGES : ANIMAL_STAGES);

/** How many days before the stage its visit is due: harvest and selling are prepared, not watched. */
export const VISIT_LEAD_DAYS: Record<Stage, number> = { transplant: 0, flowering: 0, harvest: 7, buyIn: 0, sell: 7 };
/** A check from this many days before the visit's date on makes it. */
export const VISIT_WINDOW_DAYS = 7;

/** February has 28 days: a key date every year has. */
export const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/** A key date as the administrator writes it: "MM-DD" (or "M-D"); null when not a day of the season. */
export function parseSeasonDate(text: string): { month: number; day: number } | null {
  const m = /^(\d{1,2})-(\d{1,2})$/.exec(text.trim());
  if (!m) return null;
  const month = Number(m[1]);
  const day = Number(m[2]);
  if (month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1]) return null;
  return { month, day };
}

export const formatSeasonDate = (month: number, day: number) =>
  `${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;

/** A crop's or animal's key dates, "MM-DD" per stage (absent: none). */
export type CalendarEntry = { kind: CalendarKind; code: string; dates: Partial<Record<Stage, string | null>> };

export type ProposedVisit = CalendarDue & { kind: CalendarKind; code: string; stage: Stage; stageOn: string };

/**
 * The visits a plan proposes in its year: one per key date of each of its crops and animals, due on the
 * date (harvest and selling: a week before), none before the plan was approved, none unless it runs.
 */
export function proposedVisits(
  plan: { year: number; status: string; approvedOn: string | null },
  entries: readonly CalendarEntry[],
): ProposedVisit[] {
  const running = plan.status === "approved" || plan.status === "in_progress";
  return seasonOf(plan.year, entries).filter(
    (v) => running && (plan.approvedOn === null || v.dueOn >= plan.approvedOn),
  );
}

/** Every key date of the entries in `year` with the visit it would propose, in date order. */
export function seasonOf(year: number, entries: readonly CalendarEntry[]): ProposedVisit[] {
  const visits: ProposedVisit[] = [];
  for (const e of entries) {
    for (const stage of stagesOf(e.kind)) {
      const date = e.dates[stage] ? parseSeasonDate(e.dates[stage]!) : null;
      if (!date) continue;
      const stageOn = `${year}-${formatSeasonDate(date.month, date.day)}`;
      const dueOn = addDays(stageOn, -VISIT_LEAD_DAYS[stage]);
      visits.push({ kind: e.kind, code: e.code, stage, stageOn, dueOn, opensOn: addDays(dueOn, -VISIT_WINDOW_DAYS) });
    }
  }
  return visits.sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.code.localeCompare(b.code));
}
