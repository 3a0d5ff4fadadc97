import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { FORM_CONSTRAINTS } from "~/schemas/constraints";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { type z } from "zod";
import { ProjectParamsSchema } from "~/schemas/route-params";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ErrorList } from "~/components/forms";
import { ProjectFields } from "~/components/project-fields";
import { useT } from "~/i18n";
import { getProject, updateProject } from "~/models/projects.server";
import { ProjectSchema } from "~/schemas/project";
import { requirePermission } from "~/http/auth.server";
import { notFound, readForm, runModel } from "~/http/form.server";
import { fenToYuan } from "~/utils/units";
import { parseForm } from "~/utils/zod-messages";

// The township official edits their township's project; a county-wide project or another township's is
// read-only (404 out of scope, 403 in scope but not theirs — the model decides).
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "project.write");
  const parsed = ProjectParamsSchema.safeParse(params);
  if (!parsed.success) notFound();
  const project = await getProject({ scope: user.scope, id: parsed.data.projectId });
  if (!project?.can.edit) notFound();
  return {
    project: { id: project.id, name: project.name, allocatedFen: project.allocatedFen },
    defaults: {
      version: String(project.version),
      name: project.name,
      type: project.type,
      fundingSource: project.fundingSource,
      budget: fenToYuan(project.budgetFen),
      startsOn: project.startsOn,
      endsOn: project.endsOn ?? "",
      status: project.status,
    },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "project.write");
  const parsed = ProjectParamsSchema.safeParse(params);
  if (!parsed.success) notFound();
  if (!(await getProject({ scope: user.scope, id: parsed.data.projectId }))) notFound();
  const submission = parseForm(await readForm(request), { schema: ProjectSchema });
  if (submission.status !== "success") {
    return Response.json(submission.reply(), { status: submission.status === "error" ? 400 : 200 });
  }
  const { version, ...input } = submission.value;
  if (version === undefined)
    return Response.json(submission.reply({ formErrors: ["common.conflict"] }), { status: 400 });
  const result = await runModel(submission, () =>
    updateProject({ scope: user.scope, projectId: parsed.data.projectId, version, input }),
  );
  if (!result.ok) return result.response;
  return redirect(`/projects/${parsed.data.projectId}?saved=project`);
}

export default function EditProject() {
  const { project, defaults } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const t = useT();
  const [form, fields] = useForm<z.input<typeof ProjectSchema>>({
    id: `edit-project-${project.id}`,
    lastResult,
    constraint: FORM_CONSTRAINTS.ProjectSchema,
    defaultValue: defaults,
  });
  return (
    <>
      <p className="small">
        <Link to={`/projects/${project.id}`}>← {project.name}</Link>
      </p>
      <h1>{t("projects.editTitle")}</h1>
      {project.allocatedFen > 0 ? (
        <p className="muted small">{t("projects.editBudgetFloor", { allocated: fenToYuan(project.allocatedFen) })}</p>
      ) : null}
      <Form method="post" className="form" {...getFormProps(form)}>
        <ErrorList id={form.errorId} errors={form.errors} />
        <input {...getInputProps(fields.version, { type: "hidden" })} />
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
