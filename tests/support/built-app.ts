// The built app's own request handler, in-process: for tests that go through the routes as a browser
// would (pages, their data, files) without a server. Needs `npx remix build` first.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import { expect } from "vitest";
import { TEST_PASSWORD } from "./factories";

process.env.DATA_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), "tingyuan-built-"));

const buildFile = path.resolve("build/index.js");
if (!fs.existsSync(buildFile)) throw new Error("this test needs the built app: run `npx remix build` first");
export const build = (await import(/* @vite-ignore */ pathToFileURL(buildFile).href)) as ServerBuild;
export const handle = createRequestHandler(build, "production");
export const ORIGIN = "http://localhost";

/** The session cookie (`name=value`) of a user who signed in through the sign-in form. */
export async function signIn(username: string, password = TEST_PASSWORD) {
  const res = await handle(
    new Request(`${ORIGIN}/login`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN, Host: "localhost" },
      body: new URLSearchParams({ username, password }),
    }),
  );
  expect(res.status, `sign-in as ${username}`).toBe(302);
  return res.headers.get("Set-Cookie")!.split(";")[0];
}

/** A GET as the holder of `cookie` (none: anonymous); the body read, so the response is complete. */
export async function get(url: string, cookie?: string) {
  const res = await handle(
    new Request(`${ORIGIN}${url}`, { headers: { "Accept-Language": "zh-CN", ...(cookie ? { Cookie: cookie } : {}) } }),
  );
  const body = new Uint8Array(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, body, text: () => new TextDecoder().decode(body) };
}

/** A form posted from one of the app's own pages. */
export async function post(url: string, cookie: string, fields: Record<string, string>) {
  const res = await handle(
    new Request(`${ORIGIN}${url}`, {
      method: "POST",
      headers: {
        Cookie: cookie,
        Origin: ORIGIN,
        Host: "localhost",
        "Content-Type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams(fields),
    }),
  );
  await res.arrayBuffer();
  return { status: res.status, location: res.headers.get("Location") };
}

/**
 * A page's markup without its scripts: what it renders, apart from the data its scripts carry for the
 * browser. (The dictionary is not among them: the browser fetches it as a file of its own.)
 */
export function withoutScripts(html: string): string {
  return html.replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, "");
}
