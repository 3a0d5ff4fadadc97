import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { DEFAULT_LOCALE, translator, type Locale } from "~/i18n";
import { getLocale } from "~/http/locale.server";
import { useNonce } from "~/utils/nonce";
import { skipRevalidationWhenQueued } from "~/offline/queued";
import styles from "~/styles/app.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  const t = translator(data?.locale ?? DEFAULT_LOCALE);
  return [{ title: `${t("app.name")} · ${t("app.tagline")}` }];
};

export async function loader({ request }: LoaderFunctionArgs) {
  return { locale: await getLocale(request) };
}

// a check kept on the phone while offline reloads nothing (see the check form)
export const shouldRevalidate = skipRevalidationWhenQueued;

export function Layout({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  const locale: Locale = data?.locale ?? DEFAULT_LOCALE;
  const nonce = useNonce();
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="theme-color" content="#2f6b3a" />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  return (
    <main>
      <GeneralErrorBoundary />
    </main>
  );
}
