// The list-page kit's link half (decision 025): from a list's filter names, sort and page sizes, the writer
// of its links, pager and sort headers. Plain module with no zod, so a page writes its links in the browser
// without the parser; app/utils/list-params.ts builds the parser on the same description.

export type SortDir = "asc" | "desc";
export const SORT_DIRS = ["asc", "desc"] as const;

/** The page sizes every list offers unless it says otherwise. */
export const PAGE_SIZES = [20, 50, 100] as const;

export type SortDef<S extends string> = {
  /** the column ids a user may sort by; nothing else reaches a model's ORDER BY */
  keys: readonly [S, ...S[]];
  default: NoInfer<S>;
  /** the direction of the default sort, and of a URL that names none */
  dir: SortDir;
};

export type LinkDefinition<K extends string, S extends string> = {
  filters: readonly K[];
  /** no `sort`: the list has one fixed order and no sort parameters */
  sort?: SortDef<S>;
  /** page sizes offered, first one the default unless `size` says otherwise */
  sizes?: readonly [number, ...number[]];
  size?: number;
};

type Value = string | number | boolean | null | undefined;

export type ListLinks<P> = {
  filterKeys: string[];
  sortKeys: readonly string[];
  sizes: readonly number[];
  defaults: P;
  /** The parameters (with some changed) as a query, defaults left out so that links stay short and stable. */
  query(params: P, changes?: Partial<Record<keyof P, Value>>): URLSearchParams;
  /** `?…` of `query`; `?` alone when everything is at its default (a link to the list's plain URL). */
  search(params: P, changes?: Partial<Record<keyof P, Value>>): string;
  /** The filters that narrow the list and are set (not sort, page or size), for "filters (2)". */
  activeFilters(params: P, keys?: (keyof P & string)[]): number;
};

/** Builds a list's link writer from its description; `P` is the parameters its parser gives. */
export function listLinks<P, K extends string = string, S extends string = string>(
  def: LinkDefinition<K, S>,
): ListLinks<P> {
  const sizes = def.sizes ?? PAGE_SIZES;
  const defaultSize = def.size ?? sizes[0];
  if (!sizes.includes(defaultSize)) throw new Error(`default page size ${defaultSize} is not offered`);
  const sort = def.sort;
  if (sort && !sort.keys.includes(sort.default)) throw new Error(`default sort ${sort.default} is not a sort key`);
  const filterKeys: string[] = [...def.filters];

  function query(params: P, changes: Partial<Record<keyof P, Value>> = {}) {
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
    filterKeys,
    sortKeys: sort?.keys ?? [],
    sizes,
    defaults: { ...(sort ? { sort: sort.default, dir: sort.dir } : {}), page: 1, size: defaultSize } as P,
    query,
    search(params, changes) {
      const s = query(params, changes).toString();
      return s ? `?${s}` : "?";
    },
    activeFilters(params, keys = filterKeys as (keyof P & string)[]) {
      const values = params as Record<string, unknown>;
      return keys.filter((k) => values[k] !== undefined && values[k] !== null && values[k] !== "").length;
    },
  };
}
