import {
  getFieldsetProps,
  getFormProps,
  getInputProps,
  getSelectProps,
  getTextareaProps,
  useForm,
  type FieldMetadata,
} from "@conform-to/react";
import { getZodConstraint } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ErrorList, Field } from "~/components/forms";
import { useLocale, useT } from "~/i18n";
import { getHousehold } from "~/models/households.server";
import { createPlan, getHouseholdPlans, referenceLists, updatePlan } from "~/models/plans.server";
import { can } from "~/permissions";
import { PlanFormSchema } from "~/schemas/plan";
import { requireUser } from "~/http/auth.server";
import { currentYear } from "~/utils/dates";
import { notFound, readForm, runModel } from "~/http/form.server";
import { sqmToMu } from "~/utils/units";
import { parseForm } from "~/utils/zod-messages";

const ParamsSchema = z.object({ householdId: z.uuid() });
const YearSchema = z.coerce.number().int().min(2000).max(2100);

async function load(request: Request, params: unknown) {
  const user = await requireUser(request);
  const parsed = ParamsSchema.safeParse(params);
  if (!parsed.success) notFound();
  const url = new URL(request.url);
  const year = YearSchema.catch(currentYear()).parse(url.searchParams.get("year") ?? currentYear());
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
    can: { edit: plan ? plan.can.edit : can(user.scope, "plan.write") },
    reference: await referenceLists(),
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

type Reference = { code: string; nameZh: string; nameEn: string }[];

export default function PlanEditor() {
  const { household, plan, year, can, reference } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const t = useT();
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

  if (!can.edit) {
    return (
      <>
        <h1>{t("plan.editor.title", { head: household.headName, year })}</h1>
        <p className="notice">
          {t("plan.editor.locked", { status: t(`planStatus.${plan?.status ?? "none"}` as "planStatus.none") })}
        </p>
        <Link to={`/households/${household.id}#plan`}>{t("plan.editor.back")}</Link>
      </>
    );
  }

  return (
    <>
      <p className="small">
        <Link to={`/households/${household.id}`}>← {t("plan.editor.back")}</Link>
      </p>
      <h1>{t(plan ? "plan.editor.title" : "plan.editor.newTitle", { head: household.headName, year })}</h1>
      {plan?.status === "returned" && plan.returnReason ? (
        <p className="notice" role="status">
          {t("plan.returnedBecause", { reason: plan.returnReason })}
        </p>
      ) : null}
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
                  household.courtyardArea === null
                    ? "plan.error.householdHasNoCourtyard"
                    : "plan.courtyardFromHousehold",
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
                <Field
                  label={<label htmlFor={f.cropCode.id}>{t("col.crop")}</label>}
                  errorId={f.cropCode.errorId}
                  errors={f.cropCode.errors}
                >
                  <RefSelect meta={f.cropCode} options={reference.crops} />
                </Field>
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
                <Field
                  label={<label htmlFor={f.animalCode.id}>{t("plan.animal")}</label>}
                  errorId={f.animalCode.errorId}
                  errors={f.animalCode.errors}
                >
                  <RefSelect meta={f.animalCode} options={reference.animals} />
                </Field>
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
    </>
  );
}

function AreaField({
  meta,
  label,
  readOnly,
  note,
}: {
  meta: FieldMetadata<number>;
  label: string;
  readOnly?: boolean;
  note?: React.ReactNode;
}) {
  const t = useT();
  const value = Number(meta.value);
  const mu =
    meta.value !== undefined && meta.value !== "" && Number.isFinite(value)
      ? t("unit.mu", { value: sqmToMu(value) })
      : null;
  return (
    <Field
      label={<label htmlFor={meta.id}>{label}</label>}
      hint={
        note ? (
          <>
            {mu ? `${mu} · ` : null}
            {note}
          </>
        ) : (
          (mu ?? t("plan.sqmHint"))
        )
      }
      errorId={meta.errorId}
      errors={meta.errors}
    >
      <input {...getInputProps(meta, { type: "number" })} step="0.01" inputMode="decimal" readOnly={readOnly} />
    </Field>
  );
}

function RefSelect({ meta, options }: { meta: FieldMetadata<string>; options: Reference }) {
  const t = useT();
  const locale = useLocale();
  return (
    <select {...getSelectProps(meta)}>
      <option value="">{t("plan.choose")}</option>
      {options.map((o) => (
        <option key={o.code} value={o.code}>
          {locale === "en" ? o.nameEn : o.nameZh}
        </option>
      ))}
    </select>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
