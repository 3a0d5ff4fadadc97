import type { Translate } from "~/i18n";
import { stagesOf, type CalendarKind, type Stage } from "~/utils/calendar";
import { calendarVisitText } from "./calendar-visit";

type SeasonRow = {
  kind: CalendarKind;
  code: string;
  nameZh: string;
  nameEn: string;
  dates: Partial<Record<Stage, string | null>>;
  visits: { stage: Stage; dueOn: string; made: boolean }[];
};

/** Where a day of the year sits across the track, in percent (the middle of its day). */
function at(year: number, iso: string) {
  const start = Date.UTC(year, 0, 1);
  const days = (Date.UTC(year + 1, 0, 1) - start) / 86_400_000;
  const day = (Date.parse(`${iso}T00:00:00Z`) - start) / 86_400_000;
  return `${(((day + 0.5) / days) * 100).toFixed(2)}%`;
}

const MONTHS = Array.from({ length: 12 }, (_, i) => i + 1);

/**
 * The household's season as a timeline, drawn by the server in HTML and CSS: a track per crop and animal
 * of the year's plan across the twelve months, its key dates (dots), the visits proposed (squares, filled
 * once made) and today (a line). The same facts follow as a list, for readers and printers of text.
 */
export function SeasonTimeline({
  season,
  today,
  t,
  locale,
}: {
  season: { year: number; rows: SeasonRow[] };
  today: string;
  t: Translate;
  locale: string;
}) {
  const showToday = today.slice(0, 4) === String(season.year);
  const name = (r: SeasonRow) => (locale === "en" ? r.nameEn : r.nameZh);
  return (
    <section aria-labelledby="season-title" className="season" data-testid="season">
      <h2 id="season-title">{t("calendar.season", { year: season.year })}</h2>
      <p className="muted small">{t("calendar.seasonHint")}</p>
      <div className="season-chart" aria-hidden="true">
        <div className="season-months">
          {MONTHS.map((m) => (
            <span key={m}>{m}</span>
          ))}
        </div>
        {season.rows.map((r) => (
          <div className="season-row" key={`${r.kind}-${r.code}`}>
            <span className="season-name">{name(r)}</span>
            <div className="season-track">
              {showToday ? <span className="season-today" style={{ left: at(season.year, today) }} /> : null}
              {stagesOf(r.kind).map((stage) =>
                r.dates[stage] ? (
                  <span
                    key={stage}
                    className="season-stage"
                    style={{ left: at(season.year, `${season.year}-${r.dates[stage]}`) }}
                    title={`${t(`calendar.stage.${stage}`)} ${r.dates[stage]}`}
                  />
                ) : null,
              )}
              {r.visits.map((v) => (
                <span
                  key={v.stage}
                  className={v.made ? "season-visit made" : "season-visit"}
                  style={{ left: at(season.year, v.dueOn) }}
                  title={v.dueOn}
                />
              ))}
            </div>
          </div>
        ))}
      </div>
      <ul className="season-list">
        {season.rows.map((r) => (
          <li key={`${r.kind}-${r.code}`}>
            <b>{name(r)}</b>{" "}
            {stagesOf(r.kind)
              .filter((s) => r.dates[s])
              .map((s) => `${t(`calendar.stage.${s}`)} ${r.dates[s]}`)
              .join(" · ") || t("calendar.none")}
            {r.visits.length ? (
              <ul>
                {r.visits.map((v) => (
                  <li key={v.stage}>
                    {calendarVisitText(
                      { stage: v.stage, itemZh: r.nameZh, itemEn: r.nameEn, dueOn: v.dueOn },
                      t,
                      locale,
                    )}{" "}
                    <span className={v.made ? "badge ok" : v.dueOn < today ? "badge bad" : "badge"}>
                      {t(v.made ? "calendar.visitMade" : "calendar.visitPending")}
                    </span>
                  </li>
                ))}
              </ul>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
