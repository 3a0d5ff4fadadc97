CREATE TYPE "public"."amendment_status" AS ENUM('submitted', 'returned', 'approved', 'withdrawn');--> statement-breakpoint
CREATE TABLE "plan_amendments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"county_id" uuid NOT NULL,
	"plan_id" uuid NOT NULL,
	"status" "amendment_status" DEFAULT 'submitted' NOT NULL,
	"content" jsonb NOT NULL,
	"reason" text NOT NULL,
	"base_plan_version" integer NOT NULL,
	"base_content" jsonb NOT NULL,
	"return_reason" text,
	"returned_by" uuid,
	"returned_at" timestamp with time zone,
	"returned_content" jsonb,
	"proposed_by" uuid NOT NULL,
	"proposed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"replaced_content" jsonb,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "plan_amendments_reason" CHECK (length(trim("plan_amendments"."reason")) >= 2),
	CONSTRAINT "plan_amendments_returned" CHECK ("plan_amendments"."status" <> 'returned' or (length(trim("plan_amendments"."return_reason")) >= 2 and "plan_amendments"."returned_at" is not null)),
	CONSTRAINT "plan_amendments_decided" CHECK (("plan_amendments"."status" in ('approved', 'withdrawn')) = ("plan_amendments"."decided_at" is not null)),
	CONSTRAINT "plan_amendments_applied" CHECK (("plan_amendments"."status" = 'approved') = ("plan_amendments"."replaced_content" is not null))
);
--> statement-breakpoint
ALTER TABLE "plan_amendments" ADD CONSTRAINT "plan_amendments_county_id_regions_id_fk" FOREIGN KEY ("county_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_amendments" ADD CONSTRAINT "plan_amendments_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_amendments" ADD CONSTRAINT "plan_amendments_returned_by_users_id_fk" FOREIGN KEY ("returned_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_amendments" ADD CONSTRAINT "plan_amendments_proposed_by_users_id_fk" FOREIGN KEY ("proposed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_amendments" ADD CONSTRAINT "plan_amendments_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "plan_amendments_open_uq" ON "plan_amendments" USING btree ("plan_id") WHERE "plan_amendments"."status" in ('submitted', 'returned');--> statement-breakpoint
CREATE INDEX "plan_amendments_plan_idx" ON "plan_amendments" USING btree ("plan_id","proposed_at");--> statement-breakpoint
CREATE INDEX "plan_amendments_county_status_idx" ON "plan_amendments" USING btree ("county_id","status");