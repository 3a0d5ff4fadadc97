import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { useT } from "~/i18n";
import { listHouseholds } from "~/models/households.server";
import { requireUser } from "~/utils/auth.server";
import { currentYear } from "~/utils/dates";

const ParamsSchema = z.object({
  page: z.coerce.number().int().min(1).catch(1),
  size: z.coerce.number().pipe(z.union([z.literal(20), z.literal(50), z.literal(100)])).catch(20),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const params = ParamsSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const { rows, total } = await listHouseholds({
    scope: user.scope,
    page: params.page,
    pageSize: params.size,
    year: currentYear(),
  });
  return { rows, total, page: params.page, size: params.size };
}

export default function HouseholdsPage() {
  const { rows, total, page, size } = useLoaderData<typeof loader>();
  const t = useT();
  const pages = Math.max(1, Math.ceil(total / size));
  return (
    <>
      <h1>{t("households.title")}</h1>
      <p className="muted">{t("households.total", { total })}</p>
      {rows.length === 0 ? <p>{t("households.empty")}</p> : null}
      <ul className="rows">
        {rows.map((h) => (
          <li key={h.id}>
            <Link className="row" to={`/households/${h.id}`}>
              <span className="title">{h.headName}</span>
              <span className="badge">{t(`planStatus.${(h.planStatus ?? "none") as "none"}`)}</span>
              <span className="meta">
                {h.village} · {h.code} · {t(`povertyStatus.${h.povertyStatus}`)}
              </span>
            </Link>
          </li>
        ))}
      </ul>
      <nav className="pager" aria-label="pagination">
        {page > 1 ? (
          <Link to={`?page=${page - 1}&size=${size}`}>{t("households.prev")}</Link>
        ) : (
          <span />
        )}
        <span className="muted">{t("households.page", { page, pages })}</span>
        {page < pages ? <Link to={`?page=${page + 1}&size=${size}`}>{t("households.next")}</Link> : <span />}
      </nav>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
