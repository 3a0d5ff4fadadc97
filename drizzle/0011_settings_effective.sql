DROP INDEX "settings_key_region_uq";--> statement-breakpoint
ALTER TABLE "settings" ALTER COLUMN "value" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "settings" ADD COLUMN "effective_from" date DEFAULT '2000-01-01' NOT NULL;--> statement-breakpoint
ALTER TABLE "settings" ADD COLUMN "created_by" uuid;--> statement-breakpoint
ALTER TABLE "settings" ADD CONSTRAINT "settings_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "settings_key_region_from_uq" ON "settings" USING btree ("key",coalesce("region_id", '00000000-0000-0000-0000-000000000000'::uuid),"effective_from");--> statement-breakpoint
ALTER TABLE "settings" ADD CONSTRAINT "settings_county_value" CHECK ("settings"."region_id" is not null or "settings"."value" is not null);--> statement-breakpoint
-- by hand: nothing reads coverage.windowDays (coverage's visit condition is the due-date rule)
DELETE FROM "settings" WHERE "key" = 'coverage.windowDays';
