// The list-page kit's URL half (decision 025): one description of a list's filters, sortable columns and
// page sizes gives both the parser of its URL and the writer of its links (app/utils/list-links.ts). The
// loader and the model parse with it; a page writes its links with the link half alone, without zod.
//
// Parsing never throws: a list URL is hand-edited, bookmarked and pasted into chat apps, so anything that
// does not parse means "no filter" or the default, never a 400 or a 500. Control characters go first, as
// for every submitted string (PostgreSQL refuses NUL).
import { z } from "zod";
import { stripControl } from "./text";
import { listLinks, type ListLinks, type SortDef, type SortDir, SORT_DIRS, PAGE_SIZES } from "./list-links";

export { PAGE_SIZES, SORT_DIRS, type SortDir };

/** Deep enough for a county's registry (100,000 rows at 20 a page), small enough to stay a safe integer offset. */
const MAX_PAGE = 1_000_000;

type FilterShape = Record<string, z.ZodType>;

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

export type ListParamsKit<F extends FilterShape, S extends string> = ListLinks<ListParamsOf<F, S>> & {
  /** parses a plain object of strings (already cleaned); the fields' shapes as written */
  schema: z.ZodType<ListParamsOf<F, S>>;
  filterKeys: (keyof F & string)[];
  sortKeys: readonly S[];
  /** The list's parameters from a URL, its query, or form fields. Never throws. */
  parse(input: URL | URLSearchParams | Iterable<[string, FormDataEntryValue]>): ListParamsOf<F, S>;
};

/** Builds a list's parameters: parser, defaults and link writer from one description. */
export function listParams<F extends FilterShape, S extends string = never>(
  def: ListDefinition<F, S>,
): ListParamsKit<F, S> {
  const filterKeys = Object.keys(def.filters) as (keyof F & string)[];
  const links = listLinks<ListParamsOf<F, S>, keyof F & string, S>({ ...def, filters: filterKeys });
  const sizes = links.sizes;
  const defaultSize = links.defaults.size;
  const sort = def.sort;

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

  function parse(input: URL | URLSearchParams | Iterable<[string, FormDataEntryValue]>) {
    const entries = input instanceof URL ? input.searchParams : input;
    const plain: Record<string, string> = {};
    // a repeated parameter counts once, its last value: what a form with a duplicated field sends last wins
    for (const [key, value] of entries) if (typeof value === "string") plain[stripControl(key)] = stripControl(value);
    return schema.parse(plain);
  }

  return { ...links, schema, filterKeys, sortKeys: sort?.keys ?? [], defaults: schema.parse({}), parse };
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
