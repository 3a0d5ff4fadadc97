import { Transform, type TransformCallback } from "node:stream";

/**
 * React 18's `renderToPipeableStream` encodes into a 2,048-byte view and, when a multi-byte character
 * does not fit at its end, writes the whole view — the 1–3 bytes it never filled go out as NUL bytes
 * in the middle of Chinese text (react#24985, fixed in React 19 by react#26228).
 *
 * Such a write is always the full 2,048-byte view, and UTF-8 never encodes a character other than
 * U+0000 with a zero byte, so a zero at the end of a full view is a byte React did not encode. This
 * stream forwards only the bytes React encoded. (The app never renders U+0000 itself: inputs refuse it.)
 */
export const REACT_VIEW_SIZE = 2048;

export function encodedBytesOnly(): Transform {
  return new Transform({
    transform(chunk: Buffer | Uint8Array, _encoding: BufferEncoding, callback: TransformCallback) {
      if (chunk.byteLength !== REACT_VIEW_SIZE || chunk[REACT_VIEW_SIZE - 1] !== 0) {
        callback(null, chunk);
        return;
      }
      let end = REACT_VIEW_SIZE;
      while (end > 0 && chunk[end - 1] === 0) end--;
      callback(null, chunk.subarray(0, end));
    },
  });
}
