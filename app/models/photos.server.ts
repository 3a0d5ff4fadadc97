// Check photos: the bytes decide the type (never the file name or the browser's word), stored under
// DATA_DIR/photos, with a small WebP preview for lists made by sharp.
import fs from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";
import { env } from "~/utils/env.server";
import { MAX_PHOTO_BYTES } from "~/schemas/check";

export type PhotoUpload = { name: string; bytes: Uint8Array };
export type StoredPhoto = { id: string; storagePath: string; previewPath: string; mimeType: string; sizeBytes: number };

const PREVIEW_WIDTH = 320;

/** JPEG, PNG or WebP by their magic numbers; anything else is null. */
export function sniffImageType(bytes: Uint8Array): "image/jpeg" | "image/png" | "image/webp" | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "image/jpeg";
  if (
    bytes.length >= 8 &&
    [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((b, i) => bytes[i] === b)
  )
    return "image/png";
  if (
    bytes.length >= 12 &&
    String.fromCharCode(...bytes.slice(0, 4)) === "RIFF" &&
    String.fromCharCode(...bytes.slice(8, 12)) === "WEBP"
  )
    return "image/webp";
  return null;
}

export function photoRoot() {
  return path.join(env().DATA_DIR, "photos");
}

const EXT = { "image/jpeg": "jpg", "image/png": "png", "image/webp": "webp" } as const;

/** Problems with the uploads, by index, as message keys; empty when all are good images. */
export async function checkUploads(uploads: PhotoUpload[]): Promise<Record<number, string>> {
  const problems: Record<number, string> = {};
  await Promise.all(
    uploads.map(async (u, i) => {
      if (u.bytes.length > MAX_PHOTO_BYTES) {
        problems[i] = `check.error.photoSize|${JSON.stringify({ name: u.name, max: 8 })}`;
        return;
      }
      if (!sniffImageType(u.bytes)) {
        problems[i] = `check.error.photoType|${JSON.stringify({ name: u.name })}`;
        return;
      }
      try {
        // a file that claims to be an image but cannot be decoded is refused too
        await sharp(u.bytes).metadata();
      } catch {
        problems[i] = `check.error.photoType|${JSON.stringify({ name: u.name })}`;
      }
    }),
  );
  return problems;
}

/** Writes the photos of one check; the caller removes the folder again if its transaction fails. */
export async function storePhotos(checkId: string, uploads: PhotoUpload[]): Promise<StoredPhoto[]> {
  const dir = path.join(photoRoot(), checkId);
  await fs.mkdir(dir, { recursive: true });
  return Promise.all(
    uploads.map(async (u) => {
      const id = crypto.randomUUID();
      const mimeType = sniffImageType(u.bytes)!;
      const storagePath = path.join(checkId, `${id}.${EXT[mimeType]}`);
      const previewPath = path.join(checkId, `${id}.preview.webp`);
      await fs.writeFile(path.join(photoRoot(), storagePath), u.bytes);
      // rotate() applies the phone's EXIF orientation before the EXIF is dropped
      await sharp(u.bytes).rotate().resize({ width: PREVIEW_WIDTH, withoutEnlargement: true }).webp({ quality: 70 }).toFile(path.join(photoRoot(), previewPath));
      return { id, storagePath, previewPath, mimeType, sizeBytes: u.bytes.length };
    }),
  );
}

export async function removeCheckPhotos(checkId: string) {
  await fs.rm(path.join(photoRoot(), checkId), { recursive: true, force: true });
}

export async function readPhoto(relativePath: string) {
  const full = path.resolve(photoRoot(), relativePath);
  // stored paths are ours, but never let one escape the photo folder
  if (!full.startsWith(path.resolve(photoRoot()) + path.sep)) return null;
  return fs.readFile(full);
}
