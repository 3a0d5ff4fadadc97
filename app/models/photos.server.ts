// Check photos: the bytes decide the type (never the file name or the browser's word), stored under
// DATA_DIR/photos, with a small WebP preview for lists made by sharp.
import fs from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";
import { env } from "~/utils/env.server";
import { MAX_PHOTO_BYTES } from "~/schemas/check";
import { message } from "~/schemas/fields";

export type PhotoUpload = { name: string; bytes: Uint8Array };
export type StoredPhoto = { id: string; storagePath: string; previewPath: string; mimeType: string; sizeBytes: number };

const PREVIEW_WIDTH = 320;
/** The long side a stored photo keeps at most (the phone resizes to the same before upload). */
const STORED_SIDE = 1600;
/**
 * 48-megapixel phone cameras fit; a small PNG that declares 100,000 × 100,000 pixels (a few KB of bytes,
 * 40 GB once decoded) does not. sharp's own default (268 MP) would still let one request take gigabytes.
 */
export const MAX_PHOTO_PIXELS = 50_000_000;
const SHARP_INPUT = { limitInputPixels: MAX_PHOTO_PIXELS, failOn: "error" } as const;

/** JPEG, PNG or WebP by their magic numbers; anything else is null. */
export function sniffImageType(bytes: Uint8Array): "image/jpeg" | "image/png" | "image/webp" | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "image/jpeg";
  if (bytes.length >= 8 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((b, i) => bytes[i] === b))
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
        // metadata() reads the header only, so the dimensions come without decoding a pixel; the
        // limit is checked here to say which photo and why (sharp's own would be a bare error)
        const { width = 0, height = 0 } = await sharp(u.bytes, { limitInputPixels: false }).metadata();
        if (width * height > MAX_PHOTO_PIXELS) {
          problems[i] = message("check.error.photoPixels", { name: u.name, max: MAX_PHOTO_PIXELS / 1_000_000 });
        }
      } catch {
        // a file that claims to be an image but cannot be decoded is refused too
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
      // Re-encoded, never stored as sent: a phone's EXIF holds the GPS position of the household's
      // home (and the camera's serial), which has no business in the registry. sharp writes no
      // metadata unless asked; rotate() first applies the EXIF orientation that is about to be lost.
      // Capped at the size the phone shrinks to (a photo posted without JavaScript arrives whole): a
      // 4000-px original is never needed to see a yard, and every official who opens it pays the bytes.
      const stored = await reencode(
        sharp(u.bytes, SHARP_INPUT)
          .rotate()
          .resize({ width: STORED_SIDE, height: STORED_SIDE, fit: "inside", withoutEnlargement: true }),
        mimeType,
      ).toBuffer();
      await fs.writeFile(path.join(photoRoot(), storagePath), stored);
      await sharp(u.bytes, SHARP_INPUT)
        .rotate()
        .resize({ width: PREVIEW_WIDTH, withoutEnlargement: true })
        .webp({ quality: 70 })
        .toFile(path.join(photoRoot(), previewPath));
      return { id, storagePath, previewPath, mimeType, sizeBytes: stored.length };
    }),
  );
}

function reencode(image: sharp.Sharp, mimeType: keyof typeof EXT) {
  if (mimeType === "image/jpeg") return image.jpeg({ quality: 82 });
  if (mimeType === "image/png") return image.png();
  return image.webp({ quality: 82 });
}

export async function removeCheckPhotos(checkId: string) {
  await fs.rm(path.join(photoRoot(), checkId), { recursive: true, force: true });
}

export async function readPhoto(relativePath: string) {
  const full = path.resolve(photoRoot(), relativePath);
  // stored paths are ours, but never let one escape the photo folder
  if (!full.startsWith(path.resolve(photoRoot()) + path.sep)) return null;
  try {
    return await fs.readFile(full);
  } catch (error) {
    // a row whose file was lost (a restored backup without the photo folder) is a missing photo, not a crash
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}
