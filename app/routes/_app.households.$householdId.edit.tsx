import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { FORM_CONSTRAINTS } from "~/schemas/constraints";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { type z } from "zod";
import { HouseholdParamsSchema } from "~/schemas/route-params";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ErrorList } from "~/components/forms";
import { HouseholdFieldset } from "~/components/household-fields";
import { useT } from "~/i18n";
import { getHouseholdForEdit, updateHousehold } from "~/models/households.server";
import { villagesForRegistration } from "~/models/regions.server";
import { causeChoices } from "~/models/reference-lists.server";
import { EditHouseholdSchema } from "~/schemas/household";
import { requirePermission } from "~/http/auth.server";
import { notFound, readForm, runModel } from "~/http/form.server";
import { parseForm } from "~/utils/zod-messages";
import { PageHeading, pageMeta, type PageTitle } from "~/components/page-title";

export const meta = pageMeta();

async function load(request: Request, params: unknown) {
  const user = await requirePermission(request, "household.write");
  const parsed = HouseholdParamsSchema.safeParse(params);
  if (!parsed.success) notFound();
  const household = await getHouseholdForEdit({ id: parsed.data.householdId, scope: user.scope });
  if (!household) notFound();
  return { user, household };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, household } = await load(request, params);
  return {
    household,
    title: { key: "record.edit.title", values: { head: household.headName } } satisfies PageTitle,
    villages: await villagesForRegistration(user.scope),
    causes: await causeChoices(household.povertyCause),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, household } = await load(request, params);
  const submission = parseForm(await readForm(request), { schema: EditHouseholdSchema });
  if (submission.status !== "success") return Response.json(submission.reply(), { status: 400 });
  const { version, ...input } = submission.value;
  const result = await runModel(submission, () =>
    updateHousehold({ scope: user.scope, id: household.id, version, input }),
  );
  if (!result.ok) return result.response;
  return redirect(`/households/${household.id}?saved=household`);
}

export default function EditHousehold() {
  const { household, title, villages, causes } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const t = useT();
  const [form, fields] = useForm<z.input<typeof EditHouseholdSchema>>({
    id: `edit-household-${household.id}`,
    lastResult,
    constraint: FORM_CONSTRAINTS.EditHouseholdSchema,
    defaultValue: {
      version: household.version,
      villageId: household.villageId,
      groupId: household.groupId ?? undefined,
      address: household.address ?? undefined,
      phone: household.phone ?? undefined,
      povertyStatus: household.povertyStatus,
      povertyCause: household.povertyCause,
      courtyardArea: household.courtyardArea ?? undefined,
    },
  });
  return (
    <>
      <PageHeading title={title} back={{ to: `/households/${household.id}`, label: "plan.editor.back" }} />
      <Form method="post" className="form" {...getFormProps(form)}>
        <input {...getInputProps(fields.version, { type: "hidden" })} />
        <ErrorList id={form.errorId} errors={form.errors} />
        <HouseholdFieldset fields={fields as never} villages={villages} causes={causes} />
        <button className="button" type="submit" disabled={navigation.state === "submitting"}>
          {t("record.save")}
        </button>
      </Form>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
