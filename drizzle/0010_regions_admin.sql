ALTER TABLE "regions" ADD COLUMN "retired_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "regions" ADD COLUMN "merged_into_id" uuid;--> statement-breakpoint
ALTER TABLE "regions" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "regions" ADD CONSTRAINT "regions_merged_into_id_regions_id_fk" FOREIGN KEY ("merged_into_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "regions" ADD CONSTRAINT "regions_merged_is_retired" CHECK ("regions"."merged_into_id" is null or "regions"."retired_at" is not null);