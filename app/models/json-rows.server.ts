// Lists read inside another statement: a page's record and the short lists beside it come back in one
// round trip, each list as a JSON array. On the county's busy server a round trip costs more than the
// small queries it carries (docs/decisions/045-fast-pages.md).
import { sql, type SQL, type SQLWrapper } from "drizzle-orm";

/**
 * Select fields renamed for `jsonRows`: each becomes the key of the same name. JSON has no dates: a
 * timestamp arrives as its text, a date as `YYYY-MM-DD` (as drizzle reads a date column in string mode).
 */
export function named<T extends Record<string, SQLWrapper>>(fields: T) {
  return Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, sql`${value}`.as(key)])) as {
    [K in keyof T]: SQL.Aliased<unknown>;
  };
}

/**
 * A query's rows as one JSON array (empty when none) in `order` (keys of `named` fields, written `t."key"`).
 * Its table references must be qualified: drizzle leaves them bare in a one-table select, where they would
 * name the subquery's own table.
 */
export function jsonRows(query: SQLWrapper, order?: SQL): SQL {
  return sql`(select coalesce(json_agg(t${order ? sql` order by ${order}` : sql``}), '[]'::json) from (${query}) t)`;
}
