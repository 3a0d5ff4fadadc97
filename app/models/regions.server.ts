// The region tree as the caller may use it: villages and groups of their township, retired ones left out.
import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import { regions } from "../../db/schema";
import { can } from "~/permissions";
import { db } from "~/utils/db.server";
import type { Scope } from "./scope.server";

/** Villages (with their groups) where the caller registers households: their township's. */
export async function villagesForRegistration(scope: Scope) {
  if (!can(scope, "household.write")) return [];
  const d = await db();
  const villages = await d
    .select({ id: regions.id, name: regions.name, code: regions.code })
    .from(regions)
    .where(and(eq(regions.parentId, scope.townshipId), eq(regions.level, "village"), isNull(regions.retiredAt)))
    .orderBy(asc(regions.code));
  if (villages.length === 0) return [];
  const groups = await d
    .select({ id: regions.id, name: regions.name, villageId: regions.parentId })
    .from(regions)
    .where(
      and(
        inArray(
          regions.parentId,
          villages.map((v) => v.id),
        ),
        eq(regions.level, "group"),
        isNull(regions.retiredAt),
      ),
    )
    .orderBy(asc(regions.code));
  return villages.map((v) => ({ ...v, groups: groups.filter((g) => g.villageId === v.id) }));
}
