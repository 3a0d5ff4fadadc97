import type { orders as zh } from "../zh-CN/orders";

export const orders: Record<keyof typeof zh, string> = {
  "orders.error.creditCode.length": "A unified social credit code has 18 characters",
  "orders.error.creditCode.format":
    "The credit code has characters that are not allowed (no I, O, S, V, Z); characters 3-8 are the area code",
  "orders.error.creditCode.checksum": "The credit code's check character is wrong; please check it",
  "orders.error.creditCode.duplicate": "A buyer with this credit code is already registered",
  "orders.error.windowOrder": "The delivery window cannot end before it starts",
  "orders.error.unknownBuyer": "Choose a registered buyer",
  "orders.error.unknownCrop": "Choose a crop",
  "orders.error.transition": "The order cannot go from “{from}” to “{to}”",
  "orders.error.cancelDelivered": "The order has deliveries and cannot be cancelled",
  "orders.error.alreadyMember": "The household is already a member of this cooperative",
  "orders.error.alreadyLeft": "The household has already left",
  "orders.error.leftBeforeJoined": "The leaving date cannot be before the joining date ({joinedOn})",
  "orders.error.notMember": "The household is not a current member of this cooperative and cannot get a share of the order",
  "orders.error.alreadyAllocated": "The household already has a share of this order",
  "orders.error.overQuantity": "More than the order has left: {remaining} kg can still be allocated",
  "orders.error.orderClosed": "The order is “{status}” and cannot be allocated",
  "orders.error.cannotDeliver": "The order is “{status}”; deliveries cannot be recorded",
  "orders.error.overDelivery":
    "More than 10 % beyond the allocation: allocated {allocated} kg, delivered {delivered} kg, at most {allowed} kg now",
  "orders.error.paidOverAmount": "Paid cannot exceed the amount of {amount} yuan",
  "orders.error.paymentStatus.unpaid": "Nothing is paid: the payment status should be “unpaid”",
  "orders.error.paymentStatus.partial": "Part is paid: the payment status should be “partial”",
  "orders.error.paymentStatus.paid": "All is paid: the payment status should be “paid”",
};
