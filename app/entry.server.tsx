import crypto from "node:crypto";
import type { AppLoadContext, EntryContext, HandleDataRequestFunction } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { startDatabase } from "~/utils/db.server";
import { encodedBytesOnly } from "~/utils/html-stream.server";
import { contentSecurityPolicy } from "~/utils/csp";
import { NonceProvider } from "~/utils/nonce";
import { routes } from "@remix-run/dev/server-build";
import { auditRefusal, registerRoutes } from "~/http/refusals.server";

// Migrate (and on a fresh embedded install, seed) as soon as the server loads the build, so the first
// visitor does not wait for it. A failure is logged and retried by the first request that needs the db.
startDatabase().catch((error) => console.error("[tingyuan] database start failed", error));

registerRoutes(() => routes);

const ABORT_DELAY = 5_000;

// Every page and every data response may carry personal data (ID numbers, health): no browser or
// proxy keeps a copy. Static assets are served before Remix and keep their long cache.
export const handleDataRequest: HandleDataRequestFunction = async (response, { request }) => {
  await auditRefusal(request, response.status);
  response.headers.set("Cache-Control", "no-store");
  return response;
};

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext?: AppLoadContext,
) {
  await auditRefusal(request, responseStatusCode);
  // the server hands one in; a bare request handler (tests) gets its own
  const nonce = loadContext?.cspNonce || crypto.randomBytes(16).toString("base64");
  const bot = isbot(request.headers.get("user-agent") || "");
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceProvider>,
      {
        nonce,
        [bot ? "onAllReady" : "onShellReady"]() {
          shellRendered = true;
          const body = encodedBytesOnly();
          const stream = createReadableStreamFromReadable(body);
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          responseHeaders.set("X-Content-Type-Options", "nosniff");
          responseHeaders.set("Referrer-Policy", "same-origin");
          responseHeaders.set("X-Frame-Options", "DENY");
          responseHeaders.set("Content-Security-Policy", contentSecurityPolicy(nonce));
          responseHeaders.set("Cache-Control", "no-store");
          resolve(new Response(stream, { headers: responseHeaders, status: responseStatusCode }));
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) console.error(error);
        },
      },
    );
    setTimeout(abort, ABORT_DELAY);
  });
}
