import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import type { ClientActionFunctionArgs } from "@remix-run/react";
import { redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { useT } from "~/i18n";
import { getHousehold } from "~/models/households.server";
import { getHouseholdPlans } from "~/models/plans.server";
import { requirePermission } from "~/http/auth.server";
import { currentYear, todayISO } from "~/utils/dates";
import { notFound } from "~/http/form.server";
import { postCheck } from "~/http/check-post.server";
import { queueWhenOffline } from "~/offline/check-action";
import { CheckForm } from "./check-form";
import { skipRevalidationWhenQueued } from "~/offline/queued";
import { offlineUserId } from "~/offline/session";
import { PageHeading, pageMeta, type PageTitle } from "~/components/page-title";

export const meta = pageMeta();

const ParamsSchema = z.object({ householdId: z.uuid() });

async function load(request: Request, params: unknown) {
  const user = await requirePermission(request, "check.record");
  const parsed = ParamsSchema.safeParse(params);
  if (!parsed.success) notFound();
  const household = await getHousehold({ id: parsed.data.householdId, scope: user.scope, year: currentYear() });
  if (!household) notFound();
  return { user, household };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, household } = await load(request, params);
  const corrects = z.uuid().safeParse(new URL(request.url).searchParams.get("corrects"));
  const plans = await getHouseholdPlans({ scope: user.scope, householdId: household.id });
  const plan = plans.find((p) => p.year === currentYear());
  return {
    household: { id: household.id, headName: household.headName },
    plan: plan
      ? {
          planting: plan.plantingItems.map((i) => `${i.cropZh} ${i.area}㎡`),
          raising: plan.raisingItems.map((i) => `${i.animalZh} ${i.headCount}`),
        }
      : null,
    planVersion: plan?.version ?? 0,
    // a new one for every form opened; the phone makes its own for each visit it keeps (see CheckForm)
    clientId: crypto.randomUUID(),
    title: {
      key: corrects.success ? "checks.correctTitle" : "checks.newTitle",
      values: { head: household.headName },
    } satisfies PageTitle,
    today: todayISO(),
    corrects: corrects.success ? corrects.data : null,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, household } = await load(request, params);
  const posted = await postCheck(request, user.scope, household.id);
  if ("refused" in posted) return posted.refused;
  const back = user.role === "cadre" ? "/?saved=check" : `/households/${household.id}?saved=check#checks`;
  return redirect(back);
}

/** With JavaScript: a post the network lost (offline, failed, timed out) is kept on the phone, not thrown away. */
export async function clientAction({ request, params, serverAction }: ClientActionFunctionArgs) {
  return queueWhenOffline(request, { householdId: params.householdId!, userId: offlineUserId() }, serverAction);
}

export const shouldRevalidate = skipRevalidationWhenQueued;

export default function NewCheck() {
  const { household, title, corrects } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <>
      <PageHeading title={title} back={{ to: `/households/${household.id}`, label: "plan.editor.back" }} />
      {corrects ? <p className="notice">{t("checks.correctHint")}</p> : null}
      <CheckForm />
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
