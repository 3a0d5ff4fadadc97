// The whole data model of docs/domain.md. Rules the database can hold are held here (foreign keys, unique
// keys, checks); rules that span rows under concurrency (budgets, order quantities, membership) are
// held in app/models inside transactions that lock the parent row.
// Every large table carries county_id so the data can later be distributed by county.
import { relations, sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  check,
  customType,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  type AnyPgColumn,
} from "drizzle-orm/pg-core";
import type { PlanContent } from "../app/schemas/plan";
import { VOCABULARY, type Vocabulary } from "../app/vocabulary";

const id = () => uuid("id").primaryKey().defaultRandom();
const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp("updated_at", { withTimezone: true }).notNull().defaultNow();
/** Optimistic concurrency: every UPDATE checks and bumps it (domain rule 6). */
const version = () => integer("version").notNull().default(1);
/** Square metres, two decimals. */
const area = (name: string) => numeric(name, { precision: 12, scale: 2, mode: "number" });
/** Kilograms, two decimals. */
const kg = (name: string) => numeric(name, { precision: 14, scale: 2, mode: "number" });
/** Money in integer fen (1 元 = 100 分), never float. */
const fen = (name: string) => bigint(name, { mode: "number" });
const countyId = () =>
  uuid("county_id")
    .notNull()
    .references((): AnyPgColumn => regions.id);

// ---------- enums ----------
// Built from app/vocabulary.ts, the one place each list is written; the check below keeps
// every list and its pgEnum paired.
export const regionLevel = pgEnum("region_level", VOCABULARY.region_level);
export const userRole = pgEnum("user_role", VOCABULARY.user_role);
export const povertyStatus = pgEnum("poverty_status", VOCABULARY.poverty_status);
export const relationToHead = pgEnum("relation_to_head", VOCABULARY.relation_to_head);
export const sex = pgEnum("sex", VOCABULARY.sex);
export const health = pgEnum("health", VOCABULARY.health);
export const labourAbility = pgEnum("labour_ability", VOCABULARY.labour_ability);
export const planStatus = pgEnum("plan_status", VOCABULARY.plan_status);
export const projectType = pgEnum("project_type", VOCABULARY.project_type);
export const projectStatus = pgEnum("project_status", VOCABULARY.project_status);
export const allocationKind = pgEnum("allocation_kind", VOCABULARY.allocation_kind);
export const cooperativeKind = pgEnum("cooperative_kind", VOCABULARY.cooperative_kind);
export const orderStatus = pgEnum("order_status", VOCABULARY.order_status);
export const deliveryGrade = pgEnum("delivery_grade", VOCABULARY.delivery_grade);
export const paymentStatus = pgEnum("payment_status", VOCABULARY.payment_status);
export const importJobKind = pgEnum("import_job_kind", VOCABULARY.import_job_kind);
export const importJobStatus = pgEnum("import_job_status", VOCABULARY.import_job_status);
export const zoneStatus = pgEnum("zone_status", VOCABULARY.zone_status);
export const membershipRequestStatus = pgEnum("membership_request_status", VOCABULARY.membership_request_status);
export const amendmentStatus = pgEnum("amendment_status", VOCABULARY.amendment_status);

/** Every pgEnum under its type name: a list added to the vocabulary without its enum fails to compile. */
export const pgEnums = {
  region_level: regionLevel,
  user_role: userRole,
  poverty_status: povertyStatus,
  relation_to_head: relationToHead,
  sex,
  health,
  labour_ability: labourAbility,
  plan_status: planStatus,
  project_type: projectType,
  project_status: projectStatus,
  allocation_kind: allocationKind,
  cooperative_kind: cooperativeKind,
  order_status: orderStatus,
  delivery_grade: deliveryGrade,
  payment_status: paymentStatus,
  import_job_kind: importJobKind,
  import_job_status: importJobStatus,
  zone_status: zoneStatus,
  membership_request_status: membershipRequestStatus,
  amendment_status: amendmentStatus,
} satisfies Record<keyof Vocabulary, unknown>;

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** The names of the enums whose values differ from their vocabulary list: must be none. */
type Disagreeing = {
  [K in keyof Vocabulary]: Same<(typeof pgEnums)[K]["enumValues"][number], Vocabulary[K][number]> extends true
    ? never
    : K;
}[keyof Vocabulary];
const enumsAgree: [Disagreeing] extends [never] ? true : Disagreeing = true;
void enumsAgree;

// ---------- regions and people who use the system ----------
export const regions = pgTable(
  "regions",
  {
    id: id(),
    code: text("code").notNull(),
    name: text("name").notNull(),
    nameEn: text("name_en"),
    level: regionLevel("level").notNull(),
    parentId: uuid("parent_id").references((): AnyPgColumn => regions.id),
    // null only for the county row itself
    countyId: uuid("county_id").references((): AnyPgColumn => regions.id),
    // a retired region stays for the records that name it, but is offered nowhere any more
    retiredAt: timestamp("retired_at", { withTimezone: true }),
    // a village merged into another: where its households went
    mergedIntoId: uuid("merged_into_id").references((): AnyPgColumn => regions.id),
    version: version(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("regions_code_uq").on(t.code),
    index("regions_parent_idx").on(t.parentId),
    check("regions_parent_by_level", sql`(${t.level} = 'county') = (${t.parentId} is null)`),
    check("regions_county_by_level", sql`(${t.level} = 'county') = (${t.countyId} is null)`),
    check("regions_merged_is_retired", sql`${t.mergedIntoId} is null or ${t.retiredAt} is not null`),
  ],
);

export const users = pgTable(
  "users",
  {
    id: id(),
    username: text("username").notNull(),
    passwordHash: text("password_hash").notNull(),
    displayName: text("display_name").notNull(),
    phone: text("phone"),
    role: userRole("role").notNull(),
    countyId: countyId(),
    // official and cadre work for a township; a clerk keeps one cooperative
    townshipId: uuid("township_id").references(() => regions.id),
    cooperativeId: uuid("cooperative_id").references((): AnyPgColumn => cooperatives.id),
    active: boolean("active").notNull().default(true),
    // set by a password reset (or a new account): every page sends the user to /account until they choose one
    mustChangePassword: boolean("must_change_password").notNull().default(false),
    passwordChangedAt: timestamp("password_changed_at", { withTimezone: true }),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("users_username_uq").on(sql`lower(${t.username})`),
    index("users_township_role_idx").on(t.townshipId, t.role),
    check(
      "users_scope_by_role",
      sql`case ${t.role}
        when 'official' then ${t.townshipId} is not null
        when 'cadre' then ${t.townshipId} is not null
        when 'clerk' then ${t.cooperativeId} is not null
        else true end`,
    ),
  ],
);

export const sessions = pgTable(
  "sessions",
  {
    // sha-256 of the random token in the cookie: a leaked table does not leak live sessions
    id: text("id").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    userAgent: text("user_agent"),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

/**
 * Failed sign-ins of the last 15 minutes, one row per attempt, for the account lockout and the
 * per-address limit. Kept in the database so every server process sees the same counts. `key` is the
 * SHA-256 of "user:<lower-cased name>" or "addr:<client address>": what people type as a username
 * (sometimes an ID number) is not stored in clear.
 */
export const signInFailures = pgTable(
  "sign_in_failures",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    key: text("key").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("sign_in_failures_key_at_idx").on(t.key, t.at), index("sign_in_failures_at_idx").on(t.at)],
);

export const signInLocks = pgTable("sign_in_locks", {
  key: text("key").primaryKey(),
  lockedUntil: timestamp("locked_until", { withTimezone: true }).notNull(),
});

// ---------- registry ----------
export const households = pgTable(
  "households",
  {
    id: id(),
    countyId: countyId(),
    townshipId: uuid("township_id")
      .notNull()
      .references(() => regions.id),
    villageId: uuid("village_id")
      .notNull()
      .references(() => regions.id),
    groupId: uuid("group_id").references(() => regions.id),
    code: text("code").notNull(),
    headName: text("head_name").notNull(),
    address: text("address"),
    phone: text("phone"),
    povertyStatus: povertyStatus("poverty_status").notNull().default("registered"),
    povertyCause: text("poverty_cause")
      .notNull()
      .references(() => povertyCauses.code),
    courtyardArea: area("courtyard_area"),
    registeredOn: date("registered_on", { mode: "string" }),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("households_code_uq").on(t.code),
    index("households_county_idx").on(t.countyId),
    index("households_township_village_idx").on(t.townshipId, t.villageId, t.headName),
    index("households_village_idx").on(t.villageId),
    index("households_head_name_idx").on(t.headName),
    check("households_courtyard_nonneg", sql`${t.courtyardArea} is null or ${t.courtyardArea} >= 0`),
  ],
);

export const members = pgTable(
  "members",
  {
    id: id(),
    countyId: countyId(),
    householdId: uuid("household_id")
      .notNull()
      .references(() => households.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    idNumber: text("id_number").notNull(),
    relation: relationToHead("relation").notNull(),
    sex: sex("sex").notNull(),
    birthDate: date("birth_date", { mode: "string" }).notNull(),
    health: health("health").notNull().default("healthy"),
    labourAbility: labourAbility("labour_ability").notNull().default("full"),
    phone: text("phone"),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // rule 1: a person is in one household only
    uniqueIndex("members_id_number_uq").on(t.idNumber),
    // one head per household
    uniqueIndex("members_one_head_uq")
      .on(t.householdId)
      .where(sql`${t.relation} = 'head'`),
    index("members_household_idx").on(t.householdId),
    // search by the last digits of an ID number
    index("members_id_tail_idx").on(sql`right(${t.idNumber}, 6)`),
    check("members_id_number_format", sql`${t.idNumber} ~ '^[0-9]{17}[0-9X]$'`),
    // rule 2: the check character and the birth date, not only the shape (gb11643_valid: migration 0005)
    check("members_id_number_valid", sql`gb11643_valid(${t.idNumber})`),
  ],
);

// ---------- reference lists ----------
// Kept by the administrator (app/models/reference-lists.server.ts): a code is never changed nor reused, the
// names may be; a retired entry is offered for no new choice but still names the records that use it.
const referenceList = () => ({
  code: text("code").primaryKey(),
  nameZh: text("name_zh").notNull(),
  nameEn: text("name_en").notNull(),
  sortOrder: integer("sort_order").notNull().default(0),
  retiredAt: timestamp("retired_at", { withTimezone: true }),
  version: version(),
  updatedAt: updatedAt(),
});

// A key date of the county's season: month and day, recurring each year (docs/decisions/039-crop-calendar.md).
// February stops at the 28th so that every year has the day; a stage without a date proposes no visit.
const seasonDateCheck = (table: string, column: string) =>
  check(
    `${table}_${column}_date`,
    sql.raw(`(${column}_month is null and ${column}_day is null) or (${column}_month between 1 and 12 and
      ${column}_day between 1 and (case ${column}_month when 2 then 28 when 4 then 30 when 6 then 30 when 9 then 30 when 11 then 30 else 31 end))`),
  );

export const crops = pgTable(
  "crops",
  {
    ...referenceList(),
    /** sowing or transplanting, flowering, harvest */
    transplantMonth: smallint("transplant_month"),
    transplantDay: smallint("transplant_day"),
    floweringMonth: smallint("flowering_month"),
    floweringDay: smallint("flowering_day"),
    harvestMonth: smallint("harvest_month"),
    harvestDay: smallint("harvest_day"),
  },
  (t) => [
    seasonDateCheck("crops", "transplant"),
    seasonDateCheck("crops", "flowering"),
    seasonDateCheck("crops", "harvest"),
    check("crops_code_format", sql`${t.code} ~ '^[a-z][a-z0-9_]{0,29}$'`),
    // two live entries of one name could not be told apart in a choice
    uniqueIndex("crops_name_zh_live_uq")
      .on(t.nameZh)
      .where(sql`${t.retiredAt} is null`),
  ],
);

export const animals = pgTable(
  "animals",
  {
    ...referenceList(),
    /** buying in young stock, selling */
    buyInMonth: smallint("buy_in_month"),
    buyInDay: smallint("buy_in_day"),
    sellMonth: smallint("sell_month"),
    sellDay: smallint("sell_day"),
  },
  (t) => [
    seasonDateCheck("animals", "buy_in"),
    seasonDateCheck("animals", "sell"),
    check("animals_code_format", sql`${t.code} ~ '^[a-z][a-z0-9_]{0,29}$'`),
    // two live entries of one name could not be told apart in a choice
    uniqueIndex("animals_name_zh_live_uq")
      .on(t.nameZh)
      .where(sql`${t.retiredAt} is null`),
  ],
);

/** 致贫原因: once a fixed list, now the administrator's like crops and animals. */
export const povertyCauses = pgTable("poverty_causes", referenceList(), (t) => [
  check("poverty_causes_code_format", sql`${t.code} ~ '^[a-z][a-z0-9_]{0,29}$'`),
  // two live entries of one name could not be told apart in a choice
  uniqueIndex("poverty_causes_name_zh_live_uq")
    .on(t.nameZh)
    .where(sql`${t.retiredAt} is null`),
]);

/** Settings by key, optionally per region (e.g. check interval per township). */
export const settings = pgTable(
  "settings",
  {
    id: id(),
    key: text("key").notNull(),
    regionId: uuid("region_id").references(() => regions.id),
    /** null on a township's row: from its date the township follows the county-wide value again */
    value: jsonb("value"),
    // A change is a new row from its day on, never an overwrite: the days before keep the value they had
    // (docs/decisions/028-settings-effective-dates.md). The defaults apply since always.
    effectiveFrom: date("effective_from").notNull().default("2000-01-01"),
    createdBy: uuid("created_by").references(() => users.id),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("settings_key_region_from_uq").on(
      t.key,
      sql`coalesce(${t.regionId}, '00000000-0000-0000-0000-000000000000'::uuid)`,
      t.effectiveFrom,
    ),
    check("settings_county_value", sql`${t.regionId} is not null or ${t.value} is not null`),
  ],
);

// ---------- one plan per household per year ----------
export const plans = pgTable(
  "plans",
  {
    id: id(),
    countyId: countyId(),
    householdId: uuid("household_id")
      .notNull()
      .references(() => households.id, { onDelete: "cascade" }),
    year: integer("year").notNull(),
    status: planStatus("status").notNull().default("draft"),
    courtyardArea: area("courtyard_area").notNull(),
    livingArea: area("living_area").notNull().default(0),
    plantingArea: area("planting_area").notNull().default(0),
    raisingArea: area("raising_area").notNull().default(0),
    measures: jsonb("measures").$type<string[]>().notNull().default([]),
    incomeTargetFen: fen("income_target_fen").notNull().default(0),
    returnReason: text("return_reason"),
    createdBy: uuid("created_by").references(() => users.id),
    submittedAt: timestamp("submitted_at", { withTimezone: true }),
    submittedBy: uuid("submitted_by").references(() => users.id),
    approvedAt: timestamp("approved_at", { withTimezone: true }),
    approvedBy: uuid("approved_by").references(() => users.id),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("plans_household_year_uq").on(t.householdId, t.year),
    index("plans_county_year_status_idx").on(t.countyId, t.year, t.status),
    check(
      "plans_areas_nonneg",
      sql`${t.courtyardArea} >= 0 and ${t.livingArea} >= 0 and ${t.plantingArea} >= 0 and ${t.raisingArea} >= 0`,
    ),
    // rule 3: the zones fit in the courtyard
    check(
      "plans_zones_fit_courtyard",
      sql`${t.livingArea} + ${t.plantingArea} + ${t.raisingArea} <= ${t.courtyardArea}`,
    ),
    check("plans_income_target_nonneg", sql`${t.incomeTargetFen} >= 0`),
    check("plans_year_sane", sql`${t.year} between 2000 and 2100`),
  ],
);

export const plantingItems = pgTable(
  "plan_planting_items",
  {
    id: id(),
    countyId: countyId(),
    planId: uuid("plan_id")
      .notNull()
      .references(() => plans.id, { onDelete: "cascade" }),
    cropCode: text("crop_code")
      .notNull()
      .references(() => crops.code),
    area: area("area").notNull(),
    expectedYieldKg: kg("expected_yield_kg").notNull().default(0),
    /** the order the cadre listed the items in */
    position: integer("position").notNull().default(0),
  },
  (t) => [
    // one line per crop in a plan: a crop listed twice would count its area and yield twice
    uniqueIndex("planting_items_plan_crop_uq").on(t.planId, t.cropCode),
    check("planting_items_nonneg", sql`${t.area} > 0 and ${t.expectedYieldKg} >= 0`),
  ],
);

export const raisingItems = pgTable(
  "plan_raising_items",
  {
    id: id(),
    countyId: countyId(),
    planId: uuid("plan_id")
      .notNull()
      .references(() => plans.id, { onDelete: "cascade" }),
    animalCode: text("animal_code")
      .notNull()
      .references(() => animals.code),
    headCount: integer("head_count").notNull(),
    position: integer("position").notNull().default(0),
  },
  (t) => [index("raising_items_plan_idx").on(t.planId), check("raising_items_positive", sql`${t.headCount} > 0`)],
);

/** Each workflow step of a plan: who moved it, when, and why (a return carries a reason). */
export const planEvents = pgTable(
  "plan_events",
  {
    id: id(),
    countyId: countyId(),
    planId: uuid("plan_id")
      .notNull()
      .references(() => plans.id, { onDelete: "cascade" }),
    fromStatus: planStatus("from_status"),
    toStatus: planStatus("to_status").notNull(),
    reason: text("reason"),
    userId: uuid("user_id").references(() => users.id),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("plan_events_plan_idx").on(t.planId, t.at)],
);

/**
 * A change to an approved or running plan (domain rule 10). The plan keeps running as it is; the proposed
 * content (the plan's own shape: zones, items, measures, income target) waits for an official, who approves
 * it (then it is written into the plan) or returns it with a reason. The plan it was drawn on is kept (its
 * version and content), and on approval the content it replaced, so the plan's history tells each change
 * field by field.
 */
export const planAmendments = pgTable(
  "plan_amendments",
  {
    id: id(),
    countyId: countyId(),
    planId: uuid("plan_id")
      .notNull()
      .references(() => plans.id, { onDelete: "cascade" }),
    status: amendmentStatus("status").notNull().default("submitted"),
    content: jsonb("content").$type<PlanContent>().notNull(),
    /** why the cadre asks for it (a crop failed, a new project) */
    reason: text("reason").notNull(),
    /** the plan's version and content the proposal was drawn on */
    basePlanVersion: integer("base_plan_version").notNull(),
    baseContent: jsonb("base_content").$type<PlanContent>().notNull(),
    /** the last return's reason, kept after a resubmission so the history can tell it */
    returnReason: text("return_reason"),
    returnedBy: uuid("returned_by").references(() => users.id),
    returnedAt: timestamp("returned_at", { withTimezone: true }),
    /** the content as it was returned, once resubmitted: an official reads what changed since */
    returnedContent: jsonb("returned_content").$type<PlanContent>(),
    proposedBy: uuid("proposed_by")
      .notNull()
      .references(() => users.id),
    proposedAt: timestamp("proposed_at", { withTimezone: true }).notNull().defaultNow(),
    /** the last submission: the approvals queue's order */
    submittedAt: timestamp("submitted_at", { withTimezone: true }).notNull().defaultNow(),
    decidedBy: uuid("decided_by").references(() => users.id),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    /** the plan's content the approval replaced */
    replacedContent: jsonb("replaced_content").$type<PlanContent>(),
    version: version(),
  },
  (t) => [
    // one open amendment per plan
    uniqueIndex("plan_amendments_open_uq")
      .on(t.planId)
      .where(sql`${t.status} in ('submitted', 'returned')`),
    index("plan_amendments_plan_idx").on(t.planId, t.proposedAt),
    index("plan_amendments_county_status_idx").on(t.countyId, t.status),
    check("plan_amendments_reason", sql`length(trim(${t.reason})) >= 2`),
    check(
      "plan_amendments_returned",
      sql`${t.status} <> 'returned' or (length(trim(${t.returnReason})) >= 2 and ${t.returnedAt} is not null)`,
    ),
    check("plan_amendments_decided", sql`(${t.status} in ('approved', 'withdrawn')) = (${t.decidedAt} is not null)`),
    check("plan_amendments_applied", sql`(${t.status} = 'approved') = (${t.replacedContent} is not null)`),
  ],
);

// ---------- aid projects and funds ----------
export const aidProjects = pgTable(
  "aid_projects",
  {
    id: id(),
    countyId: countyId(),
    townshipId: uuid("township_id").references(() => regions.id),
    name: text("name").notNull(),
    type: projectType("type").notNull(),
    fundingSource: text("funding_source").notNull(),
    budgetFen: fen("budget_fen").notNull(),
    startsOn: date("starts_on", { mode: "string" }).notNull(),
    endsOn: date("ends_on", { mode: "string" }),
    status: projectStatus("status").notNull().default("active"),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("aid_projects_township_idx").on(t.townshipId),
    check("aid_projects_budget_nonneg", sql`${t.budgetFen} >= 0`),
    check("aid_projects_period", sql`${t.endsOn} is null or ${t.endsOn} >= ${t.startsOn}`),
  ],
);

export const fundAllocations = pgTable(
  "fund_allocations",
  {
    id: id(),
    countyId: countyId(),
    projectId: uuid("project_id")
      .notNull()
      .references(() => aidProjects.id),
    planId: uuid("plan_id")
      .notNull()
      .references(() => plans.id),
    householdId: uuid("household_id")
      .notNull()
      .references(() => households.id),
    kind: allocationKind("kind").notNull().default("cash"),
    // in-kind: what was given (seedlings, piglets, chicks) and how many; amountFen is its value
    item: text("item"),
    quantity: integer("quantity"),
    amountFen: fen("amount_fen").notNull(),
    allocatedOn: date("allocated_on", { mode: "string" }).notNull(),
    note: text("note"),
    // Domain rule 9: an allocation is reversed by a row of its own with the amount (and quantity) negated
    correctsAllocationId: uuid("corrects_allocation_id").references((): AnyPgColumn => fundAllocations.id),
    reason: text("reason"),
    createdBy: uuid("created_by").references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    index("fund_allocations_project_idx").on(t.projectId),
    index("fund_allocations_household_idx").on(t.householdId),
    index("fund_allocations_plan_idx").on(t.planId),
    uniqueIndex("fund_allocations_corrects_uq").on(t.correctsAllocationId),
    check(
      "fund_allocations_sign",
      sql`(${t.correctsAllocationId} is null and ${t.amountFen} > 0 and (${t.quantity} is null or ${t.quantity} > 0)) or (${t.correctsAllocationId} is not null and ${t.amountFen} < 0 and (${t.quantity} is null or ${t.quantity} < 0))`,
    ),
    check(
      "fund_allocations_reversal_reason",
      sql`${t.correctsAllocationId} is null or length(btrim(coalesce(${t.reason}, ''))) >= 2`,
    ),
  ],
);

// ---------- cooperatives, buyers, orders ----------
export const cooperatives = pgTable(
  "cooperatives",
  {
    id: id(),
    countyId: countyId(),
    townshipId: uuid("township_id")
      .notNull()
      .references(() => regions.id),
    villageId: uuid("village_id").references(() => regions.id),
    name: text("name").notNull(),
    kind: cooperativeKind("kind").notNull(),
    registrationCode: text("registration_code"),
    contactName: text("contact_name"),
    phone: text("phone"),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("cooperatives_township_idx").on(t.townshipId),
    uniqueIndex("cooperatives_registration_code_uq").on(t.registrationCode),
  ],
);

export const brokers = pgTable(
  "brokers",
  {
    id: id(),
    countyId: countyId(),
    cooperativeId: uuid("cooperative_id")
      .notNull()
      .references(() => cooperatives.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    phone: text("phone"),
    // a broker who no longer works for the cooperative stays on the orders and cards that named them
    retiredAt: timestamp("retired_at", { withTimezone: true }),
    version: version(),
  },
  (t) => [index("brokers_cooperative_idx").on(t.cooperativeId)],
);

export const memberships = pgTable(
  "memberships",
  {
    id: id(),
    countyId: countyId(),
    cooperativeId: uuid("cooperative_id")
      .notNull()
      .references(() => cooperatives.id),
    householdId: uuid("household_id")
      .notNull()
      .references(() => households.id),
    joinedOn: date("joined_on", { mode: "string" }).notNull(),
    leftOn: date("left_on", { mode: "string" }),
    createdAt: createdAt(),
  },
  (t) => [
    // a household holds one current membership per cooperative
    uniqueIndex("memberships_current_uq")
      .on(t.cooperativeId, t.householdId)
      .where(sql`${t.leftOn} is null`),
    index("memberships_household_idx").on(t.householdId),
    index("memberships_cooperative_idx").on(t.cooperativeId),
    check("memberships_period", sql`${t.leftOn} is null or ${t.leftOn} >= ${t.joinedOn}`),
  ],
);

/**
 * A clerk's request to enrol a household in their cooperative. Membership brings the household into the
 * clerk's scope, so a clerk cannot make one alone: an official of the township confirms (a membership
 * row is written then) or declines it with a reason.
 */
export const membershipRequests = pgTable(
  "membership_requests",
  {
    id: id(),
    countyId: countyId(),
    cooperativeId: uuid("cooperative_id")
      .notNull()
      .references(() => cooperatives.id),
    householdId: uuid("household_id")
      .notNull()
      .references(() => households.id),
    /** the date the household joins, once confirmed */
    joinedOn: date("joined_on", { mode: "string" }).notNull(),
    status: membershipRequestStatus("status").notNull().default("pending"),
    requestedBy: uuid("requested_by")
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
    decidedBy: uuid("decided_by").references(() => users.id),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    /** why an official declined it */
    reason: text("reason"),
    membershipId: uuid("membership_id").references(() => memberships.id),
  },
  (t) => [
    // one open request per household and cooperative
    uniqueIndex("membership_requests_pending_uq")
      .on(t.cooperativeId, t.householdId)
      .where(sql`${t.status} = 'pending'`),
    index("membership_requests_cooperative_idx").on(t.cooperativeId, t.status),
    check("membership_requests_decided", sql`(${t.status} = 'pending') = (${t.decidedAt} is null)`),
    check("membership_requests_confirmed", sql`(${t.status} = 'confirmed') = (${t.membershipId} is not null)`),
    check("membership_requests_declined", sql`${t.status} <> 'declined' or length(trim(${t.reason})) >= 2`),
  ],
);

export const buyers = pgTable(
  "buyers",
  {
    id: id(),
    countyId: countyId(),
    name: text("name").notNull(),
    creditCode: text("credit_code").notNull(),
    contactName: text("contact_name"),
    phone: text("phone"),
    address: text("address"),
    version: version(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("buyers_credit_code_uq").on(t.creditCode),
    check(
      "buyers_credit_code_format",
      sql`${t.creditCode} ~ '^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$'`,
    ),
    // the GB 32100 check character too (gb32100_valid: migration 0005)
    check("buyers_credit_code_valid", sql`gb32100_valid(${t.creditCode})`),
  ],
);

export const purchaseOrders = pgTable(
  "purchase_orders",
  {
    id: id(),
    countyId: countyId(),
    cooperativeId: uuid("cooperative_id")
      .notNull()
      .references(() => cooperatives.id),
    buyerId: uuid("buyer_id")
      .notNull()
      .references(() => buyers.id),
    cropCode: text("crop_code")
      .notNull()
      .references(() => crops.code),
    quantityKg: kg("quantity_kg").notNull(),
    // price per kilogram in fen
    unitPriceFen: fen("unit_price_fen").notNull(),
    season: text("season").notNull(),
    deliveryStart: date("delivery_start", { mode: "string" }).notNull(),
    deliveryEnd: date("delivery_end", { mode: "string" }).notNull(),
    status: orderStatus("status").notNull().default("draft"),
    signedOn: date("signed_on", { mode: "string" }),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("purchase_orders_cooperative_idx").on(t.cooperativeId),
    index("purchase_orders_crop_idx").on(t.countyId, t.cropCode),
    index("purchase_orders_buyer_idx").on(t.buyerId),
    check("purchase_orders_quantity_positive", sql`${t.quantityKg} > 0`),
    check("purchase_orders_price_nonneg", sql`${t.unitPriceFen} >= 0`),
    check("purchase_orders_window", sql`${t.deliveryEnd} >= ${t.deliveryStart}`),
  ],
);

export const orderAllocations = pgTable(
  "order_allocations",
  {
    id: id(),
    countyId: countyId(),
    orderId: uuid("order_id")
      .notNull()
      .references(() => purchaseOrders.id),
    householdId: uuid("household_id")
      .notNull()
      .references(() => households.id),
    membershipId: uuid("membership_id")
      .notNull()
      .references(() => memberships.id),
    quantityKg: kg("quantity_kg").notNull(),
    version: version(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("order_allocations_order_household_uq").on(t.orderId, t.householdId),
    index("order_allocations_household_idx").on(t.householdId),
    index("order_allocations_membership_idx").on(t.membershipId),
    check("order_allocations_positive", sql`${t.quantityKg} > 0`),
  ],
);

export const deliveries = pgTable(
  "deliveries",
  {
    id: id(),
    countyId: countyId(),
    allocationId: uuid("allocation_id")
      .notNull()
      .references(() => orderAllocations.id),
    deliveredOn: date("delivered_on", { mode: "string" }).notNull(),
    quantityKg: kg("quantity_kg").notNull(),
    grade: deliveryGrade("grade").notNull().default("first"),
    unitPriceFen: fen("unit_price_fen").notNull(),
    amountFen: fen("amount_fen").notNull(),
    // What was paid is not a column: it is the sum of the delivery's rows in \`payments\` (domain rule 9).
    // Domain rule 9: a recorded delivery is never edited; a reversal (冲销) is a row of its own that mirrors
    // the original with every figure negated, so each sum over deliveries nets it without knowing of it.
    correctsDeliveryId: uuid("corrects_delivery_id").references((): AnyPgColumn => deliveries.id),
    reason: text("reason"),
    createdBy: uuid("created_by").references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    index("deliveries_allocation_idx").on(t.allocationId),
    // an original is reversed at most once, whatever two clerks do at the same moment
    uniqueIndex("deliveries_corrects_uq").on(t.correctsDeliveryId),
    check(
      "deliveries_quantity_sign",
      sql`(${t.correctsDeliveryId} is null and ${t.quantityKg} > 0) or (${t.correctsDeliveryId} is not null and ${t.quantityKg} < 0)`,
    ),
    check(
      "deliveries_money_sign",
      sql`${t.unitPriceFen} >= 0 and ((${t.correctsDeliveryId} is null and ${t.amountFen} >= 0) or (${t.correctsDeliveryId} is not null and ${t.amountFen} <= 0))`,
    ),
    check(
      "deliveries_reversal_reason",
      sql`${t.correctsDeliveryId} is null or length(btrim(coalesce(${t.reason}, ''))) >= 2`,
    ),
  ],
);

// Money received for a delivery (货款到账), one row per payment. A payment is never edited: a wrong one is
// reversed by a row of its own with the amount negated, the original named and a reason given (domain rule 9).
// A delivery's paid total and status (unpaid / partial / paid) are derived from the sum of its rows.
export const payments = pgTable(
  "payments",
  {
    id: id(),
    countyId: countyId(),
    deliveryId: uuid("delivery_id")
      .notNull()
      .references(() => deliveries.id),
    amountFen: fen("amount_fen").notNull(),
    paidOn: date("paid_on", { mode: "string" }).notNull(),
    note: text("note"),
    correctsPaymentId: uuid("corrects_payment_id").references((): AnyPgColumn => payments.id),
    reason: text("reason"),
    createdBy: uuid("created_by").references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    index("payments_delivery_idx").on(t.deliveryId),
    // a payment is reversed at most once
    uniqueIndex("payments_corrects_uq").on(t.correctsPaymentId),
    check(
      "payments_amount_sign",
      sql`(${t.correctsPaymentId} is null and ${t.amountFen} > 0) or (${t.correctsPaymentId} is not null and ${t.amountFen} < 0)`,
    ),
    check(
      "payments_reversal_reason",
      sql`${t.correctsPaymentId} is null or length(btrim(coalesce(${t.reason}, ''))) >= 2`,
    ),
  ],
);

// A change of an allocation's kilograms after it was recorded (domain rule 9): the allocation keeps the
// quantity it was recorded with; each change is a row with the difference and the reason. The allocation's
// net quantity is its recorded quantity plus its changes; withdrawing it brings the net to zero.
export const orderAllocationChanges = pgTable(
  "order_allocation_changes",
  {
    id: id(),
    countyId: countyId(),
    allocationId: uuid("allocation_id")
      .notNull()
      .references(() => orderAllocations.id),
    deltaKg: kg("delta_kg").notNull(),
    reason: text("reason").notNull(),
    createdBy: uuid("created_by").references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    index("order_allocation_changes_allocation_idx").on(t.allocationId),
    check("order_allocation_changes_delta", sql`${t.deltaKg} <> 0`),
    check("order_allocation_changes_reason", sql`length(btrim(${t.reason})) >= 2`),
  ],
);

// ---------- cadres at work ----------
export const cadreAssignments = pgTable(
  "cadre_assignments",
  {
    id: id(),
    countyId: countyId(),
    householdId: uuid("household_id")
      .notNull()
      .references(() => households.id),
    cadreId: uuid("cadre_id")
      .notNull()
      .references(() => users.id),
    startsOn: date("starts_on", { mode: "string" }).notNull(),
    endsOn: date("ends_on", { mode: "string" }),
    assignedBy: uuid("assigned_by").references(() => users.id),
    endedBy: uuid("ended_by").references(() => users.id),
    endReason: text("end_reason"),
    createdAt: createdAt(),
  },
  (t) => [
    // a household has at most one cadre in charge at a time
    uniqueIndex("cadre_assignments_one_active_uq")
      .on(t.householdId)
      .where(sql`${t.endsOn} is null`),
    index("cadre_assignments_cadre_active_idx")
      .on(t.cadreId, t.householdId)
      .where(sql`${t.endsOn} is null`),
    index("cadre_assignments_household_idx").on(t.householdId, t.startsOn),
    check("cadre_assignments_period", sql`${t.endsOn} is null or ${t.endsOn} >= ${t.startsOn}`),
  ],
);

export const checks = pgTable(
  "checks",
  {
    id: id(),
    countyId: countyId(),
    householdId: uuid("household_id")
      .notNull()
      .references(() => households.id),
    planId: uuid("plan_id").references(() => plans.id),
    cadreId: uuid("cadre_id")
      .notNull()
      .references(() => users.id),
    visitedOn: date("visited_on", { mode: "string" }).notNull(),
    livingStatus: zoneStatus("living_status").notNull(),
    livingNote: text("living_note"),
    plantingStatus: zoneStatus("planting_status").notNull(),
    plantingNote: text("planting_note"),
    raisingStatus: zoneStatus("raising_status").notNull(),
    raisingNote: text("raising_note"),
    seen: text("seen"),
    problems: text("problems"),
    measures: text("measures"),
    helpNeeded: text("help_needed"),
    nextDueOn: date("next_due_on", { mode: "string" }),
    problemSolvedOn: date("problem_solved_on", { mode: "string" }),
    // a check is never edited after a while, only corrected by a new one that points to it
    correctsCheckId: uuid("corrects_check_id").references((): AnyPgColumn => checks.id),
    // made by the form when it is opened: a post sent again (a sync retried after a lost answer) finds its check
    clientId: uuid("client_id"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("checks_client_id_uq").on(t.clientId),
    index("checks_household_visited_idx").on(t.householdId, t.visitedOn.desc(), t.createdAt.desc()),
    index("checks_cadre_visited_idx").on(t.cadreId, t.visitedOn),
    index("checks_county_visited_idx").on(t.countyId, t.visitedOn),
    index("checks_plan_idx").on(t.planId),
    index("checks_corrects_idx").on(t.correctsCheckId),
    // the points league counts a township's problems solved in a month: few checks, found without reading all
    index("checks_problem_solved_idx")
      .on(t.problemSolvedOn)
      .where(sql`${t.problemSolvedOn} is not null and ${t.correctsCheckId} is null`),
    check("checks_next_due_after_visit", sql`${t.nextDueOn} is null or ${t.nextDueOn} >= ${t.visitedOn}`),
  ],
);

// ---------- derived visit state (docs/decisions/035-visit-state.md) ----------
// Kept by triggers on checks, cadre_assignments, households and settings in the same transaction as the
// write; never written by the app. Each household's newest check and newest cadre assignment, the inputs
// of domain rule 8 that would otherwise be looked up per household on every page.
export const householdVisitState = pgTable(
  "household_visit_state",
  {
    householdId: uuid("household_id")
      .primaryKey()
      .references(() => households.id, { onDelete: "cascade" }),
    /** the newest check's visit date and the next due date it set (by visit date, then entry time) */
    lastVisit: date("last_visit", { mode: "string" }),
    lastNextDueOn: date("last_next_due_on", { mode: "string" }),
    /** the newest assignment (by start, then entry time): in force on a day from its start to its end */
    cadreId: uuid("cadre_id").references(() => users.id),
    assignedOn: date("assigned_on", { mode: "string" }),
    assignmentEndsOn: date("assignment_ends_on", { mode: "string" }),
    /**
     * the earliest calendar visit of the household's plans not made by the newest check: due on or after
     * its window opened (docs/decisions/039-crop-calendar.md)
     */
    nextCalendarOn: date("next_calendar_on", { mode: "string" }),
  },
  (t) => [
    index("household_visit_state_cadre_idx").on(t.cadreId),
    // the latest dates, read once per page to know the table answers for its day
    index("household_visit_state_last_visit_idx").on(t.lastVisit),
    index("household_visit_state_assigned_on_idx").on(t.assignedOn),
  ],
);

// Each household's coverage ingredients that do not depend on the day (docs/decisions/043-coverage-state.md),
// kept by statement triggers on every table they are read from, in the writing transaction; never written
// by the app. The coverage register, the dashboard and the homes read them instead of probing plans,
// assignments, memberships, orders and funds per household. A household without a row has none of them.
const datemultirange = customType<{ data: string }>({ dataType: () => "datemultirange" });
export const householdCoverage = pgTable("household_coverage", {
  householdId: uuid("household_id")
    .primaryKey()
    .references(() => households.id, { onDelete: "cascade" }),
  /** members of the household */
  persons: integer("persons").notNull().default(0),
  /** an assignment without an end: a cadre in charge now */
  openCadre: boolean("open_cadre").notNull().default(false),
  /** the years of its plans approved or beyond */
  planYears: integer("plan_years")
    .array()
    .notNull()
    .default(sql`'{}'::int[]`),
  /**
   * the days it has an industry link: a membership from joining to leaving, a live order's allocation
   * until the end of its delivery year, an industry fund allocation from its day to the end of its year
   */
  industryOn: datemultirange("industry_on")
    .notNull()
    .default(sql`'{}'::datemultirange`),
});

// The visits a running plan proposes at its crops' and animals' key dates (docs/decisions/039-crop-calendar.md),
// kept by triggers on plans, their items, crops and animals; never written by the app. A visit is due on
// due_on and is made by a check on or after opens_on.
export const calendarVisits = pgTable(
  "calendar_visits",
  {
    planId: uuid("plan_id")
      .notNull()
      .references(() => plans.id, { onDelete: "cascade" }),
    householdId: uuid("household_id")
      .notNull()
      .references(() => households.id, { onDelete: "cascade" }),
    /** crop | animal */
    kind: text("kind").notNull(),
    code: text("code").notNull(),
    /** transplant | flowering | harvest | buyIn | sell */
    stage: text("stage").notNull(),
    dueOn: date("due_on", { mode: "string" }).notNull(),
    opensOn: date("opens_on", { mode: "string" }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.planId, t.kind, t.code, t.stage] }),
    index("calendar_visits_household_idx").on(t.householdId, t.opensOn, t.dueOn),
  ],
);

// Past month ends of the dashboard's overdue chart, per village: filled when first read, a village's rows
// from a day on forgotten by the triggers when a write could change them (a month end is judged as of its
// last day, so a write dated after it cannot).
export const overdueMonthCounts = pgTable(
  "overdue_month_counts",
  {
    villageId: uuid("village_id").notNull(),
    townshipId: uuid("township_id").notNull(),
    asOf: date("as_of", { mode: "string" }).notNull(),
    tracked: integer("tracked").notNull(),
    overdue: integer("overdue").notNull(),
    visits: integer("visits").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.villageId, t.asOf] }),
    index("overdue_month_counts_township_idx").on(t.townshipId, t.asOf),
  ],
);

export const checkPhotos = pgTable(
  "check_photos",
  {
    id: id(),
    countyId: countyId(),
    checkId: uuid("check_id")
      .notNull()
      .references(() => checks.id, { onDelete: "cascade" }),
    storagePath: text("storage_path").notNull(),
    previewPath: text("preview_path"),
    mimeType: text("mime_type").notNull(),
    sizeBytes: integer("size_bytes").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index("check_photos_check_idx").on(t.checkId),
    check("check_photos_size", sql`${t.sizeBytes} > 0`),
    check("check_photos_mime", sql`${t.mimeType} in ('image/jpeg', 'image/png', 'image/webp')`),
  ],
);

/** An official's bonus or deduction on a cadre's points card, with its reason (e.g. −10 for a bribe). */
export const pointsAdjustments = pgTable(
  "points_adjustments",
  {
    id: id(),
    countyId: countyId(),
    cadreId: uuid("cadre_id")
      .notNull()
      .references(() => users.id),
    effectiveOn: date("effective_on", { mode: "string" }).notNull(),
    points: integer("points").notNull(),
    reason: text("reason").notNull(),
    createdBy: uuid("created_by")
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    index("points_adjustments_cadre_idx").on(t.cadreId, t.effectiveOn),
    check("points_adjustments_nonzero", sql`${t.points} <> 0 and ${t.points} between -100 and 100`),
    check("points_adjustments_reason", sql`length(trim(${t.reason})) >= 2`),
  ],
);

// ---------- audit trail ----------
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    countyId: uuid("county_id").references(() => regions.id),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    userId: uuid("user_id").references(() => users.id),
    action: text("action").notNull(),
    entity: text("entity").notNull(),
    entityId: uuid("entity_id"),
    // the household a change belongs to, so its page can show the history in one indexed read
    householdId: uuid("household_id"),
    before: jsonb("before"),
    after: jsonb("after"),
  },
  (t) => [
    index("audit_log_entity_idx").on(t.entity, t.entityId, t.at),
    index("audit_log_household_idx").on(t.householdId, t.at),
  ],
);

// ---------- registry import (background jobs) ----------
/** Raw bytes (the uploaded spreadsheet), as a Buffer on both drivers. */
const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => "bytea",
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)),
});

export type ImportRowError = { row: number; column?: string; message: string };
export type ImportSummary = {
  rows: number;
  households: number;
  members: number;
  badRows: number;
  villages: number;
  elapsedMs?: number;
};

/**
 * One import of a registry spreadsheet: a dry run (parse and check every row) or a commit (check again
 * inside the transaction, then insert everything or nothing). The file itself is kept on the dry run, so
 * the commit needs no second upload; a commit points at its dry run.
 */
export const importJobs = pgTable(
  "import_jobs",
  {
    id: id(),
    countyId: countyId(),
    // the official's township; null for a county admin (the whole county)
    townshipId: uuid("township_id").references(() => regions.id),
    createdBy: uuid("created_by")
      .notNull()
      .references(() => users.id),
    kind: importJobKind("kind").notNull(),
    status: importJobStatus("status").notNull().default("queued"),
    sourceJobId: uuid("source_job_id").references((): AnyPgColumn => importJobs.id),
    fileName: text("file_name").notNull(),
    fileType: text("file_type").notNull(),
    fileSize: integer("file_size").notNull(),
    file: bytea("file"),
    // what the runner is doing now: parse, validate, insert
    phase: text("phase"),
    progressDone: integer("progress_done").notNull().default(0),
    progressTotal: integer("progress_total").notNull().default(0),
    // the first rows' errors (capped) and how many there were in all
    errors: jsonb("errors").$type<ImportRowError[]>().notNull().default([]),
    errorCount: integer("error_count").notNull().default(0),
    // a problem with the file as a whole (unreadable, missing columns, failed commit)
    fileError: text("file_error"),
    summary: jsonb("summary").$type<ImportSummary>(),
    createdAt: createdAt(),
    startedAt: timestamp("started_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    // bumped while the job runs: a running job whose heartbeat stops was cut off
    heartbeatAt: timestamp("heartbeat_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("import_jobs_creator_idx").on(t.createdBy, t.createdAt),
    index("import_jobs_active_idx")
      .on(t.status)
      .where(sql`${t.status} in ('queued', 'running')`),
    check("import_jobs_progress", sql`${t.progressDone} >= 0 and ${t.progressTotal} >= 0`),
    check("import_jobs_source_for_commit", sql`(${t.kind} = 'commit') = (${t.sourceJobId} is not null)`),
  ],
);

// ---------- relations (for drizzle's relational queries) ----------
export const regionsRelations = relations(regions, ({ one, many }) => ({
  parent: one(regions, { fields: [regions.parentId], references: [regions.id], relationName: "tree" }),
  children: many(regions, { relationName: "tree" }),
}));

export const householdsRelations = relations(households, ({ one, many }) => ({
  village: one(regions, { fields: [households.villageId], references: [regions.id] }),
  members: many(members),
  plans: many(plans),
  assignments: many(cadreAssignments),
  checks: many(checks),
  memberships: many(memberships),
}));

export const membersRelations = relations(members, ({ one }) => ({
  household: one(households, { fields: [members.householdId], references: [households.id] }),
}));

export const plansRelations = relations(plans, ({ one, many }) => ({
  household: one(households, { fields: [plans.householdId], references: [households.id] }),
  plantingItems: many(plantingItems),
  raisingItems: many(raisingItems),
  events: many(planEvents),
}));

export const plantingItemsRelations = relations(plantingItems, ({ one }) => ({
  plan: one(plans, { fields: [plantingItems.planId], references: [plans.id] }),
}));

export const raisingItemsRelations = relations(raisingItems, ({ one }) => ({
  plan: one(plans, { fields: [raisingItems.planId], references: [plans.id] }),
}));

export const planEventsRelations = relations(planEvents, ({ one }) => ({
  plan: one(plans, { fields: [planEvents.planId], references: [plans.id] }),
}));

export const cadreAssignmentsRelations = relations(cadreAssignments, ({ one }) => ({
  household: one(households, { fields: [cadreAssignments.householdId], references: [households.id] }),
  cadre: one(users, { fields: [cadreAssignments.cadreId], references: [users.id] }),
}));

export const checksRelations = relations(checks, ({ one, many }) => ({
  household: one(households, { fields: [checks.householdId], references: [households.id] }),
  photos: many(checkPhotos),
}));

export const checkPhotosRelations = relations(checkPhotos, ({ one }) => ({
  check: one(checks, { fields: [checkPhotos.checkId], references: [checks.id] }),
}));

export const membershipsRelations = relations(memberships, ({ one }) => ({
  household: one(households, { fields: [memberships.householdId], references: [households.id] }),
  cooperative: one(cooperatives, { fields: [memberships.cooperativeId], references: [cooperatives.id] }),
}));
