import { getFormProps, getInputProps, getTextareaProps, useForm } from "@conform-to/react";
import { FORM_CONSTRAINTS } from "~/schemas/constraints";
import type { z } from "zod";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { Choice } from "~/components/choice";
import { ErrorList, Field } from "~/components/forms";
import { PhotoInput } from "~/components/photo-input";
import { useT } from "~/i18n";
import type { CheckSchema } from "~/schemas/check";
import { MAX_PHOTOS } from "~/schemas/plain";
import { ZONE_STATUSES } from "~/vocabulary";
import { isQueued } from "~/offline/queued";
import type { clientAction, loader } from "./route";

/** A visit's record: a multipart form, so the photos go with it in one post, with or without JavaScript. */
export function CheckForm() {
  const { household, plan, planVersion, clientId, today, corrects } = useLoaderData<typeof loader>();
  const t = useT();
  const actionData = useActionData<typeof clientAction>();
  const queued = isQueued(actionData) ? actionData : null;
  const lastResult = queued ? undefined : actionData;
  const navigation = useNavigation();
  const formRef = useRef<HTMLFormElement>(null);
  const clientIdRef = useRef<HTMLInputElement>(null);
  // each visit kept on the phone needs its own id, and a page the phone kept carries an old one: a fresh one
  // when the form opens, and again once a visit has been kept
  useEffect(() => {
    if (clientIdRef.current) clientIdRef.current.value = crypto.randomUUID();
    if (queued) formRef.current?.reset();
  }, [queued]);
  const [form, fields] = useForm<z.input<typeof CheckSchema>>({
    id: `check-${household.id}`,
    lastResult: lastResult as never,
    constraint: FORM_CONSTRAINTS.CheckSchema,
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
    <Form method="post" encType="multipart/form-data" className="form wide" {...getFormProps(form)} ref={formRef}>
      {queued ? (
        <p className="success" role="status" data-testid="check-queued">
          {t("outbox.saved")}
        </p>
      ) : null}
      {corrects ? <input {...getInputProps(fields.correctsCheckId, { type: "hidden" })} /> : null}
      <input type="hidden" name="clientId" defaultValue={clientId} ref={clientIdRef} />
      <input type="hidden" name="planVersion" value={planVersion} />
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
            <Choice meta={status} label={t(`record.zone.${zone}`)} words={ZONE_STATUSES} wordKey="zoneStatus" />
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
        <PhotoInput meta={fields.photos} max={MAX_PHOTOS} accept="image/jpeg,image/png,image/webp" />
      </Field>
      <button className="button" type="submit" disabled={navigation.state === "submitting"}>
        {t("checks.save")}
      </button>
    </Form>
  );
}
