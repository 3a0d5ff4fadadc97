import { getFormProps, useForm } from "@conform-to/react";
import { FORM_CONSTRAINTS } from "~/schemas/constraints";
import type { z } from "zod";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ErrorList } from "~/components/forms";
import { ProjectFields } from "~/components/project-fields";
import { useT } from "~/i18n";
import { createProject } from "~/models/projects.server";
import { ProjectSchema } from "~/schemas/project";
import { requirePermission } from "~/http/auth.server";
import { todayISO } from "~/utils/dates";
import { readForm, runModel } from "~/http/form.server";
import { parseForm } from "~/utils/zod-messages";
import { PageHeading, pageMeta } from "~/components/page-title";

export const meta = pageMeta("projects.newTitle");

// Township officials create their township's projects.
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "project.write");
  return { today: todayISO() };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "project.write");
  const submission = parseForm(await readForm(request), { schema: ProjectSchema });
  if (submission.status !== "success") {
    return Response.json(submission.reply(), { status: submission.status === "error" ? 400 : 200 });
  }
  const result = await runModel(submission, () => createProject({ scope: user.scope, input: submission.value }));
  if (!result.ok) return result.response;
  return redirect(`/projects/${result.value.id}?saved=project`);
}

export default function NewProject() {
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const t = useT();
  const [form, fields] = useForm<z.input<typeof ProjectSchema>>({
    id: "new-project",
    lastResult,
    constraint: FORM_CONSTRAINTS.ProjectSchema,
    defaultValue: { status: "active", startsOn: todayISO() },
  });
  return (
    <>
      <PageHeading title={{ key: "projects.newTitle" }} back={{ to: "/projects", label: "projects.back" }} />
      <Form method="post" className="form" {...getFormProps(form)}>
        <ErrorList id={form.errorId} errors={form.errors} />
        <ProjectFields fields={fields} />
        <button className="button" type="submit" disabled={navigation.state === "submitting"}>
          {t("projects.create")}
        </button>
      </Form>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
