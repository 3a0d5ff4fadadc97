// Household members: one person, one household (domain rule 1), valid GB 11643 numbers (rule 2),
// masked unless revealed — and a reveal is written to the audit log.
import { and, eq, inArray, ne, sql } from "drizzle-orm";
import type { Tx } from "../../db/client";
import { households, members } from "../../db/schema";
import { can } from "~/permissions";
import type { MemberInput } from "~/schemas/household";
import { db } from "~/utils/db.server";
import { maskIdNumber, parseIdNumber } from "~/utils/id-number";
import { writeAudit } from "./audit.server";
import { ConflictError, NotFoundError, ValidationError, isUniqueViolation } from "./errors.server";
import { assertCan, householdInScope, lockHouseholdInScope, type Scope } from "./scope.server";

/** The audit log never holds a full ID number in clear: a masked copy tells what changed. */
export function memberForAudit(m: Partial<typeof members.$inferSelect>) {
  return { ...m, idNumber: m.idNumber ? maskIdNumber(m.idNumber) : m.idNumber };
}

/**
 * Rule 2 held by the model, whoever calls it: the number's check character and birth date, and the sex
 * its 17th digit carries. Returns the member with the number normalised and the birth date taken from it.
 * `prefix` places the messages, e.g. "members[1]." on the household form.
 */
export function checkMemberIdNumber<T extends { idNumber: string; sex: string; birthDate?: string }>(
  member: T,
  prefix = "",
): T {
  const parsed = parseIdNumber(member.idNumber);
  if (!parsed.ok) throw ValidationError.field(`${prefix}idNumber`, `idNumber.${parsed.reason}`);
  if (parsed.sex !== member.sex) throw ValidationError.field(`${prefix}sex`, "idNumber.sexMismatch");
  return { ...member, idNumber: parsed.idNumber, birthDate: parsed.birthDate };
}

/**
 * Refuses numbers registered in another household, without saying which one. Where that household is
 * outside the caller's scope the refusal does not even say the number is registered: the caller could
 * otherwise learn, number by number, who is on the county's registry beyond their sight. The unique
 * index is the final guard when two requests race, and answers the same way.
 */
export async function assertIdNumbersFree(
  tx: Tx,
  scope: Scope,
  list: { idNumber: string; path: string }[],
  exceptMemberIds: string[] = [],
) {
  if (list.length === 0) return;
  const taken = await tx
    .select({ idNumber: members.idNumber, id: members.id, inScope: sql<boolean>`${householdInScope(scope)}` })
    .from(members)
    .innerJoin(households, eq(households.id, members.householdId))
    .where(
      inArray(
        members.idNumber,
        list.map((m) => m.idNumber),
      ),
    );
  const clash = new Map(taken.filter((t) => !exceptMemberIds.includes(t.id)).map((t) => [t.idNumber, t.inScope]));
  if (clash.size) {
    const fieldErrors: Record<string, string[]> = {};
    for (const m of list) {
      if (clash.has(m.idNumber))
        fieldErrors[m.path] = [clash.get(m.idNumber) ? "idNumber.taken" : "idNumber.unavailable"];
    }
    throw new ValidationError(fieldErrors);
  }
}

export function mapMemberWriteError(error: unknown, path: string): never {
  if (isUniqueViolation(error, "members_id_number_uq")) throw ValidationError.field(path, "idNumber.unavailable");
  if (isUniqueViolation(error, "members_one_head_uq"))
    throw ValidationError.field("relation", "household.error.twoHeads");
  throw error;
}

async function assertOneHead(tx: Tx, householdId: string, relation: string, exceptMemberId?: string) {
  if (relation !== "head") return;
  const [other] = await tx
    .select({ id: members.id })
    .from(members)
    .where(
      and(
        eq(members.householdId, householdId),
        eq(members.relation, "head"),
        exceptMemberId ? ne(members.id, exceptMemberId) : undefined,
      ),
    );
  if (other) throw ValidationError.field("relation", "household.error.twoHeads");
}

export async function addMember({
  scope,
  householdId,
  member: input,
}: {
  scope: Scope;
  householdId: string;
  member: MemberInput;
}) {
  assertCan(scope, "household.write");
  const member = checkMemberIdNumber(input);
  const d = await db();
  try {
    return await d.transaction(async (tx) => {
      const household = await lockHouseholdInScope(tx, scope, householdId);
      await assertOneHead(tx, householdId, member.relation);
      await assertIdNumbersFree(tx, scope, [{ idNumber: member.idNumber, path: "idNumber" }]);
      const [row] = await tx
        .insert(members)
        .values({ ...member, householdId, countyId: household.countyId })
        .returning();
      await writeAudit(tx, {
        countyId: household.countyId,
        userId: scope.userId,
        action: "member.add",
        entity: "member",
        entityId: row.id,
        householdId,
        after: memberForAudit(row),
      });
      return row;
    });
  } catch (error) {
    mapMemberWriteError(error, "idNumber");
  }
}

export async function updateMember({
  scope,
  memberId,
  version,
  member: input,
}: {
  scope: Scope;
  memberId: string;
  version: number;
  member: MemberInput;
}) {
  assertCan(scope, "household.write");
  const member = checkMemberIdNumber(input);
  const d = await db();
  try {
    return await d.transaction(async (tx) => {
      const [current] = await tx
        .select({ member: members })
        .from(members)
        .innerJoin(households, eq(households.id, members.householdId))
        .where(and(eq(members.id, memberId), householdInScope(scope)))
        .for("update", { of: members });
      if (!current) throw new NotFoundError("member");
      if (current.member.version !== version) throw new ConflictError("member");
      // a household always has its head: the head's relation is not changed away here
      if (current.member.relation === "head" && member.relation !== "head") {
        throw ValidationError.field("relation", "household.error.keepHead");
      }
      await assertOneHead(tx, current.member.householdId, member.relation, memberId);
      await assertIdNumbersFree(tx, scope, [{ idNumber: member.idNumber, path: "idNumber" }], [memberId]);
      const [row] = await tx
        .update(members)
        .set({ ...member, version: sql`${members.version} + 1`, updatedAt: new Date() })
        .where(and(eq(members.id, memberId), eq(members.version, version)))
        .returning();
      if (!row) throw new ConflictError("member");
      if (row.relation === "head") {
        await tx.update(households).set({ headName: row.name }).where(eq(households.id, row.householdId));
      }
      await writeAudit(tx, {
        countyId: row.countyId,
        userId: scope.userId,
        action: "member.update",
        entity: "member",
        entityId: row.id,
        householdId: row.householdId,
        before: memberForAudit(current.member),
        after: memberForAudit(row),
      });
      return row;
    });
  } catch (error) {
    mapMemberWriteError(error, "idNumber");
  }
}

export async function removeMember({ scope, memberId, version }: { scope: Scope; memberId: string; version: number }) {
  assertCan(scope, "household.write");
  const d = await db();
  return d.transaction(async (tx) => {
    const [current] = await tx
      .select({ member: members })
      .from(members)
      .innerJoin(households, eq(households.id, members.householdId))
      .where(and(eq(members.id, memberId), householdInScope(scope)))
      .for("update", { of: members });
    if (!current) throw new NotFoundError("member");
    if (current.member.version !== version) throw new ConflictError("member");
    if (current.member.relation === "head") throw ValidationError.form("household.error.removeHead");
    await tx.delete(members).where(eq(members.id, memberId));
    await writeAudit(tx, {
      countyId: current.member.countyId,
      userId: scope.userId,
      action: "member.remove",
      entity: "member",
      entityId: memberId,
      householdId: current.member.householdId,
      before: memberForAudit(current.member),
    });
  });
}

/** A full ID number went to a page: who saw whose, written in the read's own transaction. */
function auditReveal(tx: Tx, scope: Scope, member: { id: string; countyId: string; householdId: string }) {
  return writeAudit(tx, {
    countyId: member.countyId,
    userId: scope.userId,
    action: "member.reveal_id_number",
    entity: "member",
    entityId: member.id,
    householdId: member.householdId,
  });
}

/** The full number, for a role whose work needs it; the reveal itself is audited. */
export async function revealIdNumber({
  scope,
  householdId,
  memberId,
}: {
  scope: Scope;
  householdId: string;
  memberId: string;
}) {
  assertCan(scope, "idNumber.reveal");
  const d = await db();
  return d.transaction(async (tx) => {
    const [row] = await tx
      .select({
        id: members.id,
        idNumber: members.idNumber,
        householdId: members.householdId,
        countyId: members.countyId,
      })
      .from(members)
      .innerJoin(households, eq(households.id, members.householdId))
      // the member of the page's household: a member id from another page does not reveal through this one
      .where(and(eq(members.id, memberId), eq(members.householdId, householdId), householdInScope(scope)));
    if (!row) throw new NotFoundError("member");
    await auditReveal(tx, scope, row);
    return row.idNumber;
  });
}

/**
 * A member as the edit form needs it — the full number, since the form must be able to send it back.
 * `shown`: the number goes to a page (the editor's loader), so the read is audited like a reveal; an
 * action that only checks the member exists before saving shows nothing and writes no reveal.
 */
export async function getMemberForEdit({
  scope,
  householdId,
  memberId,
  shown,
}: {
  scope: Scope;
  householdId: string;
  memberId: string;
  shown: boolean;
}) {
  if (!can(scope, "household.write")) return null;
  const d = await db();
  return d.transaction(async (tx) => {
    const [row] = await tx
      .select({
        id: members.id,
        version: members.version,
        name: members.name,
        idNumber: members.idNumber,
        relation: members.relation,
        sex: members.sex,
        health: members.health,
        labourAbility: members.labourAbility,
        phone: members.phone,
        countyId: members.countyId,
      })
      .from(members)
      .innerJoin(households, eq(households.id, members.householdId))
      .where(and(eq(members.id, memberId), eq(members.householdId, householdId), householdInScope(scope)));
    if (!row) return null;
    if (shown) await auditReveal(tx, scope, { ...row, householdId });
    const { countyId: _c, phone, ...rest } = row;
    return { ...rest, phone: phone ?? undefined };
  });
}
