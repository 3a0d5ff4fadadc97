ALTER TABLE "checks" ADD COLUMN "client_id" uuid;--> statement-breakpoint
CREATE UNIQUE INDEX "checks_client_id_uq" ON "checks" USING btree ("client_id");