// Who the phone's offline copies belong to. Only a cadre's phone keeps pages and an outbox (the service
// worker, public/sw.js); any other user, or a different cadre, starts from nothing another user left.
import { useEffect } from "react";
import type { Role } from "~/permissions";
import { deleteOutbox } from "./outbox";

const USER_KEY = "tingyuan.offlineUser";

/** The cadre whose outbox this phone keeps, or undefined (not a cadre, or no offline support). */
export function offlineUserId(): string | undefined {
  try {
    return localStorage.getItem(USER_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

function tellWorker(message: unknown) {
  void navigator.serviceWorker?.ready.then((r) => r.active?.postMessage(message));
}

async function deleteCaches() {
  if (typeof caches === "undefined") return;
  await Promise.all((await caches.keys()).map((k) => caches.delete(k)));
}

/** Runs in the signed-in layout: a cadre gets the service worker; anyone else gets none, and no cached pages. */
export function useOfflineSession(user: { id: string; role: Role }) {
  useEffect(() => {
    if (!("serviceWorker" in navigator)) return;
    if (user.role !== "cadre") {
      localStorage.removeItem(USER_KEY);
      void navigator.serviceWorker.getRegistrations().then((rs) => rs.forEach((r) => void r.unregister()));
      void deleteCaches();
      return;
    }
    // a different cadre on this phone: the pages cached for the last one go (their unsent visits stay theirs)
    if (localStorage.getItem(USER_KEY) !== user.id) tellWorker({ type: "forget" });
    localStorage.setItem(USER_KEY, user.id);
    void navigator.serviceWorker.register("/sw.js").then(() => {
      const manifest = (window as { __remixManifest?: { url?: string } }).__remixManifest;
      const styles = [...document.querySelectorAll<HTMLLinkElement>('link[rel="stylesheet"]')].map((l) => l.href);
      const messages = document.querySelector<HTMLLinkElement>("link[data-messages]")?.href;
      tellWorker({ type: "precache", manifest: manifest?.url, extra: [...styles, "/favicon.svg", messages] });
    });
  }, [user.id, user.role]);
}

/** The worklist's households are the ones the cadre holds now: cached pages of any other household go. */
export function keepHouseholds(ids: string[]) {
  tellWorker({ type: "keep", households: ids });
}

/** Signing out: cached pages and the outbox are deleted here too, not only by the answer's Clear-Site-Data. */
export async function clearOfflineData() {
  try {
    localStorage.removeItem(USER_KEY);
  } catch {
    // storage turned off: nothing was kept there
  }
  await Promise.all([deleteCaches(), typeof indexedDB === "undefined" ? null : deleteOutbox()]);
}
