import { getFormProps, useForm } from "@conform-to/react";
import { FORM_CONSTRAINTS } from "~/schemas/constraints";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { type z } from "zod";
import { MemberParamsSchema, MemberRemoveSchema } from "~/schemas/route-params";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ErrorList } from "~/components/forms";
import { MemberFieldset } from "~/components/household-fields";
import { useT } from "~/i18n";
import { getHousehold } from "~/models/households.server";
import { addMember, getMemberForEdit, removeMember, updateMember } from "~/models/members.server";
import { EditMemberSchema, MemberSchema, type EditMemberFieldsSchema } from "~/schemas/household";
import { requirePermission } from "~/http/auth.server";
import { currentYear } from "~/utils/dates";
import { notFound, readForm, runModel } from "~/http/form.server";
import { parseForm } from "~/utils/zod-messages";
import { PageHeading, pageMeta, type PageTitle } from "~/components/page-title";

export const meta = pageMeta();

// One route for adding (`/members/new`) and editing (`/members/:memberId`) a member.
async function load(request: Request, params: unknown, { shown }: { shown: boolean }) {
  const user = await requirePermission(request, "household.write");
  const parsed = MemberParamsSchema.safeParse(params);
  if (!parsed.success) notFound();
  const household = await getHousehold({ id: parsed.data.householdId, scope: user.scope, year: currentYear() });
  if (!household) notFound();
  const member =
    parsed.data.memberId === "new"
      ? null
      : await getMemberForEdit({ scope: user.scope, householdId: household.id, memberId: parsed.data.memberId, shown });
  if (parsed.data.memberId !== "new" && !member) notFound();
  return { user, household, member };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { household, member } = await load(request, params, { shown: true });
  const title: PageTitle = member
    ? { key: "record.member.editTitle", values: { head: household.headName, name: member.name } }
    : { key: "record.member.newTitle", values: { head: household.headName } };
  return { household: { id: household.id, headName: household.headName }, member, title };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, household, member } = await load(request, params, { shown: false });
  const formData = await readForm(request);
  if (member && formData.get("intent") === "remove") {
    const submission = parseForm(formData, { schema: MemberRemoveSchema });
    if (submission.status !== "success") return Response.json(submission.reply(), { status: 400 });
    const { version } = submission.value;
    const result = await runModel(submission, () => removeMember({ scope: user.scope, memberId: member.id, version }));
    if (!result.ok) return result.response;
    return redirect(`/households/${household.id}?saved=member`);
  }
  if (member) {
    const submission = parseForm(formData, { schema: EditMemberSchema });
    if (submission.status !== "success") return Response.json(submission.reply(), { status: 400 });
    const { version, ...input } = submission.value;
    const result = await runModel(submission, () =>
      updateMember({ scope: user.scope, memberId: member.id, version, member: input }),
    );
    if (!result.ok) return result.response;
  } else {
    const submission = parseForm(formData, { schema: MemberSchema });
    if (submission.status !== "success") return Response.json(submission.reply(), { status: 400 });
    const result = await runModel(submission, () =>
      addMember({ scope: user.scope, householdId: household.id, member: submission.value }),
    );
    if (!result.ok) return result.response;
  }
  return redirect(`/households/${household.id}?saved=member`);
}

export default function MemberEditor() {
  const { household, member, title } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const t = useT();
  const [form, fields] = useForm<z.input<typeof EditMemberFieldsSchema>>({
    id: `member-${member?.id ?? "new"}`,
    lastResult,
    // the fields' constraints: the full schema ends in a transform Conform cannot walk
    constraint: member ? FORM_CONSTRAINTS.EditMemberFieldsSchema : FORM_CONSTRAINTS.MemberFieldsSchema,
    defaultValue: member ?? { health: "healthy", labourAbility: "full" },
  });
  return (
    <>
      <PageHeading title={title} back={{ to: `/households/${household.id}`, label: "plan.editor.back" }} />
      <Form method="post" className="form" {...getFormProps(form)}>
        {member ? <input type="hidden" name="version" value={member.version} /> : null}
        <ErrorList id={form.errorId} errors={form.errors} />
        <MemberFieldset fields={fields as never} />
        <button className="button" type="submit" disabled={navigation.state === "submitting"}>
          {t("record.save")}
        </button>
      </Form>
      {member && member.relation !== "head" ? (
        <Form method="post" className="actions">
          <input type="hidden" name="version" value={member.version} />
          <button className="button secondary" type="submit" name="intent" value="remove">
            {t("record.member.remove")}
          </button>
        </Form>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
