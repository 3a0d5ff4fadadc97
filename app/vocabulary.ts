// The closed word lists of the domain, each stored as a PostgreSQL enum (the lists the administrator
// keeps, crops, animals and poverty causes, are tables: app/models/reference-lists.server.ts).
// db/schema.ts builds its pgEnums from these lists and the form schemas build their z.enum()s from them,
// so the database, the forms and the pages cannot drift apart. A plain module: the browser bundle, the models and drizzle-kit all load it.

export const REGION_LEVELS = ["county", "township", "village", "group"] as const;
export const USER_ROLES = ["admin", "official", "cadre", "clerk"] as const;
export const POVERTY_STATUSES = ["registered", "monitored", "lifted"] as const;
export const RELATIONS = [
  "head",
  "spouse",
  "child",
  "child_in_law",
  "grandchild",
  "parent",
  "sibling",
  "other",
] as const;
export const SEXES = ["male", "female"] as const;
export const HEALTH = ["healthy", "chronic", "serious", "disabled"] as const;
export const LABOUR = ["full", "partial", "none", "student"] as const;
export const PLAN_STATUSES = ["draft", "submitted", "returned", "approved", "in_progress", "completed"] as const;
export const PROJECT_TYPES = ["industry", "employment", "education", "medical", "housing", "other"] as const;
export const PROJECT_STATUSES = ["planned", "active", "closed"] as const;
export const ALLOCATION_KINDS = ["cash", "in_kind"] as const;
export const COOPERATIVE_KINDS = ["planting", "raising", "mixed"] as const;
export const ORDER_STATUSES = ["draft", "signed", "delivering", "fulfilled", "cancelled"] as const;
export const DELIVERY_GRADES = ["first", "second", "third", "off_grade"] as const;
export const PAYMENT_STATUSES = ["unpaid", "partial", "paid"] as const;
export const IMPORT_JOB_KINDS = ["dry_run", "commit"] as const;
export const IMPORT_JOB_STATUSES = ["queued", "running", "succeeded", "failed"] as const;
export const ZONE_STATUSES = ["on_track", "behind", "problem", "not_applicable"] as const;
export const MEMBERSHIP_REQUEST_STATUSES = ["pending", "confirmed", "declined", "withdrawn"] as const;
/** A change proposed to an approved or running plan (domain rule 10): open while submitted or returned. */
export const AMENDMENT_STATUSES = ["submitted", "returned", "approved", "withdrawn"] as const;

/** Each list under the name of its PostgreSQL enum type. Order matters: it is the enum's sort order. */
export const VOCABULARY = {
  region_level: REGION_LEVELS,
  user_role: USER_ROLES,
  poverty_status: POVERTY_STATUSES,
  relation_to_head: RELATIONS,
  sex: SEXES,
  health: HEALTH,
  labour_ability: LABOUR,
  plan_status: PLAN_STATUSES,
  project_type: PROJECT_TYPES,
  project_status: PROJECT_STATUSES,
  allocation_kind: ALLOCATION_KINDS,
  cooperative_kind: COOPERATIVE_KINDS,
  order_status: ORDER_STATUSES,
  delivery_grade: DELIVERY_GRADES,
  payment_status: PAYMENT_STATUSES,
  import_job_kind: IMPORT_JOB_KINDS,
  import_job_status: IMPORT_JOB_STATUSES,
  zone_status: ZONE_STATUSES,
  membership_request_status: MEMBERSHIP_REQUEST_STATUSES,
  amendment_status: AMENDMENT_STATUSES,
} as const;
export type Vocabulary = typeof VOCABULARY;

export type OrderStatus = (typeof ORDER_STATUSES)[number];
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** The kinds of a points card's entries (app/models/points.server.ts): counted, never stored. */
export const POINTS_ENTRY_KINDS = [
  "checkOnTime",
  "checkLate",
  "problemFound",
  "problemSolved",
  "householdOverdue",
  "adjustment",
] as const;
