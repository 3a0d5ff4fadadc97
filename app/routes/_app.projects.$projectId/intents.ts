// What the page's forms post: each form names its intent, the action switches on it. A post without one is
// an allocation, as the page's only form sent before reversals came.
export const INTENT = { allocate: "allocate", reverse: "reverse" } as const;
