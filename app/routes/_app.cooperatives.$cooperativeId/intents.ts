// What the page's forms post: each names its intent, the action switches on it.
import { z } from "zod";
import { LeaveSchema } from "~/schemas/orders";

export const INTENT = {
  broker: "broker",
  brokerUpdate: "broker-update",
  brokerRetire: "broker-retire",
  join: "join",
  leave: "leave",
  request: "request",
  withdraw: "withdraw",
  confirm: "confirm",
  decline: "decline",
} as const;

/** A leave is posted for one membership of the list. */
export const LeaveFormSchema = LeaveSchema.extend({ membershipId: z.string().uuid("field.choice") });
