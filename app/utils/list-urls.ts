// Each list page's URL as its links see it (decision 025): filter names, sort and page sizes, with no zod,
// so the page writes its links, pager and sort headers in the browser. app/utils/lists.ts gives each list
// its filters' schemas on the same description and parses with them (loaders, models, exports).
import type {
  BuyerListParams,
  CooperativeListParams,
  CoverageParams,
  HouseholdChecksParams,
  HouseholdListParams,
  OrderListParams,
  OverdueListParams,
  ProjectListParams,
  ProjectAllocationListParams,
  CooperativeMemberListParams,
  OrderAllocationListParams,
  PointsLeagueListParams,
  PointsCardListParams,
} from "./lists";
import { listLinks, type LinkDefinition } from "./list-links";

const list = <K extends string, S extends string>(def: LinkDefinition<K, S>) => def;

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

export const HOUSEHOLD_LIST = list({
  filters: ["q", "village", "group", "status", "cause", "plan", "cadre"],
  sort: { keys: HOUSEHOLD_SORT_KEYS, default: "code", dir: "asc" },
});

// ---------- purchase orders (/orders) ----------

export const ORDER_SORT_KEYS = ["window", "crop", "quantity", "status", "buyer", "cooperative"] as const;

export const ORDER_LIST = list({
  filters: ["status", "crop", "season", "cooperative"],
  sort: { keys: ORDER_SORT_KEYS, default: "window", dir: "desc" },
});

// ---------- coverage: the register (/coverage) and its gap lists (/coverage/gaps) ----------

export const COVERAGE_LIST = list({
  filters: ["view", "township", "village", "condition", "status"],
  sizes: [20, 50, 100],
  size: 50,
});

// ---------- overdue visits (/checks/overdue) ----------

export const OVERDUE_SORT_KEYS = ["due", "head", "village", "cadre"] as const;

export const OVERDUE_LIST = list({
  // township: the admin's summary is per township
  filters: ["township", "village", "cadre"],
  // earliest due first: the longest overdue at the top
  sort: { keys: OVERDUE_SORT_KEYS, default: "due", dir: "asc" },
  sizes: [50, 100, 200],
});

// ---------- a household's checks (/households/:id/checks) ----------

/** Newest first, always: a visit history is read backwards from today. */
export const HOUSEHOLD_CHECKS_LIST = list({ filters: [], sizes: [10, 20, 50] });

// ---------- aid projects (/projects) ----------

export const PROJECT_SORT_KEYS = ["start", "name", "budget", "allocated"] as const;

// the scope is the only filter: the totals above the table are over every project the caller sees
export const PROJECT_LIST = list({
  filters: [],
  // newest first, as the list always read
  sort: { keys: PROJECT_SORT_KEYS, default: "start", dir: "desc" },
});

// ---------- buyers (/buyers) ----------

export const BUYER_SORT_KEYS = ["name"] as const;

/** q: part of a buyer's name or credit code */
export const BUYER_LIST = list({ filters: ["q"], sort: { keys: BUYER_SORT_KEYS, default: "name", dir: "asc" } });

// ---------- cooperatives (/cooperatives) ----------

export const COOPERATIVE_SORT_KEYS = ["township", "name", "members"] as const;

export const COOPERATIVE_LIST = list({
  filters: [],
  // township then name, as the list always read: a county's cooperatives grouped by where they are
  sort: { keys: COOPERATIVE_SORT_KEYS, default: "township", dir: "asc" },
});

/** A project's allocation ledger on its page: one fixed order (newest first), paged. */
export const PROJECT_ALLOCATION_LIST = list({ filters: [] });

/** A cooperative's members on its page: part of a name or the ID number's last digits, paged. */
// `member`, not `q`: the page's enrolment form searches households with `q`
export const COOPERATIVE_MEMBER_LIST = list({ filters: ["member"] });

/**
 * An order's allocation ledger on its page, each household with its deliveries and forms: who still owes
 * kilograms first, then who is still owed money, then the settled; `household` finds one by part of a name
 * or code, or an ID number's last 4 characters. Few to a page: each row carries its deliveries and their
 * forms, about 10 KiB of markup, and a page stays under 200 KiB.
 */
// `household`, not `q`: the allocation picker above the ledger searches members with `q`
export const ORDER_ALLOCATION_LIST = list({ filters: ["household"], sizes: [5, 10], size: 10 });

/** The township's points league: best first, paged; `cadre` is the card's own parameter, so `who` searches. */
export const POINTS_LEAGUE_LIST = list({ filters: ["who"], sizes: [50, 100, 200] });

/**
 * A points card's entries: of one kind (`kind`) or all, in date order, a page at a time; `page` and `size`
 * live beside the card's own `month` and `cadre`.
 */
export const POINTS_CARD_LIST = list({ filters: ["kind"], sizes: [20, 50, 100] });

export const householdListLinks = listLinks<HouseholdListParams>(HOUSEHOLD_LIST);
export const orderListLinks = listLinks<OrderListParams>(ORDER_LIST);
export const coverageListLinks = listLinks<CoverageParams>(COVERAGE_LIST);
export const overdueListLinks = listLinks<OverdueListParams>(OVERDUE_LIST);
export const householdChecksLinks = listLinks<HouseholdChecksParams>(HOUSEHOLD_CHECKS_LIST);
export const projectListLinks = listLinks<ProjectListParams>(PROJECT_LIST);
export const buyerListLinks = listLinks<BuyerListParams>(BUYER_LIST);
export const cooperativeListLinks = listLinks<CooperativeListParams>(COOPERATIVE_LIST);
export const projectAllocationLinks = listLinks<ProjectAllocationListParams>(PROJECT_ALLOCATION_LIST);
export const cooperativeMemberLinks = listLinks<CooperativeMemberListParams>(COOPERATIVE_MEMBER_LIST);
export const orderAllocationLinks = listLinks<OrderAllocationListParams>(ORDER_ALLOCATION_LIST);
export const pointsLeagueLinks = listLinks<PointsLeagueListParams>(POINTS_LEAGUE_LIST);
export const pointsCardLinks = listLinks<PointsCardListParams>(POINTS_CARD_LIST);
