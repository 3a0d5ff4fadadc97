import {
  MaxPartSizeExceededError,
  redirect,
  unstable_createMemoryUploadHandler,
  type ActionFunctionArgs,
  type LinksFunction,
  type LoaderFunctionArgs,
} from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ImportUploadForm } from "~/components/import-upload";
import { useT, type MessageKey } from "~/i18n";
import { MAX_FILE_BYTES, importColumns } from "~/models/import-parse.server";
import { liveCauseNames } from "~/models/reference-lists.server";
import { createImportJob, listImportJobs } from "~/models/import-jobs.server";
import { ImportUploadSchema } from "~/schemas/import";
import importStyles from "~/styles/import.css";
import { requirePermission } from "~/http/auth.server";
import { readForm, runModel } from "~/http/form.server";
import { parseForm } from "~/utils/zod-messages";
import { PageHeading, pageMeta } from "~/components/page-title";
import { DATE_AND_TIME, dateTimeFormat } from "~/utils/intl";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: importStyles }];

export const meta = pageMeta("import.title");

// Township officials import into their township's villages, county admins into the county's.
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "household.import");
  const jobs = await listImportJobs({ scope: user.scope });
  return {
    scope: user.role === "official" ? { township: user.scopeName } : null,
    jobs,
    columns: importColumns(await liveCauseNames()).map(({ key, header, required, values }) => ({
      key,
      header,
      required,
      values: values ?? null,
    })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "household.import");
  const tooLarge = () =>
    Response.json(
      {
        status: "error",
        initialValue: {},
        error: { file: [`import.file.tooLarge|${JSON.stringify({ max: MAX_FILE_BYTES / 1024 / 1024 })}`] },
      },
      { status: 400 },
    );
  if (Number(request.headers.get("Content-Length") ?? 0) > MAX_FILE_BYTES + 64 * 1024) return tooLarge();
  let formData: FormData;
  try {
    formData = await readForm(request, unstable_createMemoryUploadHandler({ maxPartSize: MAX_FILE_BYTES }));
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return tooLarge();
    throw error;
  }
  const submission = parseForm(formData, { schema: ImportUploadSchema });
  if (submission.status !== "success") {
    return Response.json(submission.reply({ hideFields: ["file"] }), { status: 400 });
  }
  const file = submission.value.file;
  const bytes = new Uint8Array(await file.arrayBuffer());
  const result = await runModel(submission, () =>
    createImportJob({ scope: user.scope, file: { name: file.name, bytes } }),
  );
  if (!result.ok) return result.response;
  return redirect(`/import/${result.value.id}`);
}

export default function ImportPage() {
  const { scope, jobs, columns } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const t = useT();
  return (
    <div className="import">
      <PageHeading title={{ key: "import.title" }} />
      <p>{t("import.intro")}</p>
      <p className="muted small">
        {scope ? t("import.scope.township", { township: scope.township }) : t("import.scope.county")}
      </p>

      <section className="card">
        <h2>{t("import.template.title")}</h2>
        <p className="import-downloads">
          <a className="small-button" href="/import/template/xlsx" download>
            {t("import.template.xlsx")}
          </a>
          <a className="small-button" href="/import/template/csv" download>
            {t("import.template.csv")}
          </a>
        </p>
        <p className="muted small">{t("import.template.hint")}</p>
      </section>

      <section className="card">
        <h2>{t("import.upload.title")}</h2>
        <ImportUploadForm lastResult={lastResult as never} />
      </section>

      <section>
        <h2>{t("import.recent")}</h2>
        {jobs.length ? (
          <ul className="rows" data-testid="import-jobs">
            {jobs.map((j) => (
              <li key={j.id}>
                <Link className="row" to={`/import/${j.id}`}>
                  <span className="title">
                    {t(`import.kind.${j.kind}` as MessageKey)} · {j.fileName}
                  </span>
                  <span
                    className={
                      j.status === "failed" || j.errorCount > 0
                        ? "badge bad"
                        : j.status === "succeeded"
                          ? "badge ok"
                          : "badge warn"
                    }
                  >
                    {t(`import.status.${j.status}` as MessageKey)}
                  </span>
                  <span className="meta">
                    {dateTimeFormat("zh-CN", { ...DATE_AND_TIME, timeZone: "Asia/Shanghai", hour12: false }).format(
                      new Date(j.createdAt),
                    )}
                    {j.summary
                      ? ` · ${t("import.recentSummary", { households: j.summary.households, members: j.summary.members })}`
                      : ""}
                    {j.errorCount ? ` · ${t("import.recentErrors", { count: j.errorCount })}` : ""}
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">{t("import.none")}</p>
        )}
      </section>

      <section>
        <h2>{t("import.columns.title")}</h2>
        <dl className="import-columns" data-testid="import-columns">
          {columns.map((c) => (
            <div key={c.key}>
              <dt>
                {c.header}{" "}
                <span className={c.required ? "badge warn" : "badge"}>
                  {t(c.required ? "import.columns.required" : "import.columns.optional")}
                </span>
              </dt>
              <dd>
                {t(`import.note.${c.key}` as MessageKey)}
                {c.values ? (
                  <div className="muted small">{t("import.columns.values", { values: c.values.join("、") })}</div>
                ) : null}
              </dd>
            </div>
          ))}
        </dl>
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
