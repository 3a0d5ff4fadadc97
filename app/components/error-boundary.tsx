import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";
import { useT } from "~/i18n";

/** One error boundary for every route: a message per status, in the user's language. */
export function GeneralErrorBoundary() {
  const error = useRouteError();
  const t = useT();
  let status = 500;
  if (isRouteErrorResponse(error)) status = error.status;
  else if (typeof console !== "undefined") console.error(error);
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
