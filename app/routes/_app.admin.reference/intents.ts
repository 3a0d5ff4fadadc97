// What the page's forms post: each names its intent, the action switches on it.
export const INTENT = {
  add: "add",
  rename: "rename",
  retire: "retire",
  restore: "restore",
  calendar: "calendar",
} as const;
