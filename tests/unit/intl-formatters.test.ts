// Intl formatters are shared, not made per call: each DateTimeFormat holds ~25 KB of ICU memory the
// garbage collector does not see, and a page that made one per row held the server at 1.1 GB (decision 046).
import fs from "node:fs";
import path from "node:path";
import { afterEach, expect, test } from "vitest";
import { dayLabel, monthLabel } from "~/routes/_app.points/format";
import { fmtWhen, todayISO } from "~/utils/dates";
import { DATE_AND_TIME, dateTimeFormat, FORMATTER_CACHE_LIMIT, numberFormat } from "~/utils/intl";

const RealDateTimeFormat = Intl.DateTimeFormat;
const RealNumberFormat = Intl.NumberFormat;

/** Counts the formatters constructed while `run` runs. */
function constructions(run: () => void) {
  let made = 0;
  const countDates = function (this: unknown, ...args: ConstructorParameters<typeof Intl.DateTimeFormat>) {
    made++;
    return new RealDateTimeFormat(...args);
  } as unknown as typeof Intl.DateTimeFormat;
  const countNumbers = function (this: unknown, ...args: ConstructorParameters<typeof Intl.NumberFormat>) {
    made++;
    return new RealNumberFormat(...args);
  } as unknown as typeof Intl.NumberFormat;
  Intl.DateTimeFormat = countDates;
  Intl.NumberFormat = countNumbers;
  try {
    run();
  } finally {
    Intl.DateTimeFormat = RealDateTimeFormat;
    Intl.NumberFormat = RealNumberFormat;
  }
  return made;
}

afterEach(() => {
  Intl.DateTimeFormat = RealDateTimeFormat;
  Intl.NumberFormat = RealNumberFormat;
});

test("a points card of a thousand entries makes at most one formatter per label kind, not one per row", () => {
  const made = constructions(() => {
    for (let i = 0; i < 1000; i++) {
      const day = `2026-03-${String((i % 28) + 1).padStart(2, "0")}`;
      dayLabel("zh-CN", day);
      dayLabel("en", day);
      monthLabel("zh-CN", "2026-03");
      todayISO(new Date(Date.UTC(2026, 2, 1, i % 24)));
      fmtWhen("zh-CN", "2026-03-05T07:08:09Z");
      numberFormat("zh-CN", { maximumFractionDigits: 1 }).format(i / 3);
    }
  });
  expect(made).toBeLessThanOrEqual(6);
});

test("a shared formatter writes what a fresh one writes", () => {
  const at = new Date("2026-03-05T16:30:00Z");
  expect(dayLabel("zh-CN", "2026-03-05")).toBe("3月5日");
  expect(dayLabel("en", "2026-03-05")).toBe("Mar 5");
  expect(todayISO(at)).toBe("2026-03-06"); // half past midnight in Beijing
  expect(dayLabel("zh-CN", "2026-12-31")).toBe("12月31日");
  for (const locale of ["zh-CN", "en-GB"]) {
    const zone = { timeZone: "Asia/Shanghai" };
    expect(dateTimeFormat(locale, { ...DATE_AND_TIME, ...zone }).format(at)).toBe(at.toLocaleString(locale, zone));
    expect(dateTimeFormat(locale, zone).format(at)).toBe(at.toLocaleDateString(locale, zone));
    expect(numberFormat(locale, { maximumFractionDigits: 2 }).format(1234.5678)).toBe(
      new RealNumberFormat(locale, { maximumFractionDigits: 2 }).format(1234.5678),
    );
  }
});

test("the same locale and options give the same formatter; other options another", () => {
  const a = numberFormat("zh-CN", { maximumFractionDigits: 2 });
  expect(numberFormat("zh-CN", { maximumFractionDigits: 2 })).toBe(a);
  expect(numberFormat("en", { maximumFractionDigits: 2 })).not.toBe(a);
  expect(numberFormat("zh-CN", { maximumFractionDigits: 1 }).format(1.25)).toBe("1.3");
});

test("the cache stays bounded whatever options it is asked for", () => {
  for (let i = 0; i < FORMATTER_CACHE_LIMIT * 3; i++) {
    const options = {
      useGrouping: false,
      minimumIntegerDigits: (i % 21) + 1,
      maximumFractionDigits: Math.floor(i / 21) % 21,
    };
    expect(numberFormat("zh-CN", options).format(7)).toBe("7".padStart(options.minimumIntegerDigits, "0"));
  }
  expect(numberFormat.size()).toBeLessThanOrEqual(FORMATTER_CACHE_LIMIT);
});

test("the app makes no Intl formatter but through the shared ones", () => {
  const offenders: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (/\.tsx?$/.test(entry.name) && !file.endsWith(path.join("utils", "intl.ts"))) {
        const text = fs.readFileSync(file, "utf8");
        if (/new Intl\.(DateTimeFormat|NumberFormat)\b|\.toLocale(Date|Time)?String\(/.test(text)) offenders.push(file);
      }
    }
  };
  walk(path.resolve("app"));
  expect(offenders).toEqual([]);
});
