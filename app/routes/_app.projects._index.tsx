import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { DEFAULT_LOCALE, isLocale, translator, useT, type MessageKey } from "~/i18n";
import { listProjects, sumProjects } from "~/models/projects.server";
import { can } from "~/permissions";
import { requirePermission } from "~/http/auth.server";
import { fenToYuan } from "~/utils/units";

export const meta: MetaFunction = ({ matches }) => {
  const locale = (matches.find((m) => m.id === "root")?.data as { locale?: string } | undefined)?.locale;
  const t = translator(isLocale(locale) ? locale : DEFAULT_LOCALE);
  return [{ title: `${t("projects.metaTitle")} · ${t("app.name")}` }];
};

// Officials and admins: the projects of their township / county; cadres: projects reaching their households.
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "project.read");
  const projects = await listProjects({ scope: user.scope });
  return {
    projects,
    totals: sumProjects(projects),
    can: { create: can(user.scope, "project.write") },
    role: user.role,
  };
}

export default function Projects() {
  const { projects, totals, can, role } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <>
      <div className="section-head">
        <h1>{t("projects.title")}</h1>
        {can.create ? (
          <Link className="button" to="/projects/new">
            {t("projects.new")}
          </Link>
        ) : null}
      </div>
      {projects.length ? (
        <ul className="stats">
          <li className="stat">
            <b data-testid="projects-budget">{Math.round(totals.budgetFen / 100)}</b>
            <span>{t("projects.stat.budget")}</span>
          </li>
          <li className="stat">
            <b data-testid="projects-remaining">{Math.round(totals.remainingFen / 100)}</b>
            <span>{t("projects.stat.remainingTotal")}</span>
          </li>
        </ul>
      ) : (
        <p className="muted">{t(role === "cadre" ? "projects.noneCadre" : "projects.none")}</p>
      )}
      <ul className="rows">
        {projects.map((p) => (
          <li key={p.id}>
            <Link className="row" to={`/projects/${p.id}`}>
              <span className="title">{p.name}</span>
              <span className={p.status === "active" ? "badge ok" : "badge"}>
                {t(`projects.status.${p.status}` as MessageKey)}
              </span>
              <span className="meta">
                {t(`projects.type.${p.type}` as MessageKey)} · {p.township ?? t("projects.countyWide")} ·{" "}
                {p.fundingSource}
              </span>
              <span className="meta">
                {t(p.status === "closed" ? "projects.rowMetaClosed" : "projects.rowMeta", {
                  budget: fenToYuan(p.budgetFen),
                  allocated: fenToYuan(p.allocatedFen),
                  remaining: fenToYuan(p.remainingFen),
                  households: p.householdsReached,
                })}
              </span>
            </Link>
          </li>
        ))}
      </ul>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
