// Tunable rule values (规则参数) live in the `settings` table (defaults from migration 0003): a county-wide
// value, which a township may override. A value is never overwritten: a change is a row that takes effect
// on a day (today or later), so every day before it keeps the value it had and a figure of the past is
// judged as it was (docs/decisions/028-settings-effective-dates.md). A township's row with no value ends
// its override from that day: the township follows the county again.
//
// What takes which day's value:
// - the due-date rule (check intervals): the day a due date is judged as of, through app/models/due.server.ts;
// - points: the day of the entry scored (visit, solved problem, the overdue count's day);
// - the edit window of a check: the day the check was written;
// - a cadre's maximum households: the day the workload is looked at (today).
import crypto from "node:crypto";
import { and, eq, inArray, isNull, or, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "../../db/client";
import { regions, settings, users } from "../../db/schema";
import { SETTING_KEYS, SETTING_RULES, type SettingKey, type SettingsInput } from "~/schemas/settings";
import { isCalendarDate, todayISO } from "~/utils/dates";
import { db } from "~/utils/db.server";
import { writeAudit } from "./audit.server";
import { ConflictError, NotFoundError, ValidationError } from "./errors.server";
import { message } from "~/schemas/fields";
import { assertCan, type Scope } from "./scope.server";

export type { SettingKey } from "~/schemas/settings";

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
} as const satisfies Record<SettingKey, number>;

export type Settings = Record<SettingKey, number>;

/** The day the defaults of migration 0003 (and any row written without a date) apply from. */
export const SINCE_ALWAYS = "2000-01-01";

/** One row of the table as the rules read it: a value (null: the township follows the county) from a day. */
export type SettingRow = { key: SettingKey; regionId: string | null; effectiveFrom: string; value: number | null };

const isKey = (k: string): k is SettingKey => k in SETTING_DEFAULTS;

/**
 * The rows of `keys` for the county and one township (`townshipId`), or every township ("all"), or none
 * (null). A value that is not a whole number is skipped, as if the row were not there.
 */
export async function settingRows(
  townshipId: string | null | "all",
  keys: readonly SettingKey[] = SETTING_KEYS,
  d?: DbOrTx,
): Promise<SettingRow[]> {
  const conn = d ?? (await db());
  const rows = await conn
    .select({
      key: settings.key,
      regionId: settings.regionId,
      effectiveFrom: settings.effectiveFrom,
      value: settings.value,
    })
    .from(settings)
    .where(settingsWhere(townshipId, keys));
  return usableSettingRows(rows);
}

/** settingRows' condition on `settings`, for a statement that reads the rows along with something else. */
export function settingsWhere(townshipId: string | null | "all", keys: readonly SettingKey[]): SQL | undefined {
  const regionFilter =
    townshipId === "all"
      ? undefined
      : townshipId
        ? or(isNull(settings.regionId), eq(settings.regionId, townshipId))
        : isNull(settings.regionId);
  return and(inArray(settings.key, [...keys]), regionFilter);
}

/** settingRows' rows as a JSON array, for such a statement; usableSettingRows reads it. */
export function settingsJson(townshipId: string | null | "all", keys: readonly SettingKey[]): SQL {
  return sql`(select coalesce(json_agg(json_build_object('key', ${settings.key}, 'regionId', ${settings.regionId},
    'effectiveFrom', ${settings.effectiveFrom}, 'value', ${settings.value})), '[]'::json)
    from ${settings} where ${settingsWhere(townshipId, keys)})`;
}

/** The rows as the rules read them: known keys, whole numbers (or null), by the day they apply from. */
export function usableSettingRows(
  rows: { key: string; regionId: string | null; effectiveFrom: string; value: unknown }[],
): SettingRow[] {
  const out: SettingRow[] = [];
  for (const r of rows) {
    if (!isKey(r.key)) continue;
    if (r.value !== null && !(typeof r.value === "number" && Number.isInteger(r.value))) continue;
    out.push({ key: r.key, regionId: r.regionId, effectiveFrom: r.effectiveFrom, value: r.value as number | null });
  }
  return out.sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
}

/** The row of one region in effect on `day` (the latest from on or before it). */
function rowOn(rows: SettingRow[], key: SettingKey, regionId: string | null, day: string) {
  let found: SettingRow | undefined;
  for (const r of rows) if (r.key === key && r.regionId === regionId && r.effectiveFrom <= day) found = r;
  return found;
}

/** The township's own value on `day`: null when it follows the county that day. */
export function ownValueOn(rows: SettingRow[], key: SettingKey, regionId: string | null, day: string) {
  return rowOn(rows, key, regionId, day)?.value ?? null;
}

/** The value that applies in `townshipId` (null: the county) on `day`. */
export function valueOn(rows: SettingRow[], key: SettingKey, townshipId: string | null, day: string): number {
  const own = townshipId ? ownValueOn(rows, key, townshipId, day) : null;
  return own ?? ownValueOn(rows, key, null, day) ?? SETTING_DEFAULTS[key];
}

export type Step = { from: string; value: number };

/**
 * The value of `key` in a township (or the county) through time: steps from the days a county or a
 * township row takes effect, the first from SINCE_ALWAYS (or earlier rows' own day), equal neighbours merged.
 */
export function timelineOf(rows: SettingRow[], key: SettingKey, townshipId: string | null): Step[] {
  const days = new Set<string>(["0001-01-01"]);
  for (const r of rows)
    if (r.key === key && (r.regionId === null || r.regionId === townshipId)) days.add(r.effectiveFrom);
  const steps: Step[] = [];
  for (const day of [...days].sort()) {
    const value = valueOn(rows, key, townshipId, day);
    if (steps.at(-1)?.value !== value) steps.push({ from: day, value });
  }
  return steps;
}

/** A timeline as an SQL expression of the day `day`: a constant when the value never changed. */
export function stepsSql(steps: Step[], day: SQL): SQL {
  if (steps.length === 1) return sql`${steps[0].value}::int`;
  const whens = [...steps]
    .slice(1)
    .reverse()
    .map((s) => sql`when ${day} >= ${s.from}::date then ${s.value}::int`);
  return sql`(case ${sql.join(whens, sql` `)} else ${steps[0].value}::int end)`;
}

/** All settings as they apply in a township (its overrides over the county-wide values) on `day`. */
export async function settingsFor(townshipId: string | null, d?: DbOrTx, day = todayISO()): Promise<Settings> {
  const rows = await settingRows(townshipId, SETTING_KEYS, d);
  return settingsOn(rows, townshipId, day);
}

export function settingsOn(rows: SettingRow[], townshipId: string | null, day: string): Settings {
  return Object.fromEntries(SETTING_KEYS.map((k) => [k, valueOn(rows, k, townshipId, day)])) as Settings;
}

// ---------- the page ----------

type Manager = Extract<Scope, { role: "admin" | "official" }>;

/** The region a manager edits: an official their township only; the administrator the county or any township of it. */
async function regionFor(d: DbOrTx, scope: Manager, townshipId: string | null) {
  if (scope.role === "official") {
    if (townshipId && townshipId !== scope.townshipId) throw new NotFoundError("township");
    townshipId = scope.townshipId;
  }
  if (!townshipId) return null;
  const [row] = await d
    .select({ id: regions.id, name: regions.name, nameEn: regions.nameEn })
    .from(regions)
    .where(and(eq(regions.id, townshipId), eq(regions.level, "township"), eq(regions.countyId, scope.countyId)));
  if (!row) throw new NotFoundError("township");
  return row;
}

/** The region a manager may open (null: the county), or not found: before a form is read, so a township
 * out of scope is a 404 whatever the form holds. */
export async function settingsRegion({ scope, townshipId }: { scope: Scope; townshipId: string | null }) {
  assertCan(scope, "settings.manage");
  return regionFor(await db(), scope, townshipId);
}

/** What a region's own rows of a key look like now: the page carries it, a save compares it. */
function versionOf(rows: SettingRow[], key: SettingKey, regionId: string | null) {
  const own = rows.filter((r) => r.key === key && r.regionId === regionId).map((r) => [r.effectiveFrom, r.value]);
  return crypto.createHash("sha256").update(JSON.stringify(own)).digest("hex").slice(0, 16);
}

/**
 * The settings page of a region: each value in effect today and the changes ahead, for a township beside
 * the county value it overrides, with each value's history (who, when, from which day).
 */
export async function settingsPage({
  scope,
  townshipId,
  today = todayISO(),
}: {
  scope: Scope;
  townshipId: string | null;
  today?: string;
}) {
  assertCan(scope, "settings.manage");
  const d = await db();
  const region = await regionFor(d, scope, townshipId);
  const regionId = region?.id ?? null;
  const rows = await settingRows(regionId, SETTING_KEYS, d);
  const history = await d
    .select({
      key: settings.key,
      regionId: settings.regionId,
      effectiveFrom: settings.effectiveFrom,
      value: settings.value,
      at: settings.updatedAt,
      by: users.displayName,
    })
    .from(settings)
    .leftJoin(users, eq(users.id, settings.createdBy))
    .where(regionId ? eq(settings.regionId, regionId) : isNull(settings.regionId))
    .orderBy(sql`${settings.effectiveFrom} desc`);
  const townships =
    scope.role === "admin"
      ? await d
          .select({ id: regions.id, name: regions.name, nameEn: regions.nameEn })
          .from(regions)
          .where(and(eq(regions.level, "township"), eq(regions.countyId, scope.countyId)))
          .orderBy(regions.code)
      : [];
  const ahead = (key: SettingKey, id: string | null) =>
    rows
      .filter((r) => r.key === key && r.regionId === id && r.effectiveFrom > today)
      .map((r) => ({ from: r.effectiveFrom, value: r.value }));
  return {
    today,
    region,
    townships,
    values: SETTING_KEYS.map((key) => ({
      key,
      ...SETTING_RULES[key],
      county: { today: valueOn(rows, key, null, today), ahead: ahead(key, null) },
      own: regionId ? ownValueOn(rows, key, regionId, today) : valueOn(rows, key, null, today),
      ahead: ahead(key, regionId),
      version: versionOf(rows, key, regionId),
      history: history
        .filter((h) => h.key === key)
        .map((h) => ({
          effectiveFrom: h.effectiveFrom,
          value: typeof h.value === "number" ? h.value : null,
          at: h.at.toISOString(),
          by: h.by,
        })),
    })),
  };
}

// ---------- a change ----------

/** The pair the due-date rule needs in order: for each day from `from` on, monitored ≤ normal everywhere. */
function intervalProblem(rows: SettingRow[], from: string, townshipIds: (string | null)[]) {
  for (const t of townshipIds) {
    const days = new Set([from]);
    for (const r of rows)
      if (r.effectiveFrom > from && (r.regionId === null || r.regionId === t)) days.add(r.effectiveFrom);
    for (const day of [...days].sort()) {
      const normal = valueOn(rows, "check.intervalDays", t, day);
      const monitored = valueOn(rows, "check.monitoredIntervalDays", t, day);
      if (monitored > normal) return { townshipId: t, day, normal, monitored };
    }
  }
  return null;
}

/**
 * Save the values of a region's form from `effectiveFrom` on (today or later): one row per value that
 * changed, audited with before and after. A value the page showed and the user left is not written; one
 * that someone else changed since the page was read is refused (409) unless they saved the very same.
 * One change at a time county-wide (an advisory lock), since a county value is checked against every
 * township's.
 */
export async function saveSettings({
  scope,
  townshipId,
  input,
  today = todayISO(),
}: {
  scope: Scope;
  townshipId: string | null;
  input: SettingsInput;
  today?: string;
}) {
  assertCan(scope, "settings.manage");
  const d = await db();
  return d.transaction(async (tx) => {
    const region = await regionFor(tx, scope, townshipId);
    const regionId = region?.id ?? null;
    const parsed = input;
    const { effectiveFrom } = parsed;
    if (!isCalendarDate(effectiveFrom)) throw ValidationError.field("effectiveFrom", "field.date");
    if (effectiveFrom < today) throw ValidationError.field("effectiveFrom", "settings.error.past");
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('tingyuan.settings'))`);

    const rows = await settingRows("all", SETTING_KEYS, tx);
    const written: { key: SettingKey; before: number | null; after: number | null }[] = [];
    let conflict = false;
    for (const key of SETTING_KEYS) {
      const change = parsed.changes[key];
      if (!change) continue;
      const { min, max } = SETTING_RULES[key];
      if (
        change.value === null ? !regionId : !Number.isInteger(change.value) || change.value < min || change.value > max
      )
        throw ValidationError.field(key.replace(".", "_"), message("settings.error.range", { min, max }));
      if (change.value === change.shown) continue;
      const before = ownValueOn(rows, key, regionId, effectiveFrom);
      if (before === change.value) continue;
      if (change.version !== versionOf(rows, key, regionId)) {
        conflict = true;
        continue;
      }
      written.push({ key, before, after: change.value });
    }
    if (conflict) throw new ConflictError("setting");
    if (written.length === 0) return { changed: 0 };

    // the check runs on the values as they would stand, before anything is written
    const next = rows.filter(
      (r) => !(r.regionId === regionId && r.effectiveFrom === effectiveFrom && written.some((w) => w.key === r.key)),
    );
    for (const w of written) next.push({ key: w.key, regionId, effectiveFrom, value: w.after });
    next.sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
    if (written.some((w) => w.key === "check.intervalDays" || w.key === "check.monitoredIntervalDays")) {
      const townships = regionId
        ? [regionId]
        : [null, ...new Set(rows.flatMap((r) => (r.regionId ? [r.regionId] : [])))];
      const problem = intervalProblem(next, effectiveFrom, townships);
      if (problem) {
        const where =
          problem.townshipId && problem.townshipId !== regionId ? await nameOf(tx, problem.townshipId) : null;
        const field = written.some((w) => w.key === "check.monitoredIntervalDays")
          ? "check_monitoredIntervalDays"
          : "check_intervalDays";
        throw ValidationError.field(
          field,
          where
            ? message("settings.error.monitoredLongerIn", { township: where, date: problem.day })
            : message("settings.error.monitoredLongerOn", { date: problem.day }),
        );
      }
    }

    for (const w of written) {
      const existing = await tx
        .select({ id: settings.id, value: settings.value })
        .from(settings)
        .where(
          and(
            eq(settings.key, w.key),
            regionId ? eq(settings.regionId, regionId) : isNull(settings.regionId),
            eq(settings.effectiveFrom, effectiveFrom),
          ),
        );
      // a change already planned for that day is replaced; the audit keeps what it was
      const [row] = existing.length
        ? await tx
            .update(settings)
            .set({ value: w.after, createdBy: scope.userId, updatedAt: new Date() })
            .where(eq(settings.id, existing[0].id))
            .returning({ id: settings.id })
        : await tx
            .insert(settings)
            .values({ key: w.key, regionId, effectiveFrom, value: w.after, createdBy: scope.userId })
            .returning({ id: settings.id });
      await writeAudit(tx, {
        countyId: scope.countyId,
        userId: scope.userId,
        action: "setting.change",
        entity: "setting",
        entityId: row.id,
        before: { key: w.key, regionId, effectiveFrom, value: w.before, planned: existing[0]?.value ?? undefined },
        after: { key: w.key, regionId, effectiveFrom, value: w.after },
      });
    }
    return { changed: written.length };
  });
}

async function nameOf(d: DbOrTx, regionId: string) {
  const [row] = await d.select({ name: regions.name }).from(regions).where(eq(regions.id, regionId));
  return row?.name ?? "";
}
