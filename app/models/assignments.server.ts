// Pairing (结对帮扶): which cadre is in charge of which household, from when to when.
//
// Only a township official assigns, and only the cadres and households of their township. Every change is
// one transaction that locks the households it touches (FOR UPDATE, in id order, so two bulk changes never
// deadlock), ends the current assignment, starts the new one and writes an audit row per household.
// The partial unique index cadre_assignments_one_active_uq (one open assignment per household) is the
// last guard; a caller that saw the household's cadre passes it as `expected`, so a change made by someone
// else in between is refused (domain rule 6) instead of silently overwritten.
import { and, asc, desc, eq, inArray, isNull, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Tx } from "../../db/client";
import { queryRows } from "../../db/client";
import { auditLog, cadreAssignments, households, regions, users } from "../../db/schema";
import { can, type ScopeWith } from "~/permissions";
import { message } from "~/schemas/fields";
import { PairingChangeSchema, PairingEndSchema } from "~/schemas/pairing";
import { todayISO } from "~/utils/dates";
import { addDays } from "~/utils/due";
import { db } from "~/utils/db.server";
import { dueIntervals, householdDue, overdueSql } from "./due.server";
import { listHouseholds, type HouseholdListParams } from "./household-list.server";
import { ConflictError, NotFoundError, ValidationError, isUniqueViolation } from "./errors.server";
import { parseInput } from "./parse-input.server";
import { assertCan, householdInScope, type Scope } from "./scope.server";
import { settingsFor } from "./settings.server";

/** The end reason written when an official assigns a household another cadre without giving one. */
export const DEFAULT_END_REASON = "改派";
/** … and when they hand all of a cadre's households over. */
export const DEFAULT_TRANSFER_REASON = "移交";

const ONE_ACTIVE = "cadre_assignments_one_active_uq";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** rows per statement: far below PostgreSQL's 65,535 parameters, even for a whole township */
const CHUNK = 1000;

/** Who pairs cadres with households, hands them over and ends pairings: the township's officials. */
type OfficialScope = ScopeWith<"assignment.write">;

export type AssignResult = {
  /** households that got the new cadre */
  assigned: number;
  /** households that already had that cadre: left alone */
  unchanged: number;
  /** households passed over: another cadre in charge with "only unassigned", or moved away meanwhile */
  skipped: number;
};

function requireOfficial(scope: Scope): OfficialScope {
  assertCan(scope, "assignment.write");
  return scope;
}

/** Checks the day and reason of a change of cadre as its forms do; the reason given, or null. */
function parseChange(input: { startsOn: string; reason?: string; today?: string }): string | null {
  const { startsOn, reason } = parseInput(PairingChangeSchema, input);
  notAfterToday(startsOn, "startsOn", input.today ?? todayISO());
  return reason || null;
}

function notAfterToday(value: string, field: string, today: string) {
  // an assignment is in force from the day it is written down; a future date would hand the household
  // to the new cadre today while the record said otherwise
  if (value > today) throw ValidationError.field(field, "pairing.error.future");
}

function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

type CadreRow = { id: string; name: string; active: boolean };

/**
 * A cadre of the official's township, locked FOR SHARE so a deactivation waits for this change.
 * `mustBeActive`: a new assignment needs an active cadre; handing households away from one need not.
 */
async function cadreOfTownship(
  tx: Tx,
  scope: OfficialScope,
  cadreId: string,
  field: string,
  mustBeActive: boolean,
): Promise<CadreRow> {
  if (!UUID.test(cadreId)) throw ValidationError.field(field, "pairing.error.cadreNotInTownship");
  const [row] = await tx
    .select({
      id: users.id,
      name: users.displayName,
      active: users.active,
      role: users.role,
      townshipId: users.townshipId,
    })
    .from(users)
    .where(eq(users.id, cadreId))
    .for("share");
  if (!row || row.role !== "cadre" || row.townshipId !== scope.townshipId) {
    throw ValidationError.field(field, "pairing.error.cadreNotInTownship");
  }
  if (mustBeActive && !row.active) throw ValidationError.field(field, "pairing.error.cadreInactive");
  return { id: row.id, name: row.name, active: row.active };
}

type LockedHousehold = { id: string; countyId: string };

/** The households matching `where` inside the scope, locked FOR UPDATE in id order. */
async function lockHouseholds(tx: Tx, scope: Scope, where: SQL): Promise<LockedHousehold[]> {
  return tx
    .select({ id: households.id, countyId: households.countyId })
    .from(households)
    .where(and(where, householdInScope(scope)))
    .orderBy(asc(households.id))
    .for("update", { of: households });
}

/** Exactly these households, locked; one of them out of scope (or missing) is a 404 for the request. */
async function lockHouseholdsById(tx: Tx, scope: Scope, ids: string[]): Promise<LockedHousehold[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) throw ValidationError.field("householdIds", "pairing.error.pickHouseholds");
  if (unique.some((id) => !UUID.test(id))) throw new NotFoundError("household");
  const locked: LockedHousehold[] = [];
  // chunks in id order keep the lock order global
  for (const part of chunks(unique.sort()))
    locked.push(...(await lockHouseholds(tx, scope, inArray(households.id, part))));
  if (locked.length !== unique.length) throw new NotFoundError("household");
  return locked;
}

type Current = { id: string; cadreId: string; cadreName: string; startsOn: string };

/**
 * The open assignment of each household, and the earliest day a new one may start: not before the open
 * one started, nor before an ended one ended (the history stays a sequence). Read after the households
 * are locked, so it is the state this transaction changes.
 */
async function currentState(tx: Tx, householdIds: string[]) {
  const current = new Map<string, Current>();
  const earliest = new Map<string, string>();
  for (const part of chunks(householdIds)) {
    const rows = await tx
      .select({
        id: cadreAssignments.id,
        householdId: cadreAssignments.householdId,
        cadreId: cadreAssignments.cadreId,
        cadreName: users.displayName,
        startsOn: cadreAssignments.startsOn,
        endsOn: cadreAssignments.endsOn,
      })
      .from(cadreAssignments)
      .innerJoin(users, eq(users.id, cadreAssignments.cadreId))
      .where(inArray(cadreAssignments.householdId, part));
    for (const r of rows) {
      if (r.endsOn === null)
        current.set(r.householdId, { id: r.id, cadreId: r.cadreId, cadreName: r.cadreName, startsOn: r.startsOn });
      const bound = r.endsOn ?? r.startsOn;
      if (!earliest.has(r.householdId) || earliest.get(r.householdId)! < bound) earliest.set(r.householdId, bound);
    }
  }
  return { current, earliest };
}

type Change = {
  household: LockedHousehold;
  current: Current | null;
};

/**
 * Ends each household's open assignment the day before `startsOn` (the same day if it started that day)
 * and opens one for `cadre`; one audit row per household. The households are locked by the caller.
 */
async function reassign(
  tx: Tx,
  scope: OfficialScope,
  input: {
    changes: Change[];
    cadre: CadreRow;
    startsOn: string;
    reason: string;
    action: "assignment.assign" | "assignment.transfer";
  },
) {
  const { changes, cadre, startsOn, reason, action } = input;
  if (changes.length === 0) return;
  const ended = new Map<string, string>();
  const toEnd = changes.flatMap((c) => (c.current ? [c.current.id] : []));
  for (const part of chunks(toEnd)) {
    const rows = await tx
      .update(cadreAssignments)
      .set({
        endsOn: sql`greatest(${cadreAssignments.startsOn}, ${addDays(startsOn, -1)}::date)`,
        endedBy: scope.userId,
        endReason: reason,
      })
      .where(and(inArray(cadreAssignments.id, part), isNull(cadreAssignments.endsOn)))
      .returning({ id: cadreAssignments.id, endsOn: cadreAssignments.endsOn });
    for (const r of rows) ended.set(r.id, r.endsOn!);
  }
  // the households are locked and their assignments were read after the lock: nothing ended them meanwhile
  if (ended.size !== toEnd.length) throw new ConflictError("assignment");

  const opened = new Map<string, string>();
  for (const part of chunks(changes)) {
    const rows = await tx
      .insert(cadreAssignments)
      .values(
        part.map((c) => ({
          countyId: c.household.countyId,
          householdId: c.household.id,
          cadreId: cadre.id,
          startsOn,
          assignedBy: scope.userId,
        })),
      )
      .returning({ id: cadreAssignments.id, householdId: cadreAssignments.householdId });
    for (const r of rows) opened.set(r.householdId, r.id);
  }

  for (const part of chunks(changes)) {
    await tx.insert(auditLog).values(
      part.map((c) => ({
        countyId: c.household.countyId,
        userId: scope.userId,
        action,
        entity: "assignment",
        entityId: opened.get(c.household.id)!,
        householdId: c.household.id,
        before: c.current
          ? {
              cadreId: c.current.cadreId,
              cadreName: c.current.cadreName,
              startsOn: c.current.startsOn,
              endsOn: ended.get(c.current.id),
              reason,
            }
          : { cadreId: null, cadreName: null },
        after: { cadreId: cadre.id, cadreName: cadre.name, startsOn },
      })),
    );
  }
}

/** The newest allowed start among the households that change, as a message for the date field. */
function checkStart(changes: Change[], earliest: Map<string, string>, startsOn: string) {
  let bound: string | null = null;
  for (const c of changes) {
    const e = earliest.get(c.household.id);
    if (e && e > startsOn && (!bound || e > bound)) bound = e;
  }
  if (bound) throw ValidationError.field("startsOn", message("pairing.error.startsBeforeHistory", { date: bound }));
}

/** Runs a change; the one-open-assignment index refusing it means someone else changed the household. */
async function write<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  const d = await db();
  try {
    return await d.transaction(fn);
  } catch (error) {
    if (isUniqueViolation(error, ONE_ACTIVE)) throw new ConflictError("assignment");
    throw error;
  }
}

/**
 * Puts `cadreId` in charge of each household from `startsOn`. A household that has that cadre already is
 * left alone. `expected` (household id → the cadre id the user saw, or null for none) refuses the whole
 * change with a ConflictError when another official changed one of them in between.
 */
export async function assignCadre(input: {
  scope: Scope;
  householdIds: string[];
  cadreId: string;
  startsOn: string;
  reason?: string;
  expected?: Record<string, string | null>;
  today?: string;
}): Promise<AssignResult> {
  const scope = requireOfficial(input.scope);
  const reason = parseChange(input) ?? DEFAULT_END_REASON;
  return write(async (tx) => {
    const cadre = await cadreOfTownship(tx, scope, input.cadreId, "cadreId", true);
    const locked = await lockHouseholdsById(tx, scope, input.householdIds);
    const { current, earliest } = await currentState(
      tx,
      locked.map((h) => h.id),
    );
    const changes: Change[] = [];
    let unchanged = 0;
    for (const household of locked) {
      const now = current.get(household.id) ?? null;
      const expected = input.expected?.[household.id];
      if (expected !== undefined && (now?.cadreId ?? null) !== expected) throw new ConflictError("assignment");
      if (now?.cadreId === cadre.id) unchanged++;
      else changes.push({ household, current: now });
    }
    checkStart(changes, earliest, input.startsOn);
    await reassign(tx, scope, { changes, cadre, startsOn: input.startsOn, reason, action: "assignment.assign" });
    return { assigned: changes.length, unchanged, skipped: 0 };
  });
}

/**
 * Puts `cadreId` in charge of the households of a village: all of them, or only those without a cadre
 * (`onlyUnassigned`; households that have one are counted as skipped).
 */
export async function assignVillage(input: {
  scope: Scope;
  villageId: string;
  cadreId: string;
  startsOn: string;
  onlyUnassigned: boolean;
  reason?: string;
  today?: string;
}): Promise<AssignResult> {
  const scope = requireOfficial(input.scope);
  const reason = parseChange(input) ?? DEFAULT_END_REASON;
  if (!UUID.test(input.villageId)) throw new NotFoundError("village");
  return write(async (tx) => {
    const [village] = await tx
      .select({ id: regions.id })
      .from(regions)
      .where(
        and(eq(regions.id, input.villageId), eq(regions.level, "village"), eq(regions.parentId, scope.townshipId)),
      );
    if (!village) throw new NotFoundError("village");
    const cadre = await cadreOfTownship(tx, scope, input.cadreId, "cadreId", true);
    // the whole village is locked (a few hundred rows at most), so the counts of what was left alone
    // are as exact as what changed; each household's state is read once it is locked
    const locked = await lockHouseholds(tx, scope, eq(households.villageId, village.id));
    const { current, earliest } = await currentState(
      tx,
      locked.map((h) => h.id),
    );
    const changes: Change[] = [];
    let unchanged = 0;
    let skipped = 0;
    for (const household of locked) {
      const now = current.get(household.id) ?? null;
      if (now?.cadreId === cadre.id) unchanged++;
      else if (now && input.onlyUnassigned) skipped++;
      else changes.push({ household, current: now });
    }
    checkStart(changes, earliest, input.startsOn);
    await reassign(tx, scope, { changes, cadre, startsOn: input.startsOn, reason, action: "assignment.assign" });
    return { assigned: changes.length, unchanged, skipped };
  });
}

/**
 * Hands households over from one cadre to another (transfer, or a cadre who leaves): all of the
 * from-cadre's current households, or the given ones — each of which must still be the from-cadre's
 * (else ConflictError). The from-cadre may be inactive already; the to-cadre must be active.
 */
export async function transferHouseholds(input: {
  scope: Scope;
  fromCadreId: string;
  toCadreId: string;
  startsOn: string;
  householdIds?: string[];
  reason?: string;
  today?: string;
}): Promise<AssignResult> {
  const scope = requireOfficial(input.scope);
  const reason = parseChange(input) ?? DEFAULT_TRANSFER_REASON;
  if (input.fromCadreId === input.toCadreId) throw ValidationError.field("toCadreId", "pairing.error.sameCadre");
  return write(async (tx) => {
    // both cadres locked in id order (shared locks do not conflict, but keep the habit)
    const [first, second] = [input.fromCadreId, input.toCadreId].sort();
    const rows = new Map<string, CadreRow>();
    for (const id of [first, second]) {
      const isFrom = id === input.fromCadreId;
      rows.set(id, await cadreOfTownship(tx, scope, id, isFrom ? "fromCadreId" : "toCadreId", !isFrom));
    }
    const to = rows.get(input.toCadreId)!;
    const explicit = input.householdIds !== undefined;
    const locked = explicit
      ? await lockHouseholdsById(tx, scope, input.householdIds!)
      : await lockHouseholds(
          tx,
          scope,
          sql`exists (select 1 from ${cadreAssignments} where ${cadreAssignments.householdId} = ${households.id}
            and ${cadreAssignments.endsOn} is null and ${cadreAssignments.cadreId} = ${input.fromCadreId})`,
        );
    const { current, earliest } = await currentState(
      tx,
      locked.map((h) => h.id),
    );
    const changes: Change[] = [];
    let skipped = 0;
    for (const household of locked) {
      const now = current.get(household.id) ?? null;
      if (now?.cadreId === input.fromCadreId) changes.push({ household, current: now });
      else if (explicit) throw new ConflictError("assignment");
      else skipped++; // handed over by someone else between our read and our lock
    }
    checkStart(changes, earliest, input.startsOn);
    await reassign(tx, scope, { changes, cadre: to, startsOn: input.startsOn, reason, action: "assignment.transfer" });
    return { assigned: changes.length, unchanged: 0, skipped };
  });
}

/**
 * Ends the household's assignment on `endsOn` (the cadre leaves; the household has no cadre until it is
 * assigned again). `expectedCadreId`: the cadre the user saw; another one now is a ConflictError.
 */
export async function endAssignment(input: {
  scope: Scope;
  householdId: string;
  endsOn: string;
  reason: string;
  expectedCadreId?: string | null;
  today?: string;
}) {
  const scope = requireOfficial(input.scope);
  const { reason } = parseInput(PairingEndSchema, input);
  notAfterToday(input.endsOn, "endsOn", input.today ?? todayISO());
  return write(async (tx) => {
    const [household] = await lockHouseholdsById(tx, scope, [input.householdId]);
    const { current } = await currentState(tx, [household.id]);
    const now = current.get(household.id) ?? null;
    if (input.expectedCadreId !== undefined && (now?.cadreId ?? null) !== input.expectedCadreId) {
      throw new ConflictError("assignment");
    }
    if (!now) throw ValidationError.form("pairing.error.noCurrent");
    if (input.endsOn < now.startsOn) {
      throw ValidationError.field("endsOn", message("pairing.error.endsBeforeStart", { date: now.startsOn }));
    }
    await tx
      .update(cadreAssignments)
      .set({ endsOn: input.endsOn, endedBy: scope.userId, endReason: reason })
      .where(and(eq(cadreAssignments.id, now.id), isNull(cadreAssignments.endsOn)));
    await tx.insert(auditLog).values({
      countyId: household.countyId,
      userId: scope.userId,
      action: "assignment.end",
      entity: "assignment",
      entityId: now.id,
      householdId: household.id,
      before: { cadreId: now.cadreId, cadreName: now.cadreName, startsOn: now.startsOn },
      after: { cadreId: null, cadreName: null, endsOn: input.endsOn, reason },
    });
    return { endedCadreId: now.cadreId };
  });
}

export type AssignmentHistoryRow = {
  id: string;
  cadreId: string;
  cadreName: string;
  cadrePhone: string | null;
  startsOn: string;
  /** null: in charge now */
  endsOn: string | null;
  assignedByName: string | null;
  endedByName: string | null;
  endReason: string | null;
};

/**
 * A household's cadres, newest first, with who assigned and who ended each; null when the household is
 * not in the caller's scope (any role may read it within their scope).
 */
export async function assignmentHistory({ scope, householdId }: { scope: Scope; householdId: string }) {
  if (!UUID.test(householdId)) return null;
  const d = await db();
  const [household] = await d
    .select({ id: households.id, headName: households.headName, code: households.code, village: regions.name })
    .from(households)
    .innerJoin(regions, eq(regions.id, households.villageId))
    .where(and(eq(households.id, householdId), householdInScope(scope)));
  if (!household) return null;
  const cadre = alias(users, "cadre");
  const assigner = alias(users, "assigner");
  const ender = alias(users, "ender");
  const rows: AssignmentHistoryRow[] = await d
    .select({
      id: cadreAssignments.id,
      cadreId: cadreAssignments.cadreId,
      cadreName: cadre.displayName,
      cadrePhone: cadre.phone,
      startsOn: cadreAssignments.startsOn,
      endsOn: cadreAssignments.endsOn,
      assignedByName: assigner.displayName,
      endedByName: ender.displayName,
      endReason: cadreAssignments.endReason,
    })
    .from(cadreAssignments)
    .innerJoin(cadre, eq(cadre.id, cadreAssignments.cadreId))
    .leftJoin(assigner, eq(assigner.id, cadreAssignments.assignedBy))
    .leftJoin(ender, eq(ender.id, cadreAssignments.endedBy))
    .where(eq(cadreAssignments.householdId, householdId))
    .orderBy(
      sql`${cadreAssignments.endsOn} is null desc`,
      desc(cadreAssignments.startsOn),
      desc(cadreAssignments.createdAt),
    );
  return { household, current: rows.find((r) => r.endsOn === null) ?? null, rows };
}

export type CadreOption = { id: string; name: string; households: number };

/**
 * The households a cadre holds now — an open assignment on a household of the township — as rows
 * (cadre_id, household_id). The pickers' counts and the workload table both count these rows, so the
 * number beside a cadre's name is the same on every pairing page.
 */
function heldHouseholds(townshipId: string): SQL {
  return sql`(
    select a.cadre_id, a.household_id
    from cadre_assignments a
    join households h on h.id = a.household_id
    where a.ends_on is null and h.township_id = ${townshipId}
  )`;
}

/** The active cadres of the official's township with how many households each holds now, for the forms. */
export async function assignableCadres(scope: Scope): Promise<CadreOption[]> {
  if (!can(scope, "assignment.write")) return [];
  const d = await db();
  const rows = await queryRows<CadreOption & { username: string }>(
    d,
    sql`
    select u.id, u.display_name as name, u.username, count(held.household_id)::int as households
    from users u
    left join ${heldHouseholds(scope.townshipId)} held on held.cadre_id = u.id
    where u.role = 'cadre' and u.township_id = ${scope.townshipId} and u.active
    group by u.id
    order by u.display_name, u.username`,
  );
  return disambiguate(rows).map((r) => ({ ...r, households: Number(r.households) }));
}

/** Two cadres with the same name are told apart by their username. */
function disambiguate<T extends { name: string; username: string }>(rows: T[]): Omit<T, "username">[] {
  const seen = new Map<string, number>();
  for (const r of rows) seen.set(r.name, (seen.get(r.name) ?? 0) + 1);
  return rows.map(({ username, ...r }) => ({
    ...r,
    name: seen.get(r.name)! > 1 ? `${r.name}（${username}）` : r.name,
  }));
}

export type WorkloadRow = {
  id: string;
  name: string;
  phone: string | null;
  active: boolean;
  /** households in charge now */
  households: number;
  /** of those, how many are overdue (the due-date rule, domain rule 8) */
  overdue: number;
  /** holds more than `cadre.maxHouseholds` */
  overLimit: boolean;
};

/**
 * Each cadre of the township — the active ones, and inactive ones still holding households (those must be
 * handed over) — with households in charge, overdue checks and the over-limit flag; plus the township's
 * households without a cadre.
 */
export async function cadreWorkload({ scope, today }: { scope: Scope; today: string }) {
  const official = requireOfficial(scope);
  const d = await db();
  const settings = await settingsFor(official.townshipId, d, today);
  const maxHouseholds = settings["cadre.maxHouseholds"];
  const due = householdDue(sql`h.township_id = ${official.townshipId}`, today, await dueIntervals(official.townshipId));
  const [rows, [totals]] = await Promise.all([
    queryRows<Omit<WorkloadRow, "overLimit"> & { username: string }>(
      d,
      sql`
      select u.id, u.display_name as name, u.username, u.phone, u.active,
        count(held.household_id)::int as households,
        count(due.household_id) filter (where ${overdueSql(today)})::int as overdue
      from users u
      left join ${heldHouseholds(official.townshipId)} held on held.cadre_id = u.id
      left join ${due} due on due.household_id = held.household_id
      where u.role = 'cadre' and u.township_id = ${official.townshipId}
      group by u.id
      having u.active or count(held.household_id) > 0
      order by u.display_name, u.username`,
    ),
    queryRows<{ households: number; noCadre: number }>(
      d,
      sql`select count(*)::int as households,
        count(*) filter (where not exists (
          select 1 from cadre_assignments a where a.household_id = h.id and a.ends_on is null))::int as "noCadre"
        from households h where h.township_id = ${official.townshipId}`,
    ),
  ]);
  const cadres: WorkloadRow[] = disambiguate(rows).map((r) => ({
    ...r,
    households: Number(r.households),
    overdue: Number(r.overdue),
    overLimit: Number(r.households) > maxHouseholds,
  }));
  return {
    maxHouseholds,
    cadres,
    households: Number(totals?.households ?? 0),
    noCadre: Number(totals?.noCadre ?? 0),
    overLimit: cadres.filter((c) => c.overLimit).length,
  };
}

export type CandidateRow = Awaited<ReturnType<typeof listHouseholds>>["rows"][number] & {
  /** the cadre in charge now; null = none */
  cadreId: string | null;
};

/**
 * One page of the household list (the same filters, scope and paging as /households) with each
 * household's current cadre id, so a bulk assignment can say which state the official saw.
 */
export async function assignmentCandidates({
  scope,
  params,
  year,
}: {
  scope: Scope;
  params: HouseholdListParams;
  year: number;
}) {
  requireOfficial(scope);
  const list = await listHouseholds({ scope, params, year });
  const ids = list.rows.map((r) => r.id);
  const d = await db();
  // id and name read together: the name shown is the cadre the form will say it saw
  const current = ids.length
    ? await d
        .select({
          householdId: cadreAssignments.householdId,
          cadreId: cadreAssignments.cadreId,
          cadreName: users.displayName,
        })
        .from(cadreAssignments)
        .innerJoin(users, eq(users.id, cadreAssignments.cadreId))
        .where(and(inArray(cadreAssignments.householdId, ids), isNull(cadreAssignments.endsOn)))
    : [];
  const byHousehold = new Map(current.map((c) => [c.householdId, c]));
  return {
    ...list,
    rows: list.rows.map((r): CandidateRow => {
      const now = byHousehold.get(r.id);
      return { ...r, cadreId: now?.cadreId ?? null, cadreName: now?.cadreName ?? null };
    }),
  };
}
