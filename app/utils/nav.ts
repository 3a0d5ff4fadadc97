import type { MessageKey } from "~/i18n";
import type { Role } from "~/models/scope.server";

export type NavItem = { to: string; label: MessageKey; end?: boolean };

/** Each role's navigation: only the work that role does. */
export function navFor(role: Role): NavItem[] {
  switch (role) {
    case "cadre":
      return [
        { to: "/", label: "nav.myHouseholds", end: true },
        { to: "/households", label: "nav.households" },
        { to: "/points", label: "nav.points" },
      ];
    case "official":
      return [
        { to: "/", label: "nav.home", end: true },
        { to: "/households", label: "nav.households" },
        { to: "/assignments", label: "nav.assignments" },
        { to: "/projects", label: "nav.projects" },
        { to: "/checks/overdue", label: "nav.overdue" },
        { to: "/points", label: "nav.points" },
      ];
    case "clerk":
      return [
        { to: "/", label: "nav.home", end: true },
        { to: "/households", label: "nav.households" },
      ];
    case "admin":
      return [
        { to: "/", label: "nav.home", end: true },
        { to: "/households", label: "nav.households" },
        { to: "/projects", label: "nav.projects" },
      ];
  }
}
