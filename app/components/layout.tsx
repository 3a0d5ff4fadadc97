import { Form, Link, NavLink, useLocation } from "@remix-run/react";
import type { ReactNode } from "react";
import { useLocale, useT } from "~/i18n";
import type { Role } from "~/permissions";
import { navFor } from "~/utils/nav";

export function LanguageSwitch() {
  const t = useT();
  const locale = useLocale();
  const location = useLocation();
  return (
    <Form method="post" action="/lang" className="inline-form" reloadDocument>
      <input type="hidden" name="locale" value={locale === "en" ? "zh-CN" : "en"} />
      <input type="hidden" name="redirectTo" value={`${location.pathname}${location.search}`} />
      <button type="submit" className="linklike" lang={locale === "en" ? "zh-CN" : "en"}>
        {t("lang.switchTo")}
      </button>
    </Form>
  );
}

export function AppShell({
  user,
  children,
}: {
  user: { displayName: string; role: Role; scopeName: string };
  children: ReactNode;
}) {
  const t = useT();
  return (
    <>
      <a className="skip" href="#main">
        {t("app.skipToContent")}
      </a>
      <header className="topbar">
        <div className="topbar-inner">
          <Link to="/" className="brand">
            {t("app.name")}
            <small>{user.scopeName}</small>
          </Link>
          <Link to="/account" className="who" title={t("account.title")}>
            {user.displayName} · {t(`role.${user.role}`)}
          </Link>
          <LanguageSwitch />
          <Form method="post" action="/logout" className="inline-form">
            <button type="submit" className="linklike">
              {t("nav.logout")}
            </button>
          </Form>
        </div>
      </header>
      <nav className="nav" aria-label={t("nav.menu")}>
        <ul>
          {navFor(user.role).map((item) => (
            <li key={item.to}>
              <NavLink to={item.to} end={item.end} prefetch="intent">
                {t(item.label)}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main">{children}</main>
    </>
  );
}
