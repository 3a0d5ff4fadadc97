// Accounts (domain rule 11):
// - the administrator manages every account of the county; a township official the cadres of their
//   township and the clerks of its cooperatives — nobody else, and never their own role or account here;
// - a new account and a reset password get a one-time password, shown once to the one who made it; the
//   user must choose their own at the next sign-in;
// - deactivating a user, resetting or changing a password ends that user's sessions in the same transaction;
// - a cadre who still holds households is not deactivated, moved to another township or given another
//   role: the households would keep a pairing with nobody behind it (coverage counts the pairing);
// - every change is version-checked and audited with before and after (never a password hash).
import crypto from "node:crypto";
import { and, asc, count, eq, inArray, isNull, or, sql, type SQL } from "drizzle-orm";
import type { Tx } from "../../db/client";
import { cadreAssignments, cooperatives, regions, users } from "../../db/schema";
import type { UserCreateInput, UserEditInput } from "~/schemas/users";
import type { Role, ScopeWith } from "~/permissions";
import { db } from "~/utils/db.server";
import { hashPassword, verifyPassword } from "~/utils/password.server";
import { passwordProblems } from "~/utils/password-policy";
import { writeAudit } from "./audit.server";
import { endSessionsOf } from "./sessions.server";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, isUniqueViolation } from "./errors.server";
import { assertCan, type Scope } from "./scope.server";

type Manager = ScopeWith<"user.manage">;

export const USERS_PAGE_SIZE = 50;

/** The roles a manager may create and edit. */
export function rolesManagedBy(scope: Manager): Role[] {
  return scope.role === "admin" ? ["admin", "official", "cadre", "clerk"] : ["cadre", "clerk"];
}

/**
 * The accounts a manager sees, as a condition on `users`: the administrator the county's; an official the
 * cadres of their township and the clerks of its cooperatives.
 */
function userInScope(scope: Manager): SQL {
  if (scope.role === "admin") return eq(users.countyId, scope.countyId);
  return or(
    and(eq(users.role, "cadre"), eq(users.townshipId, scope.townshipId)),
    and(
      eq(users.role, "clerk"),
      inArray(
        users.cooperativeId,
        sql`(select ${cooperatives.id} from ${cooperatives} where ${cooperatives.townshipId} = ${scope.townshipId})`,
      ),
    ),
  )!;
}

export type UserListParams = {
  role?: Role;
  townshipId?: string;
  active?: boolean;
  q?: string;
  page: number;
};

/** One page of the accounts in the manager's scope, with each cadre's current households. */
export async function listUsers({ scope, params }: { scope: Scope; params: UserListParams }) {
  assertCan(scope, "user.manage");
  const d = await db();
  const filters: SQL[] = [userInScope(scope)];
  if (params.role) filters.push(eq(users.role, params.role));
  if (params.active !== undefined) filters.push(eq(users.active, params.active));
  if (params.townshipId)
    filters.push(
      or(
        eq(users.townshipId, params.townshipId),
        inArray(
          users.cooperativeId,
          sql`(select ${cooperatives.id} from ${cooperatives} where ${cooperatives.townshipId} = ${params.townshipId})`,
        ),
      )!,
    );
  const q = params.q?.trim();
  if (q) {
    const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    filters.push(
      or(
        sql`${users.username} ilike ${like}`,
        sql`${users.displayName} ilike ${like}`,
        sql`${users.phone} ilike ${like}`,
      )!,
    );
  }
  const where = and(...filters);
  const township = sql<
    string | null
  >`coalesce(${regions.name}, (select r.name from ${regions} r join ${cooperatives} c on c.township_id = r.id where c.id = ${users.cooperativeId}))`;
  const [rows, [{ total }]] = await Promise.all([
    d
      .select({
        id: users.id,
        username: users.username,
        displayName: users.displayName,
        phone: users.phone,
        role: users.role,
        active: users.active,
        mustChangePassword: users.mustChangePassword,
        townshipName: township,
        cooperativeName: cooperatives.name,
        households: sql<number>`(select count(*)::int from ${cadreAssignments} a where a.cadre_id = ${users.id} and a.ends_on is null)`,
      })
      .from(users)
      .leftJoin(regions, eq(regions.id, users.townshipId))
      .leftJoin(cooperatives, eq(cooperatives.id, users.cooperativeId))
      .where(where)
      .orderBy(asc(users.role), asc(users.username))
      .limit(USERS_PAGE_SIZE)
      .offset((params.page - 1) * USERS_PAGE_SIZE),
    d.select({ total: count() }).from(users).where(where),
  ]);
  return { rows, total: Number(total), page: params.page, pageSize: USERS_PAGE_SIZE };
}

/** The townships and cooperatives a manager may put an account in: the county's, or the official's own. */
export async function userFormOptions({ scope }: { scope: Scope }) {
  assertCan(scope, "user.manage");
  const d = await db();
  const townshipFilter =
    scope.role === "admin"
      ? and(eq(regions.countyId, scope.countyId), eq(regions.level, "township"), isNull(regions.retiredAt))
      : eq(regions.id, scope.townshipId);
  const coopFilter =
    scope.role === "admin" ? eq(cooperatives.countyId, scope.countyId) : eq(cooperatives.townshipId, scope.townshipId);
  const [townships, coops] = await Promise.all([
    d.select({ id: regions.id, name: regions.name }).from(regions).where(townshipFilter).orderBy(asc(regions.code)),
    d
      .select({ id: cooperatives.id, name: cooperatives.name, townshipId: cooperatives.townshipId })
      .from(cooperatives)
      .where(coopFilter)
      .orderBy(asc(cooperatives.name)),
  ]);
  return { roles: rolesManagedBy(scope), townships, cooperatives: coops };
}

/** One account in the manager's scope, for its page; null when out of scope or not there. */
export async function getManagedUser({ scope, id }: { scope: Scope; id: string }) {
  assertCan(scope, "user.manage");
  const d = await db();
  const [row] = await d
    .select({
      id: users.id,
      username: users.username,
      displayName: users.displayName,
      phone: users.phone,
      role: users.role,
      townshipId: users.townshipId,
      cooperativeId: users.cooperativeId,
      active: users.active,
      mustChangePassword: users.mustChangePassword,
      passwordChangedAt: users.passwordChangedAt,
      version: users.version,
      createdAt: users.createdAt,
    })
    .from(users)
    .where(and(eq(users.id, id), userInScope(scope)))
    .limit(1);
  if (!row) return null;
  const held = await openPairings(d, row.id);
  const self = row.id === scope.userId;
  return {
    ...row,
    households: held,
    can: {
      edit: !self,
      deactivate: !self && row.active && held === 0,
      reactivate: !self && !row.active,
      resetPassword: !self && row.active,
    },
  };
}

type DbLike = Awaited<ReturnType<typeof db>> | Tx;

async function openPairings(d: DbLike, userId: string): Promise<number> {
  const [{ n }] = await d
    .select({ n: count() })
    .from(cadreAssignments)
    .where(and(eq(cadreAssignments.cadreId, userId), isNull(cadreAssignments.endsOn)));
  return Number(n);
}

// No 0/O, 1/l/I: read aloud over a phone or copied from a screen, a one-time password is typed by hand.
const OTP_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";

/** 12 characters from 55 (≈ 69 bits): fine for a password that must be changed at the first sign-in. */
export function oneTimePassword(): string {
  let out = "";
  for (let i = 0; i < 12; i++) out += OTP_ALPHABET[crypto.randomInt(OTP_ALPHABET.length)];
  return `${out.slice(0, 4)}-${out.slice(4, 8)}-${out.slice(8)}`;
}

/** What the audit keeps of an account: never the hash. */
function auditable(row: typeof users.$inferSelect) {
  const { passwordHash: _hash, ...rest } = row;
  return rest;
}

/**
 * The role's scope fields as the manager may set them: a township of the county (an official's own one),
 * a cooperative in reach; the fields a role does not use are cleared.
 */
async function scopeColumns(tx: Tx, scope: Manager, input: UserEditInput) {
  if (!rolesManagedBy(scope).includes(input.role)) throw ValidationError.field("role", "users.error.roleNotAllowed");
  if (input.role === "admin") return { townshipId: null, cooperativeId: null };
  if (input.role === "clerk") {
    const [coop] = await tx
      .select({ id: cooperatives.id })
      .from(cooperatives)
      .where(
        and(
          eq(cooperatives.id, input.cooperativeId ?? sql`null`),
          scope.role === "admin"
            ? eq(cooperatives.countyId, scope.countyId)
            : eq(cooperatives.townshipId, scope.townshipId),
        ),
      );
    if (!coop)
      throw ValidationError.field(
        "cooperativeId",
        input.cooperativeId ? "field.choice" : "users.error.cooperativeRequired",
      );
    return { townshipId: null, cooperativeId: coop.id };
  }
  const [township] = await tx
    .select({ id: regions.id })
    .from(regions)
    .where(
      and(
        eq(regions.id, input.townshipId ?? sql`null`),
        eq(regions.level, "township"),
        eq(regions.countyId, scope.countyId),
        isNull(regions.retiredAt),
        scope.role === "official" ? eq(regions.id, scope.townshipId) : undefined,
      ),
    );
  if (!township)
    throw ValidationError.field("townshipId", input.townshipId ? "field.choice" : "users.error.townshipRequired");
  return { townshipId: township.id, cooperativeId: null };
}

/** A new account with a one-time password, which is returned once and stored only as its hash. */
export async function createUser({ scope, input }: { scope: Scope; input: UserCreateInput }) {
  assertCan(scope, "user.manage");
  const password = oneTimePassword();
  const passwordHash = await hashPassword(password);
  const d = await db();
  const taken = () => ValidationError.field("username", "users.error.usernameTaken");
  try {
    const row = await d.transaction(async (tx) => {
      const [existing] = await tx
        .select({ id: users.id })
        .from(users)
        .where(sql`lower(${users.username}) = lower(${input.username})`);
      if (existing) throw taken();
      const columns = await scopeColumns(tx, scope, input);
      const [created] = await tx
        .insert(users)
        .values({
          username: input.username,
          displayName: input.displayName,
          phone: input.phone,
          role: input.role,
          countyId: scope.countyId,
          ...columns,
          passwordHash,
          mustChangePassword: true,
        })
        .returning();
      await writeAudit(tx, {
        countyId: scope.countyId,
        userId: scope.userId,
        action: "user.create",
        entity: "user",
        entityId: created.id,
        after: auditable(created),
      });
      return created;
    });
    return { id: row.id, username: row.username, oneTimePassword: password };
  } catch (error) {
    if (isUniqueViolation(error, "users_username_uq")) throw taken();
    throw error;
  }
}

/** Locks the account for the change, in scope, at the version the page showed; not one's own. */
async function lockManaged(tx: Tx, scope: Manager, id: string, version: number) {
  const [row] = await tx
    .select()
    .from(users)
    .where(and(eq(users.id, id), userInScope(scope)))
    .for("update");
  if (!row) throw new NotFoundError("user");
  if (row.id === scope.userId) throw new ForbiddenError("an account is not managed by its own user");
  if (row.version !== version) throw new ConflictError("user");
  return row;
}

async function saveManaged(
  tx: Tx,
  scope: Manager,
  before: typeof users.$inferSelect,
  action: string,
  changes: Partial<typeof users.$inferInsert>,
) {
  const [after] = await tx
    .update(users)
    .set({ ...changes, version: sql`${users.version} + 1`, updatedAt: new Date() })
    .where(and(eq(users.id, before.id), eq(users.version, before.version)))
    .returning();
  if (!after) throw new ConflictError("user");
  await writeAudit(tx, {
    countyId: scope.countyId,
    userId: scope.userId,
    action,
    entity: "user",
    entityId: after.id,
    before: auditable(before),
    after: auditable(after),
  });
  return after;
}

export async function updateUser({
  scope,
  id,
  version,
  input,
}: {
  scope: Scope;
  id: string;
  version: number;
  input: UserEditInput;
}) {
  assertCan(scope, "user.manage");
  const d = await db();
  return d.transaction(async (tx) => {
    const before = await lockManaged(tx, scope, id, version);
    // an official may only touch the roles they manage, before and after
    if (!rolesManagedBy(scope).includes(before.role)) throw new NotFoundError("user");
    const columns = await scopeColumns(tx, scope, input);
    const movesCadre = before.role === "cadre" && (input.role !== "cadre" || columns.townshipId !== before.townshipId);
    if (movesCadre) {
      const held = await openPairings(tx, before.id);
      if (held > 0) throw ValidationError.form(`users.error.holdsHouseholds|${JSON.stringify({ count: held })}`);
    }
    const after = await saveManaged(tx, scope, before, "user.update", {
      displayName: input.displayName,
      phone: input.phone,
      role: input.role,
      ...columns,
    });
    return { id: after.id, version: after.version };
  });
}

/** Deactivate (ending the user's sessions) or reactivate an account. */
export async function setUserActive({
  scope,
  id,
  version,
  active,
}: {
  scope: Scope;
  id: string;
  version: number;
  active: boolean;
}) {
  assertCan(scope, "user.manage");
  const d = await db();
  return d.transaction(async (tx) => {
    const before = await lockManaged(tx, scope, id, version);
    if (before.active === active) return { id: before.id, version: before.version };
    if (!active) {
      const held = await openPairings(tx, before.id);
      if (held > 0) throw ValidationError.form(`users.error.holdsHouseholds|${JSON.stringify({ count: held })}`);
      await endSessionsOf(tx, before.id);
    }
    const after = await saveManaged(tx, scope, before, active ? "user.reactivate" : "user.deactivate", { active });
    return { id: after.id, version: after.version };
  });
}

/** A new one-time password for someone who lost theirs; their sessions end. Returned once. */
export async function resetUserPassword({ scope, id, version }: { scope: Scope; id: string; version: number }) {
  assertCan(scope, "user.manage");
  const password = oneTimePassword();
  const passwordHash = await hashPassword(password);
  const d = await db();
  return d.transaction(async (tx) => {
    const before = await lockManaged(tx, scope, id, version);
    if (!before.active) throw ValidationError.form("users.error.inactive");
    await endSessionsOf(tx, before.id);
    const after = await saveManaged(tx, scope, before, "user.password_reset", {
      passwordHash,
      mustChangePassword: true,
      passwordChangedAt: new Date(),
    });
    return { id: after.id, version: after.version, username: after.username, oneTimePassword: password };
  });
}

/**
 * A user's own new password: the current one is asked for, the policy holds (and not the username), and
 * every session of the user ends — the caller opens a fresh one for the device that made the change.
 */
export async function changeOwnPassword({
  userId,
  currentPassword,
  newPassword,
}: {
  userId: string;
  currentPassword: string;
  newPassword: string;
}) {
  const d = await db();
  const [user] = await d.select().from(users).where(eq(users.id, userId));
  if (!user || !user.active) throw new NotFoundError("user");
  if (!(await verifyPassword(user.passwordHash, currentPassword)))
    throw ValidationError.field("currentPassword", "account.error.currentWrong");
  const problems = passwordProblems(newPassword, user.username);
  if (problems.length > 0) throw new ValidationError({ newPassword: problems });
  if (await verifyPassword(user.passwordHash, newPassword))
    throw ValidationError.field("newPassword", "account.error.sameAsOld");
  const passwordHash = await hashPassword(newPassword);
  await d.transaction(async (tx) => {
    const [after] = await tx
      .update(users)
      .set({
        passwordHash,
        mustChangePassword: false,
        passwordChangedAt: new Date(),
        version: sql`${users.version} + 1`,
        updatedAt: new Date(),
      })
      // a reset by a manager between the check and now wins: the current password was the old one
      .where(and(eq(users.id, userId), eq(users.passwordHash, user.passwordHash)))
      .returning({ id: users.id });
    if (!after) throw new ConflictError("user");
    await endSessionsOf(tx, userId);
    await writeAudit(tx, {
      countyId: user.countyId,
      userId,
      action: "user.password_change",
      entity: "user",
      entityId: userId,
    });
  });
}

/**
 * The first administrator of a production install (and any account made from a shell): no one is signed in,
 * so the command itself is the author. The county row is made when the database has none with that code.
 * The password comes from the operator, is held to the policy, and need not be changed at the first sign-in.
 */
export async function createUserFromCommand(input: {
  username: string;
  displayName: string;
  role: Role;
  countyCode: string;
  countyName?: string;
  townshipCode?: string;
  password: string;
}) {
  const problems = passwordProblems(input.password, input.username);
  if (problems.length > 0) throw new ValidationError({ password: problems });
  if (!/^\d{6}$/.test(input.countyCode)) throw ValidationError.field("county", "users.error.countyCode");
  if (input.role === "clerk") throw ValidationError.field("role", "users.error.roleNotAllowed");
  const passwordHash = await hashPassword(input.password);
  const d = await db();
  return d.transaction(async (tx) => {
    const [existing] = await tx
      .select({ id: users.id })
      .from(users)
      .where(sql`lower(${users.username}) = lower(${input.username})`);
    if (existing) throw ValidationError.field("username", "users.error.usernameTaken");
    let [county] = await tx
      .select({ id: regions.id })
      .from(regions)
      .where(and(eq(regions.code, input.countyCode), eq(regions.level, "county")));
    if (!county) {
      if (!input.countyName) throw ValidationError.field("countyName", "users.error.countyNameRequired");
      [county] = await tx
        .insert(regions)
        .values({ code: input.countyCode, name: input.countyName, level: "county" })
        .returning({ id: regions.id });
    }
    let townshipId: string | null = null;
    if (input.role === "official" || input.role === "cadre") {
      const [township] = input.townshipCode
        ? await tx
            .select({ id: regions.id })
            .from(regions)
            .where(
              and(eq(regions.code, input.townshipCode), eq(regions.level, "township"), eq(regions.countyId, county.id)),
            )
        : [];
      if (!township) throw ValidationError.field("township", "users.error.townshipRequired");
      townshipId = township.id;
    }
    const [created] = await tx
      .insert(users)
      .values({
        username: input.username,
        displayName: input.displayName,
        role: input.role,
        countyId: county.id,
        townshipId,
        passwordHash,
        passwordChangedAt: new Date(),
      })
      .returning();
    await writeAudit(tx, {
      countyId: county.id,
      userId: null,
      action: "user.create_by_command",
      entity: "user",
      entityId: created.id,
      after: auditable(created),
    });
    return { id: created.id, username: created.username, countyId: county.id };
  });
}
