import { expect, test } from "vitest";
import { en } from "~/i18n/en";
import { zhCN } from "~/i18n/zh-CN";
import { translator } from "~/i18n/dictionaries.server";
import { safeRedirectTo } from "~/utils/redirect";

test("English carries every Chinese key and no extra ones", () => {
  expect(Object.keys(en).sort()).toEqual(Object.keys(zhCN).sort());
});

// The import's notes quote what is typed in the spreadsheet (its headers and values stay Chinese in English too).
const QUOTES_THE_FILE = new Set([
  "import.template.hint",
  "import.note.village",
  "import.note.group",
  "import.note.relation",
  "import.error.noHead",
]);

test("no English string is left in Chinese", () => {
  const untranslated = Object.entries(en).filter(
    ([k, v]) => /[\u4e00-\u9fff]/.test(v) && v !== "中文" && !(QUOTES_THE_FILE.has(k) && /[a-z]{3}/.test(v)),
  );
  expect(untranslated).toEqual([]);
});

test("placeholders are filled in both languages", () => {
  expect(translator("zh-CN")("cadre.overdueDays", { days: 12 })).toBe("逾期 12 天");
  expect(translator("en")("cadre.overdueDays", { days: 12 })).toBe("12 days overdue");
  expect(translator("en")("home.greeting", {})).toBe("Hello, {name}");
});

test("after sign-in we only ever redirect inside the app", () => {
  expect(safeRedirectTo("/households/abc?x=1")).toBe("/households/abc?x=1");
  expect(safeRedirectTo("//evil.example")).toBe("/");
  expect(safeRedirectTo("/\\evil.example")).toBe("/");
  expect(safeRedirectTo("https://evil.example")).toBe("/");
  expect(safeRedirectTo(null)).toBe("/");
});
