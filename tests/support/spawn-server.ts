// The built app as an operator runs it (one process: remix-serve, or the production server.js), for tests
// that kill it, cut its database off, and watch whether it answers again.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

export type Server = { url: string; child: ChildProcess; log: () => string; stop: () => Promise<void> };

const ENTRIES = {
  "remix-serve": "node_modules/@remix-run/serve/dist/cli.js",
  "server.js": "server.js",
};

export async function startServer(
  env: Record<string, string>,
  logFile: string,
  { entry = "remix-serve" }: { entry?: keyof typeof ENTRIES } = {},
): Promise<Server> {
  if (!fs.existsSync("build/index.js")) throw new Error("run `npx remix build` before this test");
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const log = fs.createWriteStream(logFile, { flags: "a" });
  const child = spawn(process.execPath, [ENTRIES[entry], "build/index.js"], {
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", ...env, NODE_ENV: "production" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  const server: Server = {
    url,
    child,
    log: () => fs.readFileSync(logFile, "utf8"),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    },
  };
  return server;
}

export async function waitFor(url: string, server: Server, status: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  let last = 0;
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null || server.child.signalCode !== null) {
      throw new Error(
        `server exited (${server.child.exitCode ?? server.child.signalCode}):\n${server.log().slice(-4000)}`,
      );
    }
    try {
      last = (await fetch(url, { signal: AbortSignal.timeout(5000) })).status;
      if (last === status) return;
    } catch {
      // not listening yet, or busy
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(
    `${url} did not answer ${status} within ${timeoutMs} ms (last ${last}):\n${server.log().slice(-4000)}`,
  );
}

/** Signs in through the login form; the session cookie. */
export async function signInOver(url: string, username: string, password: string) {
  const res = await fetch(`${url}/login`, {
    method: "POST",
    body: new URLSearchParams({ username, password }),
    redirect: "manual",
  });
  const cookie = res.headers.get("set-cookie");
  if (!cookie) throw new Error(`sign-in failed: ${res.status}`);
  return cookie.split(";")[0];
}
