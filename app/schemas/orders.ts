// Cooperatives, buyers, purchase orders, allocations and deliveries (合作社 · 农商企业 · 订单 · 交售):
// one schema per form, shared by the browser (Conform) and the model layer.
import { z } from "zod";
import { parseCreditCode } from "~/utils/credit-code";
import { ChoiceSchema, DateSchema, KgSchema, ReasonSchema, VersionSchema, YuanAsFenSchema, message } from "./fields";
import { COOPERATIVE_KINDS, DELIVERY_GRADES, ORDER_STATUSES, type PaymentStatus } from "~/vocabulary";
import {
  DELIVERY_CORRECTION_MODES,
  DELIVERY_DAYS_AFTER_WINDOW,
  DELIVERY_DAYS_BEFORE_WINDOW,
  DELIVERY_PRICE_TOLERANCE_PERCENT,
  deliveryPriceDifference,
} from "./plain";

export {
  DELIVERY_CORRECTION_MODES,
  DELIVERY_DAYS_AFTER_WINDOW,
  DELIVERY_DAYS_BEFORE_WINDOW,
  DELIVERY_PRICE_TOLERANCE_PERCENT,
  deliveryPriceDifference,
};

const Text = (max: number) => z.string().trim().max(max, message("field.tooLong", { max }));
const Required = (max: number) => Text(max).min(1, "field.required");
const Optional = (max: number) =>
  Text(max)
    .optional()
    .transform((v) => (v ? v : null));

/** Kilograms that must be more than zero. */
export const PositiveKgSchema = KgSchema.refine((v) => v > 0, "field.positive");

/** A unified social credit code (GB 32100-2015): 18 characters, checksum; normalised to upper case. */
export const CreditCodeSchema = z
  .string({ error: "field.required" })
  .trim()
  .min(1, "field.required")
  .transform((v, ctx) => {
    const parsed = parseCreditCode(v);
    if (!parsed.ok) {
      ctx.addIssue({ code: "custom", message: `orders.error.creditCode.${parsed.reason}` });
      return z.NEVER;
    }
    return parsed.code;
  });

export const BuyerSchema = z.object({
  name: Required(100),
  creditCode: CreditCodeSchema,
  contactName: Optional(50),
  phone: Optional(30),
  address: Optional(200),
});
export type BuyerInput = z.output<typeof BuyerSchema>;
export const BuyerEditSchema = BuyerSchema.extend({ version: VersionSchema });

export const MembershipSchema = z.object({
  householdId: ChoiceSchema,
  joinedOn: DateSchema,
});
export type MembershipInput = z.output<typeof MembershipSchema>;

export const LeaveSchema = z.object({ leftOn: DateSchema });

/**
 * A clerk names the household to enrol by what the farmer hands over: the household code on its card, or a
 * member's 18-digit ID number (the model drops spaces and upper-cases the X).
 */
export const MembershipRequestSchema = z.object({
  identifier: z
    .string({ error: "field.required" })
    .trim()
    .min(1, "field.required")
    .max(40, message("field.tooLong", { max: 40 })),
  joinedOn: DateSchema,
});
export type MembershipRequestInput = z.output<typeof MembershipRequestSchema>;

/** Confirming or withdrawing a request names only the request. */
export const MembershipRequestIdSchema = z.object({ requestId: ChoiceSchema });

/** Declining one needs the reason the clerk will read. */
export const MembershipDeclineSchema = z.object({
  requestId: ChoiceSchema,
  reason: ReasonSchema(200, "membership.error.reasonRequired"),
});

/** A broker (经纪人) of a cooperative: a name and a phone number. */
/** A cooperative's own details: who runs it and where; the registration code is a credit code (GB 32100). */
export const CooperativeSchema = z.object({
  name: Required(100),
  kind: z.enum(COOPERATIVE_KINDS, { error: "field.choice" }),
  /** the administrator picks the township; an official's is their own */
  townshipId: z
    .string()
    .optional()
    .transform((v) => (v ? v : undefined))
    .pipe(ChoiceSchema.optional()),
  villageId: z
    .string()
    .optional()
    .transform((v) => (v ? v : undefined))
    .pipe(ChoiceSchema.optional()),
  registrationCode: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    .pipe(CreditCodeSchema.optional()),
  contactName: Optional(50),
  phone: Optional(30).refine((v) => v === null || /^[0-9+\- ]{5,20}$/.test(v), "field.phone"),
});
export type CooperativeInput = z.output<typeof CooperativeSchema>;
export const CooperativeEditSchema = CooperativeSchema.extend({ version: VersionSchema });

/** A broker's name and phone changed, or the broker retired: each at the version the page showed. */
export const BrokerEditSchema = z.object({
  brokerId: ChoiceSchema,
  version: VersionSchema,
  name: Required(50),
  phone: Optional(30).refine((v) => v === null || /^[0-9+\- ]{5,20}$/.test(v), "field.phone"),
});
export const BrokerRetireSchema = z.object({ brokerId: ChoiceSchema, version: VersionSchema });

export const BrokerSchema = z.object({
  name: Required(50),
  phone: Optional(30).refine((v) => v === null || /^[0-9+\- ]{5,20}$/.test(v), "field.phone"),
});
export type BrokerInput = z.output<typeof BrokerSchema>;

export const OrderSchema = z
  .object({
    buyerId: ChoiceSchema,
    cropCode: Required(40),
    quantityKg: PositiveKgSchema,
    /** typed in yuan per kilogram, carried as fen per kilogram */
    unitPriceFen: YuanAsFenSchema,
    season: Required(40),
    deliveryStart: DateSchema,
    deliveryEnd: DateSchema,
    status: z.enum(["draft", "signed"], { error: "field.choice" }).default("draft"),
    signedOn: DateSchema.optional(),
  })
  .superRefine((o, ctx) => {
    if (o.deliveryEnd < o.deliveryStart) {
      ctx.addIssue({ code: "custom", path: ["deliveryEnd"], message: "orders.error.windowOrder" });
    }
  });
export type OrderInput = z.output<typeof OrderSchema>;

export const OrderStatusSchema = z.object({
  status: z.enum(ORDER_STATUSES, { error: "field.choice" }),
  version: VersionSchema,
});

export const AllocationSchema = z.object({
  householdId: ChoiceSchema,
  quantityKg: PositiveKgSchema,
});
export type AllocationInput = z.output<typeof AllocationSchema>;

/** The payment status that fits what was paid against the amount. */
export function paymentStatusFor(paidFen: number, amountFen: number): PaymentStatus {
  if (paidFen <= 0) return "unpaid";
  return paidFen >= amountFen ? "paid" : "partial";
}

/** The amount of a delivery in fen: kilograms × price per kilogram, rounded to the fen. */
export const deliveryAmountFen = (quantityKg: number, unitPriceFen: number) => Math.round(quantityKg * unitPriceFen);

export const DeliverySchema = z
  .object({
    deliveredOn: DateSchema,
    quantityKg: PositiveKgSchema,
    grade: z.enum(DELIVERY_GRADES, { error: "field.choice" }).default("first"),
    /** price actually paid per kilogram, typed in yuan */
    unitPriceFen: YuanAsFenSchema,
    /** money received with the goods, typed in yuan: recorded as the delivery's first payment */
    paidFen: YuanAsFenSchema.default(0),
    paidOn: DateSchema.optional(),
  })
  .superRefine((d, ctx) => {
    for (const v of deliveryViolations(d)) ctx.addIssue({ code: "custom", path: [v.path], message: v.message });
  });
export type DeliveryInput = z.output<typeof DeliverySchema>;

/** Money received later for a delivery (货款到账): a payment of its own, added to what was paid before. */
export const PaymentSchema = z.object({
  deliveryId: ChoiceSchema,
  amountFen: YuanAsFenSchema.refine((v) => v > 0, "field.positive"),
  paidOn: DateSchema,
  note: Optional(200),
});
export type PaymentInput = z.output<typeof PaymentSchema>;

/** A payment recorded wrong is reversed (冲销) by a counter-entry with the reason (domain rule 9). */
export const PaymentReversalSchema = z.object({
  paymentId: ChoiceSchema,
  reason: ReasonSchema(200, "orders.error.correctionReason"),
});
export type PaymentReversalInput = z.output<typeof PaymentReversalSchema>;

/**
 * An allocation's kilograms changed after it was recorded, or withdrawn (0): the new quantity, at the version
 * the page showed, with the reason. Written as a change row with the difference (domain rule 9).
 */
export const AllocationChangeSchema = z.object({
  allocationId: ChoiceSchema,
  version: VersionSchema,
  quantityKg: KgSchema,
  reason: ReasonSchema(200, "orders.error.correctionReason"),
});
export type AllocationChangeInput = z.output<typeof AllocationChangeSchema>;

/** An order's terms, changed at the version the page showed while no delivery contradicts them. */
export const OrderTermsSchema = z
  .object({
    version: VersionSchema,
    quantityKg: PositiveKgSchema,
    unitPriceFen: YuanAsFenSchema,
    season: Required(40),
    deliveryStart: DateSchema,
    deliveryEnd: DateSchema,
  })
  .superRefine((o, ctx) => {
    if (o.deliveryEnd < o.deliveryStart) {
      ctx.addIssue({ code: "custom", path: ["deliveryEnd"], message: "orders.error.windowOrder" });
    }
  });
export type OrderTermsInput = z.output<typeof OrderTermsSchema>;

/**
 * Correcting a recorded delivery (domain rule 9): "reverse" writes its counter-entry only (recorded against
 * the wrong household, never delivered); "replace" writes the counter-entry and the right values as a new
 * delivery, in one go. Either way the reason is kept with the counter-entry.
 */
export const DeliveryCorrectionSchema = z
  .object({
    deliveryId: ChoiceSchema,
    mode: z.enum(DELIVERY_CORRECTION_MODES, { error: "field.choice" }).default("replace"),
    reason: ReasonSchema(200, "orders.error.correctionReason"),
    deliveredOn: DateSchema.optional(),
    quantityKg: PositiveKgSchema.optional(),
    grade: z.enum(DELIVERY_GRADES, { error: "field.choice" }).default("first"),
    unitPriceFen: YuanAsFenSchema.optional(),
  })
  .superRefine((c, ctx) => {
    if (c.mode !== "replace") return;
    for (const path of ["deliveredOn", "quantityKg", "unitPriceFen"] as const) {
      if (c[path] === undefined) ctx.addIssue({ code: "custom", path: [path], message: "field.required" });
    }
  });
export type DeliveryCorrectionInput = z.output<typeof DeliveryCorrectionSchema>;

/** Payment rules of a delivery, as field violations: used by the form schema and again by the model. */
export function deliveryViolations(d: {
  quantityKg: number;
  unitPriceFen: number;
  paidFen: number;
}): { path: string; message: string }[] {
  const amount = deliveryAmountFen(d.quantityKg, d.unitPriceFen);
  if (d.paidFen > amount) {
    return [{ path: "paidFen", message: message("orders.error.paidOverAmount", { amount: amount / 100 }) }];
  }
  return [];
}

// ---------- how far a delivery may stray from its contract (docs/decisions/015-delivery-tolerances.md) ----------
// The same numbers are in the deliveries_near_contract trigger (migration 0005_rule_functions).

const addDays = (isoDate: string, days: number) => {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};
const yuan = (fen: number) => (fen / 100).toFixed(2);

/** The lowest and highest price per kilogram (fen) a delivery against this contract price may carry. */
export function deliveryPriceRange(contractFen: number) {
  return {
    min: Math.ceil((contractFen * (100 - DELIVERY_PRICE_TOLERANCE_PERCENT)) / 100),
    max: Math.floor((contractFen * (100 + DELIVERY_PRICE_TOLERANCE_PERCENT)) / 100),
  };
}

/** Price and date of a delivery against its order, as field violations (used by the model). */
export function deliveryContractViolations(
  order: { unitPriceFen: number; deliveryStart: string; deliveryEnd: string },
  d: { unitPriceFen: number; deliveredOn: string },
): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  const { min, max } = deliveryPriceRange(order.unitPriceFen);
  if (d.unitPriceFen < min || d.unitPriceFen > max) {
    out.push({
      path: "unitPriceFen",
      message: message("orders.error.priceFarFromContract", {
        contract: yuan(order.unitPriceFen),
        percent: DELIVERY_PRICE_TOLERANCE_PERCENT,
        min: yuan(min),
        max: yuan(max),
      }),
    });
  }
  if (
    d.deliveredOn < addDays(order.deliveryStart, -DELIVERY_DAYS_BEFORE_WINDOW) ||
    d.deliveredOn > addDays(order.deliveryEnd, DELIVERY_DAYS_AFTER_WINDOW)
  ) {
    out.push({
      path: "deliveredOn",
      message: message("orders.error.dateOutsideWindow", {
        start: order.deliveryStart,
        end: order.deliveryEnd,
        before: DELIVERY_DAYS_BEFORE_WINDOW,
        after: DELIVERY_DAYS_AFTER_WINDOW,
      }),
    });
  }
  return out;
}

/** The order's fields and the cooperative that signs it (a clerk has one; an official picks one of the township). */
export const NewOrderSchema = z.intersection(
  z.object({ cooperativeId: z.string({ error: "field.required" }).uuid("field.choice") }),
  OrderSchema,
);

/** A delivery is posted for one allocation (one household's share of the order). */
export const DeliveryFormSchema = z.intersection(
  z.object({ allocationId: z.string({ error: "field.required" }).uuid("field.choice") }),
  DeliverySchema,
);

/** A leave is posted for one membership of the list. */
export const LeaveFormSchema = LeaveSchema.extend({ membershipId: z.string().uuid("field.choice") });
