// What the page's forms post: each form names its intent, the action switches on it.
import { z } from "zod";
import { DeliverySchema } from "~/schemas/orders";

export const INTENT = {
  status: "status",
  allocate: "allocate",
  deliver: "deliver",
  pay: "pay",
  correct: "correct",
  reversePayment: "reverse-payment",
  changeAllocation: "change-allocation",
  terms: "terms",
} as const;

/** A delivery is posted for one allocation (one household's share of the order). */
export const DeliveryFormSchema = z.intersection(
  z.object({ allocationId: z.string({ error: "field.required" }).uuid("field.choice") }),
  DeliverySchema,
);
