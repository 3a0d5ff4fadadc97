CREATE TABLE "poverty_causes" (
	"code" text PRIMARY KEY NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"retired_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "poverty_causes_code_format" CHECK ("poverty_causes"."code" ~ '^[a-z][a-z0-9_]{0,29}$')
);
--> statement-breakpoint
-- The poverty causes were a fixed enum: the same eight, with the names the pages showed, become the list's first rows.
INSERT INTO "poverty_causes" ("code", "name_zh", "name_en", "sort_order") VALUES
  ('illness', '因病', 'Illness', 1),
  ('disability', '因残', 'Disability', 2),
  ('education', '因学', 'Schooling costs', 3),
  ('lack_skills', '缺技术', 'Lack of skills', 4),
  ('lack_labour', '缺劳力', 'Lack of labour', 5),
  ('lack_funds', '缺资金', 'Lack of funds', 6),
  ('lack_land', '缺土地', 'Lack of land', 7),
  ('other', '其他', 'Other', 99)
ON CONFLICT ("code") DO NOTHING;--> statement-breakpoint
ALTER TABLE "households" ALTER COLUMN "poverty_cause" SET DATA TYPE text USING "poverty_cause"::text;--> statement-breakpoint
ALTER TABLE "animals" ADD COLUMN "retired_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "animals" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "animals" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "crops" ADD COLUMN "retired_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "crops" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "crops" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "poverty_causes_name_zh_live_uq" ON "poverty_causes" USING btree ("name_zh") WHERE "poverty_causes"."retired_at" is null;--> statement-breakpoint
ALTER TABLE "households" ADD CONSTRAINT "households_poverty_cause_poverty_causes_code_fk" FOREIGN KEY ("poverty_cause") REFERENCES "public"."poverty_causes"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "animals_name_zh_live_uq" ON "animals" USING btree ("name_zh") WHERE "animals"."retired_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "crops_name_zh_live_uq" ON "crops" USING btree ("name_zh") WHERE "crops"."retired_at" is null;--> statement-breakpoint
ALTER TABLE "animals" ADD CONSTRAINT "animals_code_format" CHECK ("animals"."code" ~ '^[a-z][a-z0-9_]{0,29}$');--> statement-breakpoint
ALTER TABLE "crops" ADD CONSTRAINT "crops_code_format" CHECK ("crops"."code" ~ '^[a-z][a-z0-9_]{0,29}$');--> statement-breakpoint
DROP TYPE "public"."poverty_cause";