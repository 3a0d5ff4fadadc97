import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import type { ClientActionFunctionArgs } from "@remix-run/react";
import { redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { HouseholdParamsSchema, UuidSchema } from "~/schemas/route-params";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { useT } from "~/i18n";
import { getHouseholdHead } from "~/models/households.server";
import { getHouseholdPlans } from "~/models/plans.server";
import { requirePermission } from "~/http/auth.server";
import { currentYear, todayISO } from "~/utils/dates";
import { notFound, readForm, runModel } from "~/http/form.server";
import { photoUploadHandler } from "~/http/photo-upload.server";
import { recordCheck } from "~/models/checks.server";
import { CheckSchema } from "~/schemas/check";
import { parseForm } from "~/utils/zod-messages";
import { openCalendarVisits } from "~/models/calendar.server";
import { CalendarNote } from "./calendar-note";
import { queueWhenOffline } from "~/offline/check-action";
import { CheckForm } from "./check-form";
import { skipRevalidationWhenQueued } from "~/offline/queued";
import { offlineUserId } from "~/offline/session";
import { PageHeading, pageMeta, type PageTitle } from "~/components/page-title";

export const meta = pageMeta();

async function load(request: Request, params: unknown) {
  const user = await requirePermission(request, "check.record");
  const parsed = HouseholdParamsSchema.safeParse(params);
  if (!parsed.success) notFound();
  // the form shows the head's name only: not the household page's whole record
  const household = await getHouseholdHead({ id: parsed.data.householdId, scope: user.scope });
  if (!household) notFound();
  return { user, household };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, household } = await load(request, params);
  const corrects = UuidSchema.safeParse(new URL(request.url).searchParams.get("corrects"));
  const [plans, calendar] = await Promise.all([
    getHouseholdPlans({ scope: user.scope, householdId: household.id }),
    openCalendarVisits({ scope: user.scope, householdId: household.id, today: todayISO() }),
  ]);
  const plan = plans.find((p) => p.year === currentYear());
  return {
    calendar,
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
  const upload = photoUploadHandler();
  const formData = await readForm(request, upload.handler).catch((error) => {
    if (!upload.state.refusal) throw error;
    return null;
  });
  if (upload.state.refusal || !formData) {
    return Response.json({ status: "error", error: { photos: [upload.state.refusal] } }, { status: 400 });
  }
  const submission = parseForm(formData, { schema: CheckSchema });
  if (submission.status !== "success") {
    return Response.json(submission.reply({ hideFields: ["photos"] }), { status: 400 });
  }
  const { photos = [], ...input } = submission.value;
  const uploads = await Promise.all(
    photos.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })),
  );
  const result = await runModel(submission, () =>
    recordCheck({ scope: user.scope, householdId: household.id, input, photos: uploads, today: todayISO() }),
  );
  if (!result.ok) return result.response;
  const back = user.role === "cadre" ? "/?saved=check" : `/households/${household.id}?saved=check#checks`;
  return redirect(back);
}

/** With JavaScript: a post the network lost (offline, failed, timed out) is kept on the phone, not thrown away. */
export async function clientAction({ request, params, serverAction }: ClientActionFunctionArgs) {
  return queueWhenOffline(request, { householdId: params.householdId!, userId: offlineUserId() }, serverAction);
}

export const shouldRevalidate = skipRevalidationWhenQueued;

export default function NewCheck() {
  const { household, title, corrects, calendar } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <>
      <PageHeading title={title} back={{ to: `/households/${household.id}`, label: "plan.editor.back" }} />
      {corrects ? <p className="notice">{t("checks.correctHint")}</p> : null}
      {corrects ? null : <CalendarNote visits={calendar} />}
      <CheckForm />
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
