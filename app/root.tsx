import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import type { ShouldRevalidateFunction } from "@remix-run/react";
import { Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { DEFAULT_LOCALE, metaTranslator, type Locale, type RootData } from "~/i18n";
import { messagesUrl } from "~/i18n/dictionaries.server";
import { getLocale } from "~/http/locale.server";
import { useNonce } from "~/utils/nonce";
import styles from "~/styles/app.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction<typeof loader> = ({ matches }) => {
  const t = metaTranslator(matches);
  return [{ title: `${t("app.name")} · ${t("app.tagline")}` }];
};

// The page names the reader's dictionary file; the words themselves are neither in the page's data nor in
// the scripts. The browser fetches the file (kept for good: its name changes with its content) while the
// scripts load, and hydrates once both are in (app/entry.client.tsx).
export async function loader({ request }: LoaderFunctionArgs): Promise<RootData> {
  const locale = await getLocale(request);
  return { locale, messagesUrl: messagesUrl(locale) };
}

// The language changes only through /lang, which reloads the document: a navigation or a saved form never
// needs another dictionary.
export const shouldRevalidate: ShouldRevalidateFunction = () => false;

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
        {/* fetched alongside the scripts, not after them (hydration waits for both), and like them after the
            stylesheets the first paint waits for (low priority: React 18 knows no fetchPriority prop) */}
        {data?.messagesUrl ? (
          <link
            rel="preload"
            as="fetch"
            href={data.messagesUrl}
            crossOrigin="anonymous"
            data-messages=""
            {...{ fetchpriority: "low" }}
          />
        ) : null}
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
