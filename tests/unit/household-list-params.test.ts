// The list's URL → parameters: valid values pass, anything else falls back to its default, never throws.
import { expect, test } from "vitest";
import { planStatus, povertyStatus } from "../../db/schema";
import {
  activeFilterCount,
  HouseholdListParamsSchema,
  idTailKeys,
  parseHouseholdListParams,
  parseSearch,
  reconcileHouseholdListParams,
  type HouseholdListFilterOptions,
} from "~/models/household-list.server";

const url = (search: string) => new URL(`http://localhost/households${search}`);
const VILLAGE = "0b6c6f1e-3a52-4f0e-9d55-6f1f1b1a0c01";
const GROUP = "0b6c6f1e-3a52-4f0e-9d55-6f1f1b1a0c02";
const CADRE = "0b6c6f1e-3a52-4f0e-9d55-6f1f1b1a0c03";

test("no parameters: first page of 20, by household code ascending, no filters", () => {
  expect(parseHouseholdListParams(url(""))).toEqual({
    q: undefined,
    village: undefined,
    group: undefined,
    status: undefined,
    cause: undefined,
    plan: undefined,
    cadre: undefined,
    sort: "code",
    dir: "asc",
    page: 1,
    size: 20,
  });
});

test("every valid parameter is read", () => {
  const params = parseHouseholdListParams(
    url(
      `?q=%E7%8E%8B&village=${VILLAGE}&group=${GROUP}&status=monitored&cause=lack_skills&plan=in_progress&cadre=${CADRE}&sort=lastCheck&dir=desc&page=7&size=100`,
    ),
  );
  expect(params).toEqual({
    q: "王",
    village: VILLAGE,
    group: GROUP,
    status: "monitored",
    cause: "lack_skills",
    plan: "in_progress",
    cadre: CADRE,
    sort: "lastCheck",
    dir: "desc",
    page: 7,
    size: 100,
  });
});

test("'none' is a plan status and a cadre", () => {
  expect(parseHouseholdListParams(url("?plan=none&cadre=none"))).toMatchObject({
    plan: "none",
    cadre: "none",
  });
});

test("an empty form field is no filter (a GET form sends every field)", () => {
  const params = parseHouseholdListParams(
    url("?q=&village=&group=&status=&cause=&plan=&cadre=&sort=&dir=&page=&size="),
  );
  expect(params).toEqual(HouseholdListParamsSchema.parse({}));
});

test("each invalid value falls back to its default on its own, keeping the valid ones", () => {
  const params = parseHouseholdListParams(
    url(
      `?village=not-a-uuid&status=rich&cause=Lazy!&plan=approved&cadre=1%20or%201=1&sort=password&dir=up&page=0&size=30`,
    ),
  );
  expect(params).toMatchObject({
    village: undefined,
    status: undefined,
    cause: undefined,
    plan: "approved",
    cadre: undefined,
    sort: "code",
    dir: "asc",
    page: 1,
    size: 20,
  });
});

test("page must be a positive whole number; size one of 20, 50, 100", () => {
  for (const page of ["-1", "0", "1.5", "abc", "1e9", "Infinity"]) {
    expect(parseHouseholdListParams(url(`?page=${page}`)).page, page).toBe(1);
  }
  expect(parseHouseholdListParams(url("?page=12")).page).toBe(12);
  expect(parseHouseholdListParams(url("?size=50")).size).toBe(50);
  for (const size of ["10", "1000", "0", "fifty"]) {
    expect(parseHouseholdListParams(url(`?size=${size}`)).size, size).toBe(20);
  }
});

test("the search is trimmed; blank is none; over 50 characters is ignored", () => {
  expect(parseHouseholdListParams(url("?q=%20%20%E7%8E%8B%E5%BB%BA%20")).q).toBe("王建");
  expect(parseHouseholdListParams(url("?q=%20%20")).q).toBeUndefined();
  expect(parseHouseholdListParams(url(`?q=${"a".repeat(51)}`)).q).toBeUndefined();
});

test("a repeated parameter uses its last value", () => {
  expect(parseHouseholdListParams(url("?status=lifted&status=registered")).status).toBe("registered");
});

test("digits (an X last) are the end of an ID number; anything else a name", () => {
  expect(parseSearch(undefined)).toBeNull();
  expect(parseSearch("1234")).toEqual({ kind: "idTail", tail: "1234" });
  expect(parseSearch("12345x")).toEqual({ kind: "idTail", tail: "12345X" });
  expect(parseSearch("230828197005170011")).toEqual({ kind: "idTail", tail: "230828197005170011" });
  expect(parseSearch("123")).toEqual({ kind: "name", text: "123" });
  expect(parseSearch("12X4")).toEqual({ kind: "name", text: "12X4" });
  expect(parseSearch("王建国")).toEqual({ kind: "name", text: "王建国" });
});

test("an ID tail becomes the indexed six-character keys that end with it", () => {
  expect(idTailKeys("123456")).toEqual(["123456"]);
  expect(idTailKeys("230828197005170011")).toEqual(["170011"]);
  const five = idTailKeys("2345X");
  expect(five).toHaveLength(10);
  expect(five[0]).toBe("02345X");
  expect(five.every((k) => k.length === 6 && k.endsWith("2345X"))).toBe(true);
  const four = idTailKeys("0011");
  expect(four).toHaveLength(100);
  expect(new Set(four).size).toBe(100);
  expect(four.at(-1)).toBe("990011");
});

test("the active filter count leaves out search, sort and paging", () => {
  expect(activeFilterCount(parseHouseholdListParams(url("?q=王&sort=head&page=3&size=50")))).toBe(0);
  expect(activeFilterCount(parseHouseholdListParams(url(`?village=${VILLAGE}&plan=none&cadre=none`)))).toBe(3);
});

test("a group or cadre the options no longer offer is dropped; 'no cadre' stays", () => {
  const options: HouseholdListFilterOptions = {
    villages: [{ value: VILLAGE, label: "村", township: "乡" }],
    groups: [],
    cadres: [],
    cadresNeedVillage: false,
    povertyStatuses: povertyStatus.enumValues,
    povertyCauses: [{ code: "illness", nameZh: "因病", nameEn: "Illness", retired: false }],
    planStatuses: planStatus.enumValues,
  };
  const params = parseHouseholdListParams(url(`?village=${VILLAGE}&group=${GROUP}&cadre=${CADRE}`));
  expect(reconcileHouseholdListParams(params, options)).toMatchObject({
    village: VILLAGE,
    group: undefined,
    cadre: undefined,
  });
  const none = parseHouseholdListParams(url("?cadre=none"));
  expect(reconcileHouseholdListParams(none, options).cadre).toBe("none");
  // a cadre's own list has no cadre filter at all
  expect(reconcileHouseholdListParams(none, { ...options, cadres: null }).cadre).toBeUndefined();
  // a village outside the options is dropped too
  const foreign = parseHouseholdListParams(url(`?village=${GROUP}`));
  expect(reconcileHouseholdListParams(foreign, options).village).toBeUndefined();
  // a cause is a code of the list: one the list does not have is dropped, one it has is kept
  expect(reconcileHouseholdListParams(parseHouseholdListParams(url("?cause=lazy")), options).cause).toBeUndefined();
  expect(reconcileHouseholdListParams(parseHouseholdListParams(url("?cause=illness")), options).cause).toBe("illness");
});
