import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { FORM_CONSTRAINTS } from "~/schemas/constraints";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { type z } from "zod";
import { CooperativeParamsSchema } from "~/schemas/route-params";
import { CooperativeFields } from "~/components/cooperative-fields";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ErrorList } from "~/components/forms";
import { PageHeading, pageMeta } from "~/components/page-title";
import { requirePermission } from "~/http/auth.server";
import { notFound, readForm, runModel } from "~/http/form.server";
import { useT } from "~/i18n";
import { cooperativePlaces, getCooperative, updateCooperative } from "~/models/cooperatives.server";
import { CooperativeEditSchema } from "~/schemas/orders";
import { parseForm } from "~/utils/zod-messages";

export const meta = pageMeta("orders.coops.editTitle");

async function cooperativeOf(request: Request, params: unknown) {
  const user = await requirePermission(request, "cooperative.setup");
  const parsed = CooperativeParamsSchema.safeParse(params);
  if (!parsed.success) notFound();
  const coop = await getCooperative({ scope: user.scope, id: parsed.data.cooperativeId });
  if (!coop) notFound();
  return { user, coop: coop.cooperative };
}

// The cooperative's own details; its township stays (its members are households of that township).
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, coop } = await cooperativeOf(request, params);
  const places = await cooperativePlaces({ scope: user.scope });
  return {
    cooperative: { id: coop.id, name: coop.name, township: coop.township },
    options: {
      townships: [] as { id: string; name: string }[],
      villages: places.villages.filter((v) => v.townshipId === coop.townshipId),
    },
    defaults: {
      version: String(coop.version),
      name: coop.name,
      kind: coop.kind,
      villageId: coop.villageId ?? "",
      registrationCode: coop.registrationCode ?? "",
      contactName: coop.contactName ?? "",
      phone: coop.phone ?? "",
    },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, coop } = await cooperativeOf(request, params);
  const submission = parseForm(await readForm(request), { schema: CooperativeEditSchema });
  if (submission.status !== "success") return Response.json(submission.reply(), { status: 400 });
  const { version, ...input } = submission.value;
  const result = await runModel(submission, () =>
    updateCooperative({ scope: user.scope, cooperativeId: coop.id, version, input }),
  );
  if (!result.ok) return result.response;
  return redirect(`/cooperatives/${coop.id}?saved=setup`);
}

export default function EditCooperative() {
  const { cooperative, options, defaults } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const t = useT();
  const [form, fields] = useForm<z.input<typeof CooperativeEditSchema>, z.output<typeof CooperativeEditSchema>>({
    id: `edit-cooperative-${cooperative.id}-${defaults.version}`,
    lastResult,
    constraint: FORM_CONSTRAINTS.CooperativeEditSchema,
    defaultValue: defaults,
  });
  return (
    <>
      <PageHeading
        title={{ key: "orders.coops.editTitle" }}
        back={{ to: `/cooperatives/${cooperative.id}`, label: "orders.coops.back" }}
      />
      <p className="muted small">{cooperative.township}</p>
      <Form method="post" className="form" {...getFormProps(form)}>
        <ErrorList id={form.errorId} errors={form.errors} />
        <input {...getInputProps(fields.version, { type: "hidden" })} />
        <CooperativeFields fields={fields} options={options} townshipFixed />
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
