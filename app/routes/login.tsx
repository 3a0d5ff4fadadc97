import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { FORM_CONSTRAINTS } from "~/schemas/constraints";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { type z } from "zod";
import { ErrorList, Field } from "~/components/forms";
import { LanguageSwitch } from "~/components/layout";
import { useT } from "~/i18n";
import { attemptSignInFor, getUser, safeRedirectTo } from "~/http/auth.server";
import { LoginSchema } from "~/schemas/users";
import { parseForm } from "~/utils/zod-messages";
import { readForm } from "~/http/form.server";
import { clientAddress } from "~/utils/load-context";

export const meta: MetaFunction = () => [{ title: "登录 · 庭院" }];

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getUser(request)) throw redirect("/");
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await readForm(request);
  const submission = parseForm(formData, { schema: LoginSchema });
  if (submission.status !== "success") {
    return Response.json(submission.reply({ hideFields: ["password"] }), { status: 400 });
  }
  const { username, password, redirectTo } = submission.value;
  const result = await attemptSignInFor(request, username, password, clientAddress(context));
  if ("error" in result) {
    return Response.json(submission.reply({ formErrors: [result.error], hideFields: ["password"] }), {
      status: result.error === "login.locked" ? 429 : 400,
    });
  }
  return redirect(safeRedirectTo(redirectTo), { headers: { "Set-Cookie": result.cookie } });
}

export default function LoginPage() {
  const t = useT();
  const lastResult = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const navigation = useNavigation();
  const [form, fields] = useForm<z.input<typeof LoginSchema>>({
    id: "login",
    lastResult,
    constraint: FORM_CONSTRAINTS.LoginSchema,
  });
  const redirectTo = searchParams.get("redirectTo") ?? "/";

  return (
    <div className="login-page">
      <p className="brand-big">{t("app.name")}</p>
      <p className="muted">{t("app.tagline")}</p>
      <div className="card">
        <h1>{t("login.title")}</h1>
        {searchParams.get("expired") ? <p className="notice">{t("login.expired")}</p> : null}
        <Form method="post" className="form" {...getFormProps(form)}>
          <input type="hidden" name="redirectTo" value={redirectTo} />
          <ErrorList id={form.errorId} errors={form.errors} />
          <Field
            label={<label htmlFor={fields.username.id}>{t("login.username")}</label>}
            errorId={fields.username.errorId}
            errors={fields.username.errors}
          >
            <input
              {...getInputProps(fields.username, { type: "text" })}
              autoComplete="username"
              autoCapitalize="none"
              autoFocus
            />
          </Field>
          <Field
            label={<label htmlFor={fields.password.id}>{t("login.password")}</label>}
            errorId={fields.password.errorId}
            errors={fields.password.errors}
          >
            <input {...getInputProps(fields.password, { type: "password" })} autoComplete="current-password" />
          </Field>
          <button className="button" type="submit" disabled={navigation.state === "submitting"}>
            {t("login.submit")}
          </button>
        </Form>
      </div>
      <p className="muted small">{t("login.demoHint")}</p>
      <LanguageSwitch />
    </div>
  );
}
