ALTER TABLE "deliveries" DROP CONSTRAINT "deliveries_quantity_positive";--> statement-breakpoint
ALTER TABLE "deliveries" DROP CONSTRAINT "deliveries_money_nonneg";--> statement-breakpoint
ALTER TABLE "fund_allocations" DROP CONSTRAINT "fund_allocations_positive";--> statement-breakpoint
ALTER TABLE "fund_allocations" DROP CONSTRAINT "fund_allocations_quantity";--> statement-breakpoint
ALTER TABLE "deliveries" ADD COLUMN "corrects_delivery_id" uuid;--> statement-breakpoint
ALTER TABLE "deliveries" ADD COLUMN "reason" text;--> statement-breakpoint
ALTER TABLE "fund_allocations" ADD COLUMN "corrects_allocation_id" uuid;--> statement-breakpoint
ALTER TABLE "fund_allocations" ADD COLUMN "reason" text;--> statement-breakpoint
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_corrects_delivery_id_deliveries_id_fk" FOREIGN KEY ("corrects_delivery_id") REFERENCES "public"."deliveries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_allocations" ADD CONSTRAINT "fund_allocations_corrects_allocation_id_fund_allocations_id_fk" FOREIGN KEY ("corrects_allocation_id") REFERENCES "public"."fund_allocations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "deliveries_corrects_uq" ON "deliveries" USING btree ("corrects_delivery_id");--> statement-breakpoint
CREATE UNIQUE INDEX "fund_allocations_corrects_uq" ON "fund_allocations" USING btree ("corrects_allocation_id");--> statement-breakpoint
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_quantity_sign" CHECK (("deliveries"."corrects_delivery_id" is null and "deliveries"."quantity_kg" > 0) or ("deliveries"."corrects_delivery_id" is not null and "deliveries"."quantity_kg" < 0));--> statement-breakpoint
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_money_sign" CHECK ("deliveries"."unit_price_fen" >= 0 and (("deliveries"."corrects_delivery_id" is null and "deliveries"."amount_fen" >= 0 and "deliveries"."paid_fen" >= 0 and "deliveries"."paid_fen" <= "deliveries"."amount_fen") or ("deliveries"."corrects_delivery_id" is not null and "deliveries"."amount_fen" <= 0 and "deliveries"."paid_fen" <= 0 and "deliveries"."paid_fen" >= "deliveries"."amount_fen")));--> statement-breakpoint
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_reversal_reason" CHECK ("deliveries"."corrects_delivery_id" is null or length(btrim(coalesce("deliveries"."reason", ''))) >= 2);--> statement-breakpoint
ALTER TABLE "fund_allocations" ADD CONSTRAINT "fund_allocations_sign" CHECK (("fund_allocations"."corrects_allocation_id" is null and "fund_allocations"."amount_fen" > 0 and ("fund_allocations"."quantity" is null or "fund_allocations"."quantity" > 0)) or ("fund_allocations"."corrects_allocation_id" is not null and "fund_allocations"."amount_fen" < 0 and ("fund_allocations"."quantity" is null or "fund_allocations"."quantity" < 0)));--> statement-breakpoint
ALTER TABLE "fund_allocations" ADD CONSTRAINT "fund_allocations_reversal_reason" CHECK ("fund_allocations"."corrects_allocation_id" is null or length(btrim(coalesce("fund_allocations"."reason", ''))) >= 2);--> statement-breakpoint

-- ---------- hand-written below: triggers for domain rule 9 (docs/decisions/030-corrections-by-counter-entry.md) ----------

-- A reversal copies its original's price and date, which were held to the contract when the original was
-- recorded; holding them again would refuse to undo a delivery once its order's window had been moved.
CREATE OR REPLACE FUNCTION deliveries_near_contract() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  contract record;
BEGIN
  IF NEW.corrects_delivery_id IS NOT NULL THEN
    RETURN NEW;
  END IF;
  SELECT o.unit_price_fen, o.delivery_start, o.delivery_end INTO contract
    FROM order_allocations a JOIN purchase_orders o ON o.id = a.order_id
    WHERE a.id = NEW.allocation_id;
  IF abs(NEW.unit_price_fen - contract.unit_price_fen) * 100 > contract.unit_price_fen * 30 THEN
    RAISE EXCEPTION 'delivery price % fen/kg is more than 30%% from the contract''s %', NEW.unit_price_fen, contract.unit_price_fen
      USING ERRCODE = 'check_violation', CONSTRAINT = 'deliveries_price_near_contract';
  END IF;
  IF NEW.delivered_on < contract.delivery_start - 7 OR NEW.delivered_on > contract.delivery_end + 15 THEN
    RAISE EXCEPTION 'delivery on % is outside the window % to % and its tolerance', NEW.delivered_on, contract.delivery_start, contract.delivery_end
      USING ERRCODE = 'check_violation', CONSTRAINT = 'deliveries_date_near_window';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint

-- A reversal is the exact negative of an original delivery of the same allocation, itself no reversal:
-- then every sum over deliveries (kg, amount, paid; by allocation, order, household or year) nets to zero.
CREATE OR REPLACE FUNCTION deliveries_reversal_mirrors() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  original record;
BEGIN
  SELECT * INTO original FROM deliveries WHERE id = NEW.corrects_delivery_id;
  IF original.id IS NULL OR original.corrects_delivery_id IS NOT NULL
    OR original.allocation_id <> NEW.allocation_id
    OR NEW.quantity_kg <> -original.quantity_kg OR NEW.amount_fen <> -original.amount_fen
    OR NEW.paid_fen <> -original.paid_fen OR NEW.unit_price_fen <> original.unit_price_fen
    OR NEW.delivered_on <> original.delivered_on THEN
    RAISE EXCEPTION 'a reversal mirrors an original delivery of the same allocation'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'deliveries_reversal_mirrors';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER deliveries_reversal_mirrors
  BEFORE INSERT OR UPDATE ON deliveries
  FOR EACH ROW WHEN (NEW.corrects_delivery_id IS NOT NULL) EXECUTE FUNCTION deliveries_reversal_mirrors();
--> statement-breakpoint

-- Once reversed, an original is history: no payment lands on it, and the reversal itself never changes.
CREATE OR REPLACE FUNCTION deliveries_reversed_frozen() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.corrects_delivery_id IS NOT NULL
    OR EXISTS (SELECT 1 FROM deliveries WHERE corrects_delivery_id = OLD.id) THEN
    RAISE EXCEPTION 'delivery % is reversed or a reversal and is not changed', OLD.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'deliveries_reversed_frozen';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER deliveries_reversed_frozen
  BEFORE UPDATE ON deliveries
  FOR EACH ROW EXECUTE FUNCTION deliveries_reversed_frozen();
--> statement-breakpoint

-- A reversal goes to the plan its original went to, whatever that plan's status is now.
CREATE OR REPLACE FUNCTION fund_allocations_plan_approved() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  plan_status text;
BEGIN
  IF NEW.corrects_allocation_id IS NOT NULL THEN
    RETURN NEW;
  END IF;
  SELECT status::text INTO plan_status FROM plans WHERE id = NEW.plan_id;
  IF plan_status NOT IN ('approved', 'in_progress', 'completed') THEN
    RAISE EXCEPTION 'funds go to an approved plan; plan % is %', NEW.plan_id, plan_status
      USING ERRCODE = 'check_violation', CONSTRAINT = 'fund_allocations_plan_approved';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint

CREATE OR REPLACE FUNCTION fund_allocations_reversal_mirrors() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  original record;
BEGIN
  SELECT * INTO original FROM fund_allocations WHERE id = NEW.corrects_allocation_id;
  IF original.id IS NULL OR original.corrects_allocation_id IS NOT NULL
    OR original.project_id <> NEW.project_id OR original.plan_id <> NEW.plan_id
    OR original.household_id <> NEW.household_id OR NEW.amount_fen <> -original.amount_fen
    OR NEW.quantity IS DISTINCT FROM -original.quantity THEN
    RAISE EXCEPTION 'a reversal mirrors an original allocation of the same project, plan and household'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'fund_allocations_reversal_mirrors';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER fund_allocations_reversal_mirrors
  BEFORE INSERT OR UPDATE ON fund_allocations
  FOR EACH ROW WHEN (NEW.corrects_allocation_id IS NOT NULL) EXECUTE FUNCTION fund_allocations_reversal_mirrors();
