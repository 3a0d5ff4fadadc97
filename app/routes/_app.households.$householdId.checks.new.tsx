import { getFormProps, getInputProps, getSelectProps, getTextareaProps, useForm } from "@conform-to/react";
import { getZodConstraint } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ErrorList, Field } from "~/components/forms";
import { useT } from "~/i18n";
import { recordCheck } from "~/models/checks.server";
import { getHousehold } from "~/models/households.server";
import { photoUploadHandler } from "~/http/photo-upload.server";
import { getHouseholdPlans } from "~/models/plans.server";
import { CheckSchema, MAX_PHOTOS } from "~/schemas/check";
import { requirePermission } from "~/http/auth.server";
import { currentYear, todayISO } from "~/utils/dates";
import { notFound, readForm, runModel } from "~/http/form.server";
import { parseForm } from "~/utils/zod-messages";
import { ZONE_STATUSES } from "~/vocabulary";

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

export default function NewCheck() {
  const { household, plan, today, corrects } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const t = useT();
  const [form, fields] = useForm({
    id: `check-${household.id}`,
    lastResult: lastResult as never,
    constraint: getZodConstraint(CheckSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseForm(formData, { schema: CheckSchema }),
    defaultValue: {
      visitedOn: today,
      livingStatus: "on_track",
      plantingStatus: "on_track",
      raisingStatus: "on_track",
      correctsCheckId: corrects ?? undefined,
    },
  });
  const zones = [
    ["living", fields.livingStatus, fields.livingNote],
    ["planting", fields.plantingStatus, fields.plantingNote],
    ["raising", fields.raisingStatus, fields.raisingNote],
  ] as const;
  return (
    <>
      <p className="small">
        <Link to={`/households/${household.id}`}>← {t("plan.editor.back")}</Link>
      </p>
      <h1>{t(corrects ? "checks.correctTitle" : "checks.newTitle", { head: household.headName })}</h1>
      {corrects ? <p className="notice">{t("checks.correctHint")}</p> : null}
      <Form method="post" encType="multipart/form-data" className="form wide" {...getFormProps(form)}>
        {corrects ? <input {...getInputProps(fields.correctsCheckId, { type: "hidden" })} /> : null}
        <ErrorList id={form.errorId} errors={form.errors} />
        <Field
          label={<label htmlFor={fields.visitedOn.id}>{t("checks.visitedOn")}</label>}
          errorId={fields.visitedOn.errorId}
          errors={fields.visitedOn.errors}
        >
          <input {...getInputProps(fields.visitedOn, { type: "date" })} max={today} />
        </Field>
        <fieldset className="card">
          <legend>{t("checks.zones")}</legend>
          {zones.map(([zone, status, note]) => (
            <div key={zone} className="zone-row">
              <Field
                label={<label htmlFor={status.id}>{t(`record.zone.${zone}`)}</label>}
                errorId={status.errorId}
                errors={status.errors}
              >
                <select {...getSelectProps(status)}>
                  {ZONE_STATUSES.map((s) => (
                    <option key={s} value={s}>
                      {t(`zoneStatus.${s}`)}
                    </option>
                  ))}
                </select>
              </Field>
              <Field
                label={<label htmlFor={note.id}>{t("checks.note")}</label>}
                errorId={note.errorId}
                errors={note.errors}
              >
                <input {...getInputProps(note, { type: "text" })} />
              </Field>
            </div>
          ))}
        </fieldset>
        <Field
          label={<label htmlFor={fields.seen.id}>{t("checks.seen")}</label>}
          hint={
            plan
              ? t("checks.planHint", {
                  planting: plan.planting.join("、") || "—",
                  raising: plan.raising.join("、") || "—",
                })
              : t("checks.noPlan")
          }
          errorId={fields.seen.errorId}
          errors={fields.seen.errors}
        >
          <textarea {...getTextareaProps(fields.seen)} rows={2} />
        </Field>
        <Field
          label={<label htmlFor={fields.problems.id}>{t("checks.problems")}</label>}
          errorId={fields.problems.errorId}
          errors={fields.problems.errors}
        >
          <textarea {...getTextareaProps(fields.problems)} rows={2} />
        </Field>
        <Field
          label={<label htmlFor={fields.measures.id}>{t("checks.measures")}</label>}
          errorId={fields.measures.errorId}
          errors={fields.measures.errors}
        >
          <textarea {...getTextareaProps(fields.measures)} rows={2} />
        </Field>
        <Field
          label={<label htmlFor={fields.helpNeeded.id}>{t("checks.helpNeeded")}</label>}
          errorId={fields.helpNeeded.errorId}
          errors={fields.helpNeeded.errors}
        >
          <textarea {...getTextareaProps(fields.helpNeeded)} rows={2} />
        </Field>
        <Field
          label={<label htmlFor={fields.nextDueOn.id}>{t("checks.nextDueOn")}</label>}
          hint={t("checks.nextDueHint")}
          errorId={fields.nextDueOn.errorId}
          errors={fields.nextDueOn.errors}
        >
          <input {...getInputProps(fields.nextDueOn, { type: "date" })} min={today} />
        </Field>
        <Field
          label={<label htmlFor={fields.photos.id}>{t("checks.photos")}</label>}
          hint={t("checks.photosHint", { max: MAX_PHOTOS })}
          errorId={fields.photos.errorId}
          errors={Object.values(fields.photos.allErrors).flat()}
        >
          <input
            {...getInputProps(fields.photos, { type: "file" })}
            accept="image/jpeg,image/png,image/webp"
            multiple
            capture="environment"
          />
        </Field>
        <button className="button" type="submit" disabled={navigation.state === "submitting"}>
          {t("checks.save")}
        </button>
      </Form>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
