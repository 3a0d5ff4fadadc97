// Measures a running server's memory while it is sent hostile uploads: 40 photo parts of 8 MB each to
// a check form, and an XLSX that unpacks to hundreds of MB to the import. Reads the server's resident
// set from /proc (Linux), sampled every 50 ms during each request.
//
//   npx tsx scripts/measure-upload-rss.ts --url http://127.0.0.1:3000 --pid <server pid> [--password tingyuan-demo]
//
// Uses the demo accounts (cadre for the check, official for the import). After the import's answer it
// samples 20 s more: an accepted file is parsed by a background job, after the request.
import fs from "node:fs";
import { parseArgs } from "node:util";
import { xlsxBomb } from "../tests/support/xlsx-bomb";

const { values } = parseArgs({
  options: {
    url: { type: "string" },
    pid: { type: "string" },
    password: { type: "string", default: "tingyuan-demo" },
    rows: { type: "string", default: "1500000" },
  },
});
if (!values.url || !values.pid) {
  console.error("usage: tsx scripts/measure-upload-rss.ts --url <server> --pid <server pid>");
  process.exit(2);
}
const url = values.url.replace(/\/$/, "");
const MB = 1024 * 1024;

function rssOf(pid: string) {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) * 1024;
}

async function signIn(username: string) {
  // server.js refuses a POST that names no origin of its own (403), as a browser's form always does
  const res = await fetch(`${url}/login`, {
    method: "POST",
    headers: { Origin: url },
    body: new URLSearchParams({ username, password: values.password! }),
    redirect: "manual",
  });
  const cookie = res.headers.get("set-cookie");
  if (!cookie) throw new Error(`sign-in as ${username} failed (${res.status})`);
  return cookie.split(";")[0];
}

/** `settleMs`: keep sampling after the answer, for work the server goes on with (an import job). */
async function measure(label: string, send: () => Promise<Response>, settleMs = 500) {
  const before = rssOf(values.pid!);
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, rssOf(values.pid!))), 50);
  const started = Date.now();
  const res = await send();
  const body = await res.text();
  const elapsed = Date.now() - started;
  await new Promise((r) => setTimeout(r, settleMs));
  clearInterval(timer);
  const after = rssOf(values.pid!);
  const hint =
    body.match(/(check\.error\.[a-zA-Z]+|import\.file\.[a-zA-Z]+|超过[^<"]{0,40}|最多上传[^<"]{0,20})/)?.[0] ?? "";
  console.log(
    `${label}: HTTP ${res.status} in ${elapsed} ms; server RSS ${(before / MB).toFixed(0)} MB before, peak ${(peak / MB).toFixed(0)} MB, ${(after / MB).toFixed(0)} MB after ${hint ? `(${hint})` : ""}`,
  );
}

/** A multipart body generated as it is sent: the script itself never holds 320 MB. */
function multipart(parts: { name: string; filename: string; size: number; type: string; bytes?: Uint8Array }[]) {
  const boundary = "----measure" + Math.random().toString(16).slice(2);
  const enc = new TextEncoder();
  const chunk = new Uint8Array(1 * MB).fill(0xff);
  async function* generate() {
    yield enc.encode(`--${boundary}\r\nContent-Disposition: form-data; name="visitedOn"\r\n\r\n2026-11-20\r\n`);
    for (const p of parts) {
      yield enc.encode(
        `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"; filename="${p.filename}"\r\nContent-Type: ${p.type}\r\n\r\n`,
      );
      if (p.bytes) yield p.bytes;
      else
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
      else controller.enqueue(value);
    },
  });
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

async function post(path: string, cookie: string, mp: ReturnType<typeof multipart>) {
  try {
    return await fetch(`${url}${path}`, {
      method: "POST",
      headers: { Cookie: cookie, "Content-Type": mp.contentType, Origin: url },
      body: mp.body,
      duplex: "half",
      redirect: "manual",
    } as RequestInit);
  } catch (error) {
    // a server that answers before reading the whole body may close the connection under us
    return new Response(`request failed: ${(error as Error).message}`, { status: 599 });
  }
}

const cadre = await signIn("cadre");
const home = await (await fetch(`${url}/`, { headers: { Cookie: cadre } })).text();
const householdId = /\/households\/([0-9a-f-]{36})/.exec(home)?.[1];
if (!householdId) throw new Error("no household on the cadre's home page");
const photoParts = Array.from({ length: 40 }, (_, i) => ({
  name: "photos",
  filename: `p${i}.jpg`,
  size: 8 * MB - 1024,
  type: "image/jpeg",
}));
await measure("40 × 8 MB photo parts", () =>
  post(`/households/${householdId}/checks/new`, cadre, multipart(photoParts)),
);

const official = await signIn("official");
const { bytes, inflated } = await xlsxBomb({ rows: Number(values.rows) });
console.log(
  `bomb: ${(bytes.length / MB).toFixed(1)} MB on the wire, ${(inflated / MB).toFixed(0)} MB unpacked, ${values.rows} rows`,
);
const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
await measure(
  "bomb XLSX upload",
  () =>
    post(
      "/import",
      official,
      multipart([{ name: "file", filename: "bomb.xlsx", size: bytes.length, type: xlsxType, bytes }]),
    ),
  20_000,
);
