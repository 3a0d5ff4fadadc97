// Cooperatives, their brokers (经纪人) and their members:
// - a cooperative takes households of its own township only. An official enrols any household of their
//   township into a cooperative of their township; a clerk asks, and an official confirms
//   (membership-requests.server.ts): membership widens the clerk's scope, so a clerk cannot make one alone;
// - leaving ends a membership and keeps its allocations: order allocations need a current member
//   (orders.server.ts), deliveries against an existing allocation do not;
// - every write runs in one transaction with its audit row; one that adds to a cooperative first takes the
//   cooperative's row in scope (lockCooperativeForWrite), so an out-of-scope id is a 404.
//
// Scope (who holds which cooperatives, cooperativeInScope):
//   clerk — their own cooperative; official — the cooperatives of their township;
//   admin — the county's, read-only; cadre — none (they only read orders).

import { and, asc, count, desc, eq, inArray, isNotNull, isNull, like, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db, Tx } from "../../db/client";
import { cooperatives, households, members, memberships, regions, brokers } from "../../db/schema";
import { SHOWN_TAIL, idTailOf } from "~/utils/id-number";
import { can, type ScopeWith } from "~/permissions";
import type { BrokerInput, CooperativeInput } from "~/schemas/orders";
import { message } from "~/schemas/fields";
import { db } from "~/utils/db.server";
import { pageOf } from "~/utils/list-params";
import {
  cooperativeMemberListParams,
  type CooperativeListParams,
  type CooperativeMemberListParams,
} from "~/utils/lists";
import { writeAudit } from "./audit.server";
import { ConflictError, NotFoundError, ValidationError, isUniqueViolation } from "./errors.server";
import { assertCan, householdInScope, type Scope } from "./scope.server";

/** Cooperatives a scope holds, as a condition on `cooperatives`. Cadres hold none (they only read orders). */
export function cooperativeInScope(scope: Scope): SQL {
  switch (scope.role) {
    case "admin":
      return eq(cooperatives.countyId, scope.countyId);
    case "official":
      return eq(cooperatives.townshipId, scope.townshipId);
    case "clerk":
      return eq(cooperatives.id, scope.cooperativeId);
    case "cadre":
      return sql`false`;
  }
}

/** Whether the household is a current member (no leave recorded) of the cooperative. */
export async function isCurrentMember(tx: Tx, cooperativeId: string, householdId: string) {
  const [row] = await tx
    .select({ id: memberships.id })
    .from(memberships)
    .where(
      and(
        eq(memberships.cooperativeId, cooperativeId),
        eq(memberships.householdId, householdId),
        isNull(memberships.leftOn),
      ),
    );
  return Boolean(row);
}

export async function lockCooperativeForWrite(tx: Tx, scope: Scope, cooperativeId: string) {
  const [row] = await tx
    .select()
    .from(cooperatives)
    .where(and(eq(cooperatives.id, cooperativeId), cooperativeInScope(scope)))
    .for("share");
  if (!row) throw new NotFoundError("cooperative");
  return row;
}

// ---------- memberships ----------

export async function joinCooperative(input: {
  scope: Scope;
  cooperativeId: string;
  householdId: string;
  joinedOn: string;
}) {
  const { scope, cooperativeId, householdId, joinedOn } = input;
  assertCan(scope, "membership.enrol");
  const d = await db();
  const already = () => ValidationError.field("householdId", "orders.error.alreadyMember");
  try {
    return await d.transaction(async (tx) => {
      const coop = await lockCooperativeForWrite(tx, scope, cooperativeId);
      // the household of the cooperative's township (for an official that is also their township)
      const [household] = await tx
        .select({ id: households.id })
        .from(households)
        .where(and(eq(households.id, householdId), eq(households.townshipId, coop.townshipId)))
        .for("update");
      if (!household) throw new NotFoundError("household");
      if (await isCurrentMember(tx, cooperativeId, householdId)) throw already();
      const [row] = await tx
        .insert(memberships)
        .values({ countyId: coop.countyId, cooperativeId, householdId, joinedOn })
        .returning();
      await writeAudit(tx, {
        countyId: coop.countyId,
        userId: scope.userId,
        action: "membership.join",
        entity: "membership",
        entityId: row.id,
        householdId,
        after: row,
      });
      return row;
    });
  } catch (error) {
    if (isUniqueViolation(error, "memberships_current_uq")) throw already();
    throw error;
  }
}

/** Ends a current membership. Existing allocations stay (and can still be delivered); new ones need membership. */
export async function leaveCooperative(input: { scope: Scope; membershipId: string; leftOn: string }) {
  const { scope, membershipId, leftOn } = input;
  assertCan(scope, "cooperative.write");
  const d = await db();
  return d.transaction(async (tx) => {
    const [row] = await tx
      .select({ membership: memberships })
      .from(memberships)
      .innerJoin(cooperatives, eq(cooperatives.id, memberships.cooperativeId))
      .where(and(eq(memberships.id, membershipId), cooperativeInScope(scope)))
      .for("update", { of: memberships });
    if (!row) throw new NotFoundError("membership");
    const before = row.membership;
    if (before.leftOn !== null) throw ValidationError.form("orders.error.alreadyLeft");
    if (leftOn < before.joinedOn) {
      throw ValidationError.field("leftOn", message("orders.error.leftBeforeJoined", { joinedOn: before.joinedOn }));
    }
    const [after] = await tx.update(memberships).set({ leftOn }).where(eq(memberships.id, membershipId)).returning();
    await writeAudit(tx, {
      countyId: before.countyId,
      userId: scope.userId,
      action: "membership.leave",
      entity: "membership",
      entityId: membershipId,
      householdId: before.householdId,
      before,
      after,
    });
    return after;
  });
}

// ---------- pages: cooperatives, members, brokers ----------

const currentMemberCount = sql<number>`(select count(*)::int from ${memberships} where ${memberships.cooperativeId} = ${cooperatives.id} and ${memberships.leftOn} is null)`;

/** Cooperatives in scope with village, township, current member count and brokers, by township then name. */
export async function listCooperatives({ scope }: { scope: Scope }) {
  const d = await db();
  const { columns, township, village } = cooperativeColumns();
  const rows = await d
    .select(columns)
    .from(cooperatives)
    .innerJoin(township, eq(township.id, cooperatives.townshipId))
    .leftJoin(village, eq(village.id, cooperatives.villageId))
    .where(cooperativeInScope(scope))
    .orderBy(asc(township.code), asc(cooperatives.name), asc(cooperatives.id));
  return withBrokers(d, rows);
}

function cooperativeColumns() {
  const village = alias(regions, "village");
  const township = alias(regions, "township");
  const columns = {
    id: cooperatives.id,
    name: cooperatives.name,
    kind: cooperatives.kind,
    registrationCode: cooperatives.registrationCode,
    village: village.name,
    township: township.name,
    memberCount: currentMemberCount,
  };
  return { columns, township, village };
}

/** Each cooperative's brokers now in office (a retired one is kept on record, off the list). */
async function withBrokers<R extends { id: string }>(d: Db | Tx, rows: R[]) {
  const brokerRows = rows.length
    ? await d
        .select({ cooperativeId: brokers.cooperativeId, name: brokers.name, phone: brokers.phone })
        .from(brokers)
        .where(
          and(
            inArray(
              brokers.cooperativeId,
              rows.map((r) => r.id),
            ),
            isNull(brokers.retiredAt),
          ),
        )
        .orderBy(asc(brokers.name))
    : [];
  return rows.map((r) => ({
    ...r,
    brokers: brokerRows.filter((b) => b.cooperativeId === r.id).map(({ name, phone }) => ({ name, phone })),
  }));
}

export type CooperativeListRow = Awaited<ReturnType<typeof listCooperatives>>[number];

/** The cooperatives list as the page shows it: one page of those in scope, in the asked order, with brokers. */
export async function cooperativeList(scope: Scope, params: CooperativeListParams) {
  const d = await db();
  const { columns, township, village } = cooperativeColumns();
  const sorts: Record<CooperativeListParams["sort"], SQL> = {
    township: sql`${township.code}`,
    name: sql`${cooperatives.name}`,
    members: currentMemberCount,
  };
  return d.transaction(
    async (tx) => {
      const [{ total }] = await tx
        .select({ total: sql<number>`count(*)::int` })
        .from(cooperatives)
        .where(cooperativeInScope(scope));
      const { page, pageSize, pageCount, offset } = pageOf(total, params.page, params.size);
      const dir = params.dir === "desc" ? desc : asc;
      const rows = total
        ? await tx
            .select(columns)
            .from(cooperatives)
            .innerJoin(township, eq(township.id, cooperatives.townshipId))
            .leftJoin(village, eq(village.id, cooperatives.villageId))
            .where(cooperativeInScope(scope))
            // then by name and id: a stable order, so paging shows every cooperative once
            .orderBy(dir(sorts[params.sort]), asc(cooperatives.name), asc(cooperatives.id))
            .limit(pageSize)
            .offset(offset)
        : [];
      return { params, rows: await withBrokers(tx, rows), total, page, pageSize, pageCount };
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}

/**
 * One cooperative with its brokers, its current members and its past members (join and leave dates);
 * null when out of scope. `can`: what the page may offer, the same capabilities the writes assert. A
 * member's `householdId` is null when the household is outside the caller's scope (for the clerk, a
 * former member): the name and period stay, the way into the household's page does not.
 */
export async function getCooperative({
  scope,
  id,
  members: asked = cooperativeMemberListParams.defaults,
}: {
  scope: Scope;
  id: string;
  /** which current members to list: a search (householdMatches) and a page, read with LIMIT/OFFSET */
  members?: Pick<CooperativeMemberListParams, "member" | "page" | "size">;
}) {
  const d = await db();
  const village = alias(regions, "village");
  const township = alias(regions, "township");
  const [coop] = await d
    .select({
      id: cooperatives.id,
      name: cooperatives.name,
      kind: cooperatives.kind,
      registrationCode: cooperatives.registrationCode,
      village: village.name,
      township: township.name,
      villageId: cooperatives.villageId,
      townshipId: cooperatives.townshipId,
      contactName: cooperatives.contactName,
      phone: cooperatives.phone,
      version: cooperatives.version,
    })
    .from(cooperatives)
    .innerJoin(township, eq(township.id, cooperatives.townshipId))
    .leftJoin(village, eq(village.id, cooperatives.villageId))
    .where(and(eq(cooperatives.id, id), cooperativeInScope(scope)));
  if (!coop) return null;
  const memberFields = {
    membershipId: memberships.id,
    householdId: households.id,
    headName: households.headName,
    householdCode: households.code,
    village: regions.name,
    joinedOn: memberships.joinedOn,
    leftOn: memberships.leftOn,
    inScope: sql<boolean>`${householdInScope(scope)}`,
  };
  const current = and(eq(memberships.cooperativeId, id), isNull(memberships.leftOn));
  const found = and(current, householdMatches(asked.member));
  const [brokerRows, [{ total: currentTotal }], [{ total: foundTotal }], pastRows] = await Promise.all([
    d
      .select({ id: brokers.id, name: brokers.name, phone: brokers.phone, version: brokers.version })
      .from(brokers)
      .where(and(eq(brokers.cooperativeId, id), isNull(brokers.retiredAt)))
      .orderBy(asc(brokers.name)),
    d.select({ total: count() }).from(memberships).where(current),
    d
      .select({ total: count() })
      .from(memberships)
      .innerJoin(households, eq(households.id, memberships.householdId))
      .where(found),
    d
      .select(memberFields)
      .from(memberships)
      .innerJoin(households, eq(households.id, memberships.householdId))
      .innerJoin(regions, eq(regions.id, households.villageId))
      .where(and(eq(memberships.cooperativeId, id), isNotNull(memberships.leftOn)))
      .orderBy(desc(memberships.leftOn), desc(memberships.joinedOn), asc(households.code)),
  ]);
  const place = pageOf(foundTotal, asked.page, asked.size);
  const currentRows = await d
    .select(memberFields)
    .from(memberships)
    .innerJoin(households, eq(households.id, memberships.householdId))
    .innerJoin(regions, eq(regions.id, households.villageId))
    .where(found)
    .orderBy(desc(memberships.joinedOn), asc(households.code), asc(memberships.id))
    .limit(place.pageSize)
    .offset(place.offset);
  const shown = (rows: typeof currentRows) =>
    rows.map(({ inScope, ...m }) => ({ ...m, householdId: inScope ? m.householdId : null }));
  const { offset: _offset, ...currentPage } = place;
  return {
    cooperative: coop,
    brokers: brokerRows,
    /** one page of the current members the search finds */
    current: shown(currentRows),
    currentPage,
    /** every current member, whatever the search */
    currentTotal,
    past: shown(pastRows),
    can: {
      // the cooperative's own details
      setup: can(scope, "cooperative.setup"),
      // brokers and leaves
      edit: can(scope, "cooperative.write"),
      join: can(scope, "membership.enrol"),
      request: can(scope, "membership.request"),
      decide: can(scope, "membership.decide"),
    },
  };
}

/** Adds a broker (经纪人) to a cooperative in scope: the clerk of that cooperative or an official of its township. */
export async function addBroker({
  scope,
  cooperativeId,
  input,
}: {
  scope: Scope;
  cooperativeId: string;
  input: BrokerInput;
}) {
  assertCan(scope, "cooperative.write");
  const d = await db();
  return d.transaction(async (tx) => {
    const coop = await lockCooperativeForWrite(tx, scope, cooperativeId);
    const [row] = await tx
      .insert(brokers)
      .values({ countyId: coop.countyId, cooperativeId, name: input.name, phone: input.phone })
      .returning();
    await writeAudit(tx, {
      countyId: coop.countyId,
      userId: scope.userId,
      action: "broker.create",
      entity: "broker",
      entityId: row.id,
      after: row,
    });
    return row;
  });
}

function escapeLike(text: string) {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * A household a short search names, as a condition on `households`: part of the head's name or of the
 * household code, or the last digits of a member's ID number as a mask shows them (4 characters; a longer
 * tail would put more of an ID number in a URL than any page shows). Undefined for an empty search.
 */
export function householdMatches(q: string | undefined): SQL | undefined {
  const term = q?.trim();
  if (!term) return undefined;
  const tail = idTailOf(term);
  if (tail && tail.length === SHOWN_TAIL) {
    return sql`exists (select 1 from ${members} where ${members.householdId} = ${households.id} and right(${members.idNumber}, ${SHOWN_TAIL}) = ${tail})`;
  }
  const pattern = `%${escapeLike(term)}%`;
  return or(like(households.headName, pattern), like(households.code, pattern));
}

/**
 * Households that could join the cooperative: of its township, not a current member. Searched by the
 * head's name or the household code; at most `limit`. Only officials; 404 when the cooperative is out of scope.
 */
export async function membershipCandidates({
  scope,
  cooperativeId,
  q,
  limit = 50,
}: {
  scope: Scope;
  cooperativeId: string;
  q?: string;
  limit?: number;
}) {
  // only who enrols directly browses; a clerk names a household instead of browsing the township's
  if (!can(scope, "membership.enrol")) return [];
  const d = await db();
  const [coop] = await d
    .select({ townshipId: cooperatives.townshipId })
    .from(cooperatives)
    .where(and(eq(cooperatives.id, cooperativeId), cooperativeInScope(scope)));
  if (!coop) throw new NotFoundError("cooperative");
  const term = q?.trim();
  const pattern = term ? `%${escapeLike(term)}%` : null;
  return d
    .select({ id: households.id, headName: households.headName, code: households.code, village: regions.name })
    .from(households)
    .innerJoin(regions, eq(regions.id, households.villageId))
    .where(
      and(
        eq(households.townshipId, coop.townshipId),
        sql`not exists (select 1 from ${memberships} where ${memberships.householdId} = ${households.id} and ${memberships.cooperativeId} = ${cooperativeId} and ${memberships.leftOn} is null)`,
        pattern ? or(like(households.headName, pattern), like(households.code, pattern)) : undefined,
      ),
    )
    .orderBy(asc(regions.code), asc(households.headName), asc(households.code))
    .limit(limit);
}

/** Is the cooperative in scope? For actions: an out-of-scope id is a 404 before any input is read. */
export async function cooperativeIsInScope({ scope, id }: { scope: Scope; id: string }) {
  const d = await db();
  const [row] = await d
    .select({ id: cooperatives.id })
    .from(cooperatives)
    .where(and(eq(cooperatives.id, id), cooperativeInScope(scope)));
  return Boolean(row);
}

// ---------- a cooperative's own details, and its brokers ----------

/**
 * The township and village a cooperative may be put in: an official their own township; the administrator
 * any township of the county. A village must be of that township and not retired.
 */
async function placeOf(tx: Tx, scope: ScopeWith<"cooperative.setup">, input: CooperativeInput) {
  const townshipId = scope.role === "official" ? scope.townshipId : input.townshipId;
  const [township] = townshipId
    ? await tx
        .select({ id: regions.id })
        .from(regions)
        .where(
          and(
            eq(regions.id, townshipId),
            eq(regions.level, "township"),
            eq(regions.countyId, scope.countyId),
            isNull(regions.retiredAt),
          ),
        )
    : [];
  if (!township) throw ValidationError.field("townshipId", townshipId ? "field.choice" : "field.required");
  if (!input.villageId) return { townshipId: township.id, villageId: null };
  const [village] = await tx
    .select({ id: regions.id })
    .from(regions)
    .where(
      and(
        eq(regions.id, input.villageId),
        eq(regions.parentId, township.id),
        eq(regions.level, "village"),
        isNull(regions.retiredAt),
      ),
    );
  if (!village) throw ValidationError.field("villageId", "field.choice");
  return { townshipId: township.id, villageId: village.id };
}

const registrationTaken = () => ValidationError.field("registrationCode", "orders.error.registrationCode.duplicate");

function details(input: CooperativeInput) {
  return {
    name: input.name,
    kind: input.kind,
    registrationCode: input.registrationCode ?? null,
    contactName: input.contactName,
    phone: input.phone,
  };
}

/** A new cooperative of the county: an official's in their own township, the administrator's in any. */
export async function createCooperative({ scope, input }: { scope: Scope; input: CooperativeInput }) {
  assertCan(scope, "cooperative.setup");
  const d = await db();
  try {
    return await d.transaction(async (tx) => {
      const place = await placeOf(tx, scope, input);
      const [row] = await tx
        .insert(cooperatives)
        .values({ countyId: scope.countyId, ...place, ...details(input) })
        .returning();
      await writeAudit(tx, {
        countyId: scope.countyId,
        userId: scope.userId,
        action: "cooperative.create",
        entity: "cooperative",
        entityId: row.id,
        after: row,
      });
      return row;
    });
  } catch (error) {
    if (isUniqueViolation(error, "cooperatives_registration_code_uq")) throw registrationTaken();
    throw error;
  }
}

/** A cooperative's details at the version the page showed; its township does not change (its members are of it). */
export async function updateCooperative({
  scope,
  cooperativeId,
  version,
  input,
}: {
  scope: Scope;
  cooperativeId: string;
  version: number;
  input: CooperativeInput;
}) {
  assertCan(scope, "cooperative.setup");
  const d = await db();
  try {
    return await d.transaction(async (tx) => {
      const [before] = await tx
        .select()
        .from(cooperatives)
        .where(and(eq(cooperatives.id, cooperativeId), cooperativeInScope(scope)))
        .for("update");
      if (!before) throw new NotFoundError("cooperative");
      if (before.version !== version) throw new ConflictError("cooperative");
      const place = await placeOf(tx, scope, { ...input, townshipId: before.townshipId });
      const [after] = await tx
        .update(cooperatives)
        .set({
          ...details(input),
          villageId: place.villageId,
          version: sql`${cooperatives.version} + 1`,
          updatedAt: new Date(),
        })
        .where(and(eq(cooperatives.id, cooperativeId), eq(cooperatives.version, version)))
        .returning();
      if (!after) throw new ConflictError("cooperative");
      await writeAudit(tx, {
        countyId: before.countyId,
        userId: scope.userId,
        action: "cooperative.update",
        entity: "cooperative",
        entityId: cooperativeId,
        before,
        after,
      });
      return after;
    });
  } catch (error) {
    if (isUniqueViolation(error, "cooperatives_registration_code_uq")) throw registrationTaken();
    throw error;
  }
}

/** A broker of a cooperative in scope, locked at the version the page showed; a retired one is not changed. */
async function lockBroker(tx: Tx, scope: Scope, cooperativeId: string, brokerId: string, version: number) {
  await lockCooperativeForWrite(tx, scope, cooperativeId);
  const [row] = await tx
    .select()
    .from(brokers)
    .where(and(eq(brokers.id, brokerId), eq(brokers.cooperativeId, cooperativeId)))
    .for("update");
  if (!row) throw new NotFoundError("broker");
  if (row.version !== version) throw new ConflictError("broker");
  if (row.retiredAt) throw ValidationError.form("orders.coop.error.brokerRetired");
  return row;
}

async function saveBroker(
  tx: Tx,
  scope: Scope,
  before: typeof brokers.$inferSelect,
  action: string,
  changes: Partial<typeof brokers.$inferInsert>,
) {
  const [after] = await tx
    .update(brokers)
    .set({ ...changes, version: sql`${brokers.version} + 1` })
    .where(and(eq(brokers.id, before.id), eq(brokers.version, before.version)))
    .returning();
  if (!after) throw new ConflictError("broker");
  await writeAudit(tx, {
    countyId: before.countyId,
    userId: scope.userId,
    action,
    entity: "broker",
    entityId: before.id,
    before,
    after,
  });
  return after;
}

export async function updateBroker(input: {
  scope: Scope;
  cooperativeId: string;
  brokerId: string;
  version: number;
  name: string;
  phone: string | null;
}) {
  assertCan(input.scope, "cooperative.write");
  const d = await db();
  return d.transaction(async (tx) => {
    const before = await lockBroker(tx, input.scope, input.cooperativeId, input.brokerId, input.version);
    return saveBroker(tx, input.scope, before, "broker.update", { name: input.name, phone: input.phone });
  });
}

/** A broker who no longer works for the cooperative: off its page and the households' cards, kept on record. */
export async function retireBroker(input: { scope: Scope; cooperativeId: string; brokerId: string; version: number }) {
  assertCan(input.scope, "cooperative.write");
  const d = await db();
  return d.transaction(async (tx) => {
    const before = await lockBroker(tx, input.scope, input.cooperativeId, input.brokerId, input.version);
    return saveBroker(tx, input.scope, before, "broker.retire", { retiredAt: new Date() });
  });
}

/** The townships and villages a cooperative may be put in, for the new and edit pages. */
export async function cooperativePlaces({ scope }: { scope: Scope }) {
  assertCan(scope, "cooperative.setup");
  const d = await db();
  const township = alias(regions, "township");
  const villages = await d
    .select({ id: regions.id, name: regions.name, township: township.name, townshipId: township.id })
    .from(regions)
    .innerJoin(township, eq(township.id, regions.parentId))
    .where(
      and(
        eq(regions.level, "village"),
        isNull(regions.retiredAt),
        scope.role === "official" ? eq(township.id, scope.townshipId) : eq(township.countyId, scope.countyId),
      ),
    )
    .orderBy(asc(regions.code));
  const townships =
    scope.role === "admin"
      ? await d
          .select({ id: regions.id, name: regions.name })
          .from(regions)
          .where(and(eq(regions.level, "township"), eq(regions.countyId, scope.countyId), isNull(regions.retiredAt)))
          .orderBy(asc(regions.code))
      : [];
  return { townships, villages };
}
