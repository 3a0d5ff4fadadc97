import type { MessageKey } from "~/i18n";
import type { Role } from "~/permissions";

export type NavItem = { to: string; label: MessageKey; end?: boolean };

/** Each role's navigation: only the work that role does. */
export function navFor(role: Role): NavItem[] {
  switch (role) {
    case "cadre":
      return [
        { to: "/", label: "nav.myHouseholds", end: true },
        { to: "/households", label: "nav.households" },
        // read-only: the orders reaching the cadre's own households
        { to: "/orders", label: "nav.orders" },
        { to: "/points", label: "nav.points" },
      ];
    case "official":
      return [
        { to: "/", label: "nav.home", end: true },
        { to: "/approvals", label: "nav.approvals" },
        { to: "/households", label: "nav.households" },
        { to: "/coverage", label: "nav.coverage" },
        { to: "/dashboard", label: "nav.dashboard" },
        { to: "/assignments", label: "nav.assignments" },
        { to: "/checks/overdue", label: "nav.overdue" },
        { to: "/projects", label: "nav.projects" },
        { to: "/orders", label: "nav.orders" },
        { to: "/cooperatives", label: "nav.cooperatives" },
        { to: "/buyers", label: "nav.buyers" },
        { to: "/points", label: "nav.points" },
        { to: "/import", label: "nav.import" },
        { to: "/admin/users", label: "nav.users" },
        { to: "/admin/settings", label: "nav.settings" },
      ];
    case "clerk":
      return [
        { to: "/", label: "nav.home", end: true },
        { to: "/orders", label: "nav.orders" },
        { to: "/cooperatives", label: "nav.cooperatives" },
        { to: "/buyers", label: "nav.buyers" },
        { to: "/households", label: "nav.households" },
      ];
    case "admin":
      return [
        { to: "/", label: "nav.home", end: true },
        { to: "/households", label: "nav.households" },
        { to: "/coverage", label: "nav.coverage" },
        { to: "/dashboard", label: "nav.dashboard" },
        { to: "/projects", label: "nav.projects" },
        { to: "/orders", label: "nav.orders" },
        { to: "/cooperatives", label: "nav.cooperatives" },
        { to: "/buyers", label: "nav.buyers" },
        { to: "/import", label: "nav.import" },
        { to: "/admin/users", label: "nav.users" },
        { to: "/admin/regions", label: "nav.regions" },
        { to: "/admin/reference", label: "nav.reference" },
        { to: "/admin/settings", label: "nav.settings" },
      ];
  }
}
