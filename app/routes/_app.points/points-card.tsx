import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { useMessage } from "~/components/forms";
import { Pager, type PagerChanges } from "~/components/pager";
import { useLocale, useT, type Locale, type Translate } from "~/i18n";
import type { PointsEntry } from "~/models/points.server";
import { pointsCardLinks } from "~/utils/list-urls";
import { dayLabel, monthLabel, pointsUrl, signed } from "./format";
import type { LoaderData, SolveReply, action } from "./route";

type CardData = Extract<LoaderData, { view: "card" }>;

/** The card's own address with the entries' kind or page changed: the month and, for an official, the cadre ride along. */
function cardHref(data: CardData, changes: PagerChanges) {
  const q = pointsCardLinks.query(data.entryList, changes);
  return pointsUrl(data.month, data.can.manage ? data.card.cadre.id : null, undefined, q);
}

/**
 * The month's total, its parts by kind (each a link to its entries), then the entries a page at a time: a
 * cadre in charge of hundreds of households has hundreds of entries a month. Links only, so it pages and
 * filters without JavaScript.
 */
export function Card({ data }: { data: CardData }) {
  const t = useT();
  const locale = useLocale();
  const { card } = data;
  const kind = data.entryList.kind;
  const href = (changes: PagerChanges) => cardHref(data, changes);
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
      {card.kinds.length > 0 ? (
        <ul className="points-kinds card" data-testid="card-kinds" aria-label={t("points.kinds")}>
          {card.kinds.map((k) => (
            <li key={k.kind} data-kind={k.kind}>
              <Link
                to={href({ kind: kind === k.kind ? null : k.kind, page: null })}
                aria-current={kind === k.kind ? "true" : undefined}
              >
                {t(`points.kind.${k.kind}`)}
              </Link>
              <span className="muted">{t("points.kind.count", { count: k.count })}</span>
              <b className={k.points < 0 ? "neg" : "pos"}>{signed(k.points)}</b>
            </li>
          ))}
        </ul>
      ) : null}
      <h2 id="card-entries-title">
        {kind ? t("points.entriesOf", { kind: t(`points.kind.${kind}`) }) : t("points.entries")}
      </h2>
      {kind ? (
        <p className="small">
          <Link to={href({ kind: null, page: null })}>{t("points.allEntries")}</Link>
        </p>
      ) : null}
      {card.entries.length === 0 ? <p className="muted">{t("points.noEntries")}</p> : null}
      <ul className="points-entries" data-testid="card-entries" aria-labelledby="card-entries-title">
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
      <Pager {...data.entryPage} shown={card.entries.length} pageSizes={pointsCardLinks.sizes} href={href} />
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

function EntryRow({ entry: e, data, t, locale }: { entry: PointsEntry; data: CardData; t: Translate; locale: Locale }) {
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
          {/* back to this page of entries once saved */}
          {[...pointsCardLinks.query(data.entryList)].map(([name, value]) => (
            <input key={name} type="hidden" name={name} value={value} />
          ))}
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
