import { getFieldsetProps, getFormProps, useForm } from "@conform-to/react";
import { FORM_CONSTRAINTS } from "~/schemas/constraints";
import type { z } from "zod";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ErrorList } from "~/components/forms";
import { HouseholdFieldset, MemberFieldset } from "~/components/household-fields";
import { useT } from "~/i18n";
import { createHousehold } from "~/models/households.server";
import { villagesForRegistration } from "~/models/regions.server";
import { causeChoices } from "~/models/reference-lists.server";
import { NewHouseholdSchema } from "~/schemas/household";
import { requirePermission } from "~/http/auth.server";
import { todayISO } from "~/utils/dates";
import { readForm, runModel } from "~/http/form.server";
import { parseForm } from "~/utils/zod-messages";
import { PageHeading, pageMeta } from "~/components/page-title";

export const meta = pageMeta("record.new.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "household.write");
  const [villages, causes] = await Promise.all([villagesForRegistration(user.scope), causeChoices()]);
  return { villages, causes };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "household.write");
  const submission = parseForm(await readForm(request), { schema: NewHouseholdSchema });
  if (submission.status !== "success") {
    return Response.json(submission.reply(), { status: submission.status === "error" ? 400 : 200 });
  }
  const result = await runModel(submission, () =>
    createHousehold({ scope: user.scope, input: submission.value, today: todayISO() }),
  );
  if (!result.ok) return result.response;
  return redirect(`/households/${result.value!.id}?saved=household`);
}

export default function NewHousehold() {
  const { villages, causes } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const t = useT();
  const [form, fields] = useForm<z.input<typeof NewHouseholdSchema>>({
    id: "new-household",
    lastResult,
    constraint: FORM_CONSTRAINTS.NewHouseholdSchema,
    defaultValue: {
      povertyStatus: "registered",
      members: [{ relation: "head", health: "healthy", labourAbility: "full" }],
    },
  });
  const memberList = fields.members.getFieldList();
  return (
    <>
      <PageHeading title={{ key: "record.new.title" }} />
      <Form method="post" className="form wide" {...getFormProps(form)}>
        <ErrorList id={form.errorId} errors={form.errors} />
        <fieldset className="card">
          <legend>{t("households.title")}</legend>
          <HouseholdFieldset fields={fields as never} villages={villages} causes={causes} />
        </fieldset>
        <ErrorList id={fields.members.errorId} errors={fields.members.errors} />
        {memberList.map((member, index) => (
          <fieldset className="card" key={member.key} {...getFieldsetProps(member)}>
            <legend>{t("record.member.n", { n: index + 1 })}</legend>
            <MemberFieldset fields={member.getFieldset() as never} />
            {memberList.length > 1 ? (
              <button
                className="button secondary small-button"
                {...form.remove.getButtonProps({ name: fields.members.name, index })}
              >
                {t("record.member.removeRow")}
              </button>
            ) : null}
          </fieldset>
        ))}
        <button
          className="button secondary"
          {...form.insert.getButtonProps({
            name: fields.members.name,
            defaultValue: { health: "healthy", labourAbility: "full" },
          })}
        >
          {t("record.member.addRow")}
        </button>
        <button className="button" type="submit" disabled={navigation.state === "submitting"}>
          {t("record.create")}
        </button>
      </Form>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
