import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { FORM_CONSTRAINTS } from "~/schemas/constraints";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { type z } from "zod";
import { BuyerParamsSchema } from "~/schemas/route-params";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ErrorList, Field } from "~/components/forms";
import { PageHeading, pageMeta } from "~/components/page-title";
import { requirePermission } from "~/http/auth.server";
import { notFound, readForm, runModel } from "~/http/form.server";
import { useT } from "~/i18n";
import { getBuyer, updateBuyer } from "~/models/buyers.server";
import { BuyerEditSchema } from "~/schemas/orders";
import { parseForm } from "~/utils/zod-messages";

export const meta = pageMeta("orders.buyer.editTitle");

async function buyerOf(request: Request, params: unknown) {
  const user = await requirePermission(request, "buyer.write");
  const parsed = BuyerParamsSchema.safeParse(params);
  if (!parsed.success) notFound();
  const buyer = await getBuyer({ scope: user.scope, id: parsed.data.buyerId });
  if (!buyer) notFound();
  return { user, buyer };
}

// A buyer's details corrected: the credit code is checked again, and stays unique in the county's register.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { buyer } = await buyerOf(request, params);
  return {
    buyer: { id: buyer.id, name: buyer.name },
    defaults: {
      version: String(buyer.version),
      name: buyer.name,
      creditCode: buyer.creditCode,
      contactName: buyer.contactName ?? "",
      phone: buyer.phone ?? "",
      address: buyer.address ?? "",
    },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, buyer } = await buyerOf(request, params);
  const submission = parseForm(await readForm(request), { schema: BuyerEditSchema });
  if (submission.status !== "success") return Response.json(submission.reply(), { status: 400 });
  const { version, ...input } = submission.value;
  const result = await runModel(submission, () => updateBuyer({ scope: user.scope, id: buyer.id, version, input }));
  if (!result.ok) return result.response;
  return redirect(`/buyers?saved=${buyer.id}#buyer-${buyer.id}`);
}

export default function EditBuyer() {
  const { buyer, defaults } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const t = useT();
  const [form, fields] = useForm<z.input<typeof BuyerEditSchema>, z.output<typeof BuyerEditSchema>>({
    id: `edit-buyer-${buyer.id}-${defaults.version}`,
    lastResult,
    constraint: FORM_CONSTRAINTS.BuyerEditSchema,
    defaultValue: defaults,
  });
  const text = (name: "name" | "creditCode" | "contactName" | "phone" | "address", label: Parameters<typeof t>[0]) => (
    <Field
      label={<label htmlFor={fields[name].id}>{t(label)}</label>}
      errorId={fields[name].errorId}
      errors={fields[name].errors}
    >
      <input {...getInputProps(fields[name], { type: name === "phone" ? "tel" : "text" })} />
    </Field>
  );
  return (
    <>
      <PageHeading title={{ key: "orders.buyer.editTitle" }} back={{ to: "/buyers", label: "orders.buyer.back" }} />
      <Form method="post" className="form" {...getFormProps(form)}>
        <ErrorList id={form.errorId} errors={form.errors} />
        <input {...getInputProps(fields.version, { type: "hidden" })} />
        {text("name", "orders.buyer.name")}
        {text("creditCode", "orders.buyer.creditCode")}
        {text("contactName", "orders.buyer.contactName")}
        {text("phone", "orders.buyer.phone")}
        {text("address", "orders.buyer.address")}
        <button className="button" type="submit" disabled={navigation.state === "submitting"}>
          {t("orders.broker.save")}
        </button>
      </Form>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
