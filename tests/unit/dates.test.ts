import { expect, test } from "vitest";
import { isCalendarDate } from "~/utils/dates";

test("a calendar date has the shape and names a real day", () => {
  for (const ok of ["2026-03-02", "2024-02-29", "2025-12-31", "2000-02-29"]) expect(isCalendarDate(ok), ok).toBe(true);
  for (const bad of [
    "2025-02-30",
    "2025-02-29",
    "1900-02-29",
    "2026-13-01",
    "2026-04-31",
    "2026-00-10",
    "2026-3-2",
    "abc",
    "",
    "2026-03-02T00:00",
  ]) {
    expect(isCalendarDate(bad), bad).toBe(false);
  }
});
