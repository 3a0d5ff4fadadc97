// Sign-in and the language switch send the browser back to `redirectTo`: only ever a path of this app.
import { expect, test } from "vitest";
import { safeRedirectTo } from "~/utils/redirect";

test.each([
  "//evil.example",
  "/\\evil.example",
  "/\t/evil.example",
  decodeURIComponent("/%09/evil.example"),
  "/\n/evil.example",
  "/\r\n/evil.example",
  "/ /evil.example",
  "\\\\evil.example",
  "/\\/evil.example",
  "https://evil.example",
  "http:evil.example",
  "javascript:alert(1)",
  " //evil.example",
  "/%2F/evil.example".replace("%2F", "/"),
  "",
  "households",
])("%j goes to the fallback", (to) => {
  expect(safeRedirectTo(to)).toBe("/");
});

test("local paths with query and hash are kept", () => {
  expect(safeRedirectTo("/households/abc?x=1#top")).toBe("/households/abc?x=1#top");
  expect(safeRedirectTo("/households?q=%E7%8E%8B")).toBe("/households?q=%E7%8E%8B");
  expect(safeRedirectTo("/")).toBe("/");
});

test("not a string: the fallback", () => {
  expect(safeRedirectTo(null)).toBe("/");
  expect(safeRedirectTo(undefined, "/x")).toBe("/x");
});
