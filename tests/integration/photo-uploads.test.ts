// Photo uploads cannot exhaust the server: the count and size limits stop the body while it streams in,
// a pixel bomb is refused from its header, the stored photo carries no EXIF (GPS), and a photo whose
// file is gone answers 404.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { eq } from "drizzle-orm";
import sharp from "sharp";
import { expect, test } from "vitest";
import { checkPhotos } from "../../db/schema";
import { recordCheck } from "~/models/checks.server";
import { ValidationError } from "~/models/errors.server";
import { photoRoot } from "~/models/photos.server";
import { scopeOf } from "~/models/scope.server";
import { action as newCheckAction } from "~/routes/_app.households.$householdId.checks.new/route";
import { loader as photoLoader } from "~/routes/photos.$photoId";
import { signIn } from "~/http/auth.server";
import { db } from "~/utils/db.server";
import { assignCadre, createHousehold, createUser, createWorld, TEST_PASSWORD } from "../support/factories";

process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "tingyuan-photo-uploads-"));

const MB = 1024 * 1024;

async function setup() {
  const d = await db();
  const world = await createWorld(d);
  const cadreUser = await createUser(d, world, "cadre");
  const household = await createHousehold(d, world);
  await assignCadre(d, world, household.id, cadreUser.id);
  const setCookie = await signIn(new Request("http://localhost/login"), cadreUser.username, TEST_PASSWORD);
  return { d, household, cadre: scopeOf(cadreUser), cookie: setCookie!.split(";")[0] };
}

/** A multipart body made lazily, part by part, that counts how much of it the server pulled. */
function streamingMultipart(parts: { name: string; filename?: string; size: number }[]) {
  const boundary = "----tingyuan" + Math.random().toString(16).slice(2);
  const enc = new TextEncoder();
  const chunk = new Uint8Array(256 * 1024).fill(0x41);
  let pulled = 0;
  async function* generate() {
    for (const p of parts) {
      const disposition = p.filename
        ? `form-data; name="${p.name}"; filename="${p.filename}"`
        : `form-data; name="${p.name}"`;
      yield enc.encode(
        `--${boundary}\r\nContent-Disposition: ${disposition}\r\nContent-Type: ${p.filename ? "image/jpeg" : "text/plain"}\r\n\r\n`,
      );
      for (let left = p.size; left > 0; left -= chunk.length) yield chunk.subarray(0, Math.min(left, chunk.length));
      yield enc.encode("\r\n");
    }
    yield enc.encode(`--${boundary}--\r\n`);
  }
  const it = generate();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done } = await it.next();
      if (done) controller.close();
      else {
        pulled += value.byteLength;
        controller.enqueue(value);
      }
    },
  });
  return { body, contentType: `multipart/form-data; boundary=${boundary}`, pulled: () => pulled };
}

async function post(householdId: string, cookie: string, parts: Parameters<typeof streamingMultipart>[0]) {
  const mp = streamingMultipart(parts);
  const request = new Request(`http://localhost/households/${householdId}/checks/new`, {
    method: "POST",
    headers: { Cookie: cookie, "Content-Type": mp.contentType },
    body: mp.body,
    duplex: "half",
  } as RequestInit);
  let response: Response;
  try {
    response = (await newCheckAction({
      request,
      params: { householdId },
      context: {},
    } as ActionFunctionArgs)) as Response;
  } catch (thrown) {
    if (thrown instanceof Response) response = thrown;
    else throw thrown;
  }
  return { response, pulled: mp.pulled() };
}

test("the seventh photo part stops the upload as it streams in, before it or the rest is buffered", async () => {
  const { household, cookie } = await setup();
  const parts = [
    { name: "visitedOn", size: 0 },
    ...Array.from({ length: 40 }, (_, i) => ({ name: "photos", filename: `p${i}.jpg`, size: 2 * MB })),
  ];
  const { response, pulled } = await post(household.id, cookie, parts);
  expect(response.status).toBe(400);
  const body = await response.json();
  expect(body.error.photos[0]).toMatch(/^check\.error\.tooManyPhotos\|/);
  // six parts and the seventh's header (plus the stream's read-ahead), never the 80 MB sent
  expect(pulled).toBeLessThan(7 * 2 * MB + MB);
});

test("a photo part past 8 MB stops the upload at 8 MB", async () => {
  const { household, cookie } = await setup();
  const { response, pulled } = await post(household.id, cookie, [
    { name: "photos", filename: "大.jpg", size: 40 * MB },
    { name: "photos", filename: "next.jpg", size: 8 * MB },
  ]);
  expect(response.status).toBe(400);
  expect((await response.json()).error.photos[0]).toMatch(/^check\.error\.photoSize\|.*大\.jpg/);
  expect(pulled).toBeLessThan(10 * MB);
});

function crc32(bytes: Uint8Array) {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}
function chunk(type: string, data: Uint8Array) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, "latin1");
  Buffer.from(data).copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}
/** A valid 1-bit grey PNG of width × height: a few KB on the wire, gigabytes once decoded to RGB. */
function pixelBomb(width: number, height: number) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([1, 0, 0, 0, 0], 8);
  const raw = Buffer.alloc((Math.ceil(width / 8) + 1) * height);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", zlib.deflateSync(raw, { level: 9 })),
    chunk("IEND", new Uint8Array()),
  ]);
}

const input = {
  visitedOn: "2026-11-20",
  livingStatus: "on_track",
  plantingStatus: "on_track",
  raisingStatus: "on_track",
} as const;

test("a pixel bomb is refused from its header dimensions, quickly", async () => {
  const { household, cadre } = await setup();
  const bomb = pixelBomb(20_000, 20_000);
  expect(bomb.length).toBeLessThan(1 * MB);
  const started = Date.now();
  const error = await recordCheck({
    scope: cadre,
    householdId: household.id,
    input,
    photos: [{ name: "bomb.png", bytes: bomb }],
    today: "2026-11-26",
  }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  expect((error as ValidationError).fieldErrors.photos[0]).toMatch(/^check\.error\.photoPixels\|.*bomb\.png/);
  expect(Date.now() - started).toBeLessThan(2000);
});

test("a stored photo has no EXIF (no GPS) and its orientation applied; a lost file answers 404", async () => {
  const { d, household, cadre, cookie } = await setup();
  // 200 × 100 pixels, with GPS and "rotate 90°" in its EXIF, as a phone held upright writes it
  const withGps = await sharp({ create: { width: 200, height: 100, channels: 3, background: "#3a7" } })
    .jpeg()
    .withExif({ IFD0: { Make: "Phone" }, IFD3: { GPSLatitudeRef: "N", GPSLatitude: "25/1 2/1 30/1" } })
    .withMetadata({ orientation: 6 })
    .toBuffer();
  expect((await sharp(withGps).metadata()).exif).toBeDefined();
  const check = await recordCheck({
    scope: cadre,
    householdId: household.id,
    input,
    photos: [{ name: "院子.jpg", bytes: new Uint8Array(withGps) }],
    today: "2026-11-26",
  });
  const [row] = await d.select().from(checkPhotos).where(eq(checkPhotos.checkId, check.id));
  const file = fs.readFileSync(path.join(photoRoot(), row.storagePath));
  expect(file.includes(Buffer.from("GPS"))).toBe(false);
  const meta = await sharp(file).metadata();
  expect(meta.exif).toBeUndefined();
  expect([meta.width, meta.height]).toEqual([100, 200]);
  expect(row.sizeBytes).toBe(file.length);

  const get = async () => {
    const request = new Request(`http://localhost/photos/${row.id}`, { headers: { Cookie: cookie } });
    try {
      return (await photoLoader({
        request,
        params: { photoId: row.id },
        context: {},
      } as LoaderFunctionArgs)) as Response;
    } catch (thrown) {
      if (thrown instanceof Response) return thrown;
      throw thrown;
    }
  };
  expect((await get()).status).toBe(200);
  fs.rmSync(path.join(photoRoot(), row.storagePath));
  expect((await get()).status).toBe(404);
});

test("a photo larger than the phone would send is stored with its long side at 1600 px, a small one as it came", async () => {
  const { d, cadre, household } = await setup();
  const big = await sharp({ create: { width: 4000, height: 2250, channels: 3, background: "#7a3" } })
    .jpeg()
    .toBuffer();
  const small = await sharp({ create: { width: 800, height: 600, channels: 3, background: "#37a" } })
    .jpeg()
    .toBuffer();
  const check = await recordCheck({
    scope: cadre,
    householdId: household.id,
    input,
    photos: [
      { name: "大.jpg", bytes: new Uint8Array(big) },
      { name: "小.jpg", bytes: new Uint8Array(small) },
    ],
    today: "2026-11-26",
  });
  const rows = await d.select().from(checkPhotos).where(eq(checkPhotos.checkId, check.id));
  const sizes = await Promise.all(
    rows.map(async (r) => {
      const meta = await sharp(fs.readFileSync(path.join(photoRoot(), r.storagePath))).metadata();
      return [meta.width, meta.height];
    }),
  );
  expect(sizes.sort((a, b) => b[0]! - a[0]!)).toEqual([
    [1600, 900],
    [800, 600],
  ]);
});
