import { expect, test } from "vitest";
import { addDays, daysOverdue, dueOn } from "~/utils/due";

const s = { "check.intervalDays": 30, "check.monitoredIntervalDays": 15 };
const h = (over: Partial<Parameters<typeof dueOn>[0]> = {}) => ({
  lastVisit: "2026-10-01",
  nextDueOn: null,
  registeredOn: "2025-03-01",
  monitored: false,
  ...over,
});

test("a check falls due the interval after the last visit", () => {
  expect(dueOn(h(), s)).toBe("2026-10-31");
});

test("monitored households fall due after the shorter interval", () => {
  expect(dueOn(h({ monitored: true }), s)).toBe("2026-10-16");
});

test("the next due date set in the last check wins", () => {
  expect(dueOn(h({ nextDueOn: "2026-10-10" }), s)).toBe("2026-10-10");
  expect(dueOn(h({ nextDueOn: "2026-12-20", monitored: true }), s)).toBe("2026-12-20");
});

test("a household never visited falls due the interval after registration", () => {
  expect(dueOn(h({ lastVisit: null }), s)).toBe("2025-03-31");
});

test("month ends and leap days fall where the calendar puts them", () => {
  expect(addDays("2026-01-31", 30)).toBe("2026-03-02");
  expect(addDays("2028-01-31", 30)).toBe("2028-03-01");
  expect(addDays("2026-02-28", 1)).toBe("2026-03-01");
  expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
  expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
  expect(dueOn(h({ lastVisit: "2026-01-31" }), s)).toBe("2026-03-02");
});

test("days overdue: positive after the due date, zero on it, negative before", () => {
  expect(daysOverdue(h(), s, "2026-11-05")).toBe(5);
  expect(daysOverdue(h(), s, "2026-10-31")).toBe(0);
  expect(daysOverdue(h(), s, "2026-10-21")).toBe(-10);
});
