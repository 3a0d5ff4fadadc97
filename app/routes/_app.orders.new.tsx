import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { FORM_CONSTRAINTS } from "~/schemas/constraints";
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { type z } from "zod";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ErrorList, Field } from "~/components/forms";
import { useLocale, useT } from "~/i18n";
import { cooperativeIsInScope } from "~/models/cooperatives.server";
import { createOrder, orderFormOptions } from "~/models/orders.server";
import { NewOrderSchema } from "~/schemas/orders";
import { requirePermission } from "~/http/auth.server";
import { currentYear, todayISO } from "~/utils/dates";
import { notFound, readForm, runModel } from "~/http/form.server";
import orderStyles from "~/styles/orders.css";
import { parseForm } from "~/utils/zod-messages";
import { PageHeading, pageMeta } from "~/components/page-title";
import { Choice } from "~/components/choice";
import { entryLabel } from "~/utils/reference";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: orderStyles }];

export const meta = pageMeta("orders.newTitle");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "order.write");
  const options = await orderFormOptions({ scope: user.scope });
  return { ...options, year: currentYear(), today: todayISO() };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "order.write");
  const submission = parseForm(await readForm(request), { schema: NewOrderSchema });
  if (submission.status !== "success") {
    return Response.json(submission.reply(), { status: submission.status === "error" ? 400 : 200 });
  }
  const { cooperativeId, ...input } = submission.value;
  if (!(await cooperativeIsInScope({ scope: user.scope, id: cooperativeId }))) notFound();
  const result = await runModel(submission, () =>
    createOrder({ scope: user.scope, cooperativeId, input, today: todayISO() }),
  );
  if (!result.ok) return result.response;
  return redirect(`/orders/${result.value.id}?saved=order`);
}

export default function NewOrder() {
  const { cooperatives, buyers, crops, year } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const t = useT();
  const locale = useLocale();
  const [form, fields] = useForm<z.input<typeof NewOrderSchema>>({
    id: "new-order",
    lastResult,
    constraint: FORM_CONSTRAINTS.NewOrderSchema,
    defaultValue: {
      cooperativeId: cooperatives.length === 1 ? cooperatives[0].id : "",
      status: "draft",
      season: t("orders.seasonDefault", { year }),
    },
  });
  return (
    <>
      <PageHeading title={{ key: "orders.newTitle" }} back={{ to: "/orders", label: "orders.back" }} />
      {buyers.length === 0 ? (
        <p className="notice">
          {t("orders.noBuyers")} <Link to="/buyers">{t("orders.buyers.new")}</Link>
        </p>
      ) : null}
      <Form method="post" className="form" {...getFormProps(form)}>
        <ErrorList id={form.errorId} errors={form.errors} />
        <Choice
          meta={fields.cooperativeId}
          label={t("orders.field.cooperative")}
          // a clerk's one cooperative is the only answer: nothing to choose
          placeholder={cooperatives.length === 1 ? undefined : t("orders.choose")}
          options={cooperatives.map((c) => ({ value: c.id, label: c.name }))}
        />
        <Choice
          meta={fields.buyerId}
          label={t("orders.field.buyer")}
          placeholder={t("orders.choose")}
          options={buyers.map((b) => ({ value: b.id, label: b.name }))}
          hint={<Link to="/buyers">{t("orders.field.buyerHint")}</Link>}
        />
        <Choice
          meta={fields.cropCode}
          label={t("orders.field.crop")}
          placeholder={t("orders.choose")}
          options={crops.map((c) => ({ value: c.code, label: entryLabel(c, locale) }))}
        />
        <div className="form-grid-2">
          <Field
            label={<label htmlFor={fields.quantityKg.id}>{t("orders.field.quantity")}</label>}
            errorId={fields.quantityKg.errorId}
            errors={fields.quantityKg.errors}
          >
            <input {...getInputProps(fields.quantityKg, { type: "number" })} step="0.01" inputMode="decimal" />
          </Field>
          <Field
            label={<label htmlFor={fields.unitPriceFen.id}>{t("orders.field.price")}</label>}
            errorId={fields.unitPriceFen.errorId}
            errors={fields.unitPriceFen.errors}
          >
            <input {...getInputProps(fields.unitPriceFen, { type: "number" })} step="0.01" inputMode="decimal" />
          </Field>
        </div>
        <Field
          label={<label htmlFor={fields.season.id}>{t("orders.field.season")}</label>}
          hint={t("orders.field.seasonHint")}
          errorId={fields.season.errorId}
          errors={fields.season.errors}
        >
          <input {...getInputProps(fields.season, { type: "text" })} />
        </Field>
        <div className="form-grid-2">
          <Field
            label={<label htmlFor={fields.deliveryStart.id}>{t("orders.field.deliveryStart")}</label>}
            errorId={fields.deliveryStart.errorId}
            errors={fields.deliveryStart.errors}
          >
            <input {...getInputProps(fields.deliveryStart, { type: "date" })} />
          </Field>
          <Field
            label={<label htmlFor={fields.deliveryEnd.id}>{t("orders.field.deliveryEnd")}</label>}
            errorId={fields.deliveryEnd.errorId}
            errors={fields.deliveryEnd.errors}
          >
            <input {...getInputProps(fields.deliveryEnd, { type: "date" })} />
          </Field>
        </div>
        <Choice
          meta={fields.status}
          label={t("orders.field.status")}
          hint={t("orders.field.statusHint")}
          // an order starts as a draft or already signed; the later statuses are steps on its page
          words={["draft", "signed"]}
          wordKey="orders.status"
        />
        <button className="button" type="submit" disabled={navigation.state === "submitting"}>
          {t("orders.create")}
        </button>
      </Form>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
