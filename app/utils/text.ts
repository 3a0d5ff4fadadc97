/**
 * Control characters (NUL first: PostgreSQL refuses it in text and the request would end in a 500) are
 * removed from every submitted string. Tab and line breaks stay: multi-line text needs them, and the
 * single-line fields' schemas refuse or trim them.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

export function stripControl(text: string): string {
  return text.replace(CONTROL, "");
}

/** Query parameters cleaned the same way as form fields, as the plain object the list schemas parse. */
export function queryParams(url: URL): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of url.searchParams) out[stripControl(key)] = stripControl(value);
  return out;
}

/** One query parameter, cleaned. */
export function queryParam(url: URL, name: string): string | null {
  const value = url.searchParams.get(name);
  return value === null ? null : stripControl(value);
}
