import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { MaxPartSizeExceededError, unstable_createMemoryUploadHandler } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ErrorList, useMessage } from "~/components/forms";
import { requirePermission } from "~/http/auth.server";
import { readForm, toResponse } from "~/http/form.server";
import { useT } from "~/i18n";
import { ValidationError } from "~/models/errors.server";
import {
  USER_IMPORT_COLUMNS,
  USER_IMPORT_MAX_ROWS,
  UserImportRowsSchema,
  checkUserImport,
  commitUserImport,
  readUserImportFile,
  type CreatedAccount,
  type UserImportProblem,
  type UserImportRow,
} from "~/models/user-import.server";
import { pageMeta } from "~/components/page-title";

export const meta = pageMeta("users.import.title");

const MAX_BYTES = 5 * 1024 * 1024;
const SHOWN_PROBLEMS = 200;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "user.manage");
  if (new URL(request.url).searchParams.get("template") === "csv") {
    const header = USER_IMPORT_COLUMNS.map((c) => c.header).join(",");
    const example = user.role === "official" ? "王帮扶,13900000000,,wangbf" : "王帮扶,13900000000,振兴乡,wangbf";
    // a BOM, so Excel opens the Chinese headers intact
    return new Response(`\ufeff${header}\r\n${example}\r\n`, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename*=UTF-8''${encodeURIComponent("帮扶干部账号模板.csv")}`,
      },
    });
  }
  return { role: user.role, maxRows: USER_IMPORT_MAX_ROWS };
}

type Reply =
  | { step: "refused"; errors: string[] }
  | { step: "checked"; count: number; problems: UserImportProblem[]; problemCount: number; rows: string | null }
  | { step: "done"; accounts: CreatedAccount[] };

const refused = (errors: string[], status = 400) =>
  Response.json({ step: "refused", errors } satisfies Reply, { status });

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "user.manage");
  if (Number(request.headers.get("Content-Length") ?? 0) > MAX_BYTES + 64 * 1024)
    return refused([`import.file.tooLarge|${JSON.stringify({ max: MAX_BYTES / 1024 / 1024 })}`], 413);
  let formData: FormData;
  try {
    formData = await readForm(request, unstable_createMemoryUploadHandler({ maxPartSize: MAX_BYTES }));
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError)
      return refused([`import.file.tooLarge|${JSON.stringify({ max: MAX_BYTES / 1024 / 1024 })}`], 413);
    throw error;
  }
  try {
    if (formData.get("intent") === "commit") {
      let rows: UserImportRow[];
      try {
        rows = UserImportRowsSchema.parse(JSON.parse(String(formData.get("rows") ?? "")));
      } catch {
        return refused(["users.import.stale"]);
      }
      const accounts = await commitUserImport({ scope: user.scope, rows });
      return Response.json({ step: "done", accounts } satisfies Reply);
    }
    const file = formData.get("file");
    if (!(file instanceof Blob) || !("name" in file)) return refused(["import.file.empty"]);
    const rows = await readUserImportFile({
      name: String((file as File).name),
      size: file.size,
      bytes: new Uint8Array(await file.arrayBuffer()),
    });
    const { problems, count } = await checkUserImport({ scope: user.scope, rows });
    return Response.json({
      step: "checked",
      count,
      problems: problems.slice(0, SHOWN_PROBLEMS),
      problemCount: problems.length,
      rows: problems.length === 0 ? JSON.stringify(rows) : null,
    } satisfies Reply);
  } catch (error) {
    if (error instanceof ValidationError)
      return refused([...error.formErrors, ...Object.values(error.fieldErrors).flat()]);
    throw toResponse(error);
  }
}

/** The accounts as a CSV the official keeps to hand out the passwords: built in the page, stored nowhere. */
function accountsCsv(accounts: CreatedAccount[]) {
  const quote = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const lines = [
    "行号,姓名,用户名,一次性密码",
    ...accounts.map((a) => [String(a.row), a.displayName, a.username, a.oneTimePassword].map(quote).join(",")),
  ];
  return `data:text/csv;charset=utf-8,${encodeURIComponent(`\ufeff${lines.join("\r\n")}\r\n`)}`;
}

const FIELD_LABEL = {
  displayName: "users.displayName",
  phone: "users.phone",
  township: "users.township",
  username: "users.username",
  file: "users.import.file",
} as const;

export default function UserImport() {
  const { maxRows } = useLoaderData<typeof loader>() as { maxRows: number };
  const reply = useActionData<typeof action>() as Reply | undefined;
  const navigation = useNavigation();
  const t = useT();
  const m = useMessage();
  const busy = navigation.state === "submitting";
  return (
    <>
      <p className="small">
        <Link to="/admin/users">{t("users.back")}</Link>
      </p>
      <h1>{t("users.import.title")}</h1>
      <p className="muted small">{t("users.import.intro", { max: maxRows })}</p>
      <p className="small">
        <a href="/admin/users/import?template=csv" download>
          {t("users.import.template")}
        </a>
      </p>

      {reply?.step === "done" ? (
        <div className="success" role="status" data-testid="bulk-created">
          <p>{t("users.import.done", { count: reply.accounts.length })}</p>
          <p className="small">{t("users.otpHint")}</p>
          <p>
            <a className="button" href={accountsCsv(reply.accounts)} download="新账号一次性密码.csv">
              {t("users.import.download")}
            </a>
          </p>
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th>{t("users.col.name")}</th>
                  <th>{t("users.col.username")}</th>
                  <th>{t("users.col.otp")}</th>
                </tr>
              </thead>
              <tbody>
                {reply.accounts.map((a) => (
                  <tr key={a.username}>
                    <td>{a.displayName}</td>
                    <td>{a.username}</td>
                    <td>
                      <code>{a.oneTimePassword}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      ) : null}

      {reply?.step === "refused" ? <ErrorList errors={reply.errors} /> : null}

      {reply?.step === "checked" && reply.problemCount > 0 ? (
        <section aria-labelledby="problems-title">
          <h2 id="problems-title">{t("users.import.problems", { count: reply.problemCount, rows: reply.count })}</h2>
          <ul className="error-list" data-testid="bulk-problems">
            {reply.problems.map((p) => (
              <li key={`${p.row}-${p.field}-${p.message}`}>
                {t("users.import.rowField", { row: p.row, field: t(FIELD_LABEL[p.field]) })}：{m(p.message)}
              </li>
            ))}
          </ul>
          {reply.problemCount > reply.problems.length ? (
            <p className="muted small">
              {t("users.import.moreProblems", { count: reply.problemCount - reply.problems.length })}
            </p>
          ) : null}
        </section>
      ) : null}

      {reply?.step === "checked" && reply.rows ? (
        <Form method="post" className="form notice" data-testid="bulk-ready">
          <p>{t("users.import.ready", { count: reply.count })}</p>
          <input type="hidden" name="intent" value="commit" />
          <input type="hidden" name="rows" value={reply.rows} />
          <button className="button" type="submit" disabled={busy}>
            {t("users.import.commit", { count: reply.count })}
          </button>
        </Form>
      ) : null}

      {reply?.step !== "done" ? (
        <Form method="post" encType="multipart/form-data" className="form">
          <div className="field">
            <label htmlFor="bulk-file">{t("users.import.file")}</label>
            <input id="bulk-file" name="file" type="file" accept=".xlsx,.csv" required />
          </div>
          <button
            className={reply?.step === "checked" && reply.rows ? "button secondary" : "button"}
            type="submit"
            disabled={busy}
          >
            {t("users.import.check")}
          </button>
        </Form>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
