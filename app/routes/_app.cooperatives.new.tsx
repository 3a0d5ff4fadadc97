import { getFormProps, useForm } from "@conform-to/react";
import { FORM_CONSTRAINTS } from "~/schemas/constraints";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import type { z } from "zod";
import { CooperativeFields } from "~/components/cooperative-fields";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ErrorList } from "~/components/forms";
import { PageHeading, pageMeta } from "~/components/page-title";
import { requirePermission } from "~/http/auth.server";
import { readForm, runModel } from "~/http/form.server";
import { useT } from "~/i18n";
import { cooperativePlaces, createCooperative } from "~/models/cooperatives.server";
import { CooperativeSchema } from "~/schemas/orders";
import { parseForm } from "~/utils/zod-messages";

export const meta = pageMeta("orders.coops.newTitle");

// An official registers a cooperative of their township; the administrator one of any township.
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "cooperative.setup");
  return { options: await cooperativePlaces({ scope: user.scope }), townshipFixed: user.role === "official" };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "cooperative.setup");
  const submission = parseForm(await readForm(request), { schema: CooperativeSchema });
  if (submission.status !== "success") return Response.json(submission.reply(), { status: 400 });
  const result = await runModel(submission, () => createCooperative({ scope: user.scope, input: submission.value }));
  if (!result.ok) return result.response;
  return redirect(`/cooperatives/${result.value.id}?saved=setup`);
}

export default function NewCooperative() {
  const { options, townshipFixed } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const t = useT();
  const [form, fields] = useForm<z.input<typeof CooperativeSchema>, z.output<typeof CooperativeSchema>>({
    id: "new-cooperative",
    lastResult,
    constraint: FORM_CONSTRAINTS.CooperativeSchema,
  });
  return (
    <>
      <PageHeading
        title={{ key: "orders.coops.newTitle" }}
        back={{ to: "/cooperatives", label: "orders.coops.back" }}
      />
      <Form method="post" className="form" {...getFormProps(form)}>
        <ErrorList id={form.errorId} errors={form.errors} />
        <CooperativeFields fields={fields} options={options} townshipFixed={townshipFixed} />
        <button className="button" type="submit" disabled={navigation.state === "submitting"}>
          {t("orders.coops.create")}
        </button>
      </Form>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
