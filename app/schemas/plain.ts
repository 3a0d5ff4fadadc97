// What the pages show or post beside the forms' schemas: limits, intents and small rules, as plain values.
// No zod here, so a page can use them without the schemas travelling to the browser; the schema modules
// import them from here and pass them on.

/** A message key with values for its placeholders: "key|{json}" (see ErrorList). */
export function message(key: string, vars?: Record<string, string | number>) {
  return vars ? `${key}|${JSON.stringify(vars)}` : key;
}

// ---------- a progress check's photos ----------

export const PHOTO_TYPES = ["image/jpeg", "image/png", "image/webp"] as const;
export const MAX_PHOTO_BYTES = 8 * 1024 * 1024;
export const MAX_PHOTOS = 6;

// ---------- plans ----------

/** The steps taken on an open amendment from the plan's page. */
export const AMENDMENT_INTENTS = {
  approve: "amendment-approve",
  return: "amendment-return",
  withdraw: "amendment-withdraw",
} as const;

// ---------- orders ----------

/** How a recorded delivery is corrected: replaced by the right values, or reversed only. */
export const DELIVERY_CORRECTION_MODES = ["replace", "reverse"] as const;

// how far a delivery may stray from its contract (docs/decisions/015-delivery-tolerances.md); the same
// numbers are in the deliveries_near_contract trigger (migration 0005_rule_functions)
/** A delivery's price may differ from the contract price by at most this percentage, either way. */
export const DELIVERY_PRICE_TOLERANCE_PERCENT = 30;
/** A delivery may come this many days before the delivery window opens (an early harvest). */
export const DELIVERY_DAYS_BEFORE_WINDOW = 7;
/** …and this many days after it closes (a late harvest, a truck that did not come). */
export const DELIVERY_DAYS_AFTER_WINDOW = 15;

/** How a delivery's price differs from the contract price, for the order page; null when it does not. */
export function deliveryPriceDifference(contractFen: number, deliveryFen: number) {
  const diffFen = deliveryFen - contractFen;
  if (diffFen === 0) return null;
  return {
    diffFen,
    percent: contractFen > 0 ? Math.round((Math.abs(diffFen) * 1000) / contractFen) / 10 : null,
  };
}

// ---------- the registry import ----------

export const INTENT_COMMIT = "commit";

// ---------- settings ----------

/** Each value's unit and range, in the order the page shows them. */
export const SETTING_RULES = {
  "check.intervalDays": { unit: "days", min: 1, max: 366 },
  "check.monitoredIntervalDays": { unit: "days", min: 1, max: 366 },
  "check.editWindowHours": { unit: "hours", min: 1, max: 168 },
  "cadre.maxHouseholds": { unit: "households", min: 1, max: 200 },
  "points.checkOnTime": { unit: "points", min: -100, max: 100 },
  "points.checkLate": { unit: "points", min: -100, max: 100 },
  "points.problemFound": { unit: "points", min: -100, max: 100 },
  "points.problemSolved": { unit: "points", min: -100, max: 100 },
  "points.householdOverdue": { unit: "points", min: -100, max: 100 },
} as const;

export type SettingKey = keyof typeof SETTING_RULES;
export const SETTING_KEYS = Object.keys(SETTING_RULES) as SettingKey[];

/** A key as a form field's name: Conform would read the dot as a nested object. */
export const fieldOf = (key: SettingKey) => key.replace(".", "_") as `${string}_${string}`;
