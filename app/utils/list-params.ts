// The list-page kit's URL half (decision 025): one description of a list's filters, sortable columns and
// page sizes gives both the parser of its URL and the writer of its links. Plain module: the loader parses
// with it, the page's links, pager, sort headers and export links are written with it.
//
// Parsing never throws: a list URL is hand-edited, bookmarked and pasted into chat apps, so anything that
// does not parse means "no filter" or the default, never a 400 or a 500. Control characters go first, as
// for every submitted string (PostgreSQL refuses NUL).
import { z } from "zod";
import { stripControl } from "./text";

export type SortDir = "asc" | "desc";
export const SORT_DIRS = ["asc", "desc"] as const;

/** The page sizes every list offers unless it says otherwise. */
export const PAGE_SIZES = [20, 50, 100] as const;

/** Deep enough for a county's registry (100,000 rows at 20 a page), small enough to stay a safe integer offset. */
const MAX_PAGE = 1_000_000;

type FilterShape = Record<string, z.ZodType>;

type SortDef<S extends string> = {
  /** the column ids a user may sort by; nothing else reaches a model's ORDER BY */
  keys: readonly [S, ...S[]];
  default: NoInfer<S>;
  /** the direction of the default sort, and of a URL that names none */
  dir: SortDir;
};

export type ListDefinition<F extends FilterShape, S extends string> = {
  /** each filter's schema; the kit makes each optional and turns anything it refuses into "no filter" */
  filters: F;
  /** no `sort`: the list has one fixed order and no sort parameters */
  sort?: SortDef<S>;
  /** page sizes offered, first one the default unless `size` says otherwise */
  sizes?: readonly [number, ...number[]];
  size?: number;
};

// optional keys: the loader's JSON drops an undefined filter, and the page hands the parameters back to the kit
export type FilterValues<F extends FilterShape> = { [K in keyof F]?: z.output<F[K]> | undefined };
type SortPart<S extends string> = [S] extends [never] ? object : { sort: S; dir: SortDir };
export type ListParamsOf<F extends FilterShape, S extends string> = FilterValues<F> &
  SortPart<S> & { page: number; size: number };

type Value = string | number | boolean | null | undefined;

export type ListParamsKit<F extends FilterShape, S extends string> = {
  /** parses a plain object of strings (already cleaned); the fields' shapes as written */
  schema: z.ZodType<ListParamsOf<F, S>>;
  filterKeys: (keyof F & string)[];
  sortKeys: readonly S[];
  sizes: readonly number[];
  defaults: ListParamsOf<F, S>;
  /** The list's parameters from a URL, its query, or form fields. Never throws. */
  parse(input: URL | URLSearchParams | Iterable<[string, FormDataEntryValue]>): ListParamsOf<F, S>;
  /** The parameters (with some changed) as a query, defaults left out so that links stay short and stable. */
  query(params: ListParamsOf<F, S>, changes?: Partial<Record<keyof ListParamsOf<F, S>, Value>>): URLSearchParams;
  /** `?…` of `query`; `?` alone when everything is at its default (a link to the list's plain URL). */
  search(params: ListParamsOf<F, S>, changes?: Partial<Record<keyof ListParamsOf<F, S>, Value>>): string;
  /** The filters that narrow the list and are set (not sort, page or size), for "filters (2)". */
  activeFilters(params: ListParamsOf<F, S>, keys?: (keyof F & string)[]): number;
};

/** Builds a list's parameters: parser, defaults and link writer from one description. */
export function listParams<F extends FilterShape, S extends string = never>(
  def: ListDefinition<F, S>,
): ListParamsKit<F, S> {
  const sizes = def.sizes ?? PAGE_SIZES;
  const defaultSize = def.size ?? sizes[0];
  if (!sizes.includes(defaultSize)) throw new Error(`default page size ${defaultSize} is not offered`);
  const sort = def.sort;
  if (sort && !sort.keys.includes(sort.default)) throw new Error(`default sort ${sort.default} is not a sort key`);

  const shape: Record<string, z.ZodType> = {};
  for (const [key, schema] of Object.entries(def.filters)) shape[key] = schema.optional().catch(undefined);
  if (sort) {
    shape.sort = z.enum(sort.keys as [S, ...S[]]).catch(sort.default);
    shape.dir = z.enum(SORT_DIRS).catch(sort.dir);
  }
  shape.page = z.coerce.number().int().min(1).max(MAX_PAGE).catch(1);
  shape.size = z.coerce
    .number()
    .refine((n) => sizes.includes(n))
    .catch(defaultSize);
  const schema = z.object(shape) as unknown as z.ZodType<ListParamsOf<F, S>>;
  const defaults = schema.parse({});
  const filterKeys = Object.keys(def.filters) as (keyof F & string)[];

  function parse(input: URL | URLSearchParams | Iterable<[string, FormDataEntryValue]>) {
    const entries = input instanceof URL ? input.searchParams : input;
    const plain: Record<string, string> = {};
    // a repeated parameter counts once, its last value: what a form with a duplicated field sends last wins
    for (const [key, value] of entries) if (typeof value === "string") plain[stripControl(key)] = stripControl(value);
    return schema.parse(plain);
  }

  function query(params: ListParamsOf<F, S>, changes: Partial<Record<string, Value>> = {}) {
    const merged: Record<string, unknown> = { ...params, ...changes };
    const out = new URLSearchParams();
    for (const key of filterKeys) {
      const value = merged[key];
      if (value !== undefined && value !== null && value !== "") out.set(key, String(value));
    }
    if (sort) {
      if (merged.sort !== sort.default && merged.sort) out.set("sort", String(merged.sort));
      if (merged.dir !== sort.dir && merged.dir) out.set("dir", String(merged.dir));
    }
    if (merged.page && Number(merged.page) !== 1) out.set("page", String(merged.page));
    if (merged.size && Number(merged.size) !== defaultSize) out.set("size", String(merged.size));
    return out;
  }

  return {
    schema,
    filterKeys,
    sortKeys: sort?.keys ?? [],
    sizes,
    defaults,
    parse,
    query,
    search(params, changes) {
      const s = query(params, changes).toString();
      return s ? `?${s}` : "?";
    },
    activeFilters(params, keys = filterKeys) {
      const values = params as Record<string, unknown>;
      return keys.filter((k) => values[k] !== undefined && values[k] !== null && values[k] !== "").length;
    },
  };
}

/** The table state a page needs from its loader: one page of rows, where it lies, and the parameters. */
export type ListPage<Row> = {
  rows: Row[];
  total: number;
  /** the page shown: a page past the end shows the last page */
  page: number;
  pageSize: number;
  pageCount: number;
};

/** Where `page` of `size` lies in `total` rows; a page past the end is the last page. */
export function pageOf(total: number, page: number, size: number) {
  const pageCount = Math.max(1, Math.ceil(total / size));
  const shown = Math.min(Math.max(1, page), pageCount);
  return { total, page: shown, pageSize: size, pageCount, offset: (shown - 1) * size };
}
