import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { FORM_CONSTRAINTS } from "~/schemas/constraints";
import type { z } from "zod";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { Choice } from "~/components/choice";
import { ErrorList, Field, useMessage } from "~/components/forms";
import { useT } from "~/i18n";
import { type AdjustFormSchema } from "~/schemas/points";
import type { LoaderData, action } from "./route";

/** An official's bonus or deduction, with its reason: for any cadre from the league, for this one from a card. */
export function AdjustForm({ data }: { data: LoaderData }) {
  const t = useT();
  const m = useMessage();
  const navigation = useNavigation();
  const actionData = useActionData<typeof action>();
  const lastResult =
    actionData && typeof actionData === "object" && "status" in actionData ? (actionData as never) : undefined;
  const fixedCadre = data.view === "card" ? data.card.cadre : null;
  const [form, fields] = useForm<z.input<typeof AdjustFormSchema>>({
    id: "points-adjust",
    lastResult,
    constraint: FORM_CONSTRAINTS.AdjustFormSchema,
    defaultValue: { effectiveOn: data.defaultEffectiveOn, cadreId: fixedCadre?.id ?? "" },
  });
  const errors = (list?: string[]) => list?.map((e) => m(e));
  return (
    <section aria-labelledby="adjust-title" className="adjust">
      <h2 id="adjust-title">{t("points.adjust.title")}</h2>
      <Form method="post" className="form card" {...getFormProps(form)}>
        <input type="hidden" name="intent" value="adjust" />
        <input type="hidden" name="from" value={fixedCadre ? "card" : "league"} />
        <ErrorList id={form.errorId} errors={form.errors} />
        {fixedCadre ? (
          <input type="hidden" name={fields.cadreId.name} value={fixedCadre.id} />
        ) : (
          <Choice
            meta={fields.cadreId}
            label={t("points.adjust.cadre")}
            placeholder={t("points.adjust.choose")}
            options={data.cadres.map((c) => ({ value: c.id, label: `${c.displayName}（${c.username}）` }))}
            errors={errors(fields.cadreId.errors)}
            hint={data.view === "league" && data.league.page.pageCount > 1 ? t("points.adjust.listed") : undefined}
          />
        )}
        <div className="adjust-pair">
          <Field
            label={<label htmlFor={fields.points.id}>{t("points.adjust.points")}</label>}
            errorId={fields.points.errorId}
            errors={errors(fields.points.errors)}
          >
            <input {...getInputProps(fields.points, { type: "number" })} step={1} inputMode="numeric" />
          </Field>
          <Field
            label={<label htmlFor={fields.effectiveOn.id}>{t("points.adjust.effectiveOn")}</label>}
            errorId={fields.effectiveOn.errorId}
            errors={errors(fields.effectiveOn.errors)}
          >
            <input {...getInputProps(fields.effectiveOn, { type: "date" })} max={data.today} />
          </Field>
        </div>
        <div className="muted small adjust-hint">{t("points.adjust.pointsHint")}</div>
        <Field
          label={<label htmlFor={fields.reason.id}>{t("points.adjust.reason")}</label>}
          errorId={fields.reason.errorId}
          errors={errors(fields.reason.errors)}
          hint={t("points.adjust.reasonHint")}
        >
          <input {...getInputProps(fields.reason, { type: "text" })} autoComplete="off" />
        </Field>
        <div>
          <button type="submit" className="button" disabled={navigation.state === "submitting"}>
            {t("points.adjust.submit")}
          </button>
        </div>
      </Form>
    </section>
  );
}
