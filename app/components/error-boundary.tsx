import { isRouteErrorResponse, Link, useLocation, useRouteError } from "@remix-run/react";
import { useT } from "~/i18n";

/**
 * A page's data or route lookup that never reached the server (the phone is offline, or the request
 * failed on the way): not the server's error, and the cadre should be told it is the signal. Browsers word
 * the fetch's TypeError differently (Chrome "Failed to fetch", Firefox "NetworkError…", Safari "Load failed").
 */
function isNetworkFailure(error: unknown) {
  if (typeof navigator !== "undefined" && navigator.onLine === false) return true;
  return error instanceof TypeError && /fetch|network|load failed/i.test(error.message);
}

/** One error boundary for every route: a message per status, in the user's language. */
export function GeneralErrorBoundary() {
  const error = useRouteError();
  const location = useLocation();
  const t = useT();
  let status = 500;
  if (isRouteErrorResponse(error)) status = error.status;
  else if (typeof console !== "undefined") console.error(error);
  if (!isRouteErrorResponse(error) && isNetworkFailure(error)) {
    return (
      <div className="error-page" role="alert" data-testid="offline-error">
        <h1>{t("error.offline.title")}</h1>
        <p className="muted">{t("error.offline.body")}</p>
        <p>
          {/* a whole page load: the service worker answers with the phone's copy when it has one */}
          <a className="button" href={location.pathname + location.search}>
            {t("error.retry")}
          </a>{" "}
          <Link className="button secondary" to="/" reloadDocument>
            {t("error.backHome")}
          </Link>
        </p>
      </div>
    );
  }
  // 413: a form too large to read; 503: the database is away for a moment (db.server.ts) — neither is a bug
  const known = status === 404 || status === 403 || status === 413 || status === 503 ? status : 500;
  return (
    <div className="error-page" role="alert">
      <h1>{t(`error.${known}.title` as const)}</h1>
      <p className="muted">{t(`error.${known}.body` as const)}</p>
      <p>
        <Link className="button secondary" to="/">
          {t("error.backHome")}
        </Link>
      </p>
    </div>
  );
}
