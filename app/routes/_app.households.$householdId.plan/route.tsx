import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { HouseholdParamsSchema, PlanYearSchema } from "~/schemas/route-params";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { useT } from "~/i18n";
import { getHousehold } from "~/models/households.server";
import { createPlan, getHouseholdPlans, referenceLists, updatePlan } from "~/models/plans.server";
import { can } from "~/permissions";
import { PlanFormSchema } from "~/schemas/plan";
import { requireUser } from "~/http/auth.server";
import { currentYear } from "~/utils/dates";
import { notFound, readForm, runModel } from "~/http/form.server";
import { parseForm } from "~/utils/zod-messages";
import { PageHeading, pageMeta, type PageTitle } from "~/components/page-title";
import { PlanForm } from "~/components/plan-form";

export const meta = pageMeta();

async function load(request: Request, params: unknown) {
  const user = await requireUser(request);
  const parsed = HouseholdParamsSchema.safeParse(params);
  if (!parsed.success) notFound();
  const url = new URL(request.url);
  const year = PlanYearSchema.catch(currentYear()).parse(url.searchParams.get("year") ?? currentYear());
  const household = await getHousehold({ id: parsed.data.householdId, scope: user.scope, year });
  if (!household) notFound();
  const plans = await getHouseholdPlans({ scope: user.scope, householdId: household.id });
  const plan = plans.find((p) => p.year === year) ?? null;
  return { user, household, plan, year };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, household, plan, year } = await load(request, params);
  return {
    household: { id: household.id, headName: household.headName, courtyardArea: household.courtyardArea },
    plan: plan && {
      id: plan.id,
      status: plan.status,
      version: plan.version,
      returnReason: plan.returnReason,
      courtyardArea: plan.courtyardArea,
      livingArea: plan.livingArea,
      plantingArea: plan.plantingArea,
      raisingArea: plan.raisingArea,
      plantingItems: plan.plantingItems.map((i) => ({
        cropCode: i.cropCode,
        area: i.area,
        expectedYieldKg: i.expectedYieldKg,
      })),
      raisingItems: plan.raisingItems.map((i) => ({ animalCode: i.animalCode, headCount: i.headCount })),
      measures: plan.measures,
      incomeTargetFen: plan.incomeTargetFen,
    },
    year,
    title: {
      key: plan ? "plan.editor.title" : "plan.editor.newTitle",
      values: { head: household.headName, year },
    } satisfies PageTitle,
    can: { edit: plan ? plan.can.edit : can(user.scope, "plan.write") },
    reference: await referenceLists(plan ?? undefined),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, household, plan, year } = await load(request, params);
  const formData = await readForm(request);
  const submission = parseForm(formData, { schema: PlanFormSchema });
  if (submission.status !== "success") {
    return Response.json(submission.reply(), { status: submission.status === "error" ? 400 : 200 });
  }
  const { version, ...content } = submission.value;
  const result = await runModel(submission, () =>
    plan
      ? updatePlan({ scope: user.scope, planId: plan.id, version: version ?? 0, content })
      : createPlan({ scope: user.scope, householdId: household.id, year, content }),
  );
  if (!result.ok) return result.response;
  return redirect(`/households/${household.id}?saved=plan#plan`);
}

export default function PlanEditor() {
  const { household, plan, year, title, can, reference } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const t = useT();

  if (!can.edit) {
    return (
      <>
        <PageHeading title={title} back={{ to: `/households/${household.id}#plan`, label: "plan.editor.back" }} />
        <p className="notice">
          {t("plan.editor.locked", { status: t(`planStatus.${plan?.status ?? "none"}` as "planStatus.none") })}
        </p>
      </>
    );
  }

  return (
    <>
      <PageHeading title={title} back={{ to: `/households/${household.id}`, label: "plan.editor.back" }} />
      {plan?.status === "returned" && plan.returnReason ? (
        <p className="notice" role="status">
          {t("plan.returnedBecause", { reason: plan.returnReason })}
        </p>
      ) : null}
      <PlanForm
        id={`plan-${household.id}-${year}`}
        household={household}
        values={plan}
        reference={reference}
        lastResult={lastResult}
        submitLabel="plan.save"
      />
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
