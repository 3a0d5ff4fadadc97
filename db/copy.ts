// COPY … FROM STDIN on PostgreSQL: the bulk path of the seed and of the registry import's commit.
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { getTableColumns, getTableName } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { DbOrTx } from "./client";

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * The same rows through COPY … FROM STDIN on a postgres.js connection (the bulk load on PostgreSQL): text
 * format, one line a row, several times faster than json_populate_recordset for the server. Values are
 * written as the json path gives them to PostgreSQL: dates as ISO strings, json columns as JSON.
 */
export async function copyRows(client: CopyClient, table: PgTable, rows: Record<string, unknown>[]) {
  if (rows.length === 0) return;
  const columns = getTableColumns(table) as Record<string, { name: string }>;
  const keys = keysOf(rows);
  const names = keys.map((k) => {
    if (!columns[k]) throw new Error(`copy: ${getTableName(table)} has no column ${k}`);
    return quoteIdent(columns[k].name);
  });
  const stream = await client
    .unsafe(`copy ${quoteIdent(getTableName(table))} (${names.join(", ")}) from stdin`)
    .writable();
  function* lines() {
    let buffer = "";
    for (const row of rows) {
      for (let j = 0; j < keys.length; j++) {
        if (j > 0) buffer += "\t";
        buffer += copyText(row[keys[j]]);
      }
      buffer += "\n";
      if (buffer.length > 256 * 1024) {
        yield buffer;
        buffer = "";
      }
    }
    if (buffer) yield buffer;
  }
  await pipeline(Readable.from(lines()), stream);
}
/** Every key some row sets, in first-seen order. */
export function keysOf(rows: Record<string, unknown>[]): string[] {
  const keys = new Set<string>();
  for (const row of rows) for (const key in row) keys.add(key);
  return [...keys];
}
export type CopyClient = { unsafe(query: string): { writable(): Promise<NodeJS.WritableStream> } };

function copyText(value: unknown): string {
  if (value === null || value === undefined) return "\\N";
  let text: string;
  if (typeof value === "string") text = value;
  else if (typeof value === "number" || typeof value === "bigint") return String(value);
  else if (typeof value === "boolean") return value ? "t" : "f";
  else if (value instanceof Date) return value.toISOString();
  else text = JSON.stringify(value);
  return /[\\\n\r\t]/.test(text) ? text.replace(/[\\\n\r\t]/g, (c) => COPY_ESCAPES[c]) : text;
}
const COPY_ESCAPES: Record<string, string> = { "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** The postgres.js connection under a drizzle transaction, or null on PGlite (which keeps the json path). */
export function copyClientOf(tx: DbOrTx): CopyClient | null {
  const client = (tx as unknown as { session?: { client?: Partial<CopyClient> & { begin?: unknown } } }).session
    ?.client;
  return client && typeof client.unsafe === "function" && !("query" in client) ? (client as CopyClient) : null;
}
