import { getFormProps, getInputProps, useForm, type SubmissionResult } from "@conform-to/react";
import { FORM_CONSTRAINTS } from "~/schemas/constraints";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { type z } from "zod";
import { UserParamsSchema } from "~/schemas/route-params";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ErrorList } from "~/components/forms";
import { OneTimePassword } from "~/components/one-time-password";
import { UserFields } from "~/components/user-fields";
import { requirePermission } from "~/http/auth.server";
import { notFound, readForm, runModel } from "~/http/form.server";
import { useLocale, useT, type MessageKey } from "~/i18n";
import { getManagedUser, resetUserPassword, setUserActive, updateUser, userFormOptions } from "~/models/users.server";
import { UserActionSchema, UserEditSchema } from "~/schemas/users";
import { intentReply, intentReplyFrom, useIntentResult, type IntentReply } from "~/utils/intent-reply";
import { pageMeta } from "~/components/page-title";
import { parseForm } from "~/utils/zod-messages";
import { dateTimeFormat } from "~/utils/intl";

export const meta = pageMeta("users.editTitle");

const INTENT = { update: "update", deactivate: "deactivate", reactivate: "reactivate", reset: "reset" } as const;
const SAVED = ["saved", "deactivated", "reactivated"] as const;

async function managedUser(request: Request, params: unknown) {
  const user = await requirePermission(request, "user.manage");
  const parsed = UserParamsSchema.safeParse(params);
  if (!parsed.success) notFound();
  const target = await getManagedUser({ scope: user.scope, id: parsed.data.userId });
  if (!target) notFound();
  return { user, target };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, target } = await managedUser(request, params);
  const options = await userFormOptions({ scope: user.scope });
  // a confirmation is a page state, so it works without JavaScript: the button leads here, the form posts
  const confirm = new URL(request.url).searchParams.get("confirm");
  return {
    target: {
      id: target.id,
      username: target.username,
      displayName: target.displayName,
      role: target.role,
      active: target.active,
      mustChangePassword: target.mustChangePassword,
      households: target.households,
      createdAt: target.createdAt,
      passwordChangedAt: target.passwordChangedAt,
      version: target.version,
    },
    defaults: {
      version: String(target.version),
      displayName: target.displayName,
      phone: target.phone ?? "",
      role: target.role,
      townshipId: target.townshipId ?? "",
      cooperativeId: target.cooperativeId ?? "",
    },
    // an official may edit a cadre or a clerk but not make one an official: the list holds what they may give
    options,
    can: target.can,
    confirm: confirm === INTENT.deactivate || confirm === INTENT.reset ? confirm : null,
  };
}

type ResetReply = IntentReply & { reset?: { username: string; oneTimePassword: string } };

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, target } = await managedUser(request, params);
  const formData = await readForm(request);
  const intent = String(formData.get("intent") ?? "");
  const reply = (result: SubmissionResult<string[]>, status: number) => intentReply(intent, result, status);
  const back = (saved: (typeof SAVED)[number]) => redirect(`/admin/users/${target.id}?saved=${saved}`);

  if (intent === INTENT.update) {
    const submission = parseForm(formData, { schema: UserEditSchema });
    if (submission.status !== "success") return reply(submission.reply(), 400);
    const { version, ...input } = submission.value;
    const result = await runModel(submission, () => updateUser({ scope: user.scope, id: target.id, version, input }));
    if (!result.ok) return intentReplyFrom(result.response, intent);
    return back("saved");
  }
  if (intent === INTENT.deactivate || intent === INTENT.reactivate || intent === INTENT.reset) {
    const submission = parseForm(formData, { schema: UserActionSchema });
    if (submission.status !== "success") return reply(submission.reply(), 400);
    const { version } = submission.value;
    if (intent === INTENT.reset) {
      const result = await runModel(submission, () => resetUserPassword({ scope: user.scope, id: target.id, version }));
      if (!result.ok) return intentReplyFrom(result.response, intent);
      const { username, oneTimePassword } = result.value;
      // the password is in this answer only: a redirect would have to carry it in the URL
      return Response.json({
        intent,
        result: submission.reply({ resetForm: true }),
        reset: { username, oneTimePassword },
      } satisfies ResetReply);
    }
    const active = intent === INTENT.reactivate;
    const result = await runModel(submission, () =>
      setUserActive({ scope: user.scope, id: target.id, version, active }),
    );
    if (!result.ok) return intentReplyFrom(result.response, intent);
    return back(active ? "reactivated" : "deactivated");
  }
  return reply({ status: "error", error: { "": ["field.choice"] } }, 400);
}

export default function UserPage() {
  const { target, defaults, options, can, confirm } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ResetReply | undefined;
  const [searchParams] = useSearchParams();
  const navigation = useNavigation();
  const t = useT();
  const locale = useLocale();
  const saved = searchParams.get("saved");
  const date = (value: string | null) =>
    value ? dateTimeFormat(locale === "en" ? "en-GB" : "zh-CN").format(new Date(value)) : "";
  const [form, fields] = useForm<z.input<typeof UserEditSchema>, z.output<typeof UserEditSchema>>({
    id: `user-${target.id}-${target.version}`,
    lastResult: useIntentResult(INTENT.update),
    constraint: FORM_CONSTRAINTS.UserEditSchema,
    defaultValue: defaults,
  });
  const actionErrors = (intent: string) =>
    actionData?.intent === intent && actionData.result.error ? Object.values(actionData.result.error).flat() : [];
  return (
    <>
      <p className="small">
        <Link to="/admin/users">{t("users.back")}</Link>
      </p>
      <h1>
        {target.displayName} <span className="muted small">{target.username}</span>
      </h1>
      <p className="muted small">
        {t(`users.roleOption.${target.role}`)} · {target.active ? t("users.active") : t("users.inactive")}
        {target.mustChangePassword && target.active ? ` · ${t("users.mustChange")}` : ""} ·{" "}
        {t("users.createdAt", { date: date(target.createdAt) })}
        {target.passwordChangedAt ? ` · ${t("users.passwordChangedAt", { date: date(target.passwordChangedAt) })}` : ""}
      </p>
      {saved && (SAVED as readonly string[]).includes(saved) ? (
        <p className="success" role="status">
          {t(`users.${saved}` as MessageKey)}
        </p>
      ) : null}
      {actionData?.reset ? (
        <OneTimePassword
          message={t("users.reset", { username: actionData.reset.username })}
          password={actionData.reset.oneTimePassword}
          userId={target.id}
        />
      ) : null}
      {!can.edit ? (
        <p className="notice">
          {t("users.self")} <Link to="/account">{t("account.title")}</Link>
        </p>
      ) : null}
      {target.role === "cadre" && target.households > 0 ? (
        <p className="notice">{t("users.holdsHint", { count: target.households })}</p>
      ) : null}

      {can.edit ? (
        <Form method="post" className="form" {...getFormProps(form)}>
          <ErrorList id={form.errorId} errors={form.errors} />
          <input type="hidden" name="intent" value={INTENT.update} />
          <input {...getInputProps(fields.version, { type: "hidden" })} />
          <UserFields fields={fields} options={options} />
          <button className="button" type="submit" disabled={navigation.state === "submitting"}>
            {t("users.save")}
          </button>
        </Form>
      ) : null}

      {can.resetPassword || can.deactivate || can.reactivate ? (
        <section className="actions-panel" aria-label={t("users.editTitle")}>
          {confirm ? (
            <Form method="post" action={`/admin/users/${target.id}`} className="notice">
              <p>{confirm === INTENT.reset ? t("users.resetConfirm") : t("users.deactivateConfirm")}</p>
              <ErrorList errors={actionErrors(confirm)} />
              <input type="hidden" name="intent" value={confirm} />
              <input type="hidden" name="version" value={target.version} />
              <button className="button" type="submit" disabled={navigation.state === "submitting"}>
                {confirm === INTENT.reset ? t("users.resetPassword") : t("users.deactivate")}
              </button>{" "}
              <Link to={`/admin/users/${target.id}`}>{t("common.cancel")}</Link>
            </Form>
          ) : (
            <p className="inline-actions">
              {can.resetPassword ? (
                <Link className="button secondary" to="?confirm=reset">
                  {t("users.resetPassword")}
                </Link>
              ) : null}{" "}
              {can.deactivate ? (
                <Link className="button secondary" to="?confirm=deactivate">
                  {t("users.deactivate")}
                </Link>
              ) : null}
            </p>
          )}
          {can.reactivate ? (
            <Form method="post">
              <ErrorList errors={actionErrors(INTENT.reactivate)} />
              <input type="hidden" name="intent" value={INTENT.reactivate} />
              <input type="hidden" name="version" value={target.version} />
              <button className="button secondary" type="submit">
                {t("users.reactivate")}
              </button>
            </Form>
          ) : null}
          {actionErrors(INTENT.deactivate).length && !confirm ? (
            <ErrorList errors={actionErrors(INTENT.deactivate)} />
          ) : null}
        </section>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
