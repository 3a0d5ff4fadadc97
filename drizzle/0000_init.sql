CREATE TYPE "public"."allocation_kind" AS ENUM('cash', 'in_kind');--> statement-breakpoint
CREATE TYPE "public"."cooperative_kind" AS ENUM('planting', 'raising', 'mixed');--> statement-breakpoint
CREATE TYPE "public"."delivery_grade" AS ENUM('first', 'second', 'third', 'off_grade');--> statement-breakpoint
CREATE TYPE "public"."health" AS ENUM('healthy', 'chronic', 'serious', 'disabled');--> statement-breakpoint
CREATE TYPE "public"."labour_ability" AS ENUM('full', 'partial', 'none', 'student');--> statement-breakpoint
CREATE TYPE "public"."order_status" AS ENUM('draft', 'signed', 'delivering', 'fulfilled', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."payment_status" AS ENUM('unpaid', 'partial', 'paid');--> statement-breakpoint
CREATE TYPE "public"."plan_status" AS ENUM('draft', 'submitted', 'returned', 'approved', 'in_progress', 'completed');--> statement-breakpoint
CREATE TYPE "public"."poverty_cause" AS ENUM('illness', 'disability', 'education', 'lack_skills', 'lack_labour', 'lack_funds', 'lack_land', 'other');--> statement-breakpoint
CREATE TYPE "public"."poverty_status" AS ENUM('registered', 'monitored', 'lifted');--> statement-breakpoint
CREATE TYPE "public"."project_status" AS ENUM('planned', 'active', 'closed');--> statement-breakpoint
CREATE TYPE "public"."project_type" AS ENUM('industry', 'employment', 'education', 'medical', 'housing', 'other');--> statement-breakpoint
CREATE TYPE "public"."region_level" AS ENUM('county', 'township', 'village', 'group');--> statement-breakpoint
CREATE TYPE "public"."relation_to_head" AS ENUM('head', 'spouse', 'child', 'child_in_law', 'grandchild', 'parent', 'sibling', 'other');--> statement-breakpoint
CREATE TYPE "public"."sex" AS ENUM('male', 'female');--> statement-breakpoint
CREATE TYPE "public"."user_role" AS ENUM('admin', 'official', 'cadre', 'clerk');--> statement-breakpoint
CREATE TYPE "public"."zone_status" AS ENUM('on_track', 'behind', 'problem', 'not_applicable');--> statement-breakpoint
CREATE TABLE "aid_projects" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"county_id" uuid NOT NULL,
	"township_id" uuid,
	"name" text NOT NULL,
	"type" "project_type" NOT NULL,
	"funding_source" text NOT NULL,
	"budget_fen" bigint NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date,
	"status" "project_status" DEFAULT 'active' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "aid_projects_budget_nonneg" CHECK ("aid_projects"."budget_fen" >= 0),
	CONSTRAINT "aid_projects_period" CHECK ("aid_projects"."ends_on" is null or "aid_projects"."ends_on" >= "aid_projects"."starts_on")
);
--> statement-breakpoint
CREATE TABLE "animals" (
	"code" text PRIMARY KEY NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"county_id" uuid,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"user_id" uuid,
	"action" text NOT NULL,
	"entity" text NOT NULL,
	"entity_id" uuid,
	"household_id" uuid,
	"before" jsonb,
	"after" jsonb
);
--> statement-breakpoint
CREATE TABLE "brokers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"county_id" uuid NOT NULL,
	"cooperative_id" uuid NOT NULL,
	"name" text NOT NULL,
	"phone" text
);
--> statement-breakpoint
CREATE TABLE "buyers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"county_id" uuid NOT NULL,
	"name" text NOT NULL,
	"credit_code" text NOT NULL,
	"contact_name" text,
	"phone" text,
	"address" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "buyers_credit_code_format" CHECK ("buyers"."credit_code" ~ '^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$')
);
--> statement-breakpoint
CREATE TABLE "cadre_assignments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"county_id" uuid NOT NULL,
	"household_id" uuid NOT NULL,
	"cadre_id" uuid NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date,
	"assigned_by" uuid,
	"ended_by" uuid,
	"end_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cadre_assignments_period" CHECK ("cadre_assignments"."ends_on" is null or "cadre_assignments"."ends_on" >= "cadre_assignments"."starts_on")
);
--> statement-breakpoint
CREATE TABLE "check_photos" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"county_id" uuid NOT NULL,
	"check_id" uuid NOT NULL,
	"storage_path" text NOT NULL,
	"preview_path" text,
	"mime_type" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "check_photos_size" CHECK ("check_photos"."size_bytes" > 0),
	CONSTRAINT "check_photos_mime" CHECK ("check_photos"."mime_type" in ('image/jpeg', 'image/png', 'image/webp'))
);
--> statement-breakpoint
CREATE TABLE "checks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"county_id" uuid NOT NULL,
	"household_id" uuid NOT NULL,
	"plan_id" uuid,
	"cadre_id" uuid NOT NULL,
	"visited_on" date NOT NULL,
	"living_status" "zone_status" NOT NULL,
	"living_note" text,
	"planting_status" "zone_status" NOT NULL,
	"planting_note" text,
	"raising_status" "zone_status" NOT NULL,
	"raising_note" text,
	"seen" text,
	"problems" text,
	"measures" text,
	"help_needed" text,
	"next_due_on" date,
	"problem_solved_on" date,
	"corrects_check_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "checks_next_due_after_visit" CHECK ("checks"."next_due_on" is null or "checks"."next_due_on" >= "checks"."visited_on")
);
--> statement-breakpoint
CREATE TABLE "cooperatives" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"county_id" uuid NOT NULL,
	"township_id" uuid NOT NULL,
	"village_id" uuid,
	"name" text NOT NULL,
	"kind" "cooperative_kind" NOT NULL,
	"registration_code" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "crops" (
	"code" text PRIMARY KEY NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "deliveries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"county_id" uuid NOT NULL,
	"allocation_id" uuid NOT NULL,
	"delivered_on" date NOT NULL,
	"quantity_kg" numeric(14, 2) NOT NULL,
	"grade" "delivery_grade" DEFAULT 'first' NOT NULL,
	"unit_price_fen" bigint NOT NULL,
	"amount_fen" bigint NOT NULL,
	"payment_status" "payment_status" DEFAULT 'unpaid' NOT NULL,
	"paid_fen" bigint DEFAULT 0 NOT NULL,
	"paid_on" date,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "deliveries_quantity_positive" CHECK ("deliveries"."quantity_kg" > 0),
	CONSTRAINT "deliveries_money_nonneg" CHECK ("deliveries"."unit_price_fen" >= 0 and "deliveries"."amount_fen" >= 0 and "deliveries"."paid_fen" >= 0 and "deliveries"."paid_fen" <= "deliveries"."amount_fen")
);
--> statement-breakpoint
CREATE TABLE "fund_allocations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"county_id" uuid NOT NULL,
	"project_id" uuid NOT NULL,
	"plan_id" uuid NOT NULL,
	"household_id" uuid NOT NULL,
	"kind" "allocation_kind" DEFAULT 'cash' NOT NULL,
	"item" text,
	"quantity" integer,
	"amount_fen" bigint NOT NULL,
	"allocated_on" date NOT NULL,
	"note" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fund_allocations_positive" CHECK ("fund_allocations"."amount_fen" > 0),
	CONSTRAINT "fund_allocations_quantity" CHECK ("fund_allocations"."quantity" is null or "fund_allocations"."quantity" > 0)
);
--> statement-breakpoint
CREATE TABLE "households" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"county_id" uuid NOT NULL,
	"township_id" uuid NOT NULL,
	"village_id" uuid NOT NULL,
	"group_id" uuid,
	"code" text NOT NULL,
	"head_name" text NOT NULL,
	"address" text,
	"phone" text,
	"poverty_status" "poverty_status" DEFAULT 'registered' NOT NULL,
	"poverty_cause" "poverty_cause" NOT NULL,
	"courtyard_area" numeric(12, 2),
	"registered_on" date,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "households_courtyard_nonneg" CHECK ("households"."courtyard_area" is null or "households"."courtyard_area" >= 0)
);
--> statement-breakpoint
CREATE TABLE "members" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"county_id" uuid NOT NULL,
	"household_id" uuid NOT NULL,
	"name" text NOT NULL,
	"id_number" text NOT NULL,
	"relation" "relation_to_head" NOT NULL,
	"sex" "sex" NOT NULL,
	"birth_date" date NOT NULL,
	"health" "health" DEFAULT 'healthy' NOT NULL,
	"labour_ability" "labour_ability" DEFAULT 'full' NOT NULL,
	"phone" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "members_id_number_format" CHECK ("members"."id_number" ~ '^[0-9]{17}[0-9X]$')
);
--> statement-breakpoint
CREATE TABLE "memberships" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"county_id" uuid NOT NULL,
	"cooperative_id" uuid NOT NULL,
	"household_id" uuid NOT NULL,
	"joined_on" date NOT NULL,
	"left_on" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "memberships_period" CHECK ("memberships"."left_on" is null or "memberships"."left_on" >= "memberships"."joined_on")
);
--> statement-breakpoint
CREATE TABLE "order_allocations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"county_id" uuid NOT NULL,
	"order_id" uuid NOT NULL,
	"household_id" uuid NOT NULL,
	"membership_id" uuid NOT NULL,
	"quantity_kg" numeric(14, 2) NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "order_allocations_positive" CHECK ("order_allocations"."quantity_kg" > 0)
);
--> statement-breakpoint
CREATE TABLE "plan_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"county_id" uuid NOT NULL,
	"plan_id" uuid NOT NULL,
	"from_status" "plan_status",
	"to_status" "plan_status" NOT NULL,
	"reason" text,
	"user_id" uuid,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "plans" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"county_id" uuid NOT NULL,
	"household_id" uuid NOT NULL,
	"year" integer NOT NULL,
	"status" "plan_status" DEFAULT 'draft' NOT NULL,
	"courtyard_area" numeric(12, 2) NOT NULL,
	"living_area" numeric(12, 2) DEFAULT 0 NOT NULL,
	"planting_area" numeric(12, 2) DEFAULT 0 NOT NULL,
	"raising_area" numeric(12, 2) DEFAULT 0 NOT NULL,
	"measures" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"income_target_fen" bigint DEFAULT 0 NOT NULL,
	"return_reason" text,
	"created_by" uuid,
	"submitted_at" timestamp with time zone,
	"submitted_by" uuid,
	"approved_at" timestamp with time zone,
	"approved_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "plans_areas_nonneg" CHECK ("plans"."courtyard_area" >= 0 and "plans"."living_area" >= 0 and "plans"."planting_area" >= 0 and "plans"."raising_area" >= 0),
	CONSTRAINT "plans_zones_fit_courtyard" CHECK ("plans"."living_area" + "plans"."planting_area" + "plans"."raising_area" <= "plans"."courtyard_area"),
	CONSTRAINT "plans_income_target_nonneg" CHECK ("plans"."income_target_fen" >= 0),
	CONSTRAINT "plans_year_sane" CHECK ("plans"."year" between 2000 and 2100)
);
--> statement-breakpoint
CREATE TABLE "plan_planting_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"county_id" uuid NOT NULL,
	"plan_id" uuid NOT NULL,
	"crop_code" text NOT NULL,
	"area" numeric(12, 2) NOT NULL,
	"expected_yield_kg" numeric(14, 2) DEFAULT 0 NOT NULL,
	CONSTRAINT "planting_items_nonneg" CHECK ("plan_planting_items"."area" > 0 and "plan_planting_items"."expected_yield_kg" >= 0)
);
--> statement-breakpoint
CREATE TABLE "purchase_orders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"county_id" uuid NOT NULL,
	"cooperative_id" uuid NOT NULL,
	"buyer_id" uuid NOT NULL,
	"crop_code" text NOT NULL,
	"quantity_kg" numeric(14, 2) NOT NULL,
	"unit_price_fen" bigint NOT NULL,
	"season" text NOT NULL,
	"delivery_start" date NOT NULL,
	"delivery_end" date NOT NULL,
	"status" "order_status" DEFAULT 'draft' NOT NULL,
	"signed_on" date,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "purchase_orders_quantity_positive" CHECK ("purchase_orders"."quantity_kg" > 0),
	CONSTRAINT "purchase_orders_price_nonneg" CHECK ("purchase_orders"."unit_price_fen" >= 0),
	CONSTRAINT "purchase_orders_window" CHECK ("purchase_orders"."delivery_end" >= "purchase_orders"."delivery_start")
);
--> statement-breakpoint
CREATE TABLE "plan_raising_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"county_id" uuid NOT NULL,
	"plan_id" uuid NOT NULL,
	"animal_code" text NOT NULL,
	"head_count" integer NOT NULL,
	CONSTRAINT "raising_items_positive" CHECK ("plan_raising_items"."head_count" > 0)
);
--> statement-breakpoint
CREATE TABLE "regions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"name_en" text,
	"level" "region_level" NOT NULL,
	"parent_id" uuid,
	"county_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "regions_parent_by_level" CHECK (("regions"."level" = 'county') = ("regions"."parent_id" is null))
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"user_agent" text
);
--> statement-breakpoint
CREATE TABLE "settings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"key" text NOT NULL,
	"region_id" uuid,
	"value" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"username" text NOT NULL,
	"password_hash" text NOT NULL,
	"display_name" text NOT NULL,
	"phone" text,
	"role" "user_role" NOT NULL,
	"county_id" uuid NOT NULL,
	"township_id" uuid,
	"cooperative_id" uuid,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_scope_by_role" CHECK (case "users"."role"
        when 'official' then "users"."township_id" is not null
        when 'cadre' then "users"."township_id" is not null
        when 'clerk' then "users"."cooperative_id" is not null
        else true end)
);
--> statement-breakpoint
ALTER TABLE "aid_projects" ADD CONSTRAINT "aid_projects_county_id_regions_id_fk" FOREIGN KEY ("county_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aid_projects" ADD CONSTRAINT "aid_projects_township_id_regions_id_fk" FOREIGN KEY ("township_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_county_id_regions_id_fk" FOREIGN KEY ("county_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "brokers" ADD CONSTRAINT "brokers_county_id_regions_id_fk" FOREIGN KEY ("county_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "brokers" ADD CONSTRAINT "brokers_cooperative_id_cooperatives_id_fk" FOREIGN KEY ("cooperative_id") REFERENCES "public"."cooperatives"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "buyers" ADD CONSTRAINT "buyers_county_id_regions_id_fk" FOREIGN KEY ("county_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cadre_assignments" ADD CONSTRAINT "cadre_assignments_county_id_regions_id_fk" FOREIGN KEY ("county_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cadre_assignments" ADD CONSTRAINT "cadre_assignments_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cadre_assignments" ADD CONSTRAINT "cadre_assignments_cadre_id_users_id_fk" FOREIGN KEY ("cadre_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cadre_assignments" ADD CONSTRAINT "cadre_assignments_assigned_by_users_id_fk" FOREIGN KEY ("assigned_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cadre_assignments" ADD CONSTRAINT "cadre_assignments_ended_by_users_id_fk" FOREIGN KEY ("ended_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "check_photos" ADD CONSTRAINT "check_photos_county_id_regions_id_fk" FOREIGN KEY ("county_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "check_photos" ADD CONSTRAINT "check_photos_check_id_checks_id_fk" FOREIGN KEY ("check_id") REFERENCES "public"."checks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checks" ADD CONSTRAINT "checks_county_id_regions_id_fk" FOREIGN KEY ("county_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checks" ADD CONSTRAINT "checks_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checks" ADD CONSTRAINT "checks_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checks" ADD CONSTRAINT "checks_cadre_id_users_id_fk" FOREIGN KEY ("cadre_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checks" ADD CONSTRAINT "checks_corrects_check_id_checks_id_fk" FOREIGN KEY ("corrects_check_id") REFERENCES "public"."checks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cooperatives" ADD CONSTRAINT "cooperatives_county_id_regions_id_fk" FOREIGN KEY ("county_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cooperatives" ADD CONSTRAINT "cooperatives_township_id_regions_id_fk" FOREIGN KEY ("township_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cooperatives" ADD CONSTRAINT "cooperatives_village_id_regions_id_fk" FOREIGN KEY ("village_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_county_id_regions_id_fk" FOREIGN KEY ("county_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_allocation_id_order_allocations_id_fk" FOREIGN KEY ("allocation_id") REFERENCES "public"."order_allocations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_allocations" ADD CONSTRAINT "fund_allocations_county_id_regions_id_fk" FOREIGN KEY ("county_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_allocations" ADD CONSTRAINT "fund_allocations_project_id_aid_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."aid_projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_allocations" ADD CONSTRAINT "fund_allocations_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_allocations" ADD CONSTRAINT "fund_allocations_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_allocations" ADD CONSTRAINT "fund_allocations_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "households" ADD CONSTRAINT "households_county_id_regions_id_fk" FOREIGN KEY ("county_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "households" ADD CONSTRAINT "households_township_id_regions_id_fk" FOREIGN KEY ("township_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "households" ADD CONSTRAINT "households_village_id_regions_id_fk" FOREIGN KEY ("village_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "households" ADD CONSTRAINT "households_group_id_regions_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "members" ADD CONSTRAINT "members_county_id_regions_id_fk" FOREIGN KEY ("county_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "members" ADD CONSTRAINT "members_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_county_id_regions_id_fk" FOREIGN KEY ("county_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_cooperative_id_cooperatives_id_fk" FOREIGN KEY ("cooperative_id") REFERENCES "public"."cooperatives"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_allocations" ADD CONSTRAINT "order_allocations_county_id_regions_id_fk" FOREIGN KEY ("county_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_allocations" ADD CONSTRAINT "order_allocations_order_id_purchase_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."purchase_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_allocations" ADD CONSTRAINT "order_allocations_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_allocations" ADD CONSTRAINT "order_allocations_membership_id_memberships_id_fk" FOREIGN KEY ("membership_id") REFERENCES "public"."memberships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_events" ADD CONSTRAINT "plan_events_county_id_regions_id_fk" FOREIGN KEY ("county_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_events" ADD CONSTRAINT "plan_events_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_events" ADD CONSTRAINT "plan_events_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plans" ADD CONSTRAINT "plans_county_id_regions_id_fk" FOREIGN KEY ("county_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plans" ADD CONSTRAINT "plans_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plans" ADD CONSTRAINT "plans_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plans" ADD CONSTRAINT "plans_submitted_by_users_id_fk" FOREIGN KEY ("submitted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plans" ADD CONSTRAINT "plans_approved_by_users_id_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_planting_items" ADD CONSTRAINT "plan_planting_items_county_id_regions_id_fk" FOREIGN KEY ("county_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_planting_items" ADD CONSTRAINT "plan_planting_items_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_planting_items" ADD CONSTRAINT "plan_planting_items_crop_code_crops_code_fk" FOREIGN KEY ("crop_code") REFERENCES "public"."crops"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "purchase_orders" ADD CONSTRAINT "purchase_orders_county_id_regions_id_fk" FOREIGN KEY ("county_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "purchase_orders" ADD CONSTRAINT "purchase_orders_cooperative_id_cooperatives_id_fk" FOREIGN KEY ("cooperative_id") REFERENCES "public"."cooperatives"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "purchase_orders" ADD CONSTRAINT "purchase_orders_buyer_id_buyers_id_fk" FOREIGN KEY ("buyer_id") REFERENCES "public"."buyers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "purchase_orders" ADD CONSTRAINT "purchase_orders_crop_code_crops_code_fk" FOREIGN KEY ("crop_code") REFERENCES "public"."crops"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_raising_items" ADD CONSTRAINT "plan_raising_items_county_id_regions_id_fk" FOREIGN KEY ("county_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_raising_items" ADD CONSTRAINT "plan_raising_items_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_raising_items" ADD CONSTRAINT "plan_raising_items_animal_code_animals_code_fk" FOREIGN KEY ("animal_code") REFERENCES "public"."animals"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "regions" ADD CONSTRAINT "regions_parent_id_regions_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "regions" ADD CONSTRAINT "regions_county_id_regions_id_fk" FOREIGN KEY ("county_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "settings" ADD CONSTRAINT "settings_region_id_regions_id_fk" FOREIGN KEY ("region_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_county_id_regions_id_fk" FOREIGN KEY ("county_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_township_id_regions_id_fk" FOREIGN KEY ("township_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_cooperative_id_cooperatives_id_fk" FOREIGN KEY ("cooperative_id") REFERENCES "public"."cooperatives"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "aid_projects_township_idx" ON "aid_projects" USING btree ("township_id");--> statement-breakpoint
CREATE INDEX "audit_log_entity_idx" ON "audit_log" USING btree ("entity","entity_id","at");--> statement-breakpoint
CREATE INDEX "audit_log_household_idx" ON "audit_log" USING btree ("household_id","at");--> statement-breakpoint
CREATE INDEX "brokers_cooperative_idx" ON "brokers" USING btree ("cooperative_id");--> statement-breakpoint
CREATE UNIQUE INDEX "buyers_credit_code_uq" ON "buyers" USING btree ("credit_code");--> statement-breakpoint
CREATE UNIQUE INDEX "cadre_assignments_one_active_uq" ON "cadre_assignments" USING btree ("household_id") WHERE "cadre_assignments"."ends_on" is null;--> statement-breakpoint
CREATE INDEX "cadre_assignments_cadre_active_idx" ON "cadre_assignments" USING btree ("cadre_id","household_id") WHERE "cadre_assignments"."ends_on" is null;--> statement-breakpoint
CREATE INDEX "cadre_assignments_household_idx" ON "cadre_assignments" USING btree ("household_id","starts_on");--> statement-breakpoint
CREATE INDEX "check_photos_check_idx" ON "check_photos" USING btree ("check_id");--> statement-breakpoint
CREATE INDEX "checks_household_visited_idx" ON "checks" USING btree ("household_id","visited_on" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "checks_cadre_visited_idx" ON "checks" USING btree ("cadre_id","visited_on");--> statement-breakpoint
CREATE INDEX "checks_county_visited_idx" ON "checks" USING btree ("county_id","visited_on");--> statement-breakpoint
CREATE INDEX "cooperatives_township_idx" ON "cooperatives" USING btree ("township_id");--> statement-breakpoint
CREATE UNIQUE INDEX "cooperatives_registration_code_uq" ON "cooperatives" USING btree ("registration_code");--> statement-breakpoint
CREATE INDEX "deliveries_allocation_idx" ON "deliveries" USING btree ("allocation_id");--> statement-breakpoint
CREATE INDEX "fund_allocations_project_idx" ON "fund_allocations" USING btree ("project_id");--> statement-breakpoint
CREATE INDEX "fund_allocations_household_idx" ON "fund_allocations" USING btree ("household_id");--> statement-breakpoint
CREATE INDEX "fund_allocations_plan_idx" ON "fund_allocations" USING btree ("plan_id");--> statement-breakpoint
CREATE UNIQUE INDEX "households_code_uq" ON "households" USING btree ("code");--> statement-breakpoint
CREATE INDEX "households_county_idx" ON "households" USING btree ("county_id");--> statement-breakpoint
CREATE INDEX "households_township_village_idx" ON "households" USING btree ("township_id","village_id","head_name");--> statement-breakpoint
CREATE INDEX "households_village_idx" ON "households" USING btree ("village_id");--> statement-breakpoint
CREATE INDEX "households_head_name_idx" ON "households" USING btree ("head_name");--> statement-breakpoint
CREATE UNIQUE INDEX "members_id_number_uq" ON "members" USING btree ("id_number");--> statement-breakpoint
CREATE UNIQUE INDEX "members_one_head_uq" ON "members" USING btree ("household_id") WHERE "members"."relation" = 'head';--> statement-breakpoint
CREATE INDEX "members_household_idx" ON "members" USING btree ("household_id");--> statement-breakpoint
CREATE INDEX "members_id_tail_idx" ON "members" USING btree (right("id_number", 6));--> statement-breakpoint
CREATE UNIQUE INDEX "memberships_current_uq" ON "memberships" USING btree ("cooperative_id","household_id") WHERE "memberships"."left_on" is null;--> statement-breakpoint
CREATE INDEX "memberships_household_idx" ON "memberships" USING btree ("household_id");--> statement-breakpoint
CREATE UNIQUE INDEX "order_allocations_order_household_uq" ON "order_allocations" USING btree ("order_id","household_id");--> statement-breakpoint
CREATE INDEX "order_allocations_household_idx" ON "order_allocations" USING btree ("household_id");--> statement-breakpoint
CREATE INDEX "plan_events_plan_idx" ON "plan_events" USING btree ("plan_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "plans_household_year_uq" ON "plans" USING btree ("household_id","year");--> statement-breakpoint
CREATE INDEX "plans_county_year_status_idx" ON "plans" USING btree ("county_id","year","status");--> statement-breakpoint
CREATE INDEX "planting_items_plan_idx" ON "plan_planting_items" USING btree ("plan_id");--> statement-breakpoint
CREATE INDEX "purchase_orders_cooperative_idx" ON "purchase_orders" USING btree ("cooperative_id");--> statement-breakpoint
CREATE INDEX "purchase_orders_crop_idx" ON "purchase_orders" USING btree ("county_id","crop_code");--> statement-breakpoint
CREATE INDEX "raising_items_plan_idx" ON "plan_raising_items" USING btree ("plan_id");--> statement-breakpoint
CREATE UNIQUE INDEX "regions_code_uq" ON "regions" USING btree ("code");--> statement-breakpoint
CREATE INDEX "regions_parent_idx" ON "regions" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "settings_key_region_uq" ON "settings" USING btree ("key",coalesce("region_id", '00000000-0000-0000-0000-000000000000'::uuid));--> statement-breakpoint
CREATE UNIQUE INDEX "users_username_uq" ON "users" USING btree (lower("username"));--> statement-breakpoint
CREATE INDEX "users_township_role_idx" ON "users" USING btree ("township_id","role");