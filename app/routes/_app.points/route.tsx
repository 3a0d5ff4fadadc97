// The points card (积分卡) at /points: a cadre sees their own card, each entry explained; an official
// sees the township's league table for a month, any cadre's card (?cadre=<id>), and adds a bonus or a
// deduction with a reason. The rules live in app/models/points.server.ts.
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useLoaderData, useLocation, useSearchParams } from "@remix-run/react";
import { PointsQuerySchema } from "~/schemas/route-params";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { useT } from "~/i18n";
import { ValidationError } from "~/models/errors.server";
import {
  addAdjustment,
  cardEntriesPage,
  isMonth,
  leagueTable,
  markProblemSolved,
  monthBounds,
  monthOf,
  pointsCard,
  shiftMonth,
} from "~/models/points.server";
import { pointsCardListParams, pointsLeagueListParams } from "~/utils/lists";
import { pointsCardLinks } from "~/utils/list-urls";
import { can } from "~/permissions";
import listStyles from "~/styles/list.css";
import pointsStyles from "~/styles/points.css";
import { requirePermission } from "~/http/auth.server";
import { todayISO } from "~/utils/dates";
import { notFound, readForm, runModel, toResponse } from "~/http/form.server";
import { parseForm } from "~/utils/zod-messages";
import { queryParams } from "~/utils/text";
import { AdjustFormSchema, SolveFormSchema } from "~/schemas/points";
import { AdjustForm } from "./adjust-form";
import { Card } from "./points-card";
import { pointsUrl } from "./format";
import { League } from "./league";
import { MonthPicker } from "./month-picker";
import { Rules } from "./rules";
import { PageHeading, pageMeta, type PageTitle } from "~/components/page-title";

// list.css: the pager of the league and of a card's entries
export const links: LinksFunction = () => [
  { rel: "stylesheet", href: listStyles },
  { rel: "stylesheet", href: pointsStyles },
];

export const meta = pageMeta();

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "points.read");
  const params = PointsQuerySchema.safeParse(queryParams(new URL(request.url)));
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
      const list = pointsLeagueListParams.parse(new URL(request.url));
      const league = await leagueTable({ scope: user.scope, month, today, list });
      // the form offers the cadres listed: a township's hundreds would be one long select on a phone, and
      // the search above finds any other
      const cadres = league.rows.map((r) => ({ id: r.cadreId, username: r.username, displayName: r.displayName }));
      const title: PageTitle = { key: "points.title.league" };
      return { view: "league" as const, ...nav, title, can: { manage }, league, list, cadres };
    }
    const { entries, ...card } = await pointsCard({ scope: user.scope, cadreId: params.data.cadre, month, today });
    // the month's parts and total over every entry; the entries themselves a page at a time
    const entryList = pointsCardListParams.parse(new URL(request.url));
    const shown = cardEntriesPage(entries, entryList);
    const title: PageTitle = manage
      ? { key: "points.title.cadre", values: { name: card.cadre.displayName } }
      : { key: "points.title.own" };
    return {
      view: "card" as const,
      ...nav,
      title,
      card: { ...card, entries: shown.entries },
      entryList,
      entryPage: shown.page,
      can: { manage },
      cadres: [] as { id: string; username: string; displayName: string }[],
    };
  } catch (error) {
    throw toResponse(error);
  }
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
      // back to the page of entries the problem was marked on
      const back = pointsCardLinks.query(pointsCardListParams.parse(formData));
      return redirect(pointsUrl(v.month, can(user.scope, "points.manage") ? v.cadre : null, "solved", back));
    }
    default:
      return Response.json({ status: "error", error: { "": ["common.badRequest"] } }, { status: 400 });
  }
}

// ---------- view ----------

export type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;
export type SolveReply = { solve: { checkId: string; solvedOn: string; errors: string[] } };

export default function PointsPage() {
  const data = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const location = useLocation();
  const t = useT();
  const saved = searchParams.get("saved");
  return (
    <div className="points-page">
      <PageHeading
        title={data.title}
        back={
          data.view === "card" && data.can.manage
            ? { to: pointsUrl(data.month), label: "points.backToLeague" }
            : undefined
        }
      />
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

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
