import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { FORM_CONSTRAINTS } from "~/schemas/constraints";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import type { z } from "zod";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ErrorList, Field } from "~/components/forms";
import { OneTimePassword } from "~/components/one-time-password";
import { UserFields } from "~/components/user-fields";
import { requirePermission } from "~/http/auth.server";
import { readForm, runModel } from "~/http/form.server";
import { useT } from "~/i18n";
import { createUser, userFormOptions } from "~/models/users.server";
import { UserCreateSchema } from "~/schemas/users";
import { pageMeta } from "~/components/page-title";
import { parseForm } from "~/utils/zod-messages";

export const meta = pageMeta("users.newTitle");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "user.manage");
  const options = await userFormOptions({ scope: user.scope });
  // an official's township is the only one they may give: chosen for them
  const township = user.role === "official" ? options.townships[0]?.id : undefined;
  return { options, defaults: { role: user.role === "official" ? "cadre" : "", townshipId: township ?? "" } };
}

// The one-time password is shown in the action's own answer — never in a URL, a redirect or a log.
export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "user.manage");
  const submission = parseForm(await readForm(request), { schema: UserCreateSchema });
  if (submission.status !== "success") {
    return Response.json({ result: submission.reply() }, { status: submission.status === "error" ? 400 : 200 });
  }
  const result = await runModel(submission, () => createUser({ scope: user.scope, input: submission.value }));
  if (!result.ok) return Response.json({ result: await result.response.json() }, { status: result.response.status });
  return Response.json({ result: submission.reply({ resetForm: true }), created: result.value });
}

export default function NewUser() {
  const { options, defaults } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const t = useT();
  const created = actionData && "created" in actionData ? actionData.created : null;
  const [form, fields] = useForm<z.input<typeof UserCreateSchema>, z.output<typeof UserCreateSchema>>({
    id: created ? `new-user-${created.id}` : "new-user",
    lastResult: created ? undefined : actionData?.result,
    constraint: FORM_CONSTRAINTS.UserCreateSchema,
    defaultValue: defaults,
  });
  return (
    <>
      <p className="small">
        <Link to="/admin/users">{t("users.back")}</Link>
      </p>
      <h1>{t("users.newTitle")}</h1>
      {created ? (
        <OneTimePassword
          message={t("users.created", { username: created.username })}
          password={created.oneTimePassword}
          userId={created.id}
        />
      ) : null}
      <Form method="post" className="form" {...getFormProps(form)}>
        <ErrorList id={form.errorId} errors={form.errors} />
        <Field
          label={<label htmlFor={fields.username.id}>{t("users.username")}</label>}
          hint={t("users.usernameHint")}
          errorId={fields.username.errorId}
          errors={fields.username.errors}
        >
          <input
            {...getInputProps(fields.username, { type: "text" })}
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
          />
        </Field>
        <UserFields fields={fields} options={options} />
        <button className="button" type="submit" disabled={navigation.state === "submitting"}>
          {t("users.create")}
        </button>
      </Form>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
