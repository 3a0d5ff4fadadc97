// The list kit's parameters: a URL parses to the list's parameters and back to the same URL; junk in any
// parameter falls back to its default and never throws.
import { expect, test } from "vitest";
import { z } from "zod";
import { listParams, pageOf } from "~/utils/list-params";

const VILLAGE = "0b6c6f1e-3a52-4f0e-9d55-6f1f1b1a0c01";

const list = listParams({
  filters: {
    q: z
      .string()
      .trim()
      .max(20)
      .transform((s) => s || undefined),
    village: z.guid(),
    status: z.enum(["open", "closed"]),
  },
  sort: { keys: ["code", "name", "due"], default: "code", dir: "asc" },
  sizes: [20, 50, 100],
});

const unsorted = listParams({ filters: { status: z.enum(["a", "b"]) }, sizes: [10, 50], size: 50 });

const parse = (search: string) => list.parse(new URL(`http://localhost/x${search}`));

test("no parameters: the defaults", () => {
  expect(parse("")).toEqual({
    q: undefined,
    village: undefined,
    status: undefined,
    sort: "code",
    dir: "asc",
    page: 1,
    size: 20,
  });
  expect(list.defaults).toEqual(parse(""));
  expect(unsorted.defaults).toEqual({ status: undefined, page: 1, size: 50 });
});

test("parse → search → parse is the same parameters, and the URL written is the one read", () => {
  const search = `?q=%E7%8E%8B&village=${VILLAGE}&status=closed&sort=due&dir=desc&page=3&size=50`;
  const params = parse(search);
  expect(params).toEqual({ q: "王", village: VILLAGE, status: "closed", sort: "due", dir: "desc", page: 3, size: 50 });
  expect(list.search(params)).toBe(search);
  expect(parse(list.search(params))).toEqual(params);
  expect(unsorted.parse(new URLSearchParams(unsorted.search({ status: "b", page: 2, size: 10 })))).toEqual({
    status: "b",
    page: 2,
    size: 10,
  });
});

test("defaults stay out of the links; changes apply; null removes", () => {
  expect(list.search(list.defaults)).toBe("?");
  const params = parse(`?status=open&sort=name&page=4`);
  expect(list.search(params)).toBe("?status=open&sort=name&page=4");
  expect(list.search(params, { page: null })).toBe("?status=open&sort=name");
  expect(list.search(params, { sort: "code", dir: "desc", page: 1 })).toBe("?status=open&dir=desc");
  expect(list.search(params, { status: null, size: 100 })).toBe("?sort=name&page=4&size=100");
  expect(list.query(params, { page: null }).get("sort")).toBe("name");
});

test("junk in every parameter falls back to its default, never throws", () => {
  const junk = [
    "?q=" + "x".repeat(21),
    "?village=not-a-uuid",
    "?village=%00%01",
    "?status=lost",
    "?sort=drop%20table",
    "?sort=__proto__",
    "?dir=sideways",
    "?page=0",
    "?page=-3",
    "?page=1e309",
    "?page=2.5",
    "?page=abc",
    "?page=99999999999",
    "?size=7",
    "?size=",
    "?size=20abc",
    "?%00=%00",
    "?constructor=1&toString=2",
  ];
  for (const search of junk) expect(parse(search), search).toEqual(list.defaults);
});

test("control characters are stripped before parsing; a repeated parameter's last value counts", () => {
  expect(parse("?q=%00%E7%8E%8B%1F%7F").q).toBe("王");
  expect(parse("?status=open%00").status).toBe("open");
  expect(parse("?status=closed&status=open").status).toBe("open");
  // form fields parse the same way as a query
  const form = new FormData();
  form.set("q", " 李 ");
  form.set("size", "100");
  expect(list.parse(form)).toMatchObject({ q: "李", size: 100 });
});

test("a list without sorting has no sort parameters, in or out", () => {
  const params = unsorted.parse(new URLSearchParams("?sort=a&dir=desc&status=a"));
  expect(params).toEqual({ status: "a", page: 1, size: 50 });
  expect(unsorted.search(params)).toBe("?status=a");
});

test("active filters count the set filters only", () => {
  expect(list.activeFilters(parse("?q=x&sort=name&page=3"))).toBe(1);
  expect(list.activeFilters(parse(`?village=${VILLAGE}&status=open`))).toBe(2);
  expect(list.activeFilters(parse(`?q=x&status=open`), ["village", "status"])).toBe(1);
});

test("a definition that offers no default is a programming error, found at start", () => {
  expect(() => listParams({ filters: {}, sizes: [20], size: 30 })).toThrow();
  expect(() => listParams({ filters: {}, sort: { keys: ["a"], default: "b" as "a", dir: "asc" } })).toThrow();
});

test("pageOf: a page past the end is the last page", () => {
  expect(pageOf(0, 1, 20)).toEqual({ total: 0, page: 1, pageSize: 20, pageCount: 1, offset: 0 });
  expect(pageOf(41, 9, 20)).toEqual({ total: 41, page: 3, pageSize: 20, pageCount: 3, offset: 40 });
  expect(pageOf(41, 2, 20).offset).toBe(20);
});
