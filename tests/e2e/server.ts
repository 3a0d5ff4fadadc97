// Starts the built app as a user would run it (`npm run serve`: server.js, embedded PGlite in a fresh data folder,
// demo data seeded on first start) and hands its address to the browser tests.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    baseURL: string;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

async function waitForHealthy(url: string, child: ChildProcess, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`server at ${url} not healthy after ${timeoutMs} ms`);
}

export default async function setup(project: TestProject) {
  if (!fs.existsSync("build/index.js")) throw new Error("run `npm run build` before the e2e tests");
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "tingyuan-e2e-"));
  const port = await freePort();
  const baseURL = `http://localhost:${port}`;
  const log = fs.createWriteStream(path.join(dataDir, "server.log"));
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), DATA_DIR: dataDir, NODE_ENV: "production" };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, ["server.js", "build/index.js"], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  try {
    await waitForHealthy(baseURL, child, 90_000);
  } catch (error) {
    child.kill("SIGKILL");
    console.error(fs.readFileSync(path.join(dataDir, "server.log"), "utf8"));
    throw error;
  }
  project.provide("baseURL", baseURL);
  return async () => {
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (child.exitCode === null) child.kill("SIGKILL");
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}
