// Enrolment requests (入社申请). Membership brings a household into its cooperative clerk's scope, so a
// clerk cannot enrol a household alone: the clerk names it by something the farmer hands over (the
// household code on its card, or a member's ID number) and an official of the township confirms the
// request — only then is the membership written — or declines it with a reason. A clerk never browses the
// township's households: a name search would show them households that are not theirs.
import { and, asc, desc, eq, gte, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Tx } from "../../db/client";
import { cooperatives, households, memberships, membershipRequests, members, regions, users } from "../../db/schema";
import { can } from "~/permissions";
import { db } from "~/utils/db.server";
import { maskIdNumber } from "~/utils/id-number";
import { writeAudit } from "./audit.server";
import { NotFoundError, ValidationError, isUniqueViolation } from "./errors.server";
import { cooperativeInScope, isCurrentMember, lockCooperativeForWrite } from "./cooperatives.server";
import { assertCan, type Scope } from "./scope.server";

export type MembershipRequestStatus = (typeof membershipRequests.status.enumValues)[number];

/** How long a decided request stays on the cooperative page, so the clerk sees what became of it. */
const DECIDED_SHOWN_DAYS = 30;

const ID_NUMBER = /^[0-9]{17}[0-9X]$/;

/** The household a clerk names, of the cooperative's township; null when there is none. */
async function findHousehold(tx: Tx, townshipId: string, identifier: string) {
  const byIdNumber = ID_NUMBER.test(identifier);
  const [row] = await tx
    .select({ id: households.id, headName: households.headName, code: households.code })
    .from(households)
    .where(
      and(
        eq(households.townshipId, townshipId),
        byIdNumber
          ? sql`exists (select 1 from ${members} where ${members.householdId} = ${households.id} and ${members.idNumber} = ${identifier})`
          : eq(households.code, identifier),
      ),
    )
    .limit(1)
    .for("share", { of: households });
  return row ?? null;
}

const notFound = () => ValidationError.field("identifier", "membership.error.notFound");
const alreadyRequested = () => ValidationError.field("identifier", "membership.error.alreadyRequested");

/** A clerk asks for a household to join their cooperative on `joinedOn`. */
export async function requestMembership(input: {
  scope: Scope;
  cooperativeId: string;
  identifier: string;
  joinedOn: string;
}) {
  const { scope, cooperativeId, joinedOn } = input;
  assertCan(scope, "membership.request");
  const typed = input.identifier.replace(/\s+/g, "");
  // an ID number's check character is an upper-case X; a household code is taken as written
  const identifier = /^[0-9]{17}[xX]$/.test(typed) ? typed.toUpperCase() : typed;
  const d = await db();
  let result;
  try {
    result = await d.transaction(async (tx) => {
      const coop = await lockCooperativeForWrite(tx, scope, cooperativeId);
      const household = await findHousehold(tx, coop.townshipId, identifier);
      if (!household) {
        // the refusal is written down (and committed: it is not an error of the transaction), so that
        // trying numbers one after another shows in the log
        await writeAudit(tx, {
          countyId: coop.countyId,
          userId: scope.userId,
          action: "membership.request_refused",
          entity: "cooperative",
          entityId: cooperativeId,
          after: { identifier: ID_NUMBER.test(identifier) ? maskIdNumber(identifier) : identifier.slice(0, 40) },
        });
        return { refused: true as const };
      }
      if (await isCurrentMember(tx, cooperativeId, household.id))
        throw ValidationError.field("identifier", "orders.error.alreadyMember");
      const [row] = await tx
        .insert(membershipRequests)
        .values({
          countyId: coop.countyId,
          cooperativeId,
          householdId: household.id,
          joinedOn,
          requestedBy: scope.userId,
        })
        .returning();
      await writeAudit(tx, {
        countyId: coop.countyId,
        userId: scope.userId,
        action: "membership.request",
        entity: "membership_request",
        entityId: row.id,
        householdId: household.id,
        after: row,
      });
      return { refused: false as const, request: row, household };
    });
  } catch (error) {
    if (isUniqueViolation(error, "membership_requests_pending_uq")) throw alreadyRequested();
    throw error;
  }
  if (result.refused) throw notFound();
  return result;
}

/** The request, locked, when its cooperative is in scope; else 404. */
async function lockRequest(tx: Tx, scope: Scope, cooperativeId: string, requestId: string) {
  const [row] = await tx
    .select({ request: membershipRequests, townshipId: cooperatives.townshipId })
    .from(membershipRequests)
    .innerJoin(cooperatives, eq(cooperatives.id, membershipRequests.cooperativeId))
    .where(
      and(
        eq(membershipRequests.id, requestId),
        eq(membershipRequests.cooperativeId, cooperativeId),
        cooperativeInScope(scope),
      ),
    )
    .for("update", { of: membershipRequests });
  if (!row) throw new NotFoundError("membership_request");
  if (row.request.status !== "pending") throw ValidationError.form(`membership.error.already.${row.request.status}`);
  return row;
}

type RequestRow = typeof membershipRequests.$inferSelect;

/** Ends an open request (withdrawn, declined or confirmed) and records who did it, in the same transaction. */
async function closeRequest(
  tx: Tx,
  scope: Scope,
  before: RequestRow,
  status: Exclude<RequestRow["status"], "pending">,
  extra: { reason?: string; membershipId?: string } = {},
) {
  const [after] = await tx
    .update(membershipRequests)
    .set({ status, decidedBy: scope.userId, decidedAt: new Date(), ...extra })
    .where(eq(membershipRequests.id, before.id))
    .returning();
  const action = { withdrawn: "withdraw", declined: "decline", confirmed: "confirm" }[status];
  await writeAudit(tx, {
    countyId: before.countyId,
    userId: scope.userId,
    action: `membership_request.${action}`,
    entity: "membership_request",
    entityId: before.id,
    householdId: before.householdId,
    before,
    after,
  });
  return after;
}

/** The clerk who may ask may also take the request back while it is open. */
export async function withdrawMembershipRequest(input: { scope: Scope; cooperativeId: string; requestId: string }) {
  const { scope, cooperativeId, requestId } = input;
  assertCan(scope, "membership.request");
  const d = await db();
  return d.transaction(async (tx) => {
    const { request: before } = await lockRequest(tx, scope, cooperativeId, requestId);
    return closeRequest(tx, scope, before, "withdrawn");
  });
}

/** An official of the cooperative's township confirms (the membership is written) or declines with a reason. */
export async function decideMembershipRequest(
  input: { scope: Scope; cooperativeId: string; requestId: string } & (
    { decision: "confirm" } | { decision: "decline"; reason: string }
  ),
) {
  const { scope, cooperativeId, requestId } = input;
  assertCan(scope, "membership.decide");
  const d = await db();
  try {
    return await d.transaction(async (tx) => {
      const { request: before, townshipId } = await lockRequest(tx, scope, cooperativeId, requestId);
      if (input.decision === "decline") {
        return {
          request: await closeRequest(tx, scope, before, "declined", { reason: input.reason }),
          membership: null,
        };
      }
      // the household may have moved to another township since the request
      const [household] = await tx
        .select({ id: households.id })
        .from(households)
        .where(and(eq(households.id, before.householdId), eq(households.townshipId, townshipId)))
        .for("update");
      if (!household) throw ValidationError.form("membership.error.householdMoved");
      if (await isCurrentMember(tx, cooperativeId, before.householdId))
        throw ValidationError.form("orders.error.alreadyMember");
      const [membership] = await tx
        .insert(memberships)
        .values({
          countyId: before.countyId,
          cooperativeId,
          householdId: before.householdId,
          joinedOn: before.joinedOn,
        })
        .returning();
      await writeAudit(tx, {
        countyId: before.countyId,
        userId: scope.userId,
        action: "membership.join",
        entity: "membership",
        entityId: membership.id,
        householdId: before.householdId,
        after: { ...membership, requestId },
      });
      const request = await closeRequest(tx, scope, before, "confirmed", { membershipId: membership.id });
      return { request, membership };
    });
  } catch (error) {
    if (isUniqueViolation(error, "memberships_current_uq")) throw ValidationError.form("orders.error.alreadyMember");
    throw error;
  }
}

/**
 * A cooperative's open requests, and those decided in the last 30 days, for the cooperative page; empty
 * for a role that neither asks nor decides. The clerk sees the head's name of a household they asked for:
 * they named it themselves, with the farmer's card or ID in hand.
 */
export async function cooperativeMembershipRequests({
  scope,
  cooperativeId,
  today,
}: {
  scope: Scope;
  cooperativeId: string;
  today: string;
}) {
  if (!can(scope, "membership.request") && !can(scope, "membership.decide")) return [];
  const d = await db();
  const requester = alias(users, "requester");
  const decider = alias(users, "decider");
  return d
    .select({
      id: membershipRequests.id,
      status: membershipRequests.status,
      joinedOn: membershipRequests.joinedOn,
      requestedAt: membershipRequests.createdAt,
      requestedBy: requester.displayName,
      decidedAt: membershipRequests.decidedAt,
      decidedBy: decider.displayName,
      reason: membershipRequests.reason,
      householdId: households.id,
      headName: households.headName,
      householdCode: households.code,
      village: regions.name,
    })
    .from(membershipRequests)
    .innerJoin(cooperatives, eq(cooperatives.id, membershipRequests.cooperativeId))
    .innerJoin(households, eq(households.id, membershipRequests.householdId))
    .innerJoin(regions, eq(regions.id, households.villageId))
    .innerJoin(requester, eq(requester.id, membershipRequests.requestedBy))
    .leftJoin(decider, eq(decider.id, membershipRequests.decidedBy))
    .where(
      and(
        eq(membershipRequests.cooperativeId, cooperativeId),
        cooperativeInScope(scope),
        or(
          eq(membershipRequests.status, "pending"),
          gte(membershipRequests.decidedAt, sql`(${today}::date - ${DECIDED_SHOWN_DAYS}::int)::timestamptz`),
        ),
      ),
    )
    .orderBy(sql`${membershipRequests.status} <> 'pending'`, desc(membershipRequests.createdAt), asc(households.code))
    .limit(200);
}

/** Open requests an official has to decide, per cooperative of their township (their home page links them). */
export async function pendingMembershipRequests(scope: Scope) {
  if (!can(scope, "membership.decide")) return [];
  const d = await db();
  return d
    .select({ cooperativeId: cooperatives.id, cooperative: cooperatives.name, count: sql<number>`count(*)::int` })
    .from(membershipRequests)
    .innerJoin(cooperatives, eq(cooperatives.id, membershipRequests.cooperativeId))
    .where(and(eq(membershipRequests.status, "pending"), cooperativeInScope(scope)))
    .groupBy(cooperatives.id, cooperatives.name)
    .orderBy(asc(cooperatives.name));
}
