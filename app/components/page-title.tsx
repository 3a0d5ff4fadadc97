// A page says its name once: the <h1> and the <title> are the same words, from the same dictionary key,
// in the reader's language (the tab and the history list then tell one household's page from another's).
import { Link, type MetaFunction } from "@remix-run/react";
import type { ReactNode } from "react";
import { type MessageKey, metaTranslator, type Translate, useT } from "~/i18n";

/** A page's name: a dictionary key with its values, or a record's own name (a project, a cooperative). */
export type PageTitle = { key: MessageKey; values?: Record<string, string | number> } | { name: string };

export function titleText(t: Translate, title: PageTitle) {
  return "name" in title ? title.name : t(title.key, title.values);
}

/**
 * The page's `meta`: its name, then the app's. A page with a fixed name passes its key; a page named after
 * its record returns `title` (a PageTitle) from its loader. Without one (an error page) the app's name alone.
 */
export function pageMeta(fixed?: MessageKey): MetaFunction {
  return ({ data, matches }) => {
    const t = metaTranslator(matches);
    const title = fixed ? { key: fixed } : (data as { title?: PageTitle } | null | undefined)?.title;
    return [{ title: title ? `${titleText(t, title)} · ${t("app.name")}` : t("app.name") }];
  };
}

/** The page's heading: the way back above it, when there is one, and what stands beside the <h1> (actions, a badge). */
export function PageHeading({
  title,
  back,
  children,
}: {
  title: PageTitle;
  back?: { to: string; label: MessageKey };
  children?: ReactNode;
}) {
  const t = useT();
  const heading = <h1>{titleText(t, title)}</h1>;
  return (
    <>
      {back ? (
        <p className="small">
          <Link to={back.to}>← {t(back.label)}</Link>
        </p>
      ) : null}
      {children ? (
        <div className="section-head">
          {heading}
          {children}
        </div>
      ) : (
        heading
      )}
    </>
  );
}
