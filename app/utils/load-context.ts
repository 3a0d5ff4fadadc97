// What the server (server.js) hands every loader and action. Both fields are optional: the app also
// runs under a bare request handler (tests, remix-serve) that passes no context.
declare module "@remix-run/node" {
  interface AppLoadContext {
    /** this response's Content-Security-Policy nonce */
    cspNonce?: string;
    /** the client's address (the proxy's view of it only when TRUST_PROXY=true) */
    clientAddress?: string;
    /** resolves when the client can take more of the response (a long export waits on it between batches) */
    clientReady?: () => Promise<void>;
  }
}

export function clientAddress(context: { clientAddress?: unknown } | undefined): string | null {
  const value = context?.clientAddress;
  return typeof value === "string" && value.length > 0 ? value : null;
}
