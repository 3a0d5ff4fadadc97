import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { PageHeading, pageMeta } from "~/components/page-title";
import { useT, type MessageKey } from "~/i18n";
import { can } from "~/permissions";
import { listCooperatives } from "~/models/cooperatives.server";
import { requirePermission } from "~/http/auth.server";
import orderStyles from "~/styles/orders.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: orderStyles }];

export const meta = pageMeta("orders.coops.title");

// A clerk: their own cooperative; an official: the township's; an administrator: the county's.
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "cooperative.read");
  const cooperatives = await listCooperatives({ scope: user.scope });
  return { cooperatives, can: { create: can(user.scope, "cooperative.setup") } };
}

export default function Cooperatives() {
  const { cooperatives, can } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <>
      <PageHeading title={{ key: "orders.coops.title" }}>
        {can.create ? (
          <Link className="button" to="/cooperatives/new">
            {t("orders.coops.new")}
          </Link>
        ) : null}
      </PageHeading>
      {cooperatives.length === 0 ? <p className="muted">{t("orders.coops.none")}</p> : null}
      <ul className="rows" data-testid="cooperatives">
        {cooperatives.map((c) => (
          <li key={c.id}>
            <Link className="row" to={`/cooperatives/${c.id}`}>
              <span className="title">{c.name}</span>
              <span className="badge">{t(`orders.coop.kind.${c.kind}` as MessageKey)}</span>
              <span className="meta">
                {[c.township, c.village].filter(Boolean).join(" · ")} ·{" "}
                {t("orders.coops.members", { count: c.memberCount })}
              </span>
              <span className="meta">
                {c.brokers.length
                  ? `${t("orders.coop.brokers")}：${c.brokers.map((b) => (b.phone ? `${b.name} ${b.phone}` : b.name)).join("，")}`
                  : t("orders.coop.noBrokers")}
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
