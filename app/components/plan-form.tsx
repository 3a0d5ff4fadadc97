import {
  getFieldsetProps,
  getFormProps,
  getInputProps,
  getTextareaProps,
  useForm,
  type SubmissionResult,
} from "@conform-to/react";
import { FORM_CONSTRAINTS } from "~/schemas/constraints";
import { Form, Link, useNavigation } from "@remix-run/react";
import { Choice } from "~/components/choice";
import { ErrorList, Field } from "~/components/forms";
import { entryLabel } from "~/utils/reference";
import { useLocale, useT, type MessageKey } from "~/i18n";
import type { AmendmentFormSchema } from "~/schemas/plan";
import type { z } from "zod";
import { AreaField } from "./area-field";

type Reference = { code: string; nameZh: string; nameEn: string; retired?: boolean };

/** What the form starts from: a plan's content (or an amendment's), with the version it was read at. */
export type PlanFormValues = {
  version?: number;
  livingArea: number;
  plantingArea: number;
  raisingArea: number;
  plantingItems: { cropCode: string; area: number; expectedYieldKg: number }[];
  raisingItems: { animalCode: string; headCount: number }[];
  measures: string[];
  incomeTargetFen: number;
  reason?: string;
};

/**
 * A plan's content as one form: zones, planted and raised items (rows added and removed by Conform's
 * intents, which post and redraw without JavaScript too), measures and the income target. The plan editor
 * uses it, and so does an amendment, which adds the reason for the change.
 */
export function PlanForm({
  id,
  household,
  values,
  reference,
  lastResult,
  submitLabel,
  withReason,
}: {
  id: string;
  household: { id: string; courtyardArea: number | null };
  values: PlanFormValues | null;
  reference: { crops: Reference[]; animals: Reference[] };
  lastResult: SubmissionResult<string[]> | undefined;
  submitLabel: MessageKey;
  withReason?: boolean;
}) {
  const t = useT();
  const locale = useLocale();
  const navigation = useNavigation();
  // the plan's schema is the amendment's without the reason, which the form then does not show
  const [form, fields] = useForm<z.input<typeof AmendmentFormSchema>>({
    id,
    lastResult,
    constraint: withReason ? FORM_CONSTRAINTS.AmendmentFormSchema : FORM_CONSTRAINTS.PlanFormSchema,
    defaultValue: {
      version: values?.version,
      // the household's registered area, always: the model refuses any other (domain rule 3)
      courtyardArea: household.courtyardArea ?? undefined,
      livingArea: values?.livingArea,
      plantingArea: values?.plantingArea,
      raisingArea: values?.raisingArea,
      plantingItems: values?.plantingItems ?? [],
      raisingItems: values?.raisingItems ?? [],
      measures: values?.measures.join("\n") ?? "",
      incomeTargetFen: values ? values.incomeTargetFen / 100 : undefined,
      reason: values?.reason,
    },
  });
  const plantingList = fields.plantingItems.getFieldList();
  const raisingList = fields.raisingItems.getFieldList();

  return (
    <Form method="post" className="form wide" {...getFormProps(form)}>
      {values?.version ? <input {...getInputProps(fields.version, { type: "hidden" })} /> : null}
      <ErrorList id={form.errorId} errors={form.errors} />

      {withReason ? (
        <fieldset className="card">
          <legend>{t("amendment.reason")}</legend>
          <Field
            label={<label htmlFor={fields.reason.id}>{t("amendment.reason")}</label>}
            hint={t("amendment.reasonHint")}
            errorId={fields.reason.errorId}
            errors={fields.reason.errors}
          >
            <textarea {...getTextareaProps(fields.reason)} rows={2} />
          </Field>
        </fieldset>
      ) : null}

      <fieldset className="card">
        <legend>{t("plan.zones")}</legend>
        <AreaField
          meta={fields.courtyardArea}
          label={t("plan.courtyardArea")}
          readOnly
          note={
            <>
              {t(
                household.courtyardArea === null ? "plan.error.householdHasNoCourtyard" : "plan.courtyardFromHousehold",
              )}{" "}
              <Link to={`/households/${household.id}/edit`}>{t("plan.editHousehold")}</Link>
            </>
          }
        />
        <AreaField meta={fields.livingArea} label={t("plan.livingArea")} />
        <AreaField meta={fields.plantingArea} label={t("plan.plantingArea")} />
        <AreaField meta={fields.raisingArea} label={t("plan.raisingArea")} />
      </fieldset>

      <fieldset className="card" {...getFieldsetProps(fields.plantingItems)}>
        <legend>{t("plan.plantingItems")}</legend>
        <ErrorList id={fields.plantingItems.errorId} errors={fields.plantingItems.errors} />
        {plantingList.length === 0 ? <p className="muted small">{t("plan.noPlantingItems")}</p> : null}
        {plantingList.map((item, index) => {
          const f = item.getFieldset();
          return (
            <div className="item-row" key={item.key}>
              <Choice
                meta={f.cropCode}
                label={t("col.crop")}
                placeholder={t("plan.choose")}
                options={reference.crops.map((o) => ({ value: o.code, label: entryLabel(o, locale) }))}
              />
              <AreaField meta={f.area} label={t("plan.itemArea")} />
              <Field
                label={<label htmlFor={f.expectedYieldKg.id}>{t("plan.expectedYieldKg")}</label>}
                errorId={f.expectedYieldKg.errorId}
                errors={f.expectedYieldKg.errors}
              >
                <input {...getInputProps(f.expectedYieldKg, { type: "number" })} step="0.01" inputMode="decimal" />
              </Field>
              <button
                className="button secondary small-button"
                {...form.remove.getButtonProps({ name: fields.plantingItems.name, index })}
              >
                {t("plan.removeItem")}
              </button>
            </div>
          );
        })}
        <button className="button secondary" {...form.insert.getButtonProps({ name: fields.plantingItems.name })}>
          {t("plan.addCrop")}
        </button>
      </fieldset>

      <fieldset className="card" {...getFieldsetProps(fields.raisingItems)}>
        <legend>{t("plan.raisingItems")}</legend>
        <ErrorList id={fields.raisingItems.errorId} errors={fields.raisingItems.errors} />
        {raisingList.length === 0 ? <p className="muted small">{t("plan.noRaisingItems")}</p> : null}
        {raisingList.map((item, index) => {
          const f = item.getFieldset();
          return (
            <div className="item-row" key={item.key}>
              <Choice
                meta={f.animalCode}
                label={t("plan.animal")}
                placeholder={t("plan.choose")}
                options={reference.animals.map((o) => ({ value: o.code, label: entryLabel(o, locale) }))}
              />
              <Field
                label={<label htmlFor={f.headCount.id}>{t("plan.headCount")}</label>}
                errorId={f.headCount.errorId}
                errors={f.headCount.errors}
              >
                <input {...getInputProps(f.headCount, { type: "number" })} step="1" inputMode="numeric" />
              </Field>
              <button
                className="button secondary small-button"
                {...form.remove.getButtonProps({ name: fields.raisingItems.name, index })}
              >
                {t("plan.removeItem")}
              </button>
            </div>
          );
        })}
        <button className="button secondary" {...form.insert.getButtonProps({ name: fields.raisingItems.name })}>
          {t("plan.addAnimal")}
        </button>
      </fieldset>

      <fieldset className="card">
        <legend>{t("plan.measuresAndTarget")}</legend>
        <Field
          label={<label htmlFor={fields.measures.id}>{t("plan.measures")}</label>}
          hint={t("plan.measuresHint")}
          errorId={fields.measures.errorId}
          errors={fields.measures.errors}
        >
          <textarea {...getTextareaProps(fields.measures)} rows={4} />
        </Field>
        <Field
          label={<label htmlFor={fields.incomeTargetFen.id}>{t("plan.incomeTarget")}</label>}
          errorId={fields.incomeTargetFen.errorId}
          errors={fields.incomeTargetFen.errors}
        >
          <input {...getInputProps(fields.incomeTargetFen, { type: "number" })} step="0.01" inputMode="decimal" />
        </Field>
      </fieldset>

      <button className="button" type="submit" disabled={navigation.state === "submitting"}>
        {t(submitLabel)}
      </button>
    </Form>
  );
}
