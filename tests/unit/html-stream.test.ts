import { PassThrough, Writable } from "node:stream";
import { createElement } from "react";
import { renderToPipeableStream } from "react-dom/server";
import { expect, test } from "vitest";
import { encodedBytesOnly } from "~/utils/html-stream.server";

// Rows of Chinese text long enough that the 2 KiB view fills dozens of times, with an ASCII prefix
// of growing length so a three-byte character lands across the view's end at every possible offset.
const rows = Array.from({ length: 400 }, (_, i) => `${"a".repeat(i % 7)}缺劳力·因病致贫·种植区辣椒${i}号户`);

function Page() {
  return createElement(
    "ul",
    null,
    rows.map((text, i) => createElement("li", { key: i, title: text }, text)),
  );
}

function render(through: () => NodeJS.ReadWriteStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        chunks.push(Buffer.from(chunk));
        cb();
      },
    });
    sink.on("finish", () => resolve(Buffer.concat(chunks)));
    const body = through();
    body.pipe(sink);
    const { pipe } = renderToPipeableStream(createElement(Page), {
      onAllReady: () => pipe(body as unknown as Writable),
      onShellError: reject,
    });
  });
}

const expected = `<ul>${rows.map((t) => `<li title="${t}">${t}</li>`).join("")}</ul>`;

test("a page whose Chinese text crosses many 2 KiB boundaries arrives byte for byte, without NUL", async () => {
  const bytes = await render(encodedBytesOnly);
  expect(bytes.byteLength).toBeGreaterThan(20 * 2048);
  expect(bytes.includes(0)).toBe(false);
  expect(bytes.equals(Buffer.from(expected, "utf8"))).toBe(true);
});

test("React 18 alone still pads the stream with NUL bytes, so the filter is still needed", async () => {
  const bytes = await render(() => new PassThrough());
  expect(bytes.includes(0)).toBe(true);
  expect(bytes.toString("utf8").replaceAll("\0", "")).toBe(expected);
});
