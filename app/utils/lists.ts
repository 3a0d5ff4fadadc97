// Each list page's URL, described once (decision 025). Plain module: the model parses with it and the page
// writes its links with it, in the browser, where a *.server module is empty. The sort keys named here are
// the only ones a model maps to SQL.
import { z } from "zod";
import { ORDER_STATUSES, PLAN_STATUSES, POVERTY_STATUSES } from "~/vocabulary";
import { CONDITIONS } from "./coverage";
import { listParams } from "./list-params";

/** Free text typed into a search box: trimmed, at most `max` characters, empty = no search. */
const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((s) => s || undefined);

// ---------- the household registry (/households) ----------

export const HOUSEHOLD_SORT_KEYS = [
  "code",
  "head",
  "village",
  "group",
  "status",
  "cause",
  "members",
  "plan",
  "cadre",
  "lastCheck",
] as const;

export const householdListParams = listParams({
  filters: {
    q: text(50),
    village: z.guid(),
    group: z.guid(),
    status: z.enum(POVERTY_STATUSES),
    /** a code of the poverty causes' list (the model offers them; an unknown one matches nothing) */
    cause: z
      .string()
      .trim()
      .regex(/^[a-z][a-z0-9_]{0,29}$/),
    /** a plan status for this year, or "none": no plan this year */
    plan: z.enum([...PLAN_STATUSES, "none"]),
    /** a cadre's user id, or "none": no cadre in charge now */
    cadre: z.union([z.literal("none"), z.guid()]),
  },
  sort: { keys: HOUSEHOLD_SORT_KEYS, default: "code", dir: "asc" },
});

// ---------- purchase orders (/orders) ----------

export const ORDER_SORT_KEYS = ["window", "crop", "quantity", "status", "buyer", "cooperative"] as const;

export const orderListParams = listParams({
  filters: {
    status: z.enum(ORDER_STATUSES),
    crop: z
      .string()
      .trim()
      .regex(/^[a-z0-9_]{1,40}$/),
    season: text(40),
    cooperative: z.guid(),
  },
  sort: { keys: ORDER_SORT_KEYS, default: "window", dir: "desc" },
});

// ---------- coverage: the register (/coverage) and its gap lists (/coverage/gaps) ----------

/** The register reads the region and status filters; the gap lists add the condition and the view. */
export const coverageListParams = listParams({
  filters: {
    /** persons not covered; households (the default) when absent */
    view: z.literal("persons"),
    township: z.guid(),
    village: z.guid(),
    condition: z.enum(CONDITIONS),
    status: z.enum(POVERTY_STATUSES),
  },
  sizes: [20, 50, 100],
  size: 50,
});

// ---------- overdue visits (/checks/overdue) ----------

export const OVERDUE_SORT_KEYS = ["due", "head", "village", "cadre"] as const;

export const overdueListParams = listParams({
  // township: the admin's summary is per township
  filters: { township: z.guid(), village: z.guid(), cadre: z.guid() },
  // earliest due first: the longest overdue at the top
  sort: { keys: OVERDUE_SORT_KEYS, default: "due", dir: "asc" },
  sizes: [50, 100, 200],
});

// ---------- a household's checks (/households/:id/checks) ----------

/** Newest first, always: a visit history is read backwards from today. */
export const householdChecksParams = listParams({ filters: {}, sizes: [10, 20, 50] });

// ---------- aid projects (/projects) ----------

export const PROJECT_SORT_KEYS = ["start", "name", "budget", "allocated"] as const;

// the scope is the only filter: the totals above the table are over every project the caller sees
export const projectListParams = listParams({
  filters: {},
  // newest first, as the list always read
  sort: { keys: PROJECT_SORT_KEYS, default: "start", dir: "desc" },
});

/** A project's allocation ledger on its page: one fixed order (newest first), paged. */
export const projectAllocationListParams = listParams({ filters: {} });

// ---------- buyers (/buyers) ----------

export const BUYER_SORT_KEYS = ["name"] as const;

export const buyerListParams = listParams({
  /** part of a buyer's name or credit code */
  filters: { q: text(50) },
  sort: { keys: BUYER_SORT_KEYS, default: "name", dir: "asc" },
});

// ---------- cooperatives (/cooperatives) ----------

export const COOPERATIVE_SORT_KEYS = ["township", "name", "members"] as const;

export const cooperativeListParams = listParams({
  filters: {},
  // township then name, as the list always read: a county's cooperatives grouped by where they are
  sort: { keys: COOPERATIVE_SORT_KEYS, default: "township", dir: "asc" },
});

/** A cooperative's members on its page: part of a name or the ID number's last digits, paged. */
// `member`, not `q`: the page's enrolment form searches households with `q`
export const cooperativeMemberListParams = listParams({ filters: { member: text(20) } });

export type HouseholdListParams = ReturnType<typeof householdListParams.parse>;
export type OrderListParams = ReturnType<typeof orderListParams.parse>;
export type CoverageParams = ReturnType<typeof coverageListParams.parse>;
export type OverdueListParams = ReturnType<typeof overdueListParams.parse>;
export type HouseholdChecksParams = ReturnType<typeof householdChecksParams.parse>;
export type ProjectListParams = ReturnType<typeof projectListParams.parse>;
export type BuyerListParams = ReturnType<typeof buyerListParams.parse>;
export type CooperativeListParams = ReturnType<typeof cooperativeListParams.parse>;
export type ProjectAllocationListParams = ReturnType<typeof projectAllocationListParams.parse>;
export type CooperativeMemberListParams = ReturnType<typeof cooperativeMemberListParams.parse>;
