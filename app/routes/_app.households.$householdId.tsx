import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { useT } from "~/i18n";
import { getHousehold } from "~/models/households.server";
import { requireUser } from "~/utils/auth.server";
import { currentYear } from "~/utils/dates";
import { sqmToMu } from "~/utils/units";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const id = z.uuid().safeParse(params.householdId);
  if (!id.success) throw new Response("Not found", { status: 404 });
  const household = await getHousehold({ id: id.data, scope: user.scope, year: currentYear() });
  if (!household) throw new Response("Not found", { status: 404 });
  return { household, year: currentYear() };
}

export default function HouseholdPage() {
  const { household: h, year } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <>
      <h1>{t("household.title", { head: h.headName })}</h1>
      <div className="card">
        <dl className="facts">
          <dt>{t("col.code")}</dt>
          <dd>{h.code}</dd>
          <dt>{t("col.village")}</dt>
          <dd>{h.village}</dd>
          <dt>{t("col.status")}</dt>
          <dd>{t(`povertyStatus.${h.povertyStatus}`)}</dd>
          <dt>{t("col.cause")}</dt>
          <dd>{t(`povertyCause.${h.povertyCause}`)}</dd>
          {h.address ? (
            <>
              <dt>{t("household.address")}</dt>
              <dd>{h.address}</dd>
            </>
          ) : null}
          {h.courtyardArea != null ? (
            <>
              <dt>{t("household.courtyard")}</dt>
              <dd>
                {t("unit.sqm", { value: h.courtyardArea })}（{t("unit.mu", { value: sqmToMu(h.courtyardArea) })}）
              </dd>
            </>
          ) : null}
          <dt>{t("household.cadre")}</dt>
          <dd>{h.cadre ? `${h.cadre.name}${h.cadre.phone ? ` · ${h.cadre.phone}` : ""}` : t("household.noCadre")}</dd>
          <dt>{t("household.plan", { year })}</dt>
          <dd>{h.plan ? t(`planStatus.${h.plan.status}`) : t("household.noPlan")}</dd>
        </dl>
      </div>
      <h2>{t("household.members")}</h2>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t("col.name")}</th>
              <th scope="col">{t("col.relation")}</th>
              <th scope="col">{t("col.idNumber")}</th>
              <th scope="col">{t("col.sex")}</th>
              <th scope="col">{t("col.birthDate")}</th>
              <th scope="col">{t("col.health")}</th>
              <th scope="col">{t("col.labour")}</th>
            </tr>
          </thead>
          <tbody>
            {h.members.map((m) => (
              <tr key={m.id}>
                <td>{m.name}</td>
                <td>{t(`relation.${m.relation}`)}</td>
                <td>{m.idNumber}</td>
                <td>{t(`sex.${m.sex}`)}</td>
                <td>{m.birthDate}</td>
                <td>{t(`health.${m.health}`)}</td>
                <td>{t(`labour.${m.labourAbility}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
