// Sending the outbox: each item is posted as the same multipart form the page would have sent, by XHR so
// the upload's progress can be shown. The server answers an outbox post with a short JSON answer.
import { OUTBOX_HEADER, type OutboxAnswer } from "./check-action";
import { dropOutboxItem, holdOutboxItem, outboxForm, outboxOf, type OutboxItem } from "./outbox";

export type Progress = { clientId: string; loaded: number; total: number };

/** How a sync ended: all sent (or held for the cadre), the network went away, or the session has ended. */
export type SyncEnd = "done" | "offline" | "signedOut";

/** A photo upload on one bar of signal takes long; a connection that says nothing for this long is gone. */
const SEND_TIMEOUT_MS = 120_000;

type Sent = OutboxAnswer | { outcome: "reassigned" } | { outcome: "offline" } | { outcome: "signedOut" };

function send(item: OutboxItem, form: FormData, onProgress: (p: Progress) => void): Promise<Sent> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/households/${item.householdId}/checks/upload`);
    xhr.setRequestHeader(OUTBOX_HEADER, item.clientId);
    xhr.timeout = SEND_TIMEOUT_MS;
    xhr.upload.onprogress = (e) => onProgress({ clientId: item.clientId, loaded: e.loaded, total: e.total });
    xhr.onerror = xhr.ontimeout = xhr.onabort = () => resolve({ outcome: "offline" });
    xhr.onload = () => {
      // out of the cadre's scope now: the household was handed to someone else
      if (xhr.status === 404) return resolve({ outcome: "reassigned" });
      try {
        const answer = JSON.parse(xhr.responseText) as OutboxAnswer;
        if (answer && typeof answer.outcome === "string") return resolve(answer);
      } catch {
        // not an outbox answer: the sign-in page the expired session was sent to
      }
      resolve({ outcome: xhr.status >= 500 ? "offline" : "signedOut" });
    };
    xhr.send(form);
  });
}

/** Sends one item (with `acknowledged`, against the plan as it is now) and files the answer. */
export async function sendOutboxItem(
  item: OutboxItem,
  onProgress: (p: Progress) => void,
  { acknowledged = false } = {},
): Promise<SyncEnd | null> {
  const sent = await send(item, outboxForm(item, acknowledged ? [["planAcknowledged", "on"]] : []), onProgress);
  switch (sent.outcome) {
    case "saved":
      await dropOutboxItem(item.clientId);
      return null;
    case "planChanged":
    case "reassigned":
      await holdOutboxItem(item.clientId, sent.outcome);
      return null;
    case "refused":
      await holdOutboxItem(item.clientId, "refused", sent.errors);
      return null;
    case "offline":
    case "signedOut":
      return sent.outcome;
  }
}

let running: Promise<SyncEnd> | undefined;

/** Sends the user's waiting items, oldest first; one sync at a time. */
export function syncOutbox(userId: string, onProgress: (p: Progress) => void): Promise<SyncEnd> {
  running ??= (async () => {
    try {
      for (const item of await outboxOf(userId)) {
        if (item.held) continue;
        const end = await sendOutboxItem(item, onProgress);
        if (end) return end;
      }
      return "done" as const;
    } finally {
      running = undefined;
    }
  })();
  return running;
}
