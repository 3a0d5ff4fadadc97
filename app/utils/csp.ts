// The Content-Security-Policy of every page. Scripts run only with this response's nonce (Remix's
// inline hydration scripts carry it) or when loaded by such a script ('strict-dynamic': the entry
// module's imports). Stylesheets come only from our own origin; style *attributes* are allowed because
// the server-rendered ECharts SVG and QR codes set style="" on their elements, and an attribute cannot
// run script.
export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'nonce-${nonce}' 'strict-dynamic'`,
    "style-src 'self'",
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    // a cadre's phone registers the service worker that keeps pages for offline visits
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ].join("; ");
}
