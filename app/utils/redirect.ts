/** Only a path inside this app, never another origin (`//evil`, `/\evil`, `https://…`). */
export function safeRedirectTo(to: FormDataEntryValue | string | null | undefined, fallback = "/") {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) {
    return fallback;
  }
  return to;
}
