// Who may do what: the one table of named capabilities, read by the route guard (`requirePermission` in
// app/http/auth.server.ts), by the models (`assertCan` in app/models/scope.server.ts) and by components.
// Plain on purpose: a component may import it, so no `.server` file is needed for a role or a scope.
//
// A capability says which roles may do a kind of thing at all. Two questions are not here:
// - which records: the Scope (app/models/scope.server.ts) is put into every query, so a record outside it
//   is not found (404);
// - in which state: whether a plan may be edited now, an order delivered, … is the model's to answer, and
//   it answers in the `can` block of the data it returns to a page (docs/decisions/022-permissions.md).

export const ROLES = ["admin", "official", "cadre", "clerk"] as const;
export type Role = (typeof ROLES)[number];

/** Whose records a user may see: the administrator the county, an official a township, a cadre the
 * households paired with them, a clerk one cooperative's members (app/models/scope.server.ts). */
export type Scope =
  | { role: "admin"; userId: string; countyId: string }
  | { role: "official"; userId: string; countyId: string; townshipId: string }
  | { role: "cadre"; userId: string; countyId: string; townshipId: string }
  | { role: "clerk"; userId: string; countyId: string; cooperativeId: string };

export const CAPABILITIES = {
  // the registry (domain rules 1, 2, 12)
  /** register a household, edit it and its members */
  "household.write": ["cadre", "official"],
  /** import the registry from a spreadsheet */
  "household.import": ["official", "admin"],
  /** show one member's full ID number, on the audit log */
  "idNumber.reveal": ["cadre", "official", "admin"],
  /** full ID numbers in lists and exports, and a search by a number's last digits */
  "idNumber.read": ["official", "admin"],
  /** health, disability, the poverty cause, visit notes and photos, sensitive personal information: the roles
   * that care for the household; a clerk needs names, membership and orders, and gets none of it */
  "care.read": ["cadre", "official", "admin"],

  // plans (rules 3, 5, 10)
  /** draft a plan, edit it while it is a draft or returned, submit it, start it once approved; propose an
   * amendment of an approved or running plan, edit or withdraw it while it is open */
  "plan.write": ["cadre", "official"],
  /** approve or return a submitted plan or amendment, mark a running plan completed */
  "plan.approve": ["official"],
  /** start next year's plans of the township as drafts copied from this year's */
  "plan.rollover": ["official"],

  // visits, pairing, points (rule 8)
  /** record a visit, correct one, mark a problem it found solved */
  "check.record": ["cadre", "official"],
  /** the overdue visits per village and per cadre */
  "overdue.read": ["official", "admin"],
  /** pair cadres with households, hand them over, end a pairing */
  "assignment.write": ["official"],
  /** a points card: a cadre their own, an official those of the township's cadres */
  "points.read": ["cadre", "official"],
  /** the township's league table, bonuses and deductions */
  "points.manage": ["official"],

  // oversight (rule 7)
  "coverage.read": ["official", "admin"],
  "dashboard.read": ["official", "admin"],

  // aid projects and funds (rule 4)
  "project.read": ["official", "admin", "cadre"],
  /** create a project of the township, edit the township's own */
  "project.write": ["official"],
  /** allocate funds from a project to a household's approved plan */
  "project.allocate": ["official"],

  // cooperatives, buyers, orders (rule 4 and "Users" in docs/domain.md)
  "cooperative.read": ["clerk", "official", "admin"],
  /** register a cooperative and correct its own details (name, kind, village, registration code, contact) */
  "cooperative.setup": ["official", "admin"],
  /** a cooperative's brokers, and a member's leave */
  "cooperative.write": ["clerk", "official"],
  /** enrol a household directly */
  "membership.enrol": ["official"],
  /** ask for a household to join the clerk's cooperative, withdraw the request */
  "membership.request": ["clerk"],
  /** confirm or decline a request to join */
  "membership.decide": ["official"],
  "buyer.read": ["clerk", "official", "admin"],
  "buyer.write": ["clerk", "official"],
  /** create an order, change its status, allocate it to member households */
  "order.write": ["clerk", "official"],
  /** record deliveries against allocations, and the payments that follow them */
  "order.deliver": ["clerk", "official"],

  // accounts (rule 11)
  /** the administrator every account of the county; an official the township's cadres and clerks */
  "user.manage": ["admin", "official"],

  // the county's own divisions
  /** townships, villages and groups: add, rename, merge two villages, retire, load the codes from a CSV */
  "region.manage": ["admin"],
  /** the lists a plan, an order and a household choose from (crops, animals, poverty causes): add, rename,
   * retire, restore */
  "reference.manage": ["admin"],
  // rule values (rule 8 and the points card)
  /** the administrator the county-wide values and any township's overrides; an official their township's */
  "settings.manage": ["admin", "official"],
} as const satisfies Record<string, readonly Role[]>;

export type Capability = keyof typeof CAPABILITIES;
/** The roles that hold a capability. */
export type RoleWith<C extends Capability> = (typeof CAPABILITIES)[C][number];
/** The scopes that hold a capability: after `can` or `assertCan`, a model knows e.g. that the scope has a township. */
export type ScopeWith<C extends Capability> = Extract<Scope, { role: RoleWith<C> }>;

const held = (role: Role, capability: Capability) => (CAPABILITIES[capability] as readonly Role[]).includes(role);

/** Whether a role, or a user or scope of that role, holds the capability. */
export function can<C extends Capability, S extends { role: Role }>(
  subject: S,
  capability: C,
): subject is S & { role: RoleWith<C> };
export function can(subject: Role, capability: Capability): boolean;
export function can(subject: Role | { role: Role }, capability: Capability): boolean {
  return held(typeof subject === "string" ? subject : subject.role, capability);
}
