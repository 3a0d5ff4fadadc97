import { calendarVisitText, type CalendarVisitLabel } from "~/components/calendar-visit";
import { useLocale, useT } from "~/i18n";

/** Which crop calendar visits a check recorded today makes: those whose window is open and not yet made. */
export function CalendarNote({ visits }: { visits: CalendarVisitLabel[] }) {
  const t = useT();
  const locale = useLocale();
  if (!visits.length) return null;
  return (
    <p className="notice" data-testid="calendar-stage">
      {t("calendar.checkFor", { visits: visits.map((v) => calendarVisitText(v, t, locale)).join("、") })}
    </p>
  );
}
