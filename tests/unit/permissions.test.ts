// The capability table (app/permissions.ts) held to what else says who may do what: the domain's rules,
// the route × role matrix the every-route test opens, and each role's navigation.
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";
import { CAPABILITIES, can, ROLES, type Capability, type Role, type Scope } from "~/permissions";
import { navFor } from "~/utils/nav";

const capabilities = Object.keys(CAPABILITIES) as Capability[];
const holders = (capability: Capability) => ROLES.filter((role) => can(role, capability));
const sorted = (roles: readonly string[]) => [...roles].sort();

test("every capability names at least one role, each a known one, once", () => {
  for (const capability of capabilities) {
    const roles: readonly string[] = CAPABILITIES[capability];
    expect(roles.length, capability).toBeGreaterThan(0);
    expect(
      roles.every((r) => (ROLES as readonly string[]).includes(r)),
      capability,
    ).toBe(true);
    expect(new Set(roles).size, capability).toBe(roles.length);
  }
});

test("a scope, a user and their role get the same answer", () => {
  const scope: Scope = { role: "clerk", userId: "u", countyId: "c", cooperativeId: "k" };
  const user = { id: "u", role: "clerk" as Role, scope };
  for (const capability of capabilities) {
    expect(can(scope, capability), capability).toBe(can("clerk", capability));
    expect(can(user, capability), capability).toBe(can("clerk", capability));
  }
});

test("the domain's rules of who may: approval, care details, membership, order books", () => {
  // rule 5: only an official approves
  expect(holders("plan.approve")).toEqual(["official"]);
  // rule 12: the roles that care for the household see the care details; a clerk never
  expect(sorted(holders("care.read"))).toEqual(["admin", "cadre", "official"]);
  // membership widens a clerk's scope: a clerk asks, never enrols or confirms, and who asks never decides
  expect([
    can("clerk", "membership.request"),
    can("clerk", "membership.enrol"),
    can("clerk", "membership.decide"),
  ]).toEqual([true, false, false]);
  expect(ROLES.filter((r) => can(r, "membership.request") && can(r, "membership.decide"))).toEqual([]);
  // county IT reads the cooperatives' books and keeps none of them
  for (const c of ["order.write", "order.deliver", "buyer.write", "cooperative.write"] as const)
    expect(can("admin", c), c).toBe(false);
});

test("who may do more may do the less it includes", () => {
  const pairs: [Capability, Capability][] = [
    ["buyer.write", "buyer.read"],
    ["cooperative.write", "cooperative.read"],
    ["project.write", "project.read"],
    ["project.allocate", "project.read"],
    ["points.manage", "points.read"],
    // who sees every number of a list in full may see one member's
    ["idNumber.read", "idNumber.reveal"],
  ];
  for (const [write, read] of pairs)
    expect(
      holders(write).filter((r) => !can(r, read)),
      `${write} ⊆ ${read}`,
    ).toEqual([]);
});

test("a page's action guard lets in every role that has one of its forms", () => {
  // the guard of each action, and the capabilities its intents' models check
  const actions: [string, Capability, Capability[]][] = [
    [
      "/cooperatives/:id",
      "cooperative.write",
      ["cooperative.write", "membership.enrol", "membership.request", "membership.decide"],
    ],
    ["/orders/:id", "order.write", ["order.write", "order.deliver"]],
    ["/points", "points.read", ["points.manage"]],
  ];
  for (const [page, guard, intents] of actions) {
    for (const intent of intents)
      expect(
        holders(intent).filter((r) => !can(r, guard)),
        `${page}: ${intent} ⊆ ${guard}`,
      ).toEqual([]);
  }
});

// The capability each guarded page asks of its loader (requirePermission), beside the roles the route
// matrix in tests/integration/every-route.test.ts expects to reach it.
const GUARDED_PAGES: Record<string, Capability> = {
  "routes/_app.admin.users._index": "user.manage",
  "routes/_app.admin.users.new": "user.manage",
  "routes/_app.admin.users.import": "user.manage",
  "routes/_app.approvals": "plan.approve",
  "routes/_app.cooperatives.new": "cooperative.setup",
  "routes/_app.buyers.$buyerId.edit": "buyer.write",
  "routes/_app.cooperatives.$cooperativeId_.edit": "cooperative.setup",
  "routes/_app.plans.rollover": "plan.rollover",
  "routes/_app.admin.users.$userId": "user.manage",
  "routes/_app.admin.regions._index": "region.manage",
  "routes/_app.admin.regions.import": "region.manage",
  "routes/_app.admin.regions.$regionId": "region.manage",
  "routes/_app.admin.reference": "reference.manage",
  "routes/_app.admin.settings.($townshipId)": "settings.manage",
  "routes/_app.assignments._index": "assignment.write",
  "routes/_app.assignments.households": "assignment.write",
  "routes/_app.buyers._index": "buyer.read",
  "routes/_app.checks.overdue": "overdue.read",
  "routes/_app.cooperatives._index": "cooperative.read",
  "routes/_app.cooperatives.$cooperativeId": "cooperative.read",
  "routes/_app.coverage._index": "coverage.read",
  "routes/_app.coverage.gaps": "coverage.read",
  "routes/_app.dashboard": "dashboard.read",
  "routes/_app.households.new": "household.write",
  "routes/_app.households.$householdId.checks.new": "check.record",
  "routes/_app.households.$householdId.amendment": "plan.write",
  "routes/_app.households.$householdId.edit": "household.write",
  "routes/_app.households.$householdId.members.$memberId": "household.write",
  "routes/_app.import._index": "household.import",
  "routes/_app.import.$jobId": "household.import",
  "routes/_app.orders.new": "order.write",
  "routes/_app.points": "points.read",
  "routes/_app.projects._index": "project.read",
  "routes/_app.projects.new": "project.write",
  "routes/_app.projects.$projectId": "project.read",
  "routes/_app.projects.$projectId_.edit": "project.write",
  "routes/checks.overdue.export": "overdue.read",
  "routes/coverage.export": "coverage.read",
  "routes/coverage.gaps.export": "coverage.read",
  "routes/import.template.$format": "household.import",
  "routes/households.$householdId.checks.upload": "check.record",
};

// Pages every role opens, whose forms only some may post.
const GUARDED_ACTIONS: Record<string, Capability> = {
  "routes/_app.households.$householdId.assignment": "assignment.write",
  "routes/_app.orders.$orderId": "order.write",
};

const routeSource = (routeId: string) => {
  const base = path.resolve("app", routeId);
  // a flat route file, or a route folder's route module
  const file = [`${base}.tsx`, `${base}.ts`, `${base}/route.tsx`, `${base}/route.ts`].find((f) => fs.existsSync(f));
  if (!file) throw new Error(`no module for ${routeId}`);
  return fs.readFileSync(file, "utf8");
};

/** `reach` of each case in the every-route test, read from its source: the roles that open the route. */
function matrixReach(): Map<string, string[]> {
  const source = fs.readFileSync(path.resolve("tests/integration/every-route.test.ts"), "utf8");
  const reach = new Map<string, string[]>();
  for (const [, routeId, roles] of source.matchAll(/"(routes\/[^"]+)":\s*\{\s*reach:\s*(EVERYONE|\[[^\]]*\])/g)) {
    reach.set(routeId, roles === "EVERYONE" ? [...ROLES] : [...roles.matchAll(/"(\w+)"/g)].map((m) => m[1]));
  }
  return reach;
}

test("each guarded page asks for its capability, and the route matrix opens it to exactly the roles that hold it", () => {
  const reach = matrixReach();
  for (const [routeId, capability] of Object.entries(GUARDED_PAGES)) {
    expect(routeSource(routeId), routeId).toContain(`requirePermission(request, "${capability}")`);
    expect(reach.get(routeId), `${routeId} in every-route.test.ts`).toBeDefined();
    expect(sorted(reach.get(routeId)!), `${routeId}: the roles of ${capability}`).toEqual(sorted(holders(capability)));
  }
  for (const [routeId, capability] of Object.entries(GUARDED_ACTIONS)) {
    expect(routeSource(routeId), routeId).toContain(`requirePermission(request, "${capability}")`);
    expect(sorted(reach.get(routeId) ?? []), `${routeId}: a page for every role`).toEqual(sorted(ROLES));
  }
});

test("every route with a guard is tied above", () => {
  const routes = fs.readdirSync(path.resolve("app/routes")).map((f) => `routes/${f.replace(/\.tsx?$/, "")}`);
  const guarded = routes.filter((id) => routeSource(id).includes("requirePermission("));
  expect(sorted(guarded)).toEqual(sorted([...Object.keys(GUARDED_PAGES), ...Object.keys(GUARDED_ACTIONS)]));
});

test("no role's navigation leads to a page the role may not open", () => {
  const pages: Record<string, Capability> = {
    "/admin/users": "user.manage",
    "/approvals": "plan.approve",
    "/admin/regions": "region.manage",
    "/admin/reference": "reference.manage",
    "/admin/settings": "settings.manage",
    "/assignments": "assignment.write",
    "/buyers": "buyer.read",
    "/checks/overdue": "overdue.read",
    "/cooperatives": "cooperative.read",
    "/coverage": "coverage.read",
    "/dashboard": "dashboard.read",
    "/import": "household.import",
    "/points": "points.read",
    "/projects": "project.read",
  };
  for (const role of ROLES) {
    for (const item of navFor(role)) {
      const capability = pages[item.to];
      if (capability) expect(can(role, capability), `${role} → ${item.to}`).toBe(true);
      else
        expect(
          ["/", "/households", "/orders"],
          `${role} → ${item.to}: a page for every role, or add it above`,
        ).toContain(item.to);
    }
  }
});
