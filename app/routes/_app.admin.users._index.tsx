import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { UserListParamsSchema } from "~/schemas/route-params";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { requirePermission } from "~/http/auth.server";
import { useT } from "~/i18n";
import { listUsers, userFormOptions } from "~/models/users.server";
import { pageMeta } from "~/components/page-title";

export const meta = pageMeta("users.metaTitle");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "user.manage");
  const url = new URL(request.url);
  const params = UserListParamsSchema.parse(Object.fromEntries(url.searchParams));
  const [list, options] = await Promise.all([
    listUsers({
      scope: user.scope,
      params: { role: params.role, townshipId: params.township, active: params.active, q: params.q, page: params.page },
    }),
    userFormOptions({ scope: user.scope }),
  ]);
  return {
    list,
    options: { roles: options.roles, townships: user.role === "admin" ? options.townships : [] },
    params: { ...params, active: params.active === undefined ? "" : params.active ? "1" : "0" },
    role: user.role,
    search: url.search,
  };
}

function pageHref(search: string, page: number) {
  const next = new URLSearchParams(search);
  if (page <= 1) next.delete("page");
  else next.set("page", String(page));
  const query = next.toString();
  return query ? `?${query}` : "?";
}

export default function Users() {
  const { list, options, params, role, search } = useLoaderData<typeof loader>();
  const t = useT();
  const pages = Math.max(1, Math.ceil(list.total / list.pageSize));
  return (
    <>
      <div className="section-head">
        <h1>{t("users.title")}</h1>
        <Link className="button" to="/admin/users/new">
          {t("users.new")}
        </Link>
      </div>
      <p className="small">
        <Link to="/admin/users/import">{t("users.import.link")}</Link>
      </p>
      <p className="muted small">{role === "admin" ? t("users.scopeAdmin") : t("users.scopeOfficial")}</p>
      <Form method="get" className="order-filters" role="search">
        <div className="filter-grid order-filter-grid">
          <div className="filter">
            <label htmlFor="filter-q">{t("users.filter.q")}</label>
            <input id="filter-q" name="q" type="search" defaultValue={params.q ?? ""} maxLength={50} />
          </div>
          <div className="filter">
            <label htmlFor="filter-role">{t("users.filter.role")}</label>
            <select id="filter-role" name="role" defaultValue={params.role ?? ""}>
              <option value="">{t("users.filter.all")}</option>
              {options.roles.map((r) => (
                <option key={r} value={r}>
                  {t(`users.roleOption.${r}`)}
                </option>
              ))}
            </select>
          </div>
          {options.townships.length ? (
            <div className="filter">
              <label htmlFor="filter-township">{t("users.filter.township")}</label>
              <select id="filter-township" name="township" defaultValue={params.township ?? ""}>
                <option value="">{t("users.filter.all")}</option>
                {options.townships.map((tw) => (
                  <option key={tw.id} value={tw.id}>
                    {tw.name}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          <div className="filter">
            <label htmlFor="filter-active">{t("users.filter.active")}</label>
            <select id="filter-active" name="active" defaultValue={params.active}>
              <option value="">{t("users.filter.all")}</option>
              <option value="1">{t("users.active")}</option>
              <option value="0">{t("users.inactive")}</option>
            </select>
          </div>
          <div className="filter order-filter-actions">
            <button type="submit" className="button secondary small-button">
              {t("users.filter.submit")}
            </button>
          </div>
        </div>
      </Form>
      <p className="muted small" role="status">
        {t("users.total", { count: list.total })}
      </p>
      {list.rows.length === 0 ? <p className="muted">{t("users.none")}</p> : null}
      <ul className="rows" data-testid="users">
        {list.rows.map((u) => (
          <li key={u.id}>
            <Link className="row" to={`/admin/users/${u.id}`}>
              <span className="title">
                {u.displayName} <span className="muted small">{u.username}</span>
              </span>
              <span className="badge">{t(`users.roleOption.${u.role}`)}</span>
              {!u.active ? <span className="badge bad">{t("users.inactive")}</span> : null}
              {u.active && u.mustChangePassword ? <span className="badge warn">{t("users.mustChange")}</span> : null}
              <span className="meta">
                {[u.cooperativeName, u.townshipName, u.phone].filter(Boolean).join(" · ")}
                {u.role === "cadre" ? ` · ${t("users.holds", { count: u.households })}` : ""}
              </span>
            </Link>
          </li>
        ))}
      </ul>
      {pages > 1 ? (
        <nav className="pager" aria-label={t("list.pager.label")}>
          {list.page > 1 ? <Link to={pageHref(search, list.page - 1)}>{t("households.prev")}</Link> : null}
          <span>
            {list.page} / {pages}
          </span>
          {list.page < pages ? <Link to={pageHref(search, list.page + 1)}>{t("households.next")}</Link> : null}
        </nav>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
