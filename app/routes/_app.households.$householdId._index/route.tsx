import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { DueBadge } from "~/components/due-badge";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { HouseholdParamsSchema, RevealSchema, UuidSchema } from "~/schemas/route-params";
import { CheckList } from "~/components/check-list";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { useLocale, useT } from "~/i18n";
import { causeLabel } from "~/utils/reference";
import { householdHistory } from "~/models/audit.server";
import { listChecks } from "~/models/checks.server";
import { householdIncome } from "~/models/household-income.server";
import { householdSeason } from "~/models/calendar.server";
import { SeasonTimeline } from "~/components/season-timeline";
import { getHousehold, getHouseholdLinks } from "~/models/households.server";
import { revealIdNumber } from "~/models/members.server";
import { decideAmendment, getPlanAmendments } from "~/models/amendments.server";
import { getHouseholdPlans, transitionPlan } from "~/models/plans.server";
import { householdGapReasons } from "~/models/coverage.server";
import { ValidationError } from "~/models/errors.server";
import { markProblemSolved, openProblems } from "~/models/points.server";
import { householdIsInScope } from "~/models/scope.server";
import { HouseholdSolveSchema } from "~/schemas/points";
import homeStyles from "~/styles/home.css";
import { can } from "~/permissions";
import { AMENDMENT_INTENTS } from "~/schemas/plain";
import { AmendmentDecisionSchema, PlanTransitionSchema } from "~/schemas/plan";
import { requireUser } from "~/http/auth.server";
import { currentYear, todayISO } from "~/utils/dates";
import { notFound, readForm, runModel, toResponse } from "~/http/form.server";
import { fenToYuan, sqmToMu } from "~/utils/units";
import { parseForm } from "~/utils/zod-messages";
import { History } from "./history";
import { Income } from "./income";
import { Links } from "./links";
import { Members } from "./members";
import { PlanSection } from "./plan-section";
import { Problems } from "./problems";
import { PageHeading, pageMeta, type PageTitle } from "~/components/page-title";

export const meta = pageMeta();

export const links: LinksFunction = () => [{ rel: "stylesheet", href: homeStyles }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const parsed = HouseholdParamsSchema.safeParse(params);
  if (!parsed.success) notFound();
  const year = currentYear();
  const today = todayISO();
  const household = await getHousehold({ id: parsed.data.householdId, scope: user.scope, year });
  if (!household) notFound();
  const coverage = can(user.scope, "coverage.read") ? user.scope : null;
  // everything else needs only the household's id (and its plan of the year, which came with it): one
  // round of statements at once
  const care = can(user.scope, "care.read");
  const [plans, history, links, recentChecks, income, problems, gapReasons, amendments, season] = await Promise.all([
    getHouseholdPlans({ scope: user.scope, householdId: household.id }),
    householdHistory({ scope: user.scope, householdId: household.id, limit: 30 }),
    getHouseholdLinks({ scope: user.scope, householdId: household.id }),
    listChecks({ scope: user.scope, householdId: household.id, page: 1, pageSize: 5 }),
    householdIncome({ scope: user.scope, householdId: household.id, year }),
    // visit notes: care detail, null for a role without it (as every care field)
    care ? openProblems({ scope: user.scope, householdId: household.id }) : null,
    coverage ? householdGapReasons(coverage, household.id, today) : null,
    household.plan ? getPlanAmendments({ scope: user.scope, planId: household.plan.id }) : null,
    // the season's visits are the carers' schedule
    care ? householdSeason({ scope: user.scope, householdId: household.id, year }) : null,
  ]);
  // the gap list's filters, when it was opened from there: the way back keeps them
  const gapsQuery = new URL(request.url).searchParams.get("gaps");
  const backToGaps =
    coverage && gapsQuery !== null ? `/coverage/gaps${gapsQuery ? `?${new URLSearchParams(gapsQuery)}` : ""}` : null;
  if (!links) notFound();
  const plan = plans.find((p) => p.year === year) ?? null;
  return {
    household,
    season,
    title: { key: "household.title", values: { head: household.headName } } satisfies PageTitle,
    year,
    today,
    plan,
    amendments,
    problems,
    gapReasons,
    backToGaps,
    links,
    income: {
      items: income.items,
      expectedFen: income.expectedFen,
      actual: income.actual,
      hasPlan: income.plan !== null,
      incomeTargetFen: income.plan?.incomeTargetFen ?? null,
    },
    recentChecks: recentChecks.rows,
    earlierPlans: plans
      .filter((p) => p.year !== year)
      .map((p) => ({ id: p.id, year: p.year, status: p.status, incomeTargetFen: p.incomeTargetFen })),
    history: history.map((h) => ({
      id: h.id,
      at: h.at,
      action: h.action,
      userName: h.userName,
      changed: h.changed,
      reason: h.reason,
    })),
    can: {
      editHousehold: can(user.scope, "household.write"),
      editMembers: can(user.scope, "household.write"),
      reveal: can(user.scope, "idNumber.reveal"),
      createPlan: !plan && can(user.scope, "plan.write"),
      recordCheck: can(user.scope, "check.record"),
    },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const parsed = HouseholdParamsSchema.safeParse(params);
  if (!parsed.success) notFound();
  const formData = await readForm(request);
  const householdId = parsed.data.householdId;
  const intent = formData.get("intent");
  switch (intent) {
    case "solve":
      return solve(user.scope, householdId, formData);
    case "reveal":
      return reveal(user.scope, householdId, formData);
    case AMENDMENT_INTENTS.approve:
    case AMENDMENT_INTENTS.return:
    case AMENDMENT_INTENTS.withdraw: {
      const submission = parseForm(formData, { schema: AmendmentDecisionSchema });
      if (submission.status !== "success") return Response.json(submission.reply(), { status: 400 });
      const result = await runModel(submission, () =>
        // the amendment must be of this page's household's plan
        decideAmendment({ scope: user.scope, householdId, decision: submission.value }),
      );
      if (!result.ok) return result.response;
      return { done: submission.value.intent, ...submission.reply({ resetForm: true }) };
    }
    case "submit":
    case "approve":
    case "return":
    case "start":
    case "complete": {
      const submission = parseForm(formData, { schema: PlanTransitionSchema });
      if (submission.status !== "success") return Response.json(submission.reply(), { status: 400 });
      const planId = UuidSchema.safeParse(formData.get("planId"));
      if (!planId.success) notFound();
      const result = await runModel(submission, () =>
        // the plan must be this page's household's, not any plan in scope
        transitionPlan({ scope: user.scope, planId: planId.data, householdId, transition: submission.value }),
      );
      if (!result.ok) return result.response;
      return { done: submission.value.intent, ...submission.reply({ resetForm: true }) };
    }
    default:
      return Response.json({ status: "error", error: { "": ["common.badRequest"] } }, { status: 400 });
  }
}

async function reveal(scope: Parameters<typeof revealIdNumber>[0]["scope"], householdId: string, formData: FormData) {
  const parsed = RevealSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return Response.json({ status: "error", error: { "": ["common.badRequest"] } }, { status: 400 });
  try {
    const idNumber = await revealIdNumber({ scope, householdId, memberId: parsed.data.memberId });
    return { revealed: { memberId: parsed.data.memberId, idNumber } };
  } catch (error) {
    throw toResponse(error);
  }
}

export type SolveReply = { solve: { checkId: string; solvedOn: string; errors: string[] } };

/** A problem marked solved, by the model the points card uses: its rules, its scope, its audit. */
async function solve(scope: Parameters<typeof markProblemSolved>[0]["scope"], householdId: string, formData: FormData) {
  // out of scope is 404 whatever was posted
  if (!(await householdIsInScope({ scope, id: householdId }))) notFound();
  const parsed = HouseholdSolveSchema.safeParse(Object.fromEntries(formData));
  const checkId = String(formData.get("checkId") ?? "");
  const solvedOn = String(formData.get("solvedOn") ?? "");
  if (!parsed.success) {
    if (!UuidSchema.safeParse(checkId).success) notFound();
    return Response.json({ solve: { checkId, solvedOn, errors: ["field.date"] } } satisfies SolveReply, {
      status: 400,
    });
  }
  try {
    // the parsed id: with the field sent twice, formData.get() reads the first and the schema the last
    await markProblemSolved({ scope, householdId, checkId: parsed.data.checkId, solvedOn: parsed.data.solvedOn });
  } catch (error) {
    if (error instanceof ValidationError) {
      const errors = [...error.formErrors, ...Object.values(error.fieldErrors).flat()];
      return Response.json({ solve: { checkId, solvedOn, errors } } satisfies SolveReply, { status: 400 });
    }
    throw toResponse(error);
  }
  return redirect(`/households/${householdId}?saved=solved#problems`);
}

export default function HouseholdPage() {
  const {
    household: h,
    title,
    year,
    earlierPlans,
    can,
    links,
    recentChecks,
    income,
    plan,
    gapReasons,
    backToGaps,
  } = useLoaderData<typeof loader>();
  const { season, today } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const t = useT();
  const locale = useLocale();
  return (
    <>
      <PageHeading title={title} back={backToGaps ? { to: backToGaps, label: "household.backToGaps" } : undefined}>
        <span className="actions">
          {can.recordCheck ? (
            <Link className="button small-button" to={`/households/${h.id}/checks/new`}>
              {t("checks.record")}
            </Link>
          ) : null}
          <Link className="button secondary small-button" to={`/households/${h.id}/card`}>
            {t("record.card")}
          </Link>
          {can.editHousehold ? (
            <Link className="button secondary small-button" to={`/households/${h.id}/edit`}>
              {t("common.edit")}
            </Link>
          ) : null}
        </span>
      </PageHeading>
      {searchParams.get("saved") ? (
        <p className="success" role="status">
          {t(searchParams.get("saved") === "solved" ? "household.problemSolvedSaved" : "common.saved")}
        </p>
      ) : null}
      <div className="card">
        <dl className="facts">
          <dt>{t("household.planState")}</dt>
          <dd data-testid="plan-state">
            {plan ? (
              <>
                <span
                  className={`badge ${plan.status === "returned" ? "bad" : ["approved", "in_progress", "completed"].includes(plan.status) ? "ok" : "warn"}`}
                >
                  {t(`planStatus.${plan.status}`)}
                </span>
                {plan.status === "returned" && plan.returnReason ? (
                  <span className="small"> {t("plan.returnedBecause", { reason: plan.returnReason })}</span>
                ) : null}
              </>
            ) : (
              <span className="badge warn">{t("household.noPlanYet")}</span>
            )}
          </dd>
          {gapReasons && gapReasons.length > 0 ? (
            <>
              <dt>{t("household.gapReasons")}</dt>
              <dd data-testid="gap-reasons">
                {gapReasons.map((r) => (
                  <span key={r} className="badge warn">
                    {t(`coverage.reason.${r}`)}
                  </span>
                ))}
              </dd>
            </>
          ) : null}
          <dt>{t("col.code")}</dt>
          <dd>{h.code}</dd>
          <dt>{t("col.village")}</dt>
          <dd>{h.village}</dd>
          <dt>{t("col.status")}</dt>
          <dd>{t(`povertyStatus.${h.povertyStatus}`)}</dd>
          {h.povertyCause ? (
            <>
              <dt>{t("col.cause")}</dt>
              <dd>{causeLabel(h, locale)}</dd>
            </>
          ) : null}
          {h.address ? (
            <>
              <dt>{t("household.address")}</dt>
              <dd>{h.address}</dd>
            </>
          ) : null}
          {h.phone ? (
            <>
              <dt>{t("household.phone")}</dt>
              <dd>
                <a href={`tel:${h.phone}`}>{h.phone}</a>
              </dd>
            </>
          ) : null}
          {h.courtyardArea != null ? (
            <>
              <dt>{t("household.courtyard")}</dt>
              <dd>
                {t("unit.sqm", { value: h.courtyardArea })}（{t("unit.mu", { value: sqmToMu(h.courtyardArea) })}）
              </dd>
            </>
          ) : null}
          <dt>{t("household.cadre")}</dt>
          <dd>
            {h.cadre ? (
              <>
                {h.cadre.name}
                {h.cadre.phone ? (
                  <>
                    {" · "}
                    <a href={`tel:${h.cadre.phone}`}>{h.cadre.phone}</a>
                  </>
                ) : null}
              </>
            ) : (
              <span className="badge bad">{t("household.noCadre")}</span>
            )}{" "}
            <Link className="small" to={`/households/${h.id}/assignment`}>
              {t("record.pairing")}
            </Link>
          </dd>
          {h.visit ? (
            <>
              <dt>{t("household.nextVisit")}</dt>
              <dd data-testid="next-visit">
                <DueBadge daysOverdue={h.visit.daysOverdue} neverVisited={!h.visit.lastVisit} t={t} />{" "}
                <span className="small">
                  {t("household.dueOn", { date: h.visit.dueOn })} ·{" "}
                  {h.visit.lastVisit
                    ? t("household.lastVisit", { date: h.visit.lastVisit })
                    : t("household.neverVisited")}
                </span>
              </dd>
            </>
          ) : null}
        </dl>
      </div>

      <Problems />

      <Members />

      <PlanSection />

      {season ? <SeasonTimeline season={season} today={today} t={t} locale={locale} /> : null}

      {earlierPlans.length > 0 ? (
        <>
          <h2>{t("plan.earlier")}</h2>
          <ul className="timeline">
            {earlierPlans.map((p) => (
              <li key={p.id}>
                <Link to={`/households/${h.id}/plan?year=${p.year}`}>{p.year}</Link> · {t(`planStatus.${p.status}`)} ·{" "}
                {t("plan.incomeTargetValue", { value: fenToYuan(p.incomeTargetFen) })}
              </li>
            ))}
          </ul>
        </>
      ) : null}

      <section id="checks">
        <div className="section-head">
          <h2>{t("record.checks", { count: links.checkCount })}</h2>
          {can.recordCheck ? (
            <Link className="button small-button" to={`/households/${h.id}/checks/new`}>
              {t("checks.record")}
            </Link>
          ) : null}
        </div>
        <CheckList householdId={h.id} rows={recentChecks} canCorrect={can.recordCheck} />
        {links.checkCount > recentChecks.length ? (
          <Link to={`/households/${h.id}/checks`}>{t("checks.all")} →</Link>
        ) : null}
      </section>

      <Links links={links} t={t} />
      <Income income={income} year={year} t={t} />

      <History />
    </>
  );
}

export type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
