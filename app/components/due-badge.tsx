import type { Translate } from "~/i18n";

/** How a household's visit stands by the due-date rule: overdue, due today, or the days left. */
export function DueBadge({
  daysOverdue,
  neverVisited,
  t,
}: {
  daysOverdue: number;
  neverVisited: boolean;
  t: Translate;
}) {
  if (neverVisited && daysOverdue <= 0) return <span className="badge warn">{t("cadre.neverVisited")}</span>;
  if (daysOverdue > 0) return <span className="badge bad">{t("cadre.overdueDays", { days: daysOverdue })}</span>;
  if (daysOverdue === 0) return <span className="badge warn">{t("cadre.dueToday")}</span>;
  const days = -daysOverdue;
  return <span className={days <= 7 ? "badge warn" : "badge"}>{t("cadre.dueInDays", { days })}</span>;
}
