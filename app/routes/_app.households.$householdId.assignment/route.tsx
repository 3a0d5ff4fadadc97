// /households/:id/assignment — the household's cadre in charge and every earlier pairing (from, to, who
// assigned, who ended it and why). Anyone whose scope holds the household may read it; the township
// official also assigns a cadre, hands the household over to another, or ends the pairing (the cadre
// leaves). Each form carries the cadre the official saw: a change made meanwhile is a conflict.
import { type SubmissionResult } from "@conform-to/react";
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { HouseholdParamsSchema } from "~/schemas/route-params";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { useT } from "~/i18n";
import { assignableCadres, assignCadre, assignmentHistory, endAssignment } from "~/models/assignments.server";
import { householdIsInScope } from "~/models/scope.server";
import { can } from "~/permissions";
import { requirePermission, requireUser } from "~/http/auth.server";
import { todayISO } from "~/utils/dates";
import { notFound, readForm, runModel } from "~/http/form.server";
import pairingStyles from "~/styles/pairing.css";
import { parseForm } from "~/utils/zod-messages";
import { HouseholdAssignFormSchema, HouseholdEndFormSchema } from "~/schemas/pairing";
import { AssignOne, EndOne } from "./pairing-forms";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: pairingStyles }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const parsed = HouseholdParamsSchema.safeParse(params);
  if (!parsed.success) notFound();
  const history = await assignmentHistory({ scope: user.scope, householdId: parsed.data.householdId });
  if (!history) notFound();
  const assign = can(user.scope, "assignment.write");
  return {
    ...history,
    today: todayISO(),
    can: { assign },
    cadres: assign ? await assignableCadres(user.scope) : [],
  };
}

export type Intent = "assign" | "end";
export type ActionData = { intent: Intent; result: SubmissionResult<string[]> };

const reply = (intent: Intent, result: SubmissionResult<string[]>, status: number) =>
  Response.json({ intent, result } satisfies ActionData, { status });

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "assignment.write");
  const parsed = HouseholdParamsSchema.safeParse(params);
  if (!parsed.success) notFound();
  const householdId = parsed.data.householdId;
  if (!(await householdIsInScope({ scope: user.scope, id: householdId }))) notFound();
  const formData = await readForm(request);
  const expected = (v: string) => (v === "none" ? null : v);
  switch (formData.get("intent")) {
    case "assign": {
      const submission = parseForm(formData, { schema: HouseholdAssignFormSchema });
      if (submission.status !== "success") return reply("assign", submission.reply(), 400);
      const { cadreId, startsOn, reason, expectedCadreId } = submission.value;
      const result = await runModel(submission, () =>
        assignCadre({
          scope: user.scope,
          householdIds: [householdId],
          cadreId,
          startsOn,
          reason,
          expected: { [householdId]: expected(expectedCadreId) },
        }),
      );
      if (!result.ok) return reply("assign", await result.response.json(), result.response.status);
      return redirect(`/households/${householdId}/assignment?done=assign`);
    }
    case "end": {
      const submission = parseForm(formData, { schema: HouseholdEndFormSchema });
      if (submission.status !== "success") return reply("end", submission.reply(), 400);
      const { endsOn, reason, expectedCadreId } = submission.value;
      const result = await runModel(submission, () =>
        endAssignment({ scope: user.scope, householdId, endsOn, reason, expectedCadreId: expected(expectedCadreId) }),
      );
      if (!result.ok) return reply("end", await result.response.json(), result.response.status);
      return redirect(`/households/${householdId}/assignment?done=end`);
    }
    default:
      return Response.json({ status: "error", error: { "": ["common.badRequest"] } }, { status: 400 });
  }
}

export type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

export default function HouseholdAssignment() {
  const data = useLoaderData<typeof loader>();
  const { household: h, current, rows } = data;
  const t = useT();
  const [searchParams] = useSearchParams();
  const done = searchParams.get("done");
  return (
    <>
      <p className="small">
        <Link to={`/households/${h.id}`}>← {t("household.title", { head: h.headName })}</Link>
      </p>
      <h1>{t("pairing.household.title", { head: h.headName })}</h1>
      {done === "assign" || done === "end" ? (
        <p className="success" role="status">
          {t(done === "assign" ? "pairing.done.assign" : "pairing.done.end")}
        </p>
      ) : null}
      <div className="card" data-testid="current-cadre">
        <dl className="facts">
          <dt>{t("col.code")}</dt>
          <dd>{h.code}</dd>
          <dt>{t("col.village")}</dt>
          <dd>{h.village}</dd>
          <dt>{t("household.cadre")}</dt>
          <dd>
            {current ? (
              <>
                <b>{current.cadreName}</b>
                {current.cadrePhone ? (
                  <>
                    {" · "}
                    <a href={`tel:${current.cadrePhone}`}>{current.cadrePhone}</a>
                  </>
                ) : null}
                <div className="muted small">{t("pairing.since", { date: current.startsOn })}</div>
              </>
            ) : (
              <span className="badge bad">{t("household.noCadre")}</span>
            )}
          </dd>
        </dl>
      </div>

      {data.can.assign ? (
        <>
          <AssignOne data={data} />
          {current ? <EndOne data={data} /> : null}
        </>
      ) : null}

      <h2 id="history-title">{t("pairing.history.title")}</h2>
      {rows.length === 0 ? <p className="muted">{t("pairing.history.none")}</p> : null}
      <ol className="timeline pairing-history" aria-labelledby="history-title" data-testid="assignment-history">
        {rows.map((r) => (
          <li key={r.id}>
            <div>
              <b>{r.cadreName}</b> {r.endsOn ? null : <span className="badge ok">{t("pairing.inCharge")}</span>}
            </div>
            <div className="small">{t("pairing.period", { from: r.startsOn, to: r.endsOn ?? t("pairing.now") })}</div>
            <div className="muted small">
              {t("pairing.assignedBy", { name: r.assignedByName ?? "—" })}
              {r.endsOn ? (
                <>
                  {" · "}
                  {t("pairing.endedBy", { name: r.endedByName ?? "—" })}
                  {r.endReason ? `（${r.endReason}）` : ""}
                </>
              ) : null}
            </div>
          </li>
        ))}
      </ol>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
