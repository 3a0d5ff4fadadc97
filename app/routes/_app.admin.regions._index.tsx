import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { RegionCreateForm } from "~/components/region-forms";
import { requirePermission } from "~/http/auth.server";
import { readForm, runModel } from "~/http/form.server";
import { useT } from "~/i18n";
import { CODE_LENGTH, createRegion, regionTree } from "~/models/region-admin.server";
import { RegionCreateSchema } from "~/schemas/regions";
import { pageMeta } from "~/components/page-title";
import { parseForm } from "~/utils/zod-messages";

export const meta = pageMeta("regions.metaTitle");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "region.manage");
  const retired = new URL(request.url).searchParams.get("retired") === "1";
  const tree = await regionTree({ scope: user.scope, retired });
  return { tree, retired, townshipCodeLength: CODE_LENGTH.township };
}

/** A township under the county; villages and groups are added on their parent's page. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "region.manage");
  const submission = parseForm(await readForm(request), { schema: RegionCreateSchema });
  if (submission.status !== "success") return Response.json(submission.reply(), { status: 400 });
  const result = await runModel(submission, () => createRegion({ scope: user.scope, input: submission.value }));
  if (!result.ok) return result.response;
  return redirect(`/admin/regions/${result.value.id}?saved=added`);
}

export default function Regions() {
  const { tree, retired, townshipCodeLength } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const t = useT();
  return (
    <>
      <div className="section-head">
        <h1>{t("regions.title")}</h1>
        <Link className="button secondary" to="/admin/regions/import">
          {t("regions.import")}
        </Link>
      </div>
      <p className="muted small">
        {tree.county.name} · {tree.county.code} — {t("regions.intro")}
      </p>
      <p className="small">
        {retired ? (
          <Link to="/admin/regions">{t("regions.hideRetired")}</Link>
        ) : (
          <Link to="/admin/regions?retired=1">{t("regions.showRetired")}</Link>
        )}
      </p>
      {searchParams.get("saved") === "imported" ? (
        <p className="success" role="status">
          {t("regions.csv.done", {
            added: searchParams.get("added") ?? "0",
            renamed: searchParams.get("renamed") ?? "0",
          })}
        </p>
      ) : null}
      {tree.townships.length === 0 ? <p className="muted">{t("regions.none")}</p> : null}
      <ul className="region-tree" data-testid="region-tree">
        {tree.townships.map((tw) => (
          <li key={tw.id}>
            <details open={tree.townships.length <= 3}>
              <summary>
                <Link to={`/admin/regions/${tw.id}`}>{tw.name}</Link> <code className="small">{tw.code}</code>{" "}
                <span className="muted small">
                  {t("regions.villages", { count: tw.villages.filter((v) => !v.retiredAt).length })} ·{" "}
                  {t("regions.households", { count: tw.households })}
                </span>
                {tw.retiredAt ? <span className="badge bad">{t("regions.retiredBadge")}</span> : null}
              </summary>
              <ul className="rows">
                {tw.villages.map((v) => (
                  <li key={v.id}>
                    <Link className="row" to={`/admin/regions/${v.id}`}>
                      <span className="title">
                        {v.name} <code className="small">{v.code}</code>
                      </span>
                      {v.retiredAt ? <span className="badge bad">{t("regions.retiredBadge")}</span> : null}
                      <span className="meta">
                        {t("regions.households", { count: v.households })} ·{" "}
                        {v.groups.length
                          ? `${t("regions.groups")}${v.groups.map((g) => `${g.name} ${g.code}`).join("、")}`
                          : t("regions.noGroups")}
                      </span>
                    </Link>
                  </li>
                ))}
              </ul>
            </details>
          </li>
        ))}
      </ul>
      <section aria-labelledby="add-township">
        <h2 id="add-township">{t("regions.addTownship")}</h2>
        <RegionCreateForm
          parent={{ id: tree.county.id, code: tree.county.code }}
          level="township"
          codeLength={townshipCodeLength}
          lastResult={lastResult}
        />
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
