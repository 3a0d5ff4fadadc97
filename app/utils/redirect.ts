const BASE = "http://tingyuan.invalid";

/**
 * Only a path inside this app, never another origin (`//evil`, `/\evil`, `https://…`). Browsers drop tabs
 * and newlines from a URL and read `\` as `/`, so `/<tab>/evil` would become `//evil` after this check:
 * any control character, space or backslash refuses the whole value instead of being cleaned.
 */
export function safeRedirectTo(to: FormDataEntryValue | string | null | undefined, fallback = "/") {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//")) return fallback;
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
  if (/[\u0000-\u0020\u007f-\u009f\\]/.test(to)) return fallback;
  try {
    if (new URL(to, BASE).origin !== BASE) return fallback;
  } catch {
    return fallback;
  }
  return to;
}
