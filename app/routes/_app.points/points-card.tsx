import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { useMessage } from "~/components/forms";
import { useLocale, useT, type Locale, type Translate } from "~/i18n";
import type { PointsEntry } from "~/models/points.server";
import { dayLabel, monthLabel, signed } from "./format";
import type { LoaderData, SolveReply, action } from "./route";

export function Card({ data }: { data: Extract<LoaderData, { view: "card" }> }) {
  const t = useT();
  const locale = useLocale();
  const { card } = data;
  return (
    <section aria-labelledby="card-total-label">
      <div className="points-total card" data-testid="card-total-box" data-username={card.cadre.username}>
        <span id="card-total-label" className="muted">
          {t("points.total", { month: monthLabel(locale, data.month) })}
          {card.cadre.active ? null : <span className="badge">{t("points.inactive")}</span>}
        </span>
        <b className={card.total < 0 ? "neg" : ""} data-testid={`points-${card.cadre.username}`}>
          {card.total}
        </b>
      </div>
      <h2>{t("points.entries")}</h2>
      {card.entries.length === 0 ? <p className="muted">{t("points.noEntries")}</p> : null}
      <ul className="points-entries" data-testid="card-entries">
        {card.entries.map((e, i) => (
          <EntryRow
            key={`${e.kind}-${e.checkId ?? e.householdId ?? ""}-${i}`}
            entry={e}
            data={data}
            t={t}
            locale={locale}
          />
        ))}
      </ul>
    </section>
  );
}

/** The entry's sentence, as text; `head` is the household's name. */
function explain(t: Translate, locale: Locale, e: PointsEntry, head: string) {
  const date = dayLabel(locale, e.date);
  const v = e.values;
  const day = (iso?: string | null) => (iso ? dayLabel(locale, iso) : "");
  switch (e.kind) {
    case "checkOnTime":
      return t(v.firstVisit ? "points.entry.checkFirst" : "points.entry.checkOnTime", { date, head });
    case "checkLate":
      return t("points.entry.checkLate", { date, head, days: v.daysLate ?? 0, due: day(v.dueOn) });
    case "problemFound":
      return t("points.entry.problemFound", { date, head, problems: v.problems ?? "" });
    case "problemSolved":
      return t("points.entry.problemSolved", { date, head, visited: day(v.visitedOn), problems: v.problems ?? "" });
    case "householdOverdue":
      return t("points.entry.householdOverdue", { date, head, days: v.daysLate ?? 0, due: day(v.dueOn) });
    case "adjustment":
      return t(e.points > 0 ? "points.entry.bonus" : "points.entry.deduction", {
        date,
        by: v.by ?? t("points.entry.official"),
        reason: v.reason ?? "",
      });
  }
}

const HEAD_MARK = "\u0000";

/** The sentence with the household's name linked to its page, in whatever place the language puts it. */
function Explanation({ entry: e, t, locale }: { entry: PointsEntry; t: Translate; locale: Locale }) {
  if (!e.householdId || !e.headName) return <>{explain(t, locale, e, e.headName ?? "")}</>;
  const [before, after = ""] = explain(t, locale, e, HEAD_MARK).split(HEAD_MARK);
  return (
    <>
      {before}
      <Link to={`/households/${e.householdId}`}>{e.headName}</Link>
      {after}
    </>
  );
}

function EntryRow({
  entry: e,
  data,
  t,
  locale,
}: {
  entry: PointsEntry;
  data: Extract<LoaderData, { view: "card" }>;
  t: Translate;
  locale: Locale;
}) {
  const actionData = useActionData<typeof action>() as SolveReply | undefined;
  const m = useMessage();
  const navigation = useNavigation();
  const failed =
    actionData && "solve" in actionData && actionData.solve.checkId === e.checkId ? actionData.solve : null;
  const showSolve = e.kind === "problemFound" && !e.values.solvedOn && e.values.canMarkSolved && e.checkId;
  const errorId = `solve-error-${e.checkId}`;
  return (
    <li className={`entry ${e.kind}`} data-testid="card-entry" data-kind={e.kind} data-points={e.points}>
      <span className="entry-text">
        <Explanation entry={e} t={t} locale={locale} />
        {e.kind === "problemFound" && e.values.solvedOn ? (
          <span className="badge ok">{t("points.solvedOn", { date: dayLabel(locale, e.values.solvedOn) })}</span>
        ) : null}
      </span>
      <b className={`entry-points ${e.points < 0 ? "neg" : "pos"}`}>{signed(e.points)}</b>
      {showSolve ? (
        <Form method="post" className="solve-form" preventScrollReset>
          <input type="hidden" name="intent" value="solve" />
          <input type="hidden" name="checkId" value={e.checkId!} />
          <input type="hidden" name="month" value={data.month} />
          {data.can.manage ? <input type="hidden" name="cadre" value={data.card.cadre.id} /> : null}
          <label htmlFor={`solved-on-${e.checkId}`} className="small">
            {t("points.solvedOnLabel")}
          </label>
          <input
            id={`solved-on-${e.checkId}`}
            type="date"
            name="solvedOn"
            required
            min={e.values.visitedOn}
            max={data.today}
            defaultValue={failed?.solvedOn ?? data.today}
            aria-invalid={failed ? true : undefined}
            aria-describedby={failed ? errorId : undefined}
          />
          <button type="submit" className="button secondary small-button" disabled={navigation.state === "submitting"}>
            {t("points.markSolved")}
          </button>
          {failed ? (
            <ul id={errorId} className="error-list" aria-live="polite">
              {failed.errors.map((err) => (
                <li key={err}>{m(err)}</li>
              ))}
            </ul>
          ) : null}
        </Form>
      ) : null}
    </li>
  );
}
