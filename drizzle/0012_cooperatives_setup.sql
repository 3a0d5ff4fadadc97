ALTER TABLE "brokers" ADD COLUMN "retired_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "brokers" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "cooperatives" ADD COLUMN "contact_name" text;--> statement-breakpoint
ALTER TABLE "cooperatives" ADD COLUMN "phone" text;