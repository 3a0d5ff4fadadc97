import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { FORM_CONSTRAINTS } from "~/schemas/constraints";
import type { z } from "zod";
import {
  MaxPartSizeExceededError,
  redirect,
  unstable_createMemoryUploadHandler,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ErrorList, Field, useMessage } from "~/components/forms";
import { requirePermission } from "~/http/auth.server";
import { readForm, runModel } from "~/http/form.server";
import { useT } from "~/i18n";
import {
  REGION_CSV_SHOWN,
  commitRegionCsv,
  dryRunRegionCsv,
  regionTree,
  type RegionCsvPlan,
} from "~/models/region-admin.server";
import { message } from "~/schemas/fields";
import { REGION_CSV_MAX_BYTES, RegionCsvCommitSchema, RegionCsvUploadSchema } from "~/schemas/regions";
import { intentReply, intentReplyFrom, type IntentReply } from "~/utils/intent-reply";
import { pageMeta } from "~/components/page-title";
import { parseForm } from "~/utils/zod-messages";

export const meta = pageMeta("regions.csv.title");

const INTENT = { dryRun: "dryRun", commit: "commit" } as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "region.manage");
  const { county } = await regionTree({ scope: user.scope });
  return { county: { name: county.name, code: county.code } };
}

/** What the page shows of a dry run: the counts whole, the lists cut to what a phone can scroll. */
function shown(plan: RegionCsvPlan) {
  return {
    rows: plan.rows,
    unchanged: plan.unchanged,
    counts: { adds: plan.adds.length, renames: plan.renames.length, errors: plan.errors.length },
    adds: plan.adds.slice(0, REGION_CSV_SHOWN),
    renames: plan.renames.slice(0, REGION_CSV_SHOWN),
    errors: plan.errors.slice(0, REGION_CSV_SHOWN),
    fingerprint: plan.fingerprint,
  };
}

type DryRunReply = IntentReply & {
  dryRun?: ReturnType<typeof shown> & { text: string; encoding: string };
};

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "region.manage");
  const tooLarge = () =>
    intentReply(
      INTENT.dryRun,
      {
        status: "error",
        initialValue: {},
        error: { file: [message("regions.csv.error.tooLarge", { max: REGION_CSV_MAX_BYTES / 1024 })] },
      },
      400,
    );
  if (Number(request.headers.get("Content-Length") ?? 0) > REGION_CSV_MAX_BYTES + 64 * 1024) return tooLarge();
  let formData: FormData;
  try {
    formData = await readForm(request, unstable_createMemoryUploadHandler({ maxPartSize: REGION_CSV_MAX_BYTES }));
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return tooLarge();
    throw error;
  }
  const intent = String(formData.get("intent") ?? "");

  if (intent === INTENT.commit) {
    const submission = parseForm(formData, { schema: RegionCsvCommitSchema });
    if (submission.status !== "success")
      return intentReply(intent, submission.reply({ hideFields: ["csv", "plan"] }), 400);
    const { csv, plan } = submission.value;
    const result = await runModel(submission, () =>
      commitRegionCsv({ scope: user.scope, text: csv, fingerprint: plan }),
    );
    if (!result.ok) return intentReplyFrom(result.response, intent);
    return redirect(`/admin/regions?saved=imported&added=${result.value.added}&renamed=${result.value.renamed}`);
  }
  const submission = parseForm(formData, { schema: RegionCsvUploadSchema });
  if (submission.status !== "success")
    return intentReply(INTENT.dryRun, submission.reply({ hideFields: ["file"] }), 400);
  const bytes = new Uint8Array(await submission.value.file.arrayBuffer());
  const result = await runModel(submission, () => dryRunRegionCsv({ scope: user.scope, bytes }));
  if (!result.ok) return intentReplyFrom(result.response, INTENT.dryRun);
  const { text, encoding, plan } = result.value;
  return Response.json({
    intent: INTENT.dryRun,
    result: submission.reply({ resetForm: true }),
    dryRun: { ...shown(plan), text, encoding },
  } satisfies DryRunReply);
}

export default function RegionImport() {
  const { county } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as DryRunReply | undefined;
  const navigation = useNavigation();
  const t = useT();
  const m = useMessage();
  const dryRun = actionData?.dryRun;
  const [form, fields] = useForm<z.input<typeof RegionCsvUploadSchema>>({
    id: "region-csv",
    lastResult: actionData?.intent === INTENT.dryRun && !dryRun ? actionData.result : undefined,
    constraint: FORM_CONSTRAINTS.RegionCsvUploadSchema,
    shouldValidate: "onSubmit",
  });
  const commitErrors =
    actionData?.intent === INTENT.commit && actionData.result.error
      ? Object.values(actionData.result.error).flat()
      : [];
  const busy = navigation.state === "submitting";
  const more = (total: number) =>
    total > REGION_CSV_SHOWN ? (
      <p className="muted small">{t("regions.csv.more", { count: total - REGION_CSV_SHOWN })}</p>
    ) : null;
  return (
    <>
      <p className="small">
        <Link to="/admin/regions">{t("regions.back")}</Link>
      </p>
      <h1>{t("regions.csv.title")}</h1>
      <p className="muted small">
        {county.name} · {county.code} — {t("regions.csv.intro")}
      </p>
      <ErrorList errors={commitErrors} />
      <Form method="post" encType="multipart/form-data" className="form" {...getFormProps(form)}>
        <ErrorList id={form.errorId} errors={form.errors} />
        <input type="hidden" name="intent" value={INTENT.dryRun} />
        <Field
          label={<label htmlFor={fields.file.id}>{t("regions.csv.file")}</label>}
          errorId={fields.file.errorId}
          errors={fields.file.errors}
        >
          <input
            {...getInputProps(fields.file, { type: "file" })}
            accept=".csv,text/csv"
            aria-invalid={fields.file.errors?.length ? true : undefined}
          />
        </Field>
        <button className="button" type="submit" disabled={busy}>
          {t("regions.csv.dryRun")}
        </button>
      </Form>

      {dryRun ? (
        <section aria-labelledby="dry-run" data-testid="region-dry-run">
          <h2 id="dry-run">{t("regions.csv.dryRun")}</h2>
          <p role="status">
            {t("regions.csv.summary", {
              rows: dryRun.rows,
              adds: dryRun.counts.adds,
              renames: dryRun.counts.renames,
              unchanged: dryRun.unchanged,
              errors: dryRun.counts.errors,
            })}{" "}
            <span className="muted small">
              {t("regions.csv.encoding", { encoding: dryRun.encoding.toUpperCase() })}
            </span>
          </p>
          {dryRun.counts.errors > 0 ? (
            <>
              <h3>{t("regions.csv.errors")}</h3>
              <p className="notice">{t("regions.csv.fixFirst")}</p>
              <ul className="error-list" data-testid="region-csv-errors">
                {dryRun.errors.map((e, i) => (
                  <li key={`${e.row}-${i}`}>
                    {t("regions.csv.row", { row: e.row })}
                    {e.code ? ` (${e.code})` : ""}：{m(e.message)}
                  </li>
                ))}
              </ul>
              {more(dryRun.counts.errors)}
            </>
          ) : null}
          {dryRun.counts.adds > 0 ? (
            <>
              <h3>{t("regions.csv.adds")}</h3>
              <ul className="rows">
                {dryRun.adds.map((a) => (
                  <li key={a.code} className="row static">
                    <span className="title">
                      {a.name} <code className="small">{a.code}</code>
                    </span>
                    <span className="badge">{t(`regions.level.${a.level}`)}</span>
                    <span className="meta">{t("regions.csv.row", { row: a.row })}</span>
                  </li>
                ))}
              </ul>
              {more(dryRun.counts.adds)}
            </>
          ) : null}
          {dryRun.counts.renames > 0 ? (
            <>
              <h3>{t("regions.csv.renames")}</h3>
              <ul className="rows">
                {dryRun.renames.map((r) => (
                  <li key={r.code} className="row static">
                    <span className="title">
                      {r.before.name} → {r.after.name} <code className="small">{r.code}</code>
                    </span>
                    <span className="meta">
                      {t("regions.csv.row", { row: r.row })}
                      {r.before.nameEn !== r.after.nameEn
                        ? ` · ${r.before.nameEn ?? "—"} → ${r.after.nameEn ?? "—"}`
                        : ""}
                    </span>
                  </li>
                ))}
              </ul>
              {more(dryRun.counts.renames)}
            </>
          ) : null}
          {dryRun.counts.errors === 0 && dryRun.counts.adds + dryRun.counts.renames === 0 ? (
            <p className="muted">{t("regions.csv.nothing")}</p>
          ) : null}
          {dryRun.counts.errors === 0 && dryRun.counts.adds + dryRun.counts.renames > 0 ? (
            <Form method="post" className="form">
              <input type="hidden" name="intent" value={INTENT.commit} />
              <input type="hidden" name="csv" value={dryRun.text} />
              <input type="hidden" name="plan" value={dryRun.fingerprint} />
              <button className="button" type="submit" disabled={busy}>
                {t("regions.csv.commit")}
              </button>
            </Form>
          ) : null}
        </section>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
