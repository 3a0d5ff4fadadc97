import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ErrorList, useMessage } from "~/components/forms";
import { ImportUploadForm } from "~/components/import-upload";
import { useT, type MessageKey } from "~/i18n";
import { getImportJob, startImportCommit } from "~/models/import-jobs.server";
import { ImportCommitSchema } from "~/schemas/import";
import { INTENT_COMMIT } from "~/schemas/plain";
import importStyles from "~/styles/import.css";
import { requirePermission } from "~/http/auth.server";
import { notFound, readForm, runModel } from "~/http/form.server";
import { UuidSchema } from "~/schemas/route-params";
import { parseForm } from "~/utils/zod-messages";
import { PageHeading, pageMeta } from "~/components/page-title";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: importStyles }];

export const meta = pageMeta("import.title");

async function load(request: Request, params: LoaderFunctionArgs["params"]) {
  const user = await requirePermission(request, "household.import");
  const id = UuidSchema.safeParse(params.jobId);
  if (!id.success) notFound();
  const job = await getImportJob({ scope: user.scope, id: id.data });
  if (!job) notFound();
  return { user, job };
}

// One import job: its progress while it runs (the page polls), then the rows to fix or the confirm button.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { job } = await load(request, params);
  const { heartbeatAt: _h, ...view } = job;
  return { job: view };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, job } = await load(request, params);
  const submission = parseForm(await readForm(request), { schema: ImportCommitSchema });
  if (submission.status !== "success") return Response.json(submission.reply(), { status: 400 });
  const result = await runModel(submission, () => startImportCommit({ scope: user.scope, dryRunId: job.id }));
  if (!result.ok) return result.response;
  return redirect(`/import/${result.value.id}`);
}

function sizeText(bytes: number) {
  return bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MB`
    : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

export default function ImportJobPage() {
  const { job } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const t = useT();
  const m = useMessage();
  const revalidator = useRevalidator();
  const active = job.status === "queued" || job.status === "running";

  // with JavaScript: ask again every second while the job runs; without it, the <noscript> refresh below
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, 1000);
    return () => clearInterval(timer);
  }, [active, revalidator]);

  const s = job.summary;
  const dryRun = job.kind === "dry_run";
  const clean = dryRun && job.status === "succeeded" && job.errorCount === 0;
  const phase = job.status === "queued" ? "queued" : (job.phase ?? "parse");
  return (
    <div className="import">
      <PageHeading
        title={{ key: dryRun ? "import.job.dryRunTitle" : "import.job.commitTitle" }}
        back={{ to: "/import", label: "import.back" }}
      />
      <p className="muted small import-file">
        {t("import.job.file", { name: job.fileName, size: sizeText(job.fileSize) })}
        {job.sourceJobId ? (
          <>
            {" · "}
            <Link to={`/import/${job.sourceJobId}`}>{t("import.job.ofDryRun")}</Link>
          </>
        ) : null}
      </p>

      {active ? (
        <section className="card import-progress" data-testid="import-progress" aria-live="polite">
          <noscript>
            <meta httpEquiv="refresh" content="2" />
          </noscript>
          <p>{t(`import.job.phase.${phase}` as MessageKey)}</p>
          {job.progressTotal > 0 ? (
            <>
              <progress
                max={job.progressTotal}
                value={job.progressDone}
                aria-label={t(`import.job.phase.${phase}` as MessageKey)}
              />
              <p className="small">{t("import.job.progress", { done: job.progressDone, total: job.progressTotal })}</p>
            </>
          ) : (
            <progress aria-label={t(`import.job.phase.${phase}` as MessageKey)} />
          )}
          <p className="muted small">
            {t("import.job.reloadHint")}{" "}
            <noscript>
              <a href={`/import/${job.id}`}>{t("import.job.refresh")}</a>
            </noscript>
          </p>
        </section>
      ) : null}

      {clean && s ? (
        <section className="card" data-testid="import-result">
          <p className="success">
            {t("import.job.clean", {
              rows: s.rows,
              households: s.households,
              members: s.members,
              villages: s.villages,
            })}
          </p>
          {job.commit ? (
            <p>
              <Link className="button" to={`/import/${job.commit.id}`}>
                {t("import.job.seeCommit")}
              </Link>
            </p>
          ) : (
            <Form method="post" className="form">
              <ErrorList
                errors={
                  actionData && "error" in actionData ? (actionData.error?.[""] as string[] | undefined) : undefined
                }
              />
              <input type="hidden" name="intent" value={INTENT_COMMIT} />
              <button className="button" type="submit" disabled={navigation.state !== "idle"}>
                {t("import.job.confirm", { households: s.households, members: s.members })}
              </button>
              <p className="muted small">{t("import.job.confirmHint")}</p>
            </Form>
          )}
        </section>
      ) : null}

      {!dryRun && job.status === "succeeded" && s ? (
        <section className="card" data-testid="import-result">
          <p className="success">
            {t("import.job.committed", {
              households: s.households,
              members: s.members,
              seconds: Math.max(0.1, (s.elapsedMs ?? 0) / 1000).toFixed(1),
            })}
          </p>
          <p>
            <Link className="button" to="/households">
              {t("import.job.toHouseholds")}
            </Link>
          </p>
        </section>
      ) : null}

      {job.status === "failed" && job.fileError && !(dryRun && job.errorCount === 0) ? (
        <p className="alert" role="alert" data-testid="import-failed">
          {m(job.fileError)}
        </p>
      ) : null}

      {job.errorCount > 0 ? (
        <section data-testid="import-errors">
          <p className="alert" role="alert">
            {t("import.job.bad", {
              badRows: s?.badRows ?? new Set(job.errors.map((e) => e.row)).size,
              count: job.errorCount,
            })}
          </p>
          {job.errorCount > job.errors.length ? (
            <p className="muted small">{t("import.job.capped", { shown: job.errors.length })}</p>
          ) : null}
          <div className="table-wrap">
            <table className="import-errors">
              <thead>
                <tr>
                  <th scope="col">{t("import.job.col.row")}</th>
                  <th scope="col">{t("import.job.col.column")}</th>
                  <th scope="col">{t("import.job.col.problem")}</th>
                </tr>
              </thead>
              <tbody>
                {job.errors.map((e, i) => (
                  <tr key={i} data-row={e.row}>
                    <td className="num">{e.row}</td>
                    <td>{e.column ?? ""}</td>
                    <td>{m(e.message)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}

      {(dryRun && !active && !clean) || (!dryRun && job.status === "failed") ? (
        <section className="card">
          <h2>{t("import.upload.again")}</h2>
          <ImportUploadForm
            fileErrors={dryRun && job.fileError && job.errorCount === 0 ? [job.fileError] : undefined}
          />
        </section>
      ) : null}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
