import { expect, test } from "vitest";
import { addDays, daysOverdue, dueOn, overdueOn, visitOnTime, type DueInput, type History } from "~/utils/due";

const s = { "check.intervalDays": 30, "check.monitoredIntervalDays": 15 };
const h = (over: Partial<DueInput> = {}): DueInput => ({
  lastVisit: "2026-10-01",
  nextDueOn: null,
  registeredOn: "2025-03-01",
  assignedOn: "2025-03-01",
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

test("a household never visited falls due the interval after registration or its cadre's assignment, the later", () => {
  expect(dueOn(h({ lastVisit: null }), s)).toBe("2025-03-31");
  expect(dueOn(h({ lastVisit: null, assignedOn: "2026-11-06" }), s)).toBe("2026-12-06");
  expect(dueOn(h({ lastVisit: null, assignedOn: "2024-01-01" }), s)).toBe("2025-03-31");
  expect(dueOn(h({ lastVisit: null, assignedOn: null }), s)).toBe("2025-03-31");
});

test("once visited, the assignment no longer moves the due date", () => {
  expect(dueOn(h({ assignedOn: "2026-10-20" }), s)).toBe("2026-10-31");
});

const history = (over: Partial<History> = {}): History => ({
  registeredOn: "2014-06-11",
  monitored: false,
  checks: [],
  assignments: [{ startsOn: "2026-11-06", endsOn: null, cadreId: "c1" }],
  ...over,
});

test("as of a day: only the checks visited by then and the assignment in force then count", () => {
  const visited = history({
    checks: [{ visitedOn: "2026-12-10", nextDueOn: null, createdAt: "2026-12-10T09:00:00Z" }],
  });
  expect(overdueOn(visited, s, "2026-12-07")).toBe(true);
  expect(overdueOn(visited, s, "2026-12-10")).toBe(false);
  expect(overdueOn(history(), s, "2026-11-30")).toBe(false);
  // no cadre in charge that day: no one's visit is late
  expect(overdueOn(history(), s, "2026-11-05")).toBe(false);
});

test("a visit is on time when it keeps the due date the earlier checks set", () => {
  const first = { visitedOn: "2026-12-07", nextDueOn: "2026-12-08", createdAt: "2026-12-07T09:00:00Z" };
  const second = { visitedOn: "2026-12-09", nextDueOn: null, createdAt: "2026-12-09T09:00:00Z" };
  const hist = history({ checks: [second, first] });
  expect(visitOnTime(hist, s, first)).toBe(false);
  expect(visitOnTime(hist, s, second)).toBe(false);
  expect(
    visitOnTime(history({ checks: [first, { ...second, visitedOn: "2026-12-08" }] }), s, {
      ...second,
      visitedOn: "2026-12-08",
    }),
  ).toBe(true);
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
