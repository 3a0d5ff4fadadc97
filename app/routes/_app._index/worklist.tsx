import { Link } from "@remix-run/react";
import { CalendarVisitReason } from "~/components/calendar-visit";
import { DueBadge } from "~/components/due-badge";
import { useLocale, type Translate } from "~/i18n";
import type { ReturnedItem } from "~/models/approvals.server";
import type { WorklistRow } from "~/models/overview.server";
import type { OpenProblem } from "~/models/points.server";

/** A cadre's households, the most overdue first, each with how its visit stands. */
export function Worklist({
  rows,
  returned,
  problems,
  t,
}: {
  rows: WorklistRow[];
  returned: ReturnedItem[];
  problems: OpenProblem[];
  t: Translate;
}) {
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
      <Returned items={returned} t={t} />
      <Problems items={problems} t={t} />
      <h2 id="worklist-title">{t("cadre.worklist")}</h2>
      {rows.length === 0 ? <p className="muted">{t("cadre.worklistEmpty")}</p> : null}
      <ul className="rows" data-testid="worklist">
        {rows.map((r) => (
          <li key={r.id} className={r.phone ? "with-call" : undefined}>
            <Link className="row" to={`/households/${r.id}`}>
              <span className="title">{r.headName}</span>
              <DueBadge daysOverdue={r.daysOverdue} neverVisited={!r.lastVisit} t={t} />
              <span className="meta">
                {r.village} · {t(`planStatus.${(r.planStatus ?? "none") as "none"}`)} · {t("col.lastCheck")}{" "}
                {r.lastVisit ?? "—"}
              </span>
              {r.calendarVisit ? <CalendarVisitReason visit={r.calendarVisit} t={t} locale={locale} /> : null}
            </Link>
            {/* beside the row, not inside it: a link cannot hold another link */}
            {r.phone ? (
              <a
                className="call-button"
                href={`tel:${r.phone}`}
                aria-label={t("home.callHead", { head: r.headName })}
                data-testid="call"
              >
                {t("home.call")}
              </a>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Plans and amendments an official sent back: the reason, and the form to revise them. */
function Returned({ items, t }: { items: ReturnedItem[]; t: Translate }) {
  if (items.length === 0) return null;
  return (
    <section aria-labelledby="returned-title">
      <h2 id="returned-title">{t("home.returned.title")}</h2>
      <ul className="rows" data-testid="returned">
        {items.map((r) => (
          <li key={r.id}>
            <Link
              className="row"
              to={
                r.kind === "plan"
                  ? `/households/${r.householdId}/plan?year=${r.year}`
                  : `/households/${r.householdId}/amendment`
              }
            >
              <span className="title">{r.head}</span>
              <span className="badge warn">
                {t(r.kind === "plan" ? "home.returned.plan" : "home.returned.amendment", { year: r.year })}
              </span>
              <span className="meta">{t("home.returned.reason", { reason: r.reason ?? "" })}</span>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Problems found on visits and not marked solved; each is marked on its household's page. */
function Problems({ items, t }: { items: OpenProblem[]; t: Translate }) {
  if (items.length === 0) return null;
  return (
    <section aria-labelledby="problems-title">
      <h2 id="problems-title">{t("home.problems.title")}</h2>
      <ul className="rows" data-testid="open-problems">
        {items.map((p) => (
          <li key={p.checkId}>
            <Link className="row" to={`/households/${p.householdId}#problems`}>
              <span className="title">{p.headName}</span>
              <span className="badge warn">{t("home.problems.found", { date: p.visitedOn })}</span>
              <span className="meta">{p.problems}</span>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
