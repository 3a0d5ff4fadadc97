// What the page's forms post: each names its intent, the action switches on it.

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
