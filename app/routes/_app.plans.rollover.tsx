import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { RolloverParamsSchema } from "~/schemas/route-params";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ErrorList } from "~/components/forms";
import { requirePermission } from "~/http/auth.server";
import { readForm, toResponse } from "~/http/form.server";
import { useT } from "~/i18n";
import { ValidationError } from "~/models/errors.server";
import { villagesForRegistration } from "~/models/regions.server";
import { previewRollover, rollOverYear, type RolloverSkip } from "~/models/rollover.server";
import { todayISO } from "~/utils/dates";
import { pageMeta } from "~/components/page-title";

export const meta = pageMeta("rollover.title");

const thisYear = () => Number(todayISO().slice(0, 4));
function params(source: URLSearchParams | FormData) {
  const raw = Object.fromEntries([...source.entries()].filter(([, v]) => typeof v === "string" && v !== ""));
  const parsed = RolloverParamsSchema.parse(raw);
  const year = [thisYear(), thisYear() - 1].includes(parsed.year) ? parsed.year : thisYear();
  return { year, village: parsed.village };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "plan.rollover");
  const { year, village } = params(new URL(request.url).searchParams);
  const [preview, villages] = await Promise.all([
    previewRollover({ scope: user.scope, fromYear: year, villageId: village }),
    villagesForRegistration(user.scope),
  ]);
  return {
    preview,
    villages: villages.map((v) => ({ id: v.id, name: v.name })),
    years: [thisYear(), thisYear() - 1],
    year,
    village: village ?? "",
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "plan.rollover");
  const { year, village } = params(await readForm(request));
  try {
    const result = await rollOverYear({ scope: user.scope, fromYear: year, villageId: village });
    return Response.json({ ok: true as const, ...result });
  } catch (error) {
    if (error instanceof ValidationError)
      return Response.json({ ok: false as const, errors: Object.values(error.fieldErrors).flat() }, { status: 400 });
    throw toResponse(error);
  }
}

type Done = { ok: true; fromYear: number; toYear: number; created: number; skipped: RolloverSkip[] };

export default function Rollover() {
  const { preview, villages, years, year, village } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>() as Done | { ok: false; errors: string[] } | undefined;
  const navigation = useNavigation();
  const t = useT();
  const done = reply?.ok ? reply : null;
  const skipped = done ? done.skipped : preview.skipped;
  return (
    <>
      <h1>{t("rollover.title")}</h1>
      <p className="muted small">{t("rollover.intro")}</p>
      <Form method="get" className="order-filters">
        <div className="filter-grid order-filter-grid">
          <div className="filter">
            <label htmlFor="rollover-year">{t("rollover.fromYear")}</label>
            <select id="rollover-year" name="year" defaultValue={year}>
              {years.map((y) => (
                <option key={y} value={y}>
                  {t("rollover.yearOption", { from: y, to: y + 1 })}
                </option>
              ))}
            </select>
          </div>
          <div className="filter">
            <label htmlFor="rollover-village">{t("rollover.village")}</label>
            <select id="rollover-village" name="village" defaultValue={village}>
              <option value="">{t("rollover.allVillages")}</option>
              {villages.map((v) => (
                <option key={v.id} value={v.id}>
                  {v.name}
                </option>
              ))}
            </select>
          </div>
          <div className="filter order-filter-actions">
            <button type="submit" className="button secondary small-button">
              {t("rollover.preview")}
            </button>
          </div>
        </div>
      </Form>

      {done ? (
        <p className="success" role="status" data-testid="rollover-done">
          {t("rollover.done", { count: done.created, year: done.toYear })}
        </p>
      ) : (
        <Form method="post" className="notice" data-testid="rollover-preview">
          <p>
            {t("rollover.willCopy", { count: preview.copies, from: preview.fromYear, to: preview.toYear })}
            {preview.existing ? ` ${t("rollover.existing", { count: preview.existing })}` : ""}
          </p>
          {reply && !reply.ok ? <ErrorList errors={reply.errors} /> : null}
          <input type="hidden" name="year" value={year} />
          <input type="hidden" name="village" value={village} />
          <button className="button" type="submit" disabled={preview.copies === 0 || navigation.state === "submitting"}>
            {navigation.state === "submitting"
              ? t("rollover.working")
              : t("rollover.submit", { count: preview.copies })}
          </button>
        </Form>
      )}

      {skipped.length ? (
        <section aria-labelledby="skipped-title">
          <h2 id="skipped-title">{t("rollover.skipped", { count: skipped.length })}</h2>
          <ul className="rows" data-testid="rollover-skipped">
            {skipped.map((s) => (
              <li key={s.householdId}>
                <Link className="row" to={`/households/${s.householdId}/plan`}>
                  <span className="title">
                    {s.head ?? s.code} <span className="muted small">{s.code}</span>
                  </span>
                  <span className="meta">
                    {s.village} · {t(`rollover.reason.${s.reason}`)}
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
