import { getFormProps, getInputProps, useForm, type SubmissionResult } from "@conform-to/react";
import { FORM_CONSTRAINTS } from "~/schemas/constraints";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { type z } from "zod";
import { RegionParamsSchema } from "~/schemas/route-params";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ErrorList, Field } from "~/components/forms";
import { RegionCreateForm } from "~/components/region-forms";
import { requirePermission } from "~/http/auth.server";
import { notFound, readForm, runModel } from "~/http/form.server";
import { useLocale, useT } from "~/i18n";
import { createRegion, getRegion, mergeVillage, renameRegion, retireRegion } from "~/models/region-admin.server";
import { RegionCreateSchema, RegionMergeSchema, RegionRenameSchema, RegionRetireSchema } from "~/schemas/regions";
import { intentReply, intentReplyFrom, useIntentResult, type IntentReply } from "~/utils/intent-reply";
import { pageMeta } from "~/components/page-title";
import { parseForm } from "~/utils/zod-messages";
import { dateTimeFormat } from "~/utils/intl";

export const meta = pageMeta("regions.metaTitle");

const INTENT = { rename: "rename", add: "add", merge: "merge", retire: "retire" } as const;

async function managedRegion(request: Request, params: unknown) {
  const user = await requirePermission(request, "region.manage");
  const parsed = RegionParamsSchema.safeParse(params);
  if (!parsed.success) notFound();
  const region = await getRegion({ scope: user.scope, id: parsed.data.regionId });
  if (!region) notFound();
  return { user, region };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { region } = await managedRegion(request, params);
  // a confirmation is a page state, so it works without JavaScript: a link or a GET form leads here
  const url = new URL(request.url);
  const confirm = url.searchParams.get("confirm");
  const into = region.siblings.find((s) => s.id === url.searchParams.get("into")) ?? null;
  return {
    page: region,
    confirm:
      confirm === INTENT.retire && region.can.retire
        ? ({ kind: "retire" } as const)
        : confirm === INTENT.merge && region.can.merge && into
          ? ({ kind: "merge", into } as const)
          : null,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, region } = await managedRegion(request, params);
  const formData = await readForm(request);
  const intent = String(formData.get("intent") ?? "");
  const reply = (result: SubmissionResult<string[]>, status: number) => intentReply(intent, result, status);
  const id = region.region.id;

  if (intent === INTENT.rename) {
    const submission = parseForm(formData, { schema: RegionRenameSchema });
    if (submission.status !== "success") return reply(submission.reply(), 400);
    const { version, ...input } = submission.value;
    const result = await runModel(submission, () => renameRegion({ scope: user.scope, id, version, input }));
    if (!result.ok) return intentReplyFrom(result.response, intent);
    return redirect(`/admin/regions/${id}?saved=saved`);
  }
  if (intent === INTENT.add) {
    const submission = parseForm(formData, { schema: RegionCreateSchema });
    if (submission.status !== "success") return reply(submission.reply(), 400);
    const result = await runModel(submission, () => createRegion({ scope: user.scope, input: submission.value }));
    if (!result.ok) return intentReplyFrom(result.response, intent);
    return redirect(`/admin/regions/${result.value.id}?saved=added`);
  }
  if (intent === INTENT.merge) {
    const submission = parseForm(formData, { schema: RegionMergeSchema });
    if (submission.status !== "success") return reply(submission.reply(), 400);
    const { version, intoId } = submission.value;
    const result = await runModel(submission, () => mergeVillage({ scope: user.scope, id, version, intoId }));
    if (!result.ok) return intentReplyFrom(result.response, intent);
    const { households, groups } = result.value;
    return redirect(`/admin/regions/${intoId}?saved=merged&households=${households}&groups=${groups}`);
  }
  if (intent === INTENT.retire) {
    const submission = parseForm(formData, { schema: RegionRetireSchema });
    if (submission.status !== "success") return reply(submission.reply(), 400);
    const { version } = submission.value;
    const result = await runModel(submission, () => retireRegion({ scope: user.scope, id, version }));
    if (!result.ok) return intentReplyFrom(result.response, intent);
    return redirect(`/admin/regions/${id}?saved=retired`);
  }
  return reply({ status: "error", error: { "": ["field.choice"] } }, 400);
}

export default function RegionPage() {
  const { page, confirm } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as IntentReply | undefined;
  const [searchParams] = useSearchParams();
  const navigation = useNavigation();
  const t = useT();
  const locale = useLocale();
  const { region, parent, children, can } = page;
  const saved = searchParams.get("saved");
  const [form, fields] = useForm<z.input<typeof RegionRenameSchema>, z.output<typeof RegionRenameSchema>>({
    id: `region-${region.id}-${region.version}`,
    lastResult: useIntentResult(INTENT.rename),
    constraint: FORM_CONSTRAINTS.RegionRenameSchema,
    defaultValue: { version: String(region.version), name: region.name, nameEn: region.nameEn ?? "" },
  });
  const addResult = useIntentResult(INTENT.add);
  const actionErrors = (intent: string) =>
    actionData?.intent === intent && actionData.result.error ? Object.values(actionData.result.error).flat() : [];
  const busy = navigation.state === "submitting";
  const level = t(`regions.level.${region.level}`);
  return (
    <>
      <p className="small">
        <Link to="/admin/regions">{t("regions.back")}</Link>
      </p>
      <h1>
        {region.name} <code className="small">{region.code}</code>
      </h1>
      <p className="muted small">
        {level} · {t("regions.parent")}{" "}
        {parent.level === "county" ? parent.name : <Link to={`/admin/regions/${parent.id}`}>{parent.name}</Link>}
        {region.nameEn ? ` · ${region.nameEn}` : ""} · {t("regions.households", { count: page.households })}
        {region.level === "township" ? ` · ${t("regions.activeUsers", { count: page.activeUsers })}` : ""}
      </p>
      {region.retiredAt ? (
        <p className="notice">
          <span className="badge bad">{t("regions.retiredBadge")}</span>{" "}
          {t("regions.retiredOn", {
            date: dateTimeFormat(locale === "en" ? "en-GB" : "zh-CN").format(new Date(region.retiredAt)),
          })}
          {page.mergedInto ? (
            <>
              {" "}
              · {t("regions.mergedInto")}{" "}
              <Link to={`/admin/regions/${page.mergedInto.id}`}>
                {page.mergedInto.name} {page.mergedInto.code}
              </Link>
            </>
          ) : null}
        </p>
      ) : null}
      {saved === "saved" || saved === "added" || saved === "retired" ? (
        <p className="success" role="status">
          {t(saved === "saved" ? "regions.saved" : saved === "added" ? "regions.added" : "regions.retiredDone")}
        </p>
      ) : null}
      {saved === "merged" ? (
        <p className="success" role="status">
          {t("regions.merged", {
            households: searchParams.get("households") ?? "0",
            groups: searchParams.get("groups") ?? "0",
          })}
        </p>
      ) : null}

      {page.childLevel ? (
        <section aria-labelledby="children">
          <h2 id="children">{t(`regions.children.${page.childLevel}`)}</h2>
          {children.length ? (
            <ul className="rows">
              {children.map((c) => (
                <li key={c.id}>
                  <Link className="row" to={`/admin/regions/${c.id}`}>
                    <span className="title">
                      {c.name} <code className="small">{c.code}</code>
                    </span>
                    {c.retiredAt ? <span className="badge bad">{t("regions.retiredBadge")}</span> : null}
                  </Link>
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted small">—</p>
          )}
          {can.addChild && page.childCodeLength ? (
            <details open={Boolean(addResult)}>
              <summary>{t(`regions.addChild.${page.childLevel}`)}</summary>
              <RegionCreateForm
                parent={{ id: region.id, code: region.code }}
                level={page.childLevel}
                codeLength={page.childCodeLength}
                lastResult={addResult}
                intent={INTENT.add}
              />
            </details>
          ) : null}
        </section>
      ) : null}

      {can.rename ? (
        <section aria-labelledby="rename">
          <h2 id="rename">{t("regions.rename")}</h2>
          <Form method="post" className="form" {...getFormProps(form)}>
            <ErrorList id={form.errorId} errors={form.errors} />
            <input type="hidden" name="intent" value={INTENT.rename} />
            <input {...getInputProps(fields.version, { type: "hidden" })} />
            <Field
              label={<label htmlFor={fields.name.id}>{t("regions.name")}</label>}
              errorId={fields.name.errorId}
              errors={fields.name.errors}
            >
              <input {...getInputProps(fields.name, { type: "text" })} autoComplete="off" />
            </Field>
            <Field
              label={<label htmlFor={fields.nameEn.id}>{t("regions.nameEn")}</label>}
              hint={t("regions.nameEnHint")}
              errorId={fields.nameEn.errorId}
              errors={fields.nameEn.errors}
            >
              <input {...getInputProps(fields.nameEn, { type: "text" })} autoComplete="off" />
            </Field>
            <button className="button" type="submit" disabled={busy}>
              {t("regions.save")}
            </button>
          </Form>
        </section>
      ) : null}

      {confirm?.kind === "merge" ? (
        <Form method="post" className="notice">
          <p>
            {t("regions.mergeConfirm", {
              from: region.name,
              households: page.households,
              into: `${confirm.into.name}（${confirm.into.code}）`,
            })}
          </p>
          <ErrorList errors={actionErrors(INTENT.merge)} />
          <input type="hidden" name="intent" value={INTENT.merge} />
          <input type="hidden" name="version" value={region.version} />
          <input type="hidden" name="intoId" value={confirm.into.id} />
          <button className="button" type="submit" disabled={busy}>
            {t("regions.mergeDo")}
          </button>{" "}
          <Link to={`/admin/regions/${region.id}`}>{t("common.cancel")}</Link>
        </Form>
      ) : can.merge ? (
        <section aria-labelledby="merge">
          <h2 id="merge">{t("regions.merge")}</h2>
          <p className="muted small">{t("regions.mergeHint")}</p>
          <ErrorList errors={actionErrors(INTENT.merge)} />
          <Form method="get" className="form">
            <input type="hidden" name="confirm" value={INTENT.merge} />
            <div className="field">
              <label htmlFor="merge-into">{t("regions.mergeInto")}</label>
              <select id="merge-into" name="into" required defaultValue="">
                <option value="" disabled>
                  {t("users.choose")}
                </option>
                {page.siblings.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name} {s.code}
                  </option>
                ))}
              </select>
            </div>
            <button className="button secondary" type="submit">
              {t("regions.mergeNext")}
            </button>
          </Form>
        </section>
      ) : null}

      {confirm?.kind === "retire" ? (
        <Form method="post" className="notice">
          <p>{t("regions.retireConfirm", { name: region.name })}</p>
          <ErrorList errors={actionErrors(INTENT.retire)} />
          <input type="hidden" name="intent" value={INTENT.retire} />
          <input type="hidden" name="version" value={region.version} />
          <button className="button" type="submit" disabled={busy}>
            {t("regions.retireDo")}
          </button>{" "}
          <Link to={`/admin/regions/${region.id}`}>{t("common.cancel")}</Link>
        </Form>
      ) : !region.retiredAt ? (
        <section aria-labelledby="retire">
          <h2 id="retire">{t("regions.retire")}</h2>
          <ErrorList errors={actionErrors(INTENT.retire)} />
          {can.retire ? (
            <Link className="button secondary" to="?confirm=retire">
              {t("regions.retire")}
            </Link>
          ) : (
            <>
              <p className="muted small">{t("regions.retireBlocked")}</p>
              <ErrorList errors={page.retireBlockers} />
            </>
          )}
        </section>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
