CREATE TABLE "points_adjustments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"county_id" uuid NOT NULL,
	"cadre_id" uuid NOT NULL,
	"effective_on" date NOT NULL,
	"points" integer NOT NULL,
	"reason" text NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "points_adjustments_nonzero" CHECK ("points_adjustments"."points" <> 0 and "points_adjustments"."points" between -100 and 100),
	CONSTRAINT "points_adjustments_reason" CHECK (length(trim("points_adjustments"."reason")) >= 2)
);
--> statement-breakpoint
ALTER TABLE "plan_planting_items" ADD COLUMN "position" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "plan_raising_items" ADD COLUMN "position" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "points_adjustments" ADD CONSTRAINT "points_adjustments_county_id_regions_id_fk" FOREIGN KEY ("county_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_adjustments" ADD CONSTRAINT "points_adjustments_cadre_id_users_id_fk" FOREIGN KEY ("cadre_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_adjustments" ADD CONSTRAINT "points_adjustments_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "points_adjustments_cadre_idx" ON "points_adjustments" USING btree ("cadre_id","effective_on");--> statement-breakpoint
CREATE INDEX "checks_plan_idx" ON "checks" USING btree ("plan_id");--> statement-breakpoint
CREATE INDEX "checks_corrects_idx" ON "checks" USING btree ("corrects_check_id");--> statement-breakpoint
CREATE INDEX "memberships_cooperative_idx" ON "memberships" USING btree ("cooperative_id");--> statement-breakpoint
CREATE INDEX "order_allocations_membership_idx" ON "order_allocations" USING btree ("membership_id");--> statement-breakpoint
CREATE INDEX "purchase_orders_buyer_idx" ON "purchase_orders" USING btree ("buyer_id");--> statement-breakpoint
ALTER TABLE "regions" ADD CONSTRAINT "regions_county_by_level" CHECK (("regions"."level" = 'county') = ("regions"."county_id" is null));