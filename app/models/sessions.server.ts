// Server-side sessions: the cookie holds only a random token; the table holds its SHA-256.
// 30 minutes idle, 12 hours absolute.
import crypto from "node:crypto";
import { and, eq, gt, lt, or, sql } from "drizzle-orm";
import type { DbOrTx } from "../../db/client";
import { regions, cooperatives, sessions, users } from "../../db/schema";
import { db } from "~/utils/db.server";
import { verifyPassword } from "~/utils/password.server";
import { scopeOf, type Role, type Scope } from "./scope.server";

export const IDLE_TIMEOUT_MS = 30 * 60 * 1000;
export const ABSOLUTE_TIMEOUT_MS = 12 * 60 * 60 * 1000;
// last_seen_at is written at most once a minute, not on every request
const TOUCH_EVERY_MS = 60 * 1000;

export type SessionUser = {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  countyId: string;
  townshipId: string | null;
  cooperativeId: string | null;
  scopeName: string;
  scope: Scope;
  /** a one-time password is in use: every page but /account sends the user there first */
  mustChangePassword: boolean;
};

function digest(token: string) {
  return crypto.createHash("sha256").update(token).digest("hex");
}

// A real hash of a throwaway password: unknown usernames cost the same time as wrong passwords.
let dummyHash: Promise<string> | undefined;
function timingDummy() {
  dummyHash ??= import("~/utils/password.server").then((m) => m.hashPassword(crypto.randomUUID()));
  return dummyHash;
}

/** Checks the password and opens a session; returns the cookie token, or null on any failure. */
export async function login(input: {
  username: string;
  password: string;
  userAgent?: string | null;
  now?: Date;
}): Promise<{ token: string; userId: string } | null> {
  const d = await db();
  const [user] = await d
    .select({ id: users.id, passwordHash: users.passwordHash, active: users.active })
    .from(users)
    .where(sql`lower(${users.username}) = lower(${input.username.trim()})`)
    .limit(1);
  if (!user) {
    await verifyPassword(await timingDummy(), input.password);
    return null;
  }
  if (!(await verifyPassword(user.passwordHash, input.password)) || !user.active) return null;

  const now = input.now ?? new Date();
  const token = await openSession({ userId: user.id, userAgent: input.userAgent, now });
  // housekeeping: sessions that can no longer be used
  await d
    .delete(sessions)
    .where(
      and(
        eq(sessions.userId, user.id),
        or(lt(sessions.expiresAt, now), lt(sessions.lastSeenAt, new Date(now.getTime() - IDLE_TIMEOUT_MS))),
      ),
    );
  return { token, userId: user.id };
}

/** A new session for a user whose identity is already proven; returns the cookie token. */
export async function openSession({
  userId,
  userAgent,
  now = new Date(),
}: {
  userId: string;
  userAgent?: string | null;
  now?: Date;
}): Promise<string> {
  const d = await db();
  const token = crypto.randomBytes(32).toString("base64url");
  await d.insert(sessions).values({
    id: digest(token),
    userId,
    createdAt: now,
    lastSeenAt: now,
    expiresAt: new Date(now.getTime() + ABSOLUTE_TIMEOUT_MS),
    userAgent: userAgent?.slice(0, 300) ?? null,
  });
  return token;
}

/** Every session of a user ends, in the caller's transaction: a deactivation or a password change. */
export async function endSessionsOf(tx: DbOrTx, userId: string) {
  inFlight.clear();
  await tx.delete(sessions).where(eq(sessions.userId, userId));
}

export async function logout(token: string) {
  const d = await db();
  inFlight.delete(digest(token));
  await d.delete(sessions).where(eq(sessions.id, digest(token)));
}

/**
 * Lookups under way, by session: a page's loaders (root, layout, page) run at once and each asks who is
 * signed in; they share the one lookup instead of a round trip each. An entry lives only until its answer
 * arrives, so nothing is remembered between requests; ending a session drops its entry.
 */
const inFlight = new Map<string, Promise<SessionUser | null>>();

/** The signed-in user for a cookie token, or null when unknown, idle too long or past 12 hours. */
export function getSessionUser(token: string, now?: Date): Promise<SessionUser | null> {
  // a caller that names the moment (a test of the timeouts) asks about that moment alone
  if (now) return lookUpSession(token, now);
  const id = digest(token);
  const pending = inFlight.get(id);
  if (pending) return pending;
  const lookup = lookUpSession(token, new Date()).finally(() => {
    if (inFlight.get(id) === lookup) inFlight.delete(id);
  });
  inFlight.set(id, lookup);
  return lookup;
}

async function lookUpSession(token: string, now: Date): Promise<SessionUser | null> {
  const d = await db();
  const id = digest(token);
  const [row] = await d
    .select({
      lastSeenAt: sessions.lastSeenAt,
      expiresAt: sessions.expiresAt,
      id: users.id,
      username: users.username,
      displayName: users.displayName,
      role: users.role,
      active: users.active,
      mustChangePassword: users.mustChangePassword,
      countyId: users.countyId,
      townshipId: users.townshipId,
      cooperativeId: users.cooperativeId,
      townshipName: regions.name,
      cooperativeName: cooperatives.name,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .leftJoin(regions, eq(regions.id, sql`coalesce(${users.townshipId}, ${users.countyId})`))
    .leftJoin(cooperatives, eq(cooperatives.id, users.cooperativeId))
    .where(and(eq(sessions.id, id), gt(sessions.expiresAt, now)))
    .limit(1);
  if (!row) return null;
  if (!row.active || now.getTime() - new Date(row.lastSeenAt).getTime() > IDLE_TIMEOUT_MS) {
    await d.delete(sessions).where(eq(sessions.id, id));
    return null;
  }
  if (now.getTime() - new Date(row.lastSeenAt).getTime() > TOUCH_EVERY_MS) {
    await d.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, id));
  }
  const user = {
    id: row.id,
    username: row.username,
    displayName: row.displayName,
    role: row.role,
    countyId: row.countyId,
    townshipId: row.townshipId,
    cooperativeId: row.cooperativeId,
  };
  return {
    ...user,
    scopeName: row.cooperativeName ?? row.townshipName ?? "",
    scope: scopeOf(user),
    mustChangePassword: row.mustChangePassword,
  };
}
