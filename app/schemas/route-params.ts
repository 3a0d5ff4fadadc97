// The ids and query values pages read from their URLs, and the small posts some pages take beside their
// forms. Here rather than in the route modules, so a page's browser bundle does not carry zod for them.
import { z } from "zod";
import { todayISO } from "~/utils/dates";
import { USER_ROLES } from "~/vocabulary";
import { VersionSchema } from "./fields";

export const BuyerParamsSchema = z.object({ buyerId: z.uuid() });
export const CooperativeParamsSchema = z.object({ cooperativeId: z.uuid() });
export const HouseholdParamsSchema = z.object({ householdId: z.uuid() });
export const MemberParamsSchema = z.object({ householdId: z.uuid(), memberId: z.union([z.literal("new"), z.uuid()]) });
export const MemberRemoveSchema = z.object({ version: VersionSchema });
export const OrderParamsSchema = z.object({ orderId: z.uuid() });
export const PlanYearSchema = z.coerce.number().int().min(2000).max(2100);
export const PointsQuerySchema = z.object({
  month: z.string().optional(),
  cadre: z.uuid().optional(),
});
export const ProjectParamsSchema = z.object({ projectId: z.uuid() });
export const RegionParamsSchema = z.object({ regionId: z.uuid() });
export const RevealSchema = z.object({ intent: z.literal("reveal"), memberId: z.uuid() });
export const SearchQuerySchema = z.string().trim().max(20).catch("");
export const TownshipParamsSchema = z.object({ townshipId: z.uuid().optional() });
export const UserParamsSchema = z.object({ userId: z.uuid() });
/** A record's id from a query value or a form field. */
export const UuidSchema = z.uuid();
export const GuidSchema = z.guid();

// A filter the URL carries wrongly is dropped, not refused: an old bookmark still opens the list.
export const UserListParamsSchema = z.object({
  role: z.enum(USER_ROLES).optional().catch(undefined),
  township: z.uuid().optional().catch(undefined),
  active: z
    .enum(["1", "0"])
    .optional()
    .catch(undefined)
    .transform((v) => (v === undefined ? undefined : v === "1")),
  q: z.string().trim().max(50).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});

// The year to copy from: this year or the last (a rollover done in early January still copies December's year).
export const RolloverParamsSchema = z.object({
  year: z.coerce
    .number()
    .int()
    .catch(() => Number(todayISO().slice(0, 4))),
  village: z.uuid().optional().catch(undefined),
});
