// The points card (积分卡) at /points: a cadre sees their own card, each entry explained; an official
// sees the township's league table for a month, any cadre's card (?cadre=<id>), and adds a bonus or a
// deduction with a reason. The rules live in app/models/points.server.ts.
import { getFormProps, getInputProps, getSelectProps, useForm } from "@conform-to/react";
import { getZodConstraint } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import {
  Form,
  Link,
  useActionData,
  useLoaderData,
  useLocation,
  useNavigation,
  useSearchParams,
} from "@remix-run/react";
import { z } from "zod";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ErrorList, Field, useMessage } from "~/components/forms";
import { DEFAULT_LOCALE, isLocale, translator, useLocale, useT, type Locale, type Translate } from "~/i18n";
import { ValidationError } from "~/models/errors.server";
import {
  addAdjustment,
  isMonth,
  leagueTable,
  markProblemSolved,
  monthBounds,
  monthOf,
  pointsCard,
  shiftMonth,
  townshipCadreList,
  type PointsEntry,
} from "~/models/points.server";
import { can } from "~/permissions";
import pointsStyles from "~/styles/points.css";
import { requirePermission } from "~/http/auth.server";
import { todayISO } from "~/utils/dates";
import { notFound, readForm, runModel, toResponse } from "~/http/form.server";
import { parseForm } from "~/utils/zod-messages";
import { queryParams } from "~/utils/text";
import { AdjustFormSchema, SolveFormSchema } from "~/schemas/points";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: pointsStyles }];

export const meta: MetaFunction = ({ matches }) => {
  const locale = (matches.find((m) => m.id === "root")?.data as { locale?: string } | undefined)?.locale;
  const t = translator(isLocale(locale) ? locale : DEFAULT_LOCALE);
  return [{ title: `${t("points.metaTitle")} · ${t("app.name")}` }];
};

const QuerySchema = z.object({
  month: z.string().optional(),
  cadre: z.uuid().optional(),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "points.read");
  const params = QuerySchema.safeParse(queryParams(new URL(request.url)));
  if (!params.success) notFound();
  const today = todayISO();
  const current = monthOf(today);
  // a month not given, malformed or still to come shows the current one
  const month =
    params.data.month && isMonth(params.data.month) && params.data.month <= current ? params.data.month : current;
  const nav = {
    month,
    current,
    today,
    prev: shiftMonth(month, -1),
    next: month < current ? shiftMonth(month, 1) : null,
    // an adjustment for a past month defaults to its last day
    defaultEffectiveOn: month === current ? today : monthBounds(month).to,
  };
  const manage = can(user.scope, "points.manage");
  try {
    if (manage && !params.data.cadre) {
      const [league, cadres] = await Promise.all([
        leagueTable({ scope: user.scope, month, today }),
        townshipCadreList({ scope: user.scope }),
      ]);
      return { view: "league" as const, ...nav, can: { manage }, league, cadres };
    }
    const card = await pointsCard({ scope: user.scope, cadreId: params.data.cadre, month, today });
    return {
      view: "card" as const,
      ...nav,
      card,
      can: { manage },
      cadres: [] as { id: string; username: string; displayName: string }[],
    };
  } catch (error) {
    throw toResponse(error);
  }
}

function pointsUrl(month: string, cadre?: string | null, saved?: string) {
  const q = new URLSearchParams({ month });
  if (cadre) q.set("cadre", cadre);
  if (saved) q.set("saved", saved);
  return `/points?${q}`;
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "points.read");
  const formData = await readForm(request);
  switch (formData.get("intent")) {
    case "adjust": {
      const submission = parseForm(formData, { schema: AdjustFormSchema });
      if (submission.status !== "success") return Response.json(submission.reply(), { status: 400 });
      const v = submission.value;
      const result = await runModel(submission, () =>
        addAdjustment({
          scope: user.scope,
          cadreId: v.cadreId,
          effectiveOn: v.effectiveOn,
          points: v.points,
          reason: v.reason,
        }),
      );
      if (!result.ok) return result.response;
      return redirect(pointsUrl(monthOf(v.effectiveOn), v.from === "card" ? v.cadreId : null, "adjustment"));
    }
    case "solve": {
      const parsed = SolveFormSchema.safeParse(Object.fromEntries(formData));
      if (!parsed.success) {
        const checkId = String(formData.get("checkId") ?? "");
        return Response.json(
          { solve: { checkId, solvedOn: String(formData.get("solvedOn") ?? ""), errors: ["field.date"] } },
          { status: 400 },
        );
      }
      const v = parsed.data;
      try {
        await markProblemSolved({ scope: user.scope, checkId: v.checkId, solvedOn: v.solvedOn });
      } catch (error) {
        if (error instanceof ValidationError) {
          const errors = [...error.formErrors, ...Object.values(error.fieldErrors).flat()];
          return Response.json({ solve: { checkId: v.checkId, solvedOn: v.solvedOn, errors } }, { status: 400 });
        }
        throw toResponse(error);
      }
      return redirect(pointsUrl(v.month, can(user.scope, "points.manage") ? v.cadre : null, "solved"));
    }
    default:
      return Response.json({ status: "error", error: { "": ["common.badRequest"] } }, { status: 400 });
  }
}

// ---------- view ----------

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;
type SolveReply = { solve: { checkId: string; solvedOn: string; errors: string[] } };

function monthLabel(locale: Locale, month: string) {
  return new Intl.DateTimeFormat(locale, { year: "numeric", month: "long", timeZone: "UTC" }).format(
    new Date(`${month}-01T00:00:00Z`),
  );
}

function dayLabel(locale: Locale, iso: string) {
  return new Intl.DateTimeFormat(locale, { month: "short", day: "numeric", timeZone: "UTC" }).format(
    new Date(`${iso}T00:00:00Z`),
  );
}

/** "+2", "-1", "0": ASCII signs, so tests and screen readers read the same number. */
function signed(n: number) {
  return n > 0 ? `+${n}` : String(n);
}

export default function PointsPage() {
  const data = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const location = useLocation();
  const t = useT();
  const saved = searchParams.get("saved");
  return (
    <div className="points-page">
      {data.view === "card" && data.can.manage ? (
        <p className="points-back">
          <Link to={pointsUrl(data.month)}>{t("points.backToLeague")}</Link>
        </p>
      ) : null}
      <h1>
        {data.view === "league"
          ? t("points.title.league")
          : data.can.manage
            ? t("points.title.cadre", { name: data.card.cadre.displayName })
            : t("points.title.own")}
      </h1>
      <MonthPicker data={data} />
      {saved === "adjustment" || saved === "solved" ? (
        <p className="success" role="status">
          {t(saved === "adjustment" ? "points.saved.adjustment" : "points.saved.solved")}
        </p>
      ) : null}
      {data.view === "league" ? <League data={data} /> : <Card data={data} />}
      {/* a fresh form after each navigation; a refused submission comes back through lastResult */}
      {data.view === "league" || data.can.manage ? <AdjustForm key={location.key} data={data} /> : null}
      <Rules values={data.view === "league" ? data.league.values : data.card.values} />
    </div>
  );
}

function MonthPicker({ data }: { data: LoaderData }) {
  const t = useT();
  const cadre = data.view === "card" && data.can.manage ? data.card.cadre.id : null;
  return (
    <nav className="month-nav" aria-label={t("points.month")}>
      <Link className="month-step" to={pointsUrl(data.prev, cadre)} rel="prev">
        {t("points.prevMonth")}
      </Link>
      <Form method="get" className="month-form">
        {cadre ? <input type="hidden" name="cadre" value={cadre} /> : null}
        <label htmlFor="month" className="visually-hidden">
          {t("points.month")}
        </label>
        <input id="month" type="month" name="month" defaultValue={data.month} max={data.current} key={data.month} />
        <button type="submit" className="button secondary small-button">
          {t("points.showMonth")}
        </button>
      </Form>
      {data.next ? (
        <Link className="month-step" to={pointsUrl(data.next, cadre)} rel="next">
          {t("points.nextMonth")}
        </Link>
      ) : (
        <span className="month-step" aria-hidden="true" />
      )}
    </nav>
  );
}

function League({ data }: { data: Extract<LoaderData, { view: "league" }> }) {
  const t = useT();
  const locale = useLocale();
  const rows = data.league.rows;
  return (
    <section aria-labelledby="league-title">
      <h2 id="league-title">{monthLabel(locale, data.month)}</h2>
      {rows.length === 0 ? (
        <p className="muted">{t("points.league.empty")}</p>
      ) : (
        <>
          <p className="muted small league-hint">
            {t("points.league.hint")} <a href="#adjust-title">{t("points.adjust.title")} ↓</a>
          </p>
          <div className="table-wrap">
            <table className="league" data-testid="league-table">
              <thead>
                <tr>
                  <th scope="col" className="num">
                    {t("points.col.rank")}
                  </th>
                  <th scope="col">{t("points.col.cadre")}</th>
                  <th scope="col" className="num">
                    {t("points.col.total")}
                  </th>
                  <th scope="col" className="num">
                    {t("points.col.checks")}
                  </th>
                  <th scope="col" className="num">
                    {t("points.col.onTime")}
                  </th>
                  <th scope="col" className="num">
                    {t("points.col.solved")}
                  </th>
                  <th scope="col" className="num">
                    {t("points.col.adjustments")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.cadreId} data-testid={`league-row-${r.username}`}>
                    <td className="num rank">{r.rank}</td>
                    <th scope="row">
                      <Link to={pointsUrl(data.month, r.cadreId)}>{r.displayName}</Link>
                    </th>
                    <td className={`num total ${r.total < 0 ? "neg" : ""}`} data-testid={`points-${r.username}`}>
                      {r.total}
                    </td>
                    <td className="num">{r.checks}</td>
                    <td className="num">{r.onTime}</td>
                    <td className="num">{r.problemsSolved}</td>
                    <td className="num">{r.adjustments === 0 ? "—" : signed(r.adjustments)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

function Card({ data }: { data: Extract<LoaderData, { view: "card" }> }) {
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

function AdjustForm({ data }: { data: LoaderData }) {
  const t = useT();
  const m = useMessage();
  const navigation = useNavigation();
  const actionData = useActionData<typeof action>();
  const lastResult =
    actionData && typeof actionData === "object" && "status" in actionData ? (actionData as never) : undefined;
  const fixedCadre = data.view === "card" ? data.card.cadre : null;
  const [form, fields] = useForm({
    id: "points-adjust",
    lastResult,
    constraint: getZodConstraint(AdjustFormSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseForm(formData, { schema: AdjustFormSchema }),
    defaultValue: { effectiveOn: data.defaultEffectiveOn, cadreId: fixedCadre?.id ?? "" },
  });
  const errors = (list?: string[]) => list?.map((e) => m(e));
  return (
    <section aria-labelledby="adjust-title" className="adjust">
      <h2 id="adjust-title">{t("points.adjust.title")}</h2>
      <Form method="post" className="form card" {...getFormProps(form)}>
        <input type="hidden" name="intent" value="adjust" />
        <input type="hidden" name="from" value={fixedCadre ? "card" : "league"} />
        <ErrorList id={form.errorId} errors={form.errors} />
        {fixedCadre ? (
          <input type="hidden" name={fields.cadreId.name} value={fixedCadre.id} />
        ) : (
          <Field
            label={<label htmlFor={fields.cadreId.id}>{t("points.adjust.cadre")}</label>}
            errorId={fields.cadreId.errorId}
            errors={errors(fields.cadreId.errors)}
          >
            <select {...getSelectProps(fields.cadreId)}>
              <option value="">{t("points.adjust.choose")}</option>
              {data.cadres.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.displayName}（{c.username}）
                </option>
              ))}
            </select>
          </Field>
        )}
        <div className="adjust-pair">
          <Field
            label={<label htmlFor={fields.points.id}>{t("points.adjust.points")}</label>}
            errorId={fields.points.errorId}
            errors={errors(fields.points.errors)}
          >
            <input {...getInputProps(fields.points, { type: "number" })} step={1} inputMode="numeric" />
          </Field>
          <Field
            label={<label htmlFor={fields.effectiveOn.id}>{t("points.adjust.effectiveOn")}</label>}
            errorId={fields.effectiveOn.errorId}
            errors={errors(fields.effectiveOn.errors)}
          >
            <input {...getInputProps(fields.effectiveOn, { type: "date" })} max={data.today} />
          </Field>
        </div>
        <div className="muted small adjust-hint">{t("points.adjust.pointsHint")}</div>
        <Field
          label={<label htmlFor={fields.reason.id}>{t("points.adjust.reason")}</label>}
          errorId={fields.reason.errorId}
          errors={errors(fields.reason.errors)}
          hint={t("points.adjust.reasonHint")}
        >
          <input {...getInputProps(fields.reason, { type: "text" })} autoComplete="off" />
        </Field>
        <div>
          <button type="submit" className="button" disabled={navigation.state === "submitting"}>
            {t("points.adjust.submit")}
          </button>
        </div>
      </Form>
    </section>
  );
}

function Rules({
  values,
}: {
  values: Record<"checkOnTime" | "checkLate" | "problemFound" | "problemSolved" | "householdOverdue", number>;
}) {
  const t = useT();
  const rows = [
    ["points.rules.checkOnTime", values.checkOnTime],
    ["points.rules.checkLate", values.checkLate],
    ["points.rules.problemFound", values.problemFound],
    ["points.rules.problemSolved", values.problemSolved],
    ["points.rules.householdOverdue", values.householdOverdue],
  ] as const;
  return (
    <details className="inline points-rules">
      <summary>{t("points.rules.title")}</summary>
      <ul className="timeline">
        {rows.map(([key, value]) => (
          <li key={key}>
            {t(key)} <b>{signed(value)}</b>
          </li>
        ))}
        <li>{t("points.rules.adjustment")}</li>
      </ul>
    </details>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
