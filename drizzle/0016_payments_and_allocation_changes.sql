CREATE TABLE "order_allocation_changes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"county_id" uuid NOT NULL,
	"allocation_id" uuid NOT NULL,
	"delta_kg" numeric(14, 2) NOT NULL,
	"reason" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "order_allocation_changes_delta" CHECK ("order_allocation_changes"."delta_kg" <> 0),
	CONSTRAINT "order_allocation_changes_reason" CHECK (length(btrim("order_allocation_changes"."reason")) >= 2)
);
--> statement-breakpoint
CREATE TABLE "payments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"county_id" uuid NOT NULL,
	"delivery_id" uuid NOT NULL,
	"amount_fen" bigint NOT NULL,
	"paid_on" date NOT NULL,
	"note" text,
	"corrects_payment_id" uuid,
	"reason" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payments_amount_sign" CHECK (("payments"."corrects_payment_id" is null and "payments"."amount_fen" > 0) or ("payments"."corrects_payment_id" is not null and "payments"."amount_fen" < 0)),
	CONSTRAINT "payments_reversal_reason" CHECK ("payments"."corrects_payment_id" is null or length(btrim(coalesce("payments"."reason", ''))) >= 2)
);
--> statement-breakpoint
ALTER TABLE "deliveries" DROP CONSTRAINT "deliveries_money_sign";--> statement-breakpoint
ALTER TABLE "order_allocation_changes" ADD CONSTRAINT "order_allocation_changes_county_id_regions_id_fk" FOREIGN KEY ("county_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_allocation_changes" ADD CONSTRAINT "order_allocation_changes_allocation_id_order_allocations_id_fk" FOREIGN KEY ("allocation_id") REFERENCES "public"."order_allocations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_allocation_changes" ADD CONSTRAINT "order_allocation_changes_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_county_id_regions_id_fk" FOREIGN KEY ("county_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_delivery_id_deliveries_id_fk" FOREIGN KEY ("delivery_id") REFERENCES "public"."deliveries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_corrects_payment_id_payments_id_fk" FOREIGN KEY ("corrects_payment_id") REFERENCES "public"."payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "order_allocation_changes_allocation_idx" ON "order_allocation_changes" USING btree ("allocation_id");--> statement-breakpoint
CREATE INDEX "payments_delivery_idx" ON "payments" USING btree ("delivery_id");--> statement-breakpoint
CREATE UNIQUE INDEX "payments_corrects_uq" ON "payments" USING btree ("corrects_payment_id");--> statement-breakpoint
-- Written by hand (data): each delivery's paid_fen becomes a payment row before the column goes. An original
-- delivery's money is one payment on its paid_on (or its delivery date); where a delivery was reversed, the
-- reversal had negated that money, so the payment is reversed too, with the delivery's reason.
INSERT INTO "payments" ("county_id", "delivery_id", "amount_fen", "paid_on", "created_by", "created_at")
SELECT d."county_id", d."id", d."paid_fen", coalesce(d."paid_on", d."delivered_on"), d."created_by", d."created_at"
FROM "deliveries" d
WHERE d."corrects_delivery_id" IS NULL AND d."paid_fen" > 0;--> statement-breakpoint
INSERT INTO "payments" ("county_id", "delivery_id", "amount_fen", "paid_on", "corrects_payment_id", "reason", "created_by", "created_at")
SELECT r."county_id", p."delivery_id", -p."amount_fen", p."paid_on", p."id", r."reason", r."created_by", r."created_at"
FROM "deliveries" r
JOIN "payments" p ON p."delivery_id" = r."corrects_delivery_id"
WHERE r."paid_fen" < 0;--> statement-breakpoint
ALTER TABLE "deliveries" DROP COLUMN "payment_status";--> statement-breakpoint
ALTER TABLE "deliveries" DROP COLUMN "paid_fen";--> statement-breakpoint
ALTER TABLE "deliveries" DROP COLUMN "paid_on";--> statement-breakpoint
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_money_sign" CHECK ("deliveries"."unit_price_fen" >= 0 and (("deliveries"."corrects_delivery_id" is null and "deliveries"."amount_fen" >= 0) or ("deliveries"."corrects_delivery_id" is not null and "deliveries"."amount_fen" <= 0)));--> statement-breakpoint

-- Written by hand below this line: the rules the database holds last (the model holds them first, under
-- the order's lock, with the messages a person reads).

-- A delivery reversal is the exact negative of an original of the same allocation, itself no reversal, and
-- the original's payments are reversed first: its money nets to zero before the goods do.
CREATE OR REPLACE FUNCTION deliveries_reversal_mirrors() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  original record;
BEGIN
  SELECT * INTO original FROM deliveries WHERE id = NEW.corrects_delivery_id;
  IF original.id IS NULL OR original.corrects_delivery_id IS NOT NULL
    OR original.allocation_id <> NEW.allocation_id
    OR NEW.quantity_kg <> -original.quantity_kg OR NEW.amount_fen <> -original.amount_fen
    OR NEW.unit_price_fen <> original.unit_price_fen
    OR NEW.delivered_on <> original.delivered_on THEN
    RAISE EXCEPTION 'a reversal mirrors an original delivery of the same allocation'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'deliveries_reversal_mirrors';
  END IF;
  IF (SELECT coalesce(sum(amount_fen), 0) FROM payments WHERE delivery_id = original.id) <> 0 THEN
    RAISE EXCEPTION 'delivery % has payments standing; reverse them first', original.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'deliveries_reversal_unpaid';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint

-- A payment lands only on a delivery that stands (an original, not reversed) and never takes its paid total
-- past its amount; the delivery row is locked first, so two payments at once are summed one after the other.
-- A payment reversal is the exact negative of an original payment of the same delivery.
CREATE OR REPLACE FUNCTION payments_rules() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  delivery record;
  original record;
  paid bigint;
BEGIN
  SELECT * INTO delivery FROM deliveries WHERE id = NEW.delivery_id FOR UPDATE;
  IF NEW.corrects_payment_id IS NULL THEN
    IF delivery.corrects_delivery_id IS NOT NULL
      OR EXISTS (SELECT 1 FROM deliveries WHERE corrects_delivery_id = delivery.id) THEN
      RAISE EXCEPTION 'no payment on a reversed delivery or a reversal'
        USING ERRCODE = 'check_violation', CONSTRAINT = 'payments_delivery_stands';
    END IF;
    SELECT coalesce(sum(amount_fen), 0) INTO paid FROM payments WHERE delivery_id = delivery.id;
    IF paid + NEW.amount_fen > delivery.amount_fen THEN
      RAISE EXCEPTION 'payments of delivery % exceed its amount', delivery.id
        USING ERRCODE = 'check_violation', CONSTRAINT = 'payments_within_amount';
    END IF;
  ELSE
    SELECT * INTO original FROM payments WHERE id = NEW.corrects_payment_id;
    IF original.id IS NULL OR original.corrects_payment_id IS NOT NULL
      OR original.delivery_id <> NEW.delivery_id OR NEW.amount_fen <> -original.amount_fen THEN
      RAISE EXCEPTION 'a payment reversal mirrors an original payment of the same delivery'
        USING ERRCODE = 'check_violation', CONSTRAINT = 'payments_reversal_mirrors';
    END IF;
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER payments_rules
  BEFORE INSERT ON payments
  FOR EACH ROW EXECUTE FUNCTION payments_rules();
--> statement-breakpoint

-- Ledger rows are never edited: payments and allocation changes, and an allocation's recorded kilograms.
CREATE OR REPLACE FUNCTION ledger_row_frozen() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% rows are not edited; record a counter-entry', TG_TABLE_NAME
    USING ERRCODE = 'check_violation', CONSTRAINT = TG_TABLE_NAME || '_frozen';
END
$$;
--> statement-breakpoint
CREATE TRIGGER payments_frozen
  BEFORE UPDATE ON payments
  FOR EACH ROW EXECUTE FUNCTION ledger_row_frozen();
--> statement-breakpoint
CREATE TRIGGER order_allocation_changes_frozen
  BEFORE UPDATE ON order_allocation_changes
  FOR EACH ROW EXECUTE FUNCTION ledger_row_frozen();
--> statement-breakpoint
CREATE TRIGGER order_allocations_frozen
  BEFORE UPDATE OF quantity_kg ON order_allocations
  FOR EACH ROW WHEN (NEW.quantity_kg IS DISTINCT FROM OLD.quantity_kg) EXECUTE FUNCTION ledger_row_frozen();
--> statement-breakpoint

-- An allocation's net kilograms (recorded plus changes) never go below zero.
CREATE OR REPLACE FUNCTION order_allocation_changes_net() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  recorded numeric;
  changed numeric;
BEGIN
  SELECT quantity_kg INTO recorded FROM order_allocations WHERE id = NEW.allocation_id FOR UPDATE;
  SELECT coalesce(sum(delta_kg), 0) INTO changed FROM order_allocation_changes WHERE allocation_id = NEW.allocation_id;
  IF recorded + changed + NEW.delta_kg < 0 THEN
    RAISE EXCEPTION 'allocation % would fall below zero', NEW.allocation_id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'order_allocation_changes_net';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER order_allocation_changes_net
  BEFORE INSERT ON order_allocation_changes
  FOR EACH ROW EXECUTE FUNCTION order_allocation_changes_net();
