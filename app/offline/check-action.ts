// The check form's post with JavaScript: sent as usual while there is a network; kept in the phone's
// outbox when the phone is offline, or the post fails or hangs, instead of losing the visit to an error page.
import { keepInOutbox } from "./outbox";

/** An outbox post's check client id, also sent as a header: the upload route reads it before the form. */
export const OUTBOX_HEADER = "X-Outbox-Check";

export type OutboxAnswer =
  { outcome: "saved"; checkId: string } | { outcome: "planChanged" } | { outcome: "refused"; errors: string[] };

export function outboxAnswer(answer: OutboxAnswer): Response {
  const status = answer.outcome === "saved" ? 200 : answer.outcome === "planChanged" ? 409 : 400;
  return Response.json(answer, { status, headers: { "Cache-Control": "no-store" } });
}

/** One bar of signal: a post with no answer by then is kept on the phone (its client id makes a resend safe). */
export const POST_TIMEOUT_MS = 30_000;

class TimedOut extends Error {}

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new TimedOut()), ms);
    promise.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}

/** A fetch that never reached the server, or whose answer never came back (not an answer of the server's). */
const networkFailure = (error: unknown) => error instanceof TypeError || error instanceof TimedOut;

export async function queueWhenOffline<T>(
  request: Request,
  { householdId, userId }: { householdId: string; userId: string | undefined },
  serverAction: () => Promise<T>,
): Promise<T | { queued: true }> {
  // a phone without an outbox (not a cadre's) posts as before
  if (!userId) return serverAction();
  const form = await request.clone().formData();
  if (navigator.onLine) {
    try {
      return await within(serverAction(), POST_TIMEOUT_MS);
    } catch (error) {
      if (!networkFailure(error)) throw error;
    }
  }
  const clientId = form.get("clientId");
  if (typeof clientId !== "string" || !clientId) throw new Error("check form without a client id");
  await keepInOutbox(
    {
      clientId,
      userId,
      householdId,
      label: document.querySelector("main h1")?.textContent ?? "",
    },
    form,
  );
  return { queued: true };
}
