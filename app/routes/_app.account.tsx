import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { FORM_CONSTRAINTS } from "~/schemas/constraints";
import type { z } from "zod";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ErrorList, Field } from "~/components/forms";
import { renewSessionCookie, requireUser } from "~/http/auth.server";
import { readForm, runModel } from "~/http/form.server";
import { useT } from "~/i18n";
import { changeOwnPassword } from "~/models/users.server";
import { PasswordChangeSchema } from "~/schemas/users";
import { pageMeta } from "~/components/page-title";
import { parseForm } from "~/utils/zod-messages";

export const meta = pageMeta("account.metaTitle");

// Everyone's own account: who they are, and their password. A user on a one-time password is sent here
// by requireUser until they choose their own.
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return {
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    scopeName: user.scopeName,
    mustChangePassword: user.mustChangePassword,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const submission = parseForm(await readForm(request), { schema: PasswordChangeSchema });
  if (submission.status !== "success") {
    // a password never travels back to the page
    return Response.json(submission.reply({ hideFields: ["currentPassword", "newPassword", "confirmPassword"] }), {
      status: submission.status === "error" ? 400 : 200,
    });
  }
  const { currentPassword, newPassword } = submission.value;
  const result = await runModel(
    {
      reply: (options) =>
        submission.reply({ ...options, hideFields: ["currentPassword", "newPassword", "confirmPassword"] }),
    },
    () => changeOwnPassword({ userId: user.id, currentPassword, newPassword }),
  );
  if (!result.ok) return result.response;
  // every session of the user ended with the change; this device gets a new one
  return redirect("/account?changed=1", { headers: { "Set-Cookie": await renewSessionCookie(request, user.id) } });
}

export default function Account() {
  const account = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const [searchParams] = useSearchParams();
  const t = useT();
  const [form, fields] = useForm<z.input<typeof PasswordChangeSchema>>({
    id: "password-change",
    lastResult,
    constraint: FORM_CONSTRAINTS.PasswordChangeSchema,
  });
  return (
    <>
      <h1>{t("account.title")}</h1>
      {account.mustChangePassword ? (
        <p className="notice" role="alert">
          {t("account.required")}
        </p>
      ) : null}
      {searchParams.get("changed") ? (
        <p className="success" role="status">
          {t("account.changed")}
        </p>
      ) : null}
      <dl className="facts">
        <dt>{t("users.displayName")}</dt>
        <dd>{account.displayName}</dd>
        <dt>{t("account.username")}</dt>
        <dd>{account.username}</dd>
        <dt>{t("account.role")}</dt>
        <dd>
          {t(`users.roleOption.${account.role}`)}
          {account.scopeName ? ` · ${account.scopeName}` : ""}
        </dd>
      </dl>
      <h2>{t("account.changePassword")}</h2>
      <Form method="post" className="form" {...getFormProps(form)}>
        <ErrorList id={form.errorId} errors={form.errors} />
        {/* the username lets a password manager file the new password under the right account */}
        <input type="text" name="username" value={account.username} autoComplete="username" readOnly hidden />
        <Field
          label={<label htmlFor={fields.currentPassword.id}>{t("account.currentPassword")}</label>}
          errorId={fields.currentPassword.errorId}
          errors={fields.currentPassword.errors}
        >
          <input {...getInputProps(fields.currentPassword, { type: "password" })} autoComplete="current-password" />
        </Field>
        <Field
          label={<label htmlFor={fields.newPassword.id}>{t("account.newPassword")}</label>}
          hint={t("account.newPasswordHint")}
          errorId={fields.newPassword.errorId}
          errors={fields.newPassword.errors}
        >
          <input {...getInputProps(fields.newPassword, { type: "password" })} autoComplete="new-password" />
        </Field>
        <Field
          label={<label htmlFor={fields.confirmPassword.id}>{t("account.confirmPassword")}</label>}
          errorId={fields.confirmPassword.errorId}
          errors={fields.confirmPassword.errors}
        >
          <input {...getInputProps(fields.confirmPassword, { type: "password" })} autoComplete="new-password" />
        </Field>
        <button className="button" type="submit" disabled={navigation.state === "submitting"}>
          {t("account.submit")}
        </button>
      </Form>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
