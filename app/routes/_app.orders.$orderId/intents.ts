// What the page's forms post: each form names its intent, the action switches on it.

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
