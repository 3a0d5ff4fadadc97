// Tunable rule values live in the `settings` table (defaults from migration 0003); a township may
// override a county-wide value. Code names every key here, with the default it falls back to.
import { and, eq, isNull, or, sql } from "drizzle-orm";
import type { DbOrTx } from "../../db/client";
import { settings } from "../../db/schema";
import { db } from "~/utils/db.server";

export const SETTING_DEFAULTS = {
  /** days between checks of a household */
  "check.intervalDays": 30,
  /** days between checks of a monitored (监测户) household */
  "check.monitoredIntervalDays": 15,
  /** a check may be edited by its author for this long; after that only a correcting entry */
  "check.editWindowHours": 24,
  /** a cadre holding more households than this is flagged */
  "cadre.maxHouseholds": 30,
  "points.checkOnTime": 2,
  "points.checkLate": -1,
  "points.problemFound": 1,
  "points.problemSolved": 3,
  "points.householdOverdue": -2,
} as const;

export type SettingKey = keyof typeof SETTING_DEFAULTS;
export type Settings = Record<SettingKey, number>;

/** All settings as they apply in a township (its overrides over the county-wide values). */
export async function settingsFor(townshipId: string | null, d?: DbOrTx): Promise<Settings> {
  const conn = d ?? (await db());
  const rows = await conn
    .select({ key: settings.key, regionId: settings.regionId, value: settings.value })
    .from(settings)
    .where(townshipId ? or(isNull(settings.regionId), eq(settings.regionId, townshipId)) : isNull(settings.regionId))
    .orderBy(sql`${settings.regionId} nulls first`);
  const out: Settings = { ...SETTING_DEFAULTS };
  for (const row of rows) {
    if (row.key in out && typeof row.value === "number") out[row.key as SettingKey] = row.value;
  }
  return out;
}

/** Set a value county-wide (regionId null) or for one township. */
export async function setSetting(key: SettingKey, value: number, regionId: string | null = null) {
  const d = await db();
  await d.transaction(async (tx) => {
    await tx
      .delete(settings)
      .where(and(eq(settings.key, key), regionId ? eq(settings.regionId, regionId) : isNull(settings.regionId)));
    await tx.insert(settings).values({ key, regionId, value });
  });
}
