import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { HouseholdParamsSchema } from "~/schemas/route-params";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { PageHeading, pageMeta, type PageTitle } from "~/components/page-title";
import { PlanChanges } from "~/components/plan-changes";
import { PlanForm } from "~/components/plan-form";
import { requirePermission } from "~/http/auth.server";
import { notFound, readForm, runModel } from "~/http/form.server";
import { useT } from "~/i18n";
import { getPlanAmendments, proposeAmendment, reviseAmendment } from "~/models/amendments.server";
import { getHousehold } from "~/models/households.server";
import { getHouseholdPlans, referenceLists } from "~/models/plans.server";
import { AmendmentFormSchema } from "~/schemas/plan";
import { currentYear } from "~/utils/dates";
import { parseForm } from "~/utils/zod-messages";

export const meta = pageMeta();

// A change to this year's approved or running plan (domain rule 10): proposed here, prefilled with the plan
// as it runs; an open amendment (waiting, or returned with a reason) is edited here and sent again.
async function load(request: Request, params: unknown) {
  const user = await requirePermission(request, "plan.write");
  const parsed = HouseholdParamsSchema.safeParse(params);
  if (!parsed.success) notFound();
  const year = currentYear();
  const household = await getHousehold({ id: parsed.data.householdId, scope: user.scope, year });
  if (!household) notFound();
  const plan = (await getHouseholdPlans({ scope: user.scope, householdId: household.id })).find((p) => p.year === year);
  const amendments = plan ? await getPlanAmendments({ scope: user.scope, planId: plan.id }) : null;
  return { user, household, plan, year, amendments };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { household, plan, year, amendments } = await load(request, params);
  const open = amendments?.open ?? null;
  const writable = Boolean(plan && amendments && (open?.can.edit || amendments.can.propose));
  const source = open ? open.content : plan;
  return {
    household: { id: household.id, courtyardArea: household.courtyardArea },
    year,
    title: { key: "amendment.title", values: { head: household.headName, year } } satisfies PageTitle,
    writable,
    open: open && {
      status: open.status,
      returnReason: open.returnReason,
      changes: open.changes,
    },
    values:
      writable && source
        ? {
            version: open?.version,
            livingArea: source.livingArea,
            plantingArea: source.plantingArea,
            raisingArea: source.raisingArea,
            plantingItems: source.plantingItems.map((i) => ({
              cropCode: i.cropCode,
              area: i.area,
              expectedYieldKg: i.expectedYieldKg,
            })),
            raisingItems: source.raisingItems.map((i) => ({ animalCode: i.animalCode, headCount: i.headCount })),
            measures: source.measures,
            incomeTargetFen: source.incomeTargetFen,
            reason: open?.reason,
          }
        : null,
    reference: writable ? await referenceLists() : { crops: [], animals: [] },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, household, plan, amendments } = await load(request, params);
  const formData = await readForm(request);
  const submission = parseForm(formData, { schema: AmendmentFormSchema });
  if (submission.status !== "success") {
    return Response.json(submission.reply(), { status: submission.status === "error" ? 400 : 200 });
  }
  if (!plan) notFound();
  const { version, reason, ...content } = submission.value;
  const open = amendments?.open;
  const result = await runModel(submission, () =>
    open
      ? reviseAmendment({
          scope: user.scope,
          householdId: household.id,
          amendmentId: open.id,
          // a form without the version was drawn before the amendment existed: someone proposed meanwhile
          version: version ?? 0,
          content,
          reason,
        })
      : proposeAmendment({ scope: user.scope, householdId: household.id, planId: plan.id, content, reason }),
  );
  if (!result.ok) return result.response;
  return redirect(`/households/${household.id}?saved=amendment#amendment`);
}

export default function AmendmentEditor() {
  const { household, year, title, writable, open, values, reference } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const t = useT();
  const back = { to: `/households/${household.id}#plan`, label: "plan.editor.back" } as const;
  if (!writable) {
    return (
      <>
        <PageHeading title={title} back={back} />
        <p className="notice">{t("amendment.locked")}</p>
      </>
    );
  }
  return (
    <>
      <PageHeading title={title} back={back} />
      <p className="muted small">{t("amendment.intro")}</p>
      {open?.status === "returned" && open.returnReason ? (
        <p className="notice" role="status">
          {t("plan.returnedBecause", { reason: open.returnReason })}
        </p>
      ) : null}
      {open ? (
        <div className="card">
          <p className="small">
            <span className={`badge ${open.status === "returned" ? "bad" : "warn"}`}>
              {t(`amendment.status.${open.status}`)}
            </span>{" "}
            {t("amendment.againstPlan")}
          </p>
          <PlanChanges changes={open.changes} />
        </div>
      ) : null}
      <PlanForm
        id={`amendment-${household.id}-${year}`}
        household={household}
        values={values}
        reference={reference}
        lastResult={lastResult}
        submitLabel={open?.status === "returned" ? "amendment.resubmit" : "amendment.submit"}
        withReason
      />
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
