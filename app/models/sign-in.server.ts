// Sign-in with throttling (ASVS 5.0 V6.3): 5 failures for one username within 15 minutes lock it for
// 15 minutes, 20 failures from one client address within 15 minutes lock that address. A username that
// does not exist is counted and locked exactly like one that does, so the answer never tells which
// accounts exist.
import crypto from "node:crypto";
import { and, count, eq, gt, inArray, lt, sql } from "drizzle-orm";
import { auditLog, signInFailures, signInLocks, users } from "../../db/schema";
import { db } from "~/utils/db.server";
import { login, logout } from "./sessions.server";

export const LOCK_WINDOW_MS = 15 * 60 * 1000;
export const LOCK_DURATION_MS = 15 * 60 * 1000;
export const MAX_FAILURES_PER_USER = 5;
export const MAX_FAILURES_PER_ADDRESS = 20;

export type SignInResult =
  { status: "ok"; token: string; userId: string } | { status: "failed" } | { status: "locked" };

const keyOf = (kind: "user" | "addr", value: string) =>
  crypto.createHash("sha256").update(`${kind}:${value}`).digest("hex");

export async function attemptSignIn(input: {
  username: string;
  password: string;
  /** the client's address as the server saw it; absent, only the per-account limit applies */
  address?: string | null;
  userAgent?: string | null;
  /** the session the browser already holds: it ends, the new sign-in gets a new id */
  previousToken?: string | null;
  now?: Date;
}): Promise<SignInResult> {
  const d = await db();
  const now = input.now ?? new Date();
  const name = input.username.trim().toLowerCase();
  const limits = [
    { key: keyOf("user", name), max: MAX_FAILURES_PER_USER, kind: "user" as const },
    ...(input.address
      ? [{ key: keyOf("addr", input.address), max: MAX_FAILURES_PER_ADDRESS, kind: "addr" as const }]
      : []),
  ];
  const keys = limits.map((l) => l.key);

  const [locked] = await d
    .select({ key: signInLocks.key })
    .from(signInLocks)
    .where(and(inArray(signInLocks.key, keys), gt(signInLocks.lockedUntil, now)))
    .limit(1);
  if (locked) return { status: "locked" };

  // The attempt counts as a failure before the password is checked and is withdrawn on success:
  // a burst of parallel guesses sees its own rows, so no more than the limit get a password check.
  const mine = await d
    .insert(signInFailures)
    .values(keys.map((key) => ({ key, at: now })))
    .returning({ id: signInFailures.id });
  const counts = await d
    .select({ key: signInFailures.key, n: count() })
    .from(signInFailures)
    .where(and(inArray(signInFailures.key, keys), gt(signInFailures.at, new Date(now.getTime() - LOCK_WINDOW_MS))))
    .groupBy(signInFailures.key);
  const failures = (key: string) => counts.find((c) => c.key === key)?.n ?? 0;
  const withdraw = () =>
    d.delete(signInFailures).where(
      inArray(
        signInFailures.id,
        mine.map((r) => r.id),
      ),
    );

  if (limits.some((l) => failures(l.key) > l.max)) {
    await withdraw();
    return { status: "locked" };
  }

  const result = await login({ username: input.username, password: input.password, userAgent: input.userAgent, now });
  if (result) {
    await withdraw();
    // a success clears the account's count, never the address's (one good account must not reset it)
    await d.delete(signInFailures).where(eq(signInFailures.key, limits[0].key));
    if (input.previousToken) await logout(input.previousToken);
    return { status: "ok", token: result.token, userId: result.userId };
  }

  await d.delete(signInFailures).where(lt(signInFailures.at, new Date(now.getTime() - LOCK_WINDOW_MS)));
  const reached = limits.filter((l) => failures(l.key) >= l.max);
  if (reached.length === 0) return { status: "failed" };
  const lockedUntil = new Date(now.getTime() + LOCK_DURATION_MS);
  for (const l of reached) {
    await d
      .insert(signInLocks)
      .values({ key: l.key, lockedUntil })
      .onConflictDoUpdate({ target: signInLocks.key, set: { lockedUntil } });
    await d.delete(signInFailures).where(eq(signInFailures.key, l.key));
    await auditLockout(l.kind, name, input.address ?? null, lockedUntil, now);
  }
  return { status: "locked" };
}

async function auditLockout(kind: "user" | "addr", name: string, address: string | null, lockedUntil: Date, now: Date) {
  const d = await db();
  const [user] =
    kind === "user"
      ? await d
          .select({ id: users.id, countyId: users.countyId })
          .from(users)
          .where(sql`lower(${users.username}) = ${name}`)
          .limit(1)
      : [];
  // An unknown username is not written down: people type ID numbers and passwords into that field.
  await d.insert(auditLog).values({
    at: now,
    countyId: user?.countyId ?? null,
    userId: null,
    action: kind === "user" ? "sign-in.locked-account" : "sign-in.locked-address",
    entity: kind === "user" ? "user" : "sign-in",
    entityId: user?.id ?? null,
    after: { lockedUntil: lockedUntil.toISOString(), ...(kind === "addr" ? { address } : {}) },
  });
}
