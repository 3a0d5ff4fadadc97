import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { useT, type MessageKey } from "~/i18n";
import { allocatableHouseholds, allocateFunds, getProject } from "~/models/projects.server";
import { AllocationSchema } from "~/schemas/project";
import { requirePermission } from "~/http/auth.server";
import { currentYear, todayISO } from "~/utils/dates";
import { notFound, readForm, runModel } from "~/http/form.server";
import { fenToYuan } from "~/utils/units";
import { parseForm } from "~/utils/zod-messages";
import { queryParam } from "~/utils/text";
import { PageHeading, pageMeta, type PageTitle } from "~/components/page-title";
import { AllocationForm } from "./allocation-form";

const ParamsSchema = z.object({ projectId: z.uuid() });
const QuerySchema = z.string().trim().max(20).catch("");

export const meta = pageMeta();

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "project.read");
  const parsed = ParamsSchema.safeParse(params);
  if (!parsed.success) notFound();
  const found = await getProject({ scope: user.scope, id: parsed.data.projectId });
  if (!found) notFound();
  const { can, ...project } = found;
  const q = QuerySchema.parse(queryParam(new URL(request.url), "q") ?? "");
  const year = currentYear();
  const choices = can.allocate ? await allocatableHouseholds({ scope: user.scope, year, q, limit: 50 }) : [];
  return { project, title: { name: project.name } satisfies PageTitle, can, choices, q, year, today: todayISO() };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "project.allocate");
  const parsed = ParamsSchema.safeParse(params);
  if (!parsed.success) notFound();
  const submission = parseForm(await readForm(request), { schema: AllocationSchema });
  if (submission.status !== "success") {
    return Response.json(submission.reply(), { status: submission.status === "error" ? 400 : 200 });
  }
  const result = await runModel(submission, () =>
    allocateFunds({ scope: user.scope, projectId: parsed.data.projectId, input: submission.value }),
  );
  if (!result.ok) return result.response;
  return redirect(`/projects/${parsed.data.projectId}?saved=allocation#allocations`);
}

export default function ProjectPage() {
  const { project, title, can } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const t = useT();
  return (
    <>
      <PageHeading title={title} back={{ to: "/projects", label: "projects.back" }}>
        {can.edit ? (
          <Link className="button secondary small-button" to={`/projects/${project.id}/edit`}>
            {t("common.edit")}
          </Link>
        ) : null}
      </PageHeading>
      {searchParams.get("saved") ? (
        <p className="success" role="status">
          {searchParams.get("saved") === "allocation"
            ? t("projects.allocated.saved", { remaining: fenToYuan(project.remainingFen) })
            : t("projects.saved")}
        </p>
      ) : null}
      <ul className="stats">
        <li className="stat">
          <b>{fenToYuan(project.budgetFen)}</b>
          <span>{t("projects.stat.budget")}</span>
        </li>
        <li className="stat">
          <b>{fenToYuan(project.allocatedFen)}</b>
          <span>{t("projects.stat.allocated")}</span>
        </li>
        <li className={project.remainingFen === 0 ? "stat warn" : "stat"}>
          <b data-testid="project-remaining">{fenToYuan(project.remainingFen)}</b>
          <span>{t(project.status === "closed" ? "projects.stat.remainingClosed" : "projects.stat.remaining")}</span>
        </li>
        <li className="stat">
          <b>{project.householdsReached}</b>
          <span>{t("projects.stat.households")}</span>
        </li>
      </ul>
      <div className="card">
        <dl className="facts">
          <dt>{t("projects.typeLabel")}</dt>
          <dd>{t(`projects.type.${project.type}` as MessageKey)}</dd>
          <dt>{t("projects.fundingSource")}</dt>
          <dd>{project.fundingSource}</dd>
          <dt>{t("projects.township")}</dt>
          <dd>{project.township ?? t("projects.countyWide")}</dd>
          <dt>{t("projects.period")}</dt>
          <dd>
            {project.startsOn} – {project.endsOn ?? ""}
          </dd>
          <dt>{t("projects.statusLabel")}</dt>
          <dd>{t(`projects.status.${project.status}` as MessageKey)}</dd>
        </dl>
      </div>
      {!can.manage ? <p className="muted small">{t("projects.readOnly")}</p> : null}

      {can.allocate ? (
        <AllocationForm key={project.allocatedFen} />
      ) : can.manage ? (
        <p className="notice">{t("projects.allocate.inactive")}</p>
      ) : null}

      <h2 id="allocations">{t("projects.allocations")}</h2>
      {project.allocations.length === 0 ? (
        <p className="muted">{t("projects.noAllocations")}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("projects.col.date")}</th>
                <th scope="col">{t("projects.col.household")}</th>
                <th scope="col">{t("projects.col.village")}</th>
                <th scope="col">{t("projects.col.kind")}</th>
                <th scope="col" className="num">
                  {t("projects.col.amount")}
                </th>
              </tr>
            </thead>
            <tbody>
              {project.allocations.map((a) => (
                <tr key={a.id}>
                  <td>{a.allocatedOn}</td>
                  <th scope="row">
                    <Link to={`/households/${a.householdId}`}>{a.headName}</Link>
                  </th>
                  <td>{a.village}</td>
                  <td>
                    {t(`projects.kind.${a.kind}` as MessageKey)}
                    {a.kind === "in_kind" ? ` · ${a.item} × ${a.quantity}` : ""}
                    {a.note ? <div className="muted small">{a.note}</div> : null}
                  </td>
                  <td className="num">{fenToYuan(a.amountFen)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h2>{t("projects.householdsReached")}</h2>
      {project.households.length === 0 ? (
        <p className="muted">{t("projects.noAllocations")}</p>
      ) : (
        <ul className="rows">
          {project.households.map((h) => (
            <li key={h.householdId}>
              <Link className="row" to={`/households/${h.householdId}`}>
                <span className="title">{h.headName}</span>
                <span>{t("unit.yuan", { value: fenToYuan(h.amountFen) })}</span>
                <span className="meta">
                  {h.village} · {t("projects.col.count")} {h.count}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
