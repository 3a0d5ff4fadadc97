// The phone's outbox: visits saved while the network was gone, kept in IndexedDB (photos as Blobs) until
// the server has them. Each item is the form as it was posted, so sending it again is the same post.
import { deleteDB, openDB, type DBSchema, type IDBPDatabase } from "idb";

/** Why an item is not sent by itself: the cadre decides (see OutboxStatus). */
export type HeldReason = "planChanged" | "reassigned" | "refused";

export type OutboxItem = {
  clientId: string;
  /** the signed-in user who saved it: another user on the same phone neither sees nor sends it */
  userId: string;
  householdId: string;
  /** the form's heading (走访 某某户), to tell the items apart */
  label: string;
  fields: [string, string][];
  photos: File[];
  savedAt: string;
  held?: HeldReason;
  /** the server's messages (dictionary keys) for a refused item */
  errors?: string[];
};

interface OfflineDB extends DBSchema {
  outbox: { key: string; value: OutboxItem };
}

const DB_NAME = "tingyuan-offline";
export const OUTBOX_CHANGED = "tingyuan:outbox";

let opened: Promise<IDBPDatabase<OfflineDB>> | undefined;

function database() {
  opened ??= openDB<OfflineDB>(DB_NAME, 1, {
    upgrade(db) {
      db.createObjectStore("outbox", { keyPath: "clientId" });
    },
    // a sign-out in another tab deletes the database: let it
    blocking() {
      void close();
    },
  });
  return opened;
}

async function close() {
  const db = await opened?.catch(() => undefined);
  opened = undefined;
  db?.close();
}

function changed() {
  window.dispatchEvent(new Event(OUTBOX_CHANGED));
}

/** Keeps a posted form: its text fields and its photos (an empty file part is no photo). */
export async function keepInOutbox(item: Omit<OutboxItem, "fields" | "photos" | "savedAt">, form: FormData) {
  const fields: [string, string][] = [];
  const photos: File[] = [];
  for (const [name, value] of form) {
    if (typeof value === "string") fields.push([name, value]);
    else if (value.size > 0) photos.push(value);
  }
  const idb = await database();
  await idb.put("outbox", { ...item, fields, photos, savedAt: new Date().toISOString() });
  changed();
}

/** The user's items, oldest first: they are sent in the order the visits were saved. */
export async function outboxOf(userId: string): Promise<OutboxItem[]> {
  const idb = await database();
  const all = await idb.getAll("outbox");
  return all.filter((i) => i.userId === userId).sort((a, b) => a.savedAt.localeCompare(b.savedAt));
}

export async function holdOutboxItem(clientId: string, held: HeldReason | undefined, errors?: string[]) {
  const idb = await database();
  const item = await idb.get("outbox", clientId);
  if (!item) return;
  await idb.put("outbox", { ...item, held, errors });
  changed();
}

export async function dropOutboxItem(clientId: string) {
  const idb = await database();
  await idb.delete("outbox", clientId);
  changed();
}

/** The form as it was posted, for sending again. */
export function outboxForm(item: OutboxItem, extra: [string, string][] = []): FormData {
  const form = new FormData();
  for (const [name, value] of [...item.fields, ...extra]) form.append(name, value);
  for (const photo of item.photos) form.append("photos", photo, photo.name);
  return form;
}

/** Signing out: nothing of this user's stays on the phone. */
export async function deleteOutbox() {
  await close();
  await deleteDB(DB_NAME);
}
