import { Link } from "@remix-run/react";
import { CalendarVisitReason } from "~/components/calendar-visit";
import { DueBadge } from "~/components/due-badge";
import { useLocale, type Translate } from "~/i18n";
import type { WorklistRow } from "~/models/overview.server";

/** A cadre's households, the most overdue first, each with how its visit stands. */
export function Worklist({ rows, t }: { rows: WorklistRow[]; t: Translate }) {
  const locale = useLocale();
  const overdue = rows.filter((r) => r.daysOverdue > 0).length;
  return (
    <section aria-labelledby="worklist-title">
      <ul className="stats">
        <li className="stat">
          <b>{rows.length}</b>
          <span>{t("stat.households")}</span>
        </li>
        <li className={overdue ? "stat warn" : "stat"}>
          <b>{overdue}</b>
          <span>{t("stat.overdue")}</span>
        </li>
      </ul>
      <h2 id="worklist-title">{t("cadre.worklist")}</h2>
      {rows.length === 0 ? <p className="muted">{t("cadre.worklistEmpty")}</p> : null}
      <ul className="rows" data-testid="worklist">
        {rows.map((r) => (
          <li key={r.id}>
            <Link className="row" to={`/households/${r.id}`}>
              <span className="title">{r.headName}</span>
              <DueBadge daysOverdue={r.daysOverdue} neverVisited={!r.lastVisit} t={t} />
              <span className="meta">
                {r.village} · {t(`planStatus.${(r.planStatus ?? "none") as "none"}`)} · {t("col.lastCheck")}{" "}
                {r.lastVisit ?? "—"}
              </span>
              {r.calendarVisit ? <CalendarVisitReason visit={r.calendarVisit} t={t} locale={locale} /> : null}
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
