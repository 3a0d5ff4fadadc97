// Guards that throw (epic-stack style): getUser returns null, requireUser redirects to /login,
// requirePermission answers 403 to a role without the capability (app/permissions.ts).
import { createCookie, redirect } from "@remix-run/node";
import { getSessionUser, logout, openSession, ABSOLUTE_TIMEOUT_MS, type SessionUser } from "~/models/sessions.server";
import { attemptSignIn } from "~/models/sign-in.server";
import { can, type Capability, type RoleWith, type ScopeWith } from "~/permissions";
import { sessionSecret } from "~/utils/env.server";
export { safeRedirectTo } from "~/utils/redirect";

const sessionCookie = createCookie("ty_session", {
  path: "/",
  httpOnly: true,
  sameSite: "lax",
  maxAge: ABSOLUTE_TIMEOUT_MS / 1000,
  secrets: [sessionSecret()],
});

// The server decides the scheme (server.js believes a proxy's X-Forwarded-Proto only with TRUST_PROXY=true);
// reading the header here as well would let any client ask for a Secure cookie over plain HTTP.
function isHttps(request: Request) {
  return new URL(request.url).protocol === "https:";
}

async function readToken(request: Request): Promise<string | null> {
  const value = await sessionCookie.parse(request.headers.get("Cookie"));
  return typeof value === "string" && value.length > 0 ? value : null;
}

export async function getUser(request: Request): Promise<SessionUser | null> {
  const token = await readToken(request);
  return token ? getSessionUser(token) : null;
}

export async function requireUser(request: Request): Promise<SessionUser> {
  const user = await getUser(request);
  if (!user) {
    const url = new URL(request.url);
    const params = new URLSearchParams({ redirectTo: `${url.pathname}${url.search}` });
    if (await readToken(request)) params.set("expired", "1");
    throw redirect(`/login?${params}`, {
      headers: { "Set-Cookie": await sessionCookie.serialize("", { maxAge: 0 }) },
    });
  }
  // a one-time password (new account, reset) is replaced before anything else is opened
  if (user.mustChangePassword && new URL(request.url).pathname !== ACCOUNT_PATH) {
    throw redirect(`${ACCOUNT_PATH}?required=1`);
  }
  return user;
}

export const ACCOUNT_PATH = "/account";

/** After the user's own password change ended all their sessions: a fresh one for this device. */
export async function renewSessionCookie(request: Request, userId: string) {
  const token = await openSession({ userId, userAgent: request.headers.get("User-Agent") });
  return sessionCookie.serialize(token, { secure: isHttps(request) });
}

/** A signed-in user whose role holds the capability: the scope's type says which roles those are. */
export type UserWith<C extends Capability> = Omit<SessionUser, "role" | "scope"> & {
  role: RoleWith<C>;
  scope: ScopeWith<C>;
};

export async function requirePermission<C extends Capability>(request: Request, capability: C): Promise<UserWith<C>> {
  const user = await requireUser(request);
  if (!can(user.scope, capability)) throw new Response("Forbidden", { status: 403 });
  return user as UserWith<C>;
}

/** The cookie of a new session, or the dictionary key of the refusal (the same for unknown usernames). */
export async function attemptSignInFor(
  request: Request,
  username: string,
  password: string,
  clientAddress?: string | null,
): Promise<{ cookie: string } | { error: "login.failed" | "login.locked" }> {
  const result = await attemptSignIn({
    username,
    password,
    address: clientAddress,
    userAgent: request.headers.get("User-Agent"),
    previousToken: await readToken(request),
  });
  if (result.status === "locked") return { error: "login.locked" };
  if (result.status === "failed") return { error: "login.failed" };
  return { cookie: await sessionCookie.serialize(result.token, { secure: isHttps(request) }) };
}

/** The cookie of a new session, or null: for callers that need not tell a lockout from a failure. */
export async function signIn(request: Request, username: string, password: string) {
  const result = await attemptSignInFor(request, username, password);
  return "cookie" in result ? result.cookie : null;
}

export async function signOut(request: Request) {
  const token = await readToken(request);
  if (token) await logout(token);
  return sessionCookie.serialize("", { maxAge: 0 });
}
