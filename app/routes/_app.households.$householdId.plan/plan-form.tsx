import { getFieldsetProps, getFormProps, getInputProps, getTextareaProps, useForm } from "@conform-to/react";
import { getZodConstraint } from "@conform-to/zod/v4";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Choice } from "~/components/choice";
import { ErrorList, Field } from "~/components/forms";
import { entryLabel } from "~/utils/reference";
import { useLocale, useT } from "~/i18n";
import { PlanFormSchema } from "~/schemas/plan";
import { parseForm } from "~/utils/zod-messages";
import { AreaField } from "./area-field";
import type { action, loader } from "./route";

/**
 * The plan's one form: zones, planted and raised items (rows added and removed by Conform's intents,
 * which post and redraw without JavaScript too), measures and the income target.
 */
export function PlanForm() {
  const { household, plan, year, reference } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: `plan-${household.id}-${year}`,
    lastResult,
    constraint: getZodConstraint(PlanFormSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseForm(formData, { schema: PlanFormSchema }),
    defaultValue: {
      version: plan?.version,
      // the household's registered area, always: the model refuses any other (domain rule 3)
      courtyardArea: household.courtyardArea ?? undefined,
      livingArea: plan?.livingArea,
      plantingArea: plan?.plantingArea,
      raisingArea: plan?.raisingArea,
      plantingItems: plan?.plantingItems ?? [],
      raisingItems: plan?.raisingItems ?? [],
      measures: plan?.measures.join("\n") ?? "",
      incomeTargetFen: plan ? plan.incomeTargetFen / 100 : undefined,
    },
  });
  const plantingList = fields.plantingItems.getFieldList();
  const raisingList = fields.raisingItems.getFieldList();

  return (
    <Form method="post" className="form wide" {...getFormProps(form)}>
      {plan ? <input {...getInputProps(fields.version, { type: "hidden" })} /> : null}
      <ErrorList id={form.errorId} errors={form.errors} />

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
        {t("plan.save")}
      </button>
    </Form>
  );
}
