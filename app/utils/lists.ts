// Each list page's URL, parsed (decision 025): the filters' schemas on the description in
// app/utils/list-urls.ts. The model and the loader parse with it; the page writes its links with the
// description alone. The sort keys named there are the only ones a model maps to SQL.
import { z } from "zod";
import { ORDER_STATUSES, PLAN_STATUSES, POINTS_ENTRY_KINDS, POVERTY_STATUSES } from "~/vocabulary";
import { CONDITIONS } from "./coverage";
import { listParams } from "./list-params";
import {
  BUYER_LIST,
  BUYER_SORT_KEYS,
  COOPERATIVE_LIST,
  COOPERATIVE_SORT_KEYS,
  COVERAGE_LIST,
  HOUSEHOLD_CHECKS_LIST,
  HOUSEHOLD_LIST,
  HOUSEHOLD_SORT_KEYS,
  ORDER_LIST,
  ORDER_SORT_KEYS,
  OVERDUE_LIST,
  OVERDUE_SORT_KEYS,
  PROJECT_ALLOCATION_LIST,
  PROJECT_LIST,
  PROJECT_SORT_KEYS,
  COOPERATIVE_MEMBER_LIST,
  ORDER_ALLOCATION_LIST,
  POINTS_LEAGUE_LIST,
  POINTS_CARD_LIST,
} from "./list-urls";

export {
  BUYER_SORT_KEYS,
  COOPERATIVE_SORT_KEYS,
  HOUSEHOLD_SORT_KEYS,
  ORDER_SORT_KEYS,
  OVERDUE_SORT_KEYS,
  PROJECT_SORT_KEYS,
};

/** A list's filters' schemas: one for each filter its links name, no other. */
type FiltersOf<L extends { filters: readonly string[] }> = Record<L["filters"][number], z.ZodType>;

/** Free text typed into a search box: trimmed, at most `max` characters, empty = no search. */
const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((s) => s || undefined);

export const householdListParams = listParams({
  ...HOUSEHOLD_LIST,
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
  } satisfies FiltersOf<typeof HOUSEHOLD_LIST>,
});

export const orderListParams = listParams({
  ...ORDER_LIST,
  filters: {
    status: z.enum(ORDER_STATUSES),
    crop: z
      .string()
      .trim()
      .regex(/^[a-z0-9_]{1,40}$/),
    season: text(40),
    cooperative: z.guid(),
  } satisfies FiltersOf<typeof ORDER_LIST>,
});

/** The register reads the region and status filters; the gap lists add the condition and the view. */
export const coverageListParams = listParams({
  ...COVERAGE_LIST,
  filters: {
    /** persons not covered; households (the default) when absent */
    view: z.literal("persons"),
    township: z.guid(),
    village: z.guid(),
    condition: z.enum(CONDITIONS),
    status: z.enum(POVERTY_STATUSES),
  } satisfies FiltersOf<typeof COVERAGE_LIST>,
});

export const overdueListParams = listParams({
  ...OVERDUE_LIST,
  filters: { township: z.guid(), village: z.guid(), cadre: z.guid() } satisfies FiltersOf<typeof OVERDUE_LIST>,
});

export const householdChecksParams = listParams({ ...HOUSEHOLD_CHECKS_LIST, filters: {} });

export const projectListParams = listParams({ ...PROJECT_LIST, filters: {} });

export const buyerListParams = listParams({
  ...BUYER_LIST,
  filters: { q: text(50) } satisfies FiltersOf<typeof BUYER_LIST>,
});

export const cooperativeListParams = listParams({ ...COOPERATIVE_LIST, filters: {} });

export const projectAllocationListParams = listParams({ ...PROJECT_ALLOCATION_LIST, filters: {} });

export const cooperativeMemberListParams = listParams({
  ...COOPERATIVE_MEMBER_LIST,
  filters: { member: text(20) } satisfies FiltersOf<typeof COOPERATIVE_MEMBER_LIST>,
});

export const orderAllocationListParams = listParams({
  ...ORDER_ALLOCATION_LIST,
  filters: { household: text(20) } satisfies FiltersOf<typeof ORDER_ALLOCATION_LIST>,
});

export const pointsLeagueListParams = listParams({
  ...POINTS_LEAGUE_LIST,
  filters: { who: text(20) } satisfies FiltersOf<typeof POINTS_LEAGUE_LIST>,
});

export const pointsCardListParams = listParams({
  ...POINTS_CARD_LIST,
  filters: { kind: z.enum(POINTS_ENTRY_KINDS) } satisfies FiltersOf<typeof POINTS_CARD_LIST>,
});

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
export type OrderAllocationListParams = ReturnType<typeof orderAllocationListParams.parse>;
export type PointsLeagueListParams = ReturnType<typeof pointsLeagueListParams.parse>;
export type PointsCardListParams = ReturnType<typeof pointsCardListParams.parse>;
