// Buyers (农商企业) of the county, who sign purchase orders with cooperatives:
// - a buyer's unified social credit code is unique and passes its check character, even when the caller
//   skipped the form;
// - every write leaves an audit row in the same transaction.
// Buyers belong to the county: clerks, officials and admins read the county's; clerks and officials
// register them.

import { and, asc, desc, eq, ilike, ne, or, sql } from "drizzle-orm";
import { buyers } from "../../db/schema";
import type { BuyerInput } from "~/schemas/orders";
import { parseCreditCode } from "~/utils/credit-code";
import { db } from "~/utils/db.server";
import { pageOf } from "~/utils/list-params";
import type { BuyerListParams } from "~/utils/lists";
import { writeAudit } from "./audit.server";
import { ConflictError, NotFoundError, ValidationError, isUniqueViolation } from "./errors.server";
import { assertCan, type Scope } from "./scope.server";

/** A buyer (农商企业) of the county; the credit code is unique. Officials and clerks register buyers. */
export async function createBuyer({ scope, input }: { scope: Scope; input: BuyerInput }) {
  assertCan(scope, "buyer.write");
  // the form checks the code; a caller that skips the form must not store a code that fails its check character
  const parsed = parseCreditCode(input.creditCode);
  if (!parsed.ok) throw ValidationError.field("creditCode", `orders.error.creditCode.${parsed.reason}`);
  input = { ...input, creditCode: parsed.code };
  const d = await db();
  const duplicate = () => ValidationError.field("creditCode", "orders.error.creditCode.duplicate");
  try {
    return await d.transaction(async (tx) => {
      const [existing] = await tx.select({ id: buyers.id }).from(buyers).where(eq(buyers.creditCode, input.creditCode));
      if (existing) throw duplicate();
      const [row] = await tx
        .insert(buyers)
        .values({ ...input, countyId: scope.countyId })
        .returning();
      await writeAudit(tx, {
        countyId: scope.countyId,
        userId: scope.userId,
        action: "buyer.create",
        entity: "buyer",
        entityId: row.id,
        after: row,
      });
      return row;
    });
  } catch (error) {
    if (isUniqueViolation(error, "buyers_credit_code_uq")) throw duplicate();
    throw error;
  }
}

/** Buyers of the scope's county, by name. */
export async function listBuyers({ scope }: { scope: Scope }) {
  const d = await db();
  return d.select().from(buyers).where(eq(buyers.countyId, scope.countyId)).orderBy(asc(buyers.name), asc(buyers.id));
}

function escapeLike(text: string) {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * The buyers list: one page of the county's buyers by name, narrowed by part of a name or credit code.
 * `showing`: a buyer just registered; with no page asked, the page that holds it, so the new row is in view.
 */
export async function buyerList(scope: Scope, params: BuyerListParams, { showing }: { showing?: string | null } = {}) {
  const d = await db();
  const pattern = params.q ? `%${escapeLike(params.q)}%` : null;
  // a credit code is stored upper-case; a typed one may not be
  const where = and(
    eq(buyers.countyId, scope.countyId),
    pattern ? or(ilike(buyers.name, pattern), ilike(buyers.creditCode, pattern)) : undefined,
  );
  const dir = params.dir === "desc" ? desc : asc;
  // name, then id: two buyers of one name keep their places from page to page
  const order = [dir(buyers.name), dir(buyers.id)];
  return d.transaction(
    async (tx) => {
      const [{ total }] = await tx
        .select({ total: sql<number>`count(*)::int` })
        .from(buyers)
        .where(where);
      let asked = params.page;
      if (showing && asked === 1) {
        const ranked = tx
          .select({ id: buyers.id, n: sql<number>`row_number() over (order by ${sql.join(order, sql`, `)})`.as("n") })
          .from(buyers)
          .where(where)
          .as("ranked");
        const [hit] = await tx
          .select({ n: sql<number>`${ranked.n}::int` })
          .from(ranked)
          .where(sql`${ranked.id} = ${showing}`);
        if (hit) asked = Math.ceil(hit.n / params.size);
      }
      const { page, pageSize, pageCount, offset } = pageOf(total, asked, params.size);
      const rows = total
        ? await tx
            .select({
              id: buyers.id,
              name: buyers.name,
              creditCode: buyers.creditCode,
              contactName: buyers.contactName,
              phone: buyers.phone,
              address: buyers.address,
            })
            .from(buyers)
            .where(where)
            .orderBy(...order)
            .limit(pageSize)
            .offset(offset)
        : [];
      return { params: { ...params, page }, rows, total, page, pageSize, pageCount };
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}

/** One buyer of the scope's county, for its edit page; null when not there or of another county. */
export async function getBuyer({ scope, id }: { scope: Scope; id: string }) {
  assertCan(scope, "buyer.read");
  const d = await db();
  const [row] = await d
    .select()
    .from(buyers)
    .where(and(eq(buyers.id, id), eq(buyers.countyId, scope.countyId)));
  return row ?? null;
}

/** A buyer's details corrected at the version the page showed; the credit code checked again and unique. */
export async function updateBuyer({
  scope,
  id,
  version,
  input,
}: {
  scope: Scope;
  id: string;
  version: number;
  input: BuyerInput;
}) {
  assertCan(scope, "buyer.write");
  const parsed = parseCreditCode(input.creditCode);
  if (!parsed.ok) throw ValidationError.field("creditCode", `orders.error.creditCode.${parsed.reason}`);
  const d = await db();
  const duplicate = () => ValidationError.field("creditCode", "orders.error.creditCode.duplicate");
  try {
    return await d.transaction(async (tx) => {
      const [before] = await tx
        .select()
        .from(buyers)
        .where(and(eq(buyers.id, id), eq(buyers.countyId, scope.countyId)))
        .for("update");
      if (!before) throw new NotFoundError("buyer");
      if (before.version !== version) throw new ConflictError("buyer");
      const [other] = await tx
        .select({ id: buyers.id })
        .from(buyers)
        .where(and(eq(buyers.creditCode, parsed.code), ne(buyers.id, id)));
      if (other) throw duplicate();
      const [after] = await tx
        .update(buyers)
        .set({ ...input, creditCode: parsed.code, version: sql`${buyers.version} + 1` })
        .where(and(eq(buyers.id, id), eq(buyers.version, version)))
        .returning();
      if (!after) throw new ConflictError("buyer");
      await writeAudit(tx, {
        countyId: before.countyId,
        userId: scope.userId,
        action: "buyer.update",
        entity: "buyer",
        entityId: id,
        before,
        after,
      });
      return after;
    });
  } catch (error) {
    if (isUniqueViolation(error, "buyers_credit_code_uq")) throw duplicate();
    throw error;
  }
}
