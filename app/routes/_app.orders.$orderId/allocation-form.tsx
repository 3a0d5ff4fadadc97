import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { FORM_CONSTRAINTS } from "~/schemas/constraints";
import type { z } from "zod";
import { Form, useLoaderData, useNavigation } from "@remix-run/react";
import { Choice } from "~/components/choice";
import { ErrorList, Field } from "~/components/forms";
import { useLocale, useT } from "~/i18n";
import { type AllocationSchema } from "~/schemas/orders";
import { useIntentResult } from "~/utils/intent-reply";
import { fmtKg } from "./format";
import { INTENT } from "./intents";
import type { loader } from "./route";

export function AllocationForm() {
  const { order, candidates, q, totals } = useLoaderData<typeof loader>();
  const lastResult = useIntentResult(INTENT.allocate);
  const navigation = useNavigation();
  const t = useT();
  const locale = useLocale();
  const [form, fields] = useForm<z.input<typeof AllocationSchema>>({
    id: "allocate",
    lastResult,
    constraint: FORM_CONSTRAINTS.OrderAllocationSchema,
  });
  return (
    <details className="card" open={Boolean(lastResult) || Boolean(q) || totals.unallocatedKg > 0}>
      <summary>{t("orders.allocate.title")}</summary>
      {/* a GET form: the server narrows the members offered below, with or without JavaScript */}
      <Form method="get" action={`/orders/${order.id}`} className="actions" preventScrollReset>
        <label className="field">
          <span>{t("orders.allocate.search")}</span>
          <input type="search" name="q" defaultValue={q} maxLength={20} />
        </label>
        <button className="button secondary small-button" type="submit">
          {t("orders.allocate.searchButton")}
        </button>
      </Form>
      <Form
        method="post"
        action={`/orders/${order.id}${q ? `?${new URLSearchParams({ q })}` : ""}`}
        className="form"
        {...getFormProps(form)}
      >
        <input type="hidden" name="intent" value={INTENT.allocate} />
        <ErrorList id={form.errorId} errors={form.errors} />
        <Choice
          meta={fields.householdId}
          label={t("orders.allocate.household")}
          placeholder={t("orders.choose")}
          options={candidates.households.map((h) => ({ value: h.id, label: `${h.headName} · ${h.village}` }))}
          hint={
            candidates.households.length === 0
              ? t(q ? "orders.allocate.noMatch" : "orders.allocate.noCandidates")
              : candidates.more
                ? t("orders.allocate.more", { count: candidates.households.length })
                : t("orders.allocate.membersOnly")
          }
        />
        <Field
          label={<label htmlFor={fields.quantityKg.id}>{t("orders.allocate.quantity")}</label>}
          hint={t("orders.allocate.left", { kg: fmtKg(locale, totals.unallocatedKg) })}
          errorId={fields.quantityKg.errorId}
          errors={fields.quantityKg.errors}
        >
          <input {...getInputProps(fields.quantityKg, { type: "number" })} step="0.01" inputMode="decimal" />
        </Field>
        <button className="button" type="submit" disabled={navigation.state === "submitting"}>
          {t("orders.allocate.submit")}
        </button>
      </Form>
    </details>
  );
}
