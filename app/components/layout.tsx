import { Form, Link, NavLink, useLocation } from "@remix-run/react";
import type { ReactNode } from "react";
import { useLocale, useT } from "~/i18n";
import type { Role } from "~/permissions";
import { navFor, type NavItem } from "~/utils/nav";
import { clearOfflineData } from "~/offline/session";

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

/** Tabs a 360-px phone shows in a row; with more, the last place goes to 更多. */
const PHONE_TABS = 4;

function isCurrent(item: NavItem, pathname: string) {
  if (item.end) return pathname === item.to;
  return pathname === item.to || pathname.startsWith(`${item.to}/`);
}

function NavItemLink({ item, closeMenu = false }: { item: NavItem; closeMenu?: boolean }) {
  const t = useT();
  return (
    <li>
      <NavLink
        to={item.to}
        end={item.end}
        prefetch="intent"
        // a client-side navigation keeps the DOM: close the menu it was chosen from
        onClick={closeMenu ? (e) => e.currentTarget.closest("details")?.removeAttribute("open") : undefined}
      >
        {t(item.label)}
      </NavLink>
    </li>
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
  const location = useLocation();
  const items = navFor(user.role);
  const phoneFirst = items.length <= PHONE_TABS ? items.length : PHONE_TABS - 1;
  const more = items.slice(phoneFirst);
  const currentInMore = more.find((item) => isCurrent(item, location.pathname));
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
          <Form method="post" action="/logout" className="inline-form" onSubmit={() => void clearOfflineData()}>
            <button type="submit" className="linklike">
              {t("nav.logout")}
            </button>
          </Form>
        </div>
      </header>
      <nav className="nav" aria-label={t("nav.menu")}>
        <ul className="nav-wide">
          {items.map((item) => (
            <NavItemLink key={item.to} item={item} />
          ))}
        </ul>
        {/* a phone shows the first few and the rest under 更多: no tab is off-screen, and <details> opens
            without JavaScript */}
        <div className="nav-phone">
          <ul>
            {items.slice(0, phoneFirst).map((item) => (
              <NavItemLink key={item.to} item={item} />
            ))}
          </ul>
          {more.length > 0 ? (
            <details className="nav-more">
              <summary>
                {t("nav.more")}
                {currentInMore ? <span className="nav-more-current"> · {t(currentInMore.label)}</span> : null}
              </summary>
              <ul>
                {more.map((item) => (
                  <NavItemLink key={item.to} item={item} closeMenu />
                ))}
              </ul>
            </details>
          ) : null}
        </div>
      </nav>
      <main id="main">{children}</main>
    </>
  );
}
