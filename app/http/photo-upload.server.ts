// The check form's multipart body, read as it streams in: photo parts are counted and sized before they are
// buffered, so the request is stopped early rather than parsed whole and refused after.
import { unstable_createMemoryUploadHandler, MaxPartSizeExceededError, type UploadHandler } from "@remix-run/node";
import { MAX_PHOTO_BYTES, MAX_PHOTOS } from "~/schemas/check";
import { message } from "~/schemas/fields";

/** Why a photo upload was stopped while its body was still streaming in; a message key with values. */
export type UploadRefusal = { refusal: string | null };

/**
 * Counts file parts and their bytes as the body streams in: the part after the sixth, or any part past
 * 8 MB, stops the parse right there, before it is buffered (the schema's own count comes too late —
 * forty 8 MB parts would all be in memory by then).
 */
export function photoUploadHandler(): { handler: UploadHandler; state: UploadRefusal } {
  const state: UploadRefusal = { refusal: null };
  const memory = unstable_createMemoryUploadHandler({ maxPartSize: MAX_PHOTO_BYTES });
  let files = 0;
  const handler: UploadHandler = async (part) => {
    // an empty file input still sends a part with an empty file name: not a photo
    if (part.filename) {
      files += 1;
      if (files > MAX_PHOTOS) {
        state.refusal = message("check.error.tooManyPhotos", { max: MAX_PHOTOS });
        throw new MaxPartSizeExceededError(part.name, 0);
      }
    }
    try {
      return await memory(part);
    } catch (error) {
      if (error instanceof MaxPartSizeExceededError) {
        state.refusal = message("check.error.photoSize", {
          name: part.filename || part.name,
          max: MAX_PHOTO_BYTES / 1024 / 1024,
        });
      }
      throw error;
    }
  };
  return { handler, state };
}
