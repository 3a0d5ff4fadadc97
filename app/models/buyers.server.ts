// Buyers (农商企业) of the county, who sign purchase orders with cooperatives:
// - a buyer's unified social credit code is unique and passes its check character, even when the caller
//   skipped the form;
// - every write leaves an audit row in the same transaction.
// Buyers belong to the county: clerks, officials and admins read the county's; clerks and officials
// register them.

import { asc, eq } from "drizzle-orm";
import { buyers } from "../../db/schema";
import type { BuyerInput } from "~/schemas/orders";
import { parseCreditCode } from "~/utils/credit-code";
import { db } from "~/utils/db.server";
import { writeAudit } from "./audit.server";
import { ValidationError, isUniqueViolation } from "./errors.server";
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
  return d.select().from(buyers).where(eq(buyers.countyId, scope.countyId)).orderBy(asc(buyers.name));
}
