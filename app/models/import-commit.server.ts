// Registry import, the commit: all households and members of a checked file, or nothing.
// - inside one transaction everything is checked again (the database may have changed since the dry run),
//   under a lock on the scope's villages;
// - households and members are inserted in batches (COPY on PostgreSQL, one json statement a batch on
//   PGlite), with one audit row per household and one for the import; then the tables are analysed.

import crypto from "node:crypto";
import { getTableColumns, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import { type Tx, queryRows } from "../../db/client";
import { copyClientOf, copyRows } from "../../db/copy";
import { households, members, type ImportSummary, auditLog } from "../../db/schema";
import { todayISO } from "~/utils/dates";
import { db } from "~/utils/db.server";
import { writeAudit } from "./audit.server";
import type { Scope } from "./scope.server";
import type { ParsedFile } from "./import-parse.server";
import { checkImport, pgTextArray, type CheckResult } from "./import-check.server";

/** Rows per INSERT: each batch is one statement with one json parameter (see db/seed.ts). */
export const INSERT_BATCH = 5000;

async function insertBatch(tx: Tx, table: PgTable, rows: Record<string, unknown>[]) {
  // COPY inside the same transaction: the server parses text lines instead of one big json value per
  // batch (measured on 100,000 persons: json_populate_recordset spent 0.4–1.8 s a batch on parsing alone)
  const copy = copyClientOf(tx);
  if (copy) return copyRows(copy, table, rows);
  const columns = getTableColumns(table) as Record<string, { name: string }>;
  const keys = Object.keys(rows[0]);
  const names = keys.map((k) => columns[k].name);
  const list = sql.join(
    names.map((n) => sql.identifier(n)),
    sql`, `,
  );
  const json = rows.map((row) => {
    const out: Record<string, unknown> = {};
    for (let j = 0; j < keys.length; j++) out[names[j]] = row[keys[j]] ?? null;
    return out;
  });
  await tx.execute(
    sql`insert into ${table} (${list}) select ${list} from json_populate_recordset(null::${table}, ${JSON.stringify(json)}::json)`,
  );
}

export class ImportRejected extends Error {
  constructor(public result: CheckResult) {
    super(`import rejected: ${result.errors.length} errors`);
  }
}

export type CommitProgress = (p: { phase: "validate" | "insert"; done: number; total: number }) => void | Promise<void>;

/**
 * Everything or nothing: inside one transaction, locks the scope's villages (which also orders household
 * numbering with the one-by-one form), checks every row again, then inserts households and members in
 * batches and writes one audit row. Throws ImportRejected (nothing written) if a row fails now.
 */
export async function commitImport({
  scope,
  parsed,
  jobId,
  fileName,
  today = todayISO(),
  onProgress,
}: {
  scope: Scope;
  parsed: ParsedFile;
  jobId: string;
  fileName: string;
  today?: string;
  onProgress?: CommitProgress;
}) {
  const d = await db();
  const total = parsed.rows.length;
  return d.transaction(async (tx) => {
    await onProgress?.({ phase: "validate", done: 0, total });
    const result = await checkImport(tx, scope, parsed, { lock: true });
    if (result.errors.length > 0) throw new ImportRejected(result);

    // household numbers continue each village's own sequence, as the form numbers them
    const codes = result.households.map((h) => h.village.code);
    const maxRows = await queryRows<{ prefix: string; n: number }>(
      tx,
      sql`select split_part(${households.code}, '-', 1) as prefix,
                 coalesce(max(substring(${households.code} from '-([0-9]+)$')::int), 0)::int as n
          from ${households}
          where split_part(${households.code}, '-', 1) = any(${pgTextArray([...new Set(codes)])}::text[])
          group by 1`,
    );
    const nextNumber = new Map(maxRows.map((r) => [r.prefix, Number(r.n)]));

    const householdRows: (typeof households.$inferInsert)[] = [];
    const memberRows: (typeof members.$inferInsert)[] = [];
    for (const h of result.households) {
      const n = (nextNumber.get(h.village.code) ?? 0) + 1;
      nextNumber.set(h.village.code, n);
      const id = crypto.randomUUID();
      const head = h.members[0];
      householdRows.push({
        id,
        countyId: h.village.countyId,
        townshipId: h.village.townshipId,
        villageId: h.village.id,
        groupId: h.groupId,
        code: `${h.village.code}-${String(n).padStart(4, "0")}`,
        headName: head.name,
        address: h.address,
        phone: head.phone,
        povertyStatus: h.povertyStatus,
        povertyCause: h.povertyCause,
        courtyardArea: h.courtyardArea,
        registeredOn: today,
      });
      for (const m of h.members)
        memberRows.push({ id: crypto.randomUUID(), countyId: h.village.countyId, householdId: id, ...m });
    }

    let done = 0;
    await onProgress?.({ phase: "insert", done, total });
    for (let i = 0; i < householdRows.length; i += INSERT_BATCH) {
      await insertBatch(tx, households, householdRows.slice(i, i + INSERT_BATCH));
    }
    for (let i = 0; i < memberRows.length; i += INSERT_BATCH) {
      const batch = memberRows.slice(i, i + INSERT_BATCH);
      await insertBatch(tx, members, batch);
      done += batch.length;
      await onProgress?.({ phase: "insert", done, total });
    }
    // each household's own history starts with its import (domain rule 5: who, when, what)
    const membersOf = new Map<string, (typeof members.$inferInsert)[]>();
    for (const m of memberRows) {
      const list = membersOf.get(m.householdId) ?? [];
      list.push(m);
      membersOf.set(m.householdId, list);
    }
    const auditRows = householdRows.map((h) => ({
      countyId: h.countyId,
      userId: scope.userId,
      action: "household.import",
      entity: "household",
      entityId: h.id,
      householdId: h.id,
      after: { ...h, importJobId: jobId, fileName, members: membersOf.get(h.id!) ?? [] },
    }));
    for (let i = 0; i < auditRows.length; i += INSERT_BATCH) {
      await insertBatch(tx, auditLog, auditRows.slice(i, i + INSERT_BATCH));
    }
    const summary: ImportSummary = { ...result.summary, households: householdRows.length, members: memberRows.length };
    await writeAudit(tx, {
      countyId: scope.countyId,
      userId: scope.userId,
      action: "import.commit",
      entity: "import",
      entityId: jobId,
      after: { fileName, ...summary, villages: [...new Set(result.households.map((h) => h.village.name))] },
    });
    return summary;
  });
}
