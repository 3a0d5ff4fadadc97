import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { DEFAULT_LOCALE, isLocale, translator, useT, type MessageKey } from "~/i18n";
import { listCooperatives } from "~/models/cooperatives.server";
import { requirePermission } from "~/http/auth.server";
import orderStyles from "~/styles/orders.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: orderStyles }];

export const meta: MetaFunction = ({ matches }) => {
  const locale = (matches.find((m) => m.id === "root")?.data as { locale?: string } | undefined)?.locale;
  const t = translator(isLocale(locale) ? locale : DEFAULT_LOCALE);
  return [{ title: `${t("orders.coops.title")} · ${t("app.name")}` }];
};

// A clerk: their own cooperative; an official: the township's; an administrator: the county's.
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "cooperative.read");
  const cooperatives = await listCooperatives({ scope: user.scope });
  return { cooperatives };
}

export default function Cooperatives() {
  const { cooperatives } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <>
      <h1>{t("orders.coops.title")}</h1>
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
