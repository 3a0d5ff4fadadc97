import type { SubmissionResult } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { Pager } from "~/components/pager";
import { ProjectParamsSchema, SearchQuerySchema } from "~/schemas/route-params";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { useLocale, useT, type MessageKey } from "~/i18n";
import {
  allocatableHouseholds,
  allocateFunds,
  getProject,
  projectIsInScope,
  reverseFundAllocation,
} from "~/models/projects.server";
import { AllocationReversalSchema, AllocationSchema } from "~/schemas/project";
import { requirePermission } from "~/http/auth.server";
import { currentYear, todayISO } from "~/utils/dates";
import { notFound, readForm, runModel } from "~/http/form.server";
import { fenToYuan } from "~/utils/units";
import { parseForm } from "~/utils/zod-messages";
import { projectAllocationListParams } from "~/utils/lists";
import { projectAllocationLinks } from "~/utils/list-urls";
import { queryParam } from "~/utils/text";
import { fmtWhen } from "~/utils/dates";
import { PageHeading, pageMeta, type PageTitle } from "~/components/page-title";
import { intentReply, intentReplyFrom } from "~/utils/intent-reply";
import { AllocationForm } from "./allocation-form";
import { INTENT } from "./intents";
import { ReversalForm, ReversalRefused } from "./reversal-form";

export const meta = pageMeta();

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "project.read");
  const parsed = ProjectParamsSchema.safeParse(params);
  if (!parsed.success) notFound();
  const allocationParams = projectAllocationListParams.parse(new URL(request.url));
  const found = await getProject({ scope: user.scope, id: parsed.data.projectId, allocations: allocationParams });
  if (!found) notFound();
  const { can, ...project } = found;
  const q = SearchQuerySchema.parse(queryParam(new URL(request.url), "q") ?? "");
  const year = currentYear();
  const choices = can.allocate ? await allocatableHouseholds({ scope: user.scope, year, q, limit: 50 }) : [];
  return {
    project,
    allocationParams,
    title: { name: project.name } satisfies PageTitle,
    can,
    choices,
    q,
    year,
    today: todayISO(),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "project.allocate");
  const parsed = ProjectParamsSchema.safeParse(params);
  if (!parsed.success) notFound();
  const projectId = parsed.data.projectId;
  if (!(await projectIsInScope({ scope: user.scope, id: projectId }))) notFound();
  const formData = await readForm(request);
  const intent = String(formData.get("intent") ?? INTENT.allocate);
  const reply = (result: SubmissionResult<string[]>, status: number, target?: string) =>
    intentReply(intent, result, status, target);
  switch (intent) {
    case INTENT.allocate: {
      const submission = parseForm(formData, { schema: AllocationSchema });
      if (submission.status !== "success") return reply(submission.reply(), 400);
      const result = await runModel(submission, () =>
        allocateFunds({ scope: user.scope, projectId, input: submission.value }),
      );
      if (!result.ok) return intentReplyFrom(result.response, intent);
      return redirect(`/projects/${projectId}?saved=allocation#allocations`);
    }
    case INTENT.reverse: {
      const target = String(formData.get("allocationId") ?? "");
      const submission = parseForm(formData, { schema: AllocationReversalSchema });
      if (submission.status !== "success") return reply(submission.reply(), 400, target);
      const result = await runModel(submission, () =>
        reverseFundAllocation({ scope: user.scope, projectId, input: submission.value }),
      );
      if (!result.ok) return intentReplyFrom(result.response, intent, target);
      return redirect(`/projects/${projectId}?saved=reversal#allocation-${target}`);
    }
    default:
      return reply({ status: "error", error: { "": ["field.choice"] } }, 400);
  }
}

export default function ProjectPage() {
  const { project, allocationParams, title, can } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const t = useT();
  const locale = useLocale();
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
            : searchParams.get("saved") === "reversal"
              ? t("projects.reversal.saved", { remaining: fenToYuan(project.remainingFen) })
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
        <div className="table-wrap cards">
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
                <tr
                  key={a.id}
                  id={`allocation-${a.id}`}
                  className={a.correctsAllocationId ? "reversal" : a.reversedBy ? "reversed" : undefined}
                  data-testid={a.correctsAllocationId ? "allocation-reversal" : "allocation-row"}
                >
                  <td data-label={t("projects.col.date")}>{a.allocatedOn}</td>
                  <th scope="row">
                    <Link to={`/households/${a.householdId}`}>{a.headName}</Link>
                  </th>
                  <td data-label={t("projects.col.village")}>{a.village}</td>
                  <td data-label={t("projects.col.kind")}>
                    {a.correctsAllocationId ? (
                      <>
                        <span className="badge">{t("projects.reversal.badge")}</span>{" "}
                        <span className="small">
                          {t("projects.reversal.line", {
                            reason: a.reason ?? "",
                            who: a.createdByName ?? "—",
                            when: fmtWhen(locale, a.createdAt),
                          })}
                        </span>
                      </>
                    ) : (
                      <>
                        {a.reversedBy ? <span className="badge warn">{t("projects.reversal.reversed")}</span> : null}{" "}
                        {t(`projects.kind.${a.kind}` as MessageKey)}
                        {a.kind === "in_kind" ? ` · ${a.item} × ${a.quantity}` : ""}
                        {a.note ? <div className="muted small">{a.note}</div> : null}
                        {can.reverse && !a.reversedBy ? <ReversalForm allocation={a} /> : null}
                        {a.reversedBy ? <ReversalRefused allocationId={a.id} /> : null}
                      </>
                    )}
                  </td>
                  <td className="num" data-label={t("projects.col.amount")}>
                    {fenToYuan(a.amountFen)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager
            {...project.allocationPage}
            shown={project.allocations.length}
            pageSizes={projectAllocationLinks.sizes}
            href={(changes) => projectAllocationLinks.search(allocationParams, changes) + "#allocations"}
          />
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
