import { Link } from "@remix-run/react";
import { useT } from "~/i18n";

type Zone = "on_track" | "behind" | "problem" | "not_applicable";
export type CheckRow = {
  id: string;
  visitedOn: string;
  cadre: string;
  livingStatus: Zone;
  livingNote?: string | null;
  plantingStatus: Zone;
  plantingNote?: string | null;
  raisingStatus: Zone;
  raisingNote?: string | null;
  seen?: string | null;
  problems: string | null;
  measures?: string | null;
  helpNeeded?: string | null;
  nextDueOn: string | null;
  correctsCheckId?: string | null;
  photoIds?: string[];
};

const badge = (s: Zone) => (s === "problem" ? "badge bad" : s === "behind" ? "badge warn" : "badge");

/** Checks newest first, each with its zones, notes, photo previews and a way to correct it. */
export function CheckList({
  householdId,
  rows,
  canCorrect,
}: {
  householdId: string;
  rows: CheckRow[];
  canCorrect: boolean;
}) {
  const t = useT();
  if (rows.length === 0) return <p className="muted">{t("record.noChecks")}</p>;
  const dates = new Map(rows.map((r) => [r.id, r.visitedOn]));
  return (
    <ul className="timeline checks" data-testid="checks">
      {rows.map((c) => (
        <li key={c.id}>
          <div>
            <b>{c.visitedOn}</b> · {c.cadre}
            {c.correctsCheckId ? (
              <span className="badge warn">{t("checks.corrects", { date: dates.get(c.correctsCheckId) ?? "…" })}</span>
            ) : null}
          </div>
          <div className="zone-badges">
            {(["living", "planting", "raising"] as const).map((z) => (
              <span key={z} className={badge(c[`${z}Status`])}>
                {t(`record.zone.${z}`)}：{t(`zoneStatus.${c[`${z}Status`]}`)}
                {c[`${z}Note`] ? `（${c[`${z}Note`]}）` : ""}
              </span>
            ))}
          </div>
          {c.seen ? (
            <div className="small">
              {t("checks.seen")}：{c.seen}
            </div>
          ) : null}
          {c.problems ? (
            <div className="small">
              {t("checks.problems")}：{c.problems}
            </div>
          ) : null}
          {c.measures ? (
            <div className="small">
              {t("checks.measures")}：{c.measures}
            </div>
          ) : null}
          {c.helpNeeded ? (
            <div className="small">
              {t("checks.helpNeeded")}：{c.helpNeeded}
            </div>
          ) : null}
          {c.nextDueOn ? (
            <div className="small muted">
              {t("checks.nextDueOn")}：{c.nextDueOn}
            </div>
          ) : null}
          {c.photoIds?.length ? (
            <div className="thumbs">
              {c.photoIds.map((id) => (
                <a key={id} href={`/photos/${id}`} target="_blank" rel="noreferrer">
                  <img src={`/photos/${id}?preview`} alt={t("checks.photos")} width={96} height={72} loading="lazy" />
                </a>
              ))}
            </div>
          ) : null}
          {canCorrect ? (
            <Link className="small" to={`/households/${householdId}/checks/new?corrects=${c.id}`}>
              {t("checks.correct")}
            </Link>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
