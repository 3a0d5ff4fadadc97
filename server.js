// The production server: the built Remix app behind a few guards that belong in front of every route.
//  - a POST (or any method but GET/HEAD) from another origin is refused with 403 before any action runs;
//  - a per-request Content-Security-Policy nonce, handed to the app through the load context;
//  - security headers on everything, HSTS over HTTPS, and no caching of anything but static assets;
//  - X-Forwarded-* believed only with TRUST_PROXY=true, and stripped otherwise;
//  - a request log without query strings (they can carry search terms such as names and ID numbers);
//  - a shutdown (SIGTERM, SIGINT) that answers the requests in flight before the database closes.
import crypto from "node:crypto";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import compression from "compression";
import express from "express";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function trustProxyFromEnv(value = process.env.TRUST_PROXY) {
  if (value === undefined || value === "" || value === "false") return false;
  if (value === "true") return true;
  throw new Error(`TRUST_PROXY must be "true" or "false", not ${JSON.stringify(value)}`);
}

/** The origin the browser used to reach us: what a same-origin Origin or Referer header must equal. */
function ownOrigin(req, trustProxy) {
  const forwardedHost = trustProxy ? req.get("x-forwarded-host")?.split(",")[0]?.trim() : undefined;
  const host = forwardedHost || req.get("host");
  if (!host) return null;
  return `${req.protocol}://${host}`.toLowerCase();
}

function originOf(value) {
  try {
    return new URL(value).origin.toLowerCase();
  } catch {
    return null;
  }
}

/**
 * Cross-origin writes are refused here rather than by Remix, whose own check throws (a 500) and is
 * skipped when the Origin header is absent. A browser always sends Origin on a cross-origin POST; a
 * request with neither Origin nor Referer is not one a page of ours made, so it is refused too.
 */
export function sameOriginWrites({ trustProxy }) {
  return (req, res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const expected = ownOrigin(req, trustProxy);
    const origin = req.get("origin");
    const claimed = origin !== undefined ? originOf(origin) : req.get("referer") ? originOf(req.get("referer")) : null;
    if (!expected || !claimed || claimed !== expected) {
      res.status(403).set("Cache-Control", "no-store").type("text/plain").send("Forbidden: cross-origin request");
      return;
    }
    next();
  };
}

/**
 * Headers for every response, set just before it is sent: the Remix adapter *appends* the app's own
 * headers, so setting them earlier would double those the app also sets (X-Frame-Options on pages).
 * `no-store` for everything that is not a static file.
 */
function securityHeaders() {
  return (req, res, next) => {
    res.locals.cspNonce = crypto.randomBytes(16).toString("base64");
    const writeHead = res.writeHead;
    res.writeHead = function (...args) {
      const setIfAbsent = (name, value) => {
        if (!res.getHeader(name)) res.setHeader(name, value);
      };
      setIfAbsent("X-Content-Type-Options", "nosniff");
      setIfAbsent("Referrer-Policy", "same-origin");
      setIfAbsent("X-Frame-Options", "DENY");
      setIfAbsent("Cross-Origin-Opener-Policy", "same-origin");
      // the app's pages set their own nonce-bearing policy; anything else (data, files) runs no script
      setIfAbsent("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'; sandbox");
      if (req.secure) res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
      if (!res.locals.staticAsset) res.setHeader("Cache-Control", "no-store");
      // shutting down: the client opens a new connection (to the next server) instead of reusing this one
      if (req.app.locals.draining) res.setHeader("Connection", "close");
      return writeHead.apply(this, args);
    };
    next();
  };
}

function requestLog() {
  return (req, res, next) => {
    const start = process.hrtime.bigint();
    res.on("finish", () => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      // req.path, never req.url: the query string stays out of the log
      console.log(`${req.method} ${req.path} ${res.statusCode} - ${ms.toFixed(1)} ms`);
    });
    next();
  };
}

/** express.static with its responses marked as static (cacheable); a miss falls through unmarked. */
function staticFiles(dir, options) {
  const serve = express.static(dir, { ...options, index: false });
  return (req, res, next) => {
    res.locals.staticAsset = true;
    serve(req, res, (error) => {
      res.locals.staticAsset = false;
      next(error);
    });
  };
}

/** The express app around a Remix server build (exported so tests can run it in-process). */
export function createApp(build, { trustProxy = trustProxyFromEnv(), log = true, mode = "production" } = {}) {
  const app = express();
  app.disable("x-powered-by");
  // one proxy hop: the address it saw is the client's; further X-Forwarded-For entries are the client's own claims
  app.set("trust proxy", trustProxy ? 1 : false);
  if (!trustProxy) {
    app.use((req, _res, next) => {
      for (const name of [
        "x-forwarded-host",
        "x-forwarded-proto",
        "x-forwarded-for",
        "x-forwarded-port",
        "forwarded",
      ]) {
        delete req.headers[name];
      }
      next();
    });
  }
  if (log) app.use(requestLog());
  // a cadre's phone on one bar of signal: pages and bundles go out gzipped (remix-serve did this too)
  app.use(compression());
  app.use(securityHeaders());
  // Remix's fingerprinted bundles never change under one name; public/ files may
  app.use(build.publicPath, staticFiles(build.assetsBuildDirectory, { immutable: true, maxAge: "1y" }));
  // the service worker runs under its script's own policy: it fetches our pages and bundles, nothing else
  app.use("/sw.js", (_req, res, next) => {
    res.setHeader("Content-Security-Policy", "default-src 'self'");
    next();
  });
  app.use(staticFiles("public", { maxAge: "1h" }));
  app.use(sameOriginWrites({ trustProxy }));
  // the dictionary files hold no one's data and are named by their content: their route sets the cache
  app.use("/i18n/", (_req, res, next) => {
    res.locals.staticAsset = true;
    next();
  });
  app.all(
    "*",
    createRequestHandler({
      build,
      mode,
      getLoadContext: (req, res) => ({
        cspNonce: res.locals.cspNonce,
        clientAddress: req.ip,
        clientReady: clientReady(res),
      }),
    }),
  );
  return app;
}

/**
 * A promise of the moment the client can take more of this response: at once unless the last write found
 * the socket's buffer full, then at its `drain` (or its close). The Remix adapter writes a streamed body
 * without waiting for `drain`; a long export asks this before it reads its next rows, so a slow download
 * holds one chunk in the server, not the file. Behind `compression` the write and the `drain` are the
 * gzip stream's, which waits on the socket in turn.
 */
function clientReady(res) {
  let full = false;
  let waiting = [];
  const write = res.write;
  res.write = function (...args) {
    const ok = write.apply(this, args);
    if (!ok) full = true;
    return ok;
  };
  const release = () => {
    full = false;
    const wake = waiting;
    waiting = [];
    for (const resolve of wake) resolve();
  };
  res.on("drain", release);
  res.on("close", release);
  return () => (full && !res.destroyed ? new Promise((resolve) => waiting.push(resolve)) : Promise.resolve());
}

/** How long a shutdown waits for the requests in flight before it cuts their connections. */
const DRAIN_MS = 10_000;

/**
 * Stops taking connections and resolves once every request in flight has had its answer (at most
 * `graceMs`, then the remaining connections are cut). Idle keep-alive connections close at once; a
 * connection busy with a request closes after its response, which says `Connection: close`.
 */
function drain(server, app, { graceMs = DRAIN_MS } = {}) {
  app.locals.draining = true;
  return new Promise((resolve) => {
    const force = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
    server.closeIdleConnections();
  });
}

/**
 * The app's database module closes the database on SIGTERM/SIGINT and exits; it first awaits the
 * promise this key hands out, so the database stays open until the requests in flight are answered
 * (closing it first answered 500 to each of them, and cut the rest).
 */
const HTTP_DRAINED = Symbol.for("tingyuan.httpDrained");

async function main() {
  const buildPath = path.resolve(process.argv[2] ?? "build/index.js");
  const build = await import(pathToFileURL(buildPath).href);
  const port = Number(process.env.PORT || 3000);
  const app = createApp(build);
  const server = app.listen(port, process.env.HOST, () => {
    console.log(`[tingyuan] listening on http://${process.env.HOST ?? "localhost"}:${port}`);
  });
  let drained;
  const stop = () => (drained ??= drain(server, app));
  globalThis[HTTP_DRAINED] = stop;
  for (const signal of ["SIGTERM", "SIGINT"]) {
    process.once(signal, () => {
      console.log(`[tingyuan] ${signal}: finishing the requests in flight, then closing`);
      void stop();
    });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  await main();
}
