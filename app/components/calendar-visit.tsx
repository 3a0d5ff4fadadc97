import type { Translate } from "~/i18n";
import type { Stage } from "~/utils/calendar";

/** A crop calendar visit as the pages name it: "辣椒移栽期走访（2026-05-01）". */
export type CalendarVisitLabel = { stage: Stage; itemZh: string; itemEn: string; dueOn: string };

export function calendarVisitText(v: CalendarVisitLabel, t: Translate, locale: string) {
  const item = locale === "en" ? v.itemEn : v.itemZh;
  return t("calendar.visitOn", { visit: t(`calendar.visit.${v.stage}`, { item }), date: v.dueOn });
}

/** The reason a household's visit is due when the crop calendar set the date. */
export function CalendarVisitReason({ visit, t, locale }: { visit: CalendarVisitLabel; t: Translate; locale: string }) {
  return (
    <span className="calendar-reason" data-testid="calendar-reason">
      {calendarVisitText(visit, t, locale)}
    </span>
  );
}
