-- Rules the database holds itself, so that a write which bypasses the model (a script, a hand-made fix,
-- a future import path) cannot store what the model refuses. The model checks first and answers with a
-- message at the field; these are the last guard. Check constraints that use the two functions follow in
-- the next migration.

-- Domain rule 2: a GB 11643-1999 national ID number — 17 digits and a check character (weights
-- 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, sum mod 11 indexes "10X98765432") and a real birth date from 1900.
-- "Not in the future" is left to the model: a check constraint must not depend on today's date.
CREATE OR REPLACE FUNCTION gb11643_valid(n text) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
  weights int[] := array[7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  total int := 0;
  y int;
  m int;
  d int;
BEGIN
  IF n !~ '^[0-9]{17}[0-9X]$' THEN
    RETURN false;
  END IF;
  y := substr(n, 7, 4)::int;
  m := substr(n, 11, 2)::int;
  d := substr(n, 13, 2)::int;
  IF y < 1900 OR m < 1 OR m > 12 OR d < 1
     OR d > extract(day from (make_date(y, m, 1) + interval '1 month' - interval '1 day')) THEN
    RETURN false;
  END IF;
  FOR i IN 1..17 LOOP
    total := total + substr(n, i, 1)::int * weights[i];
  END LOOP;
  RETURN substr('10X98765432', total % 11 + 1, 1) = substr(n, 18, 1);
END
$$;
--> statement-breakpoint

-- A GB 32100-2015 unified social credit code: the shape buyers_credit_code_format already holds, and the
-- check character over the 31-character alphabet (weights 3^i mod 31, check = 31 − sum mod 31, 31 → 0).
CREATE OR REPLACE FUNCTION gb32100_valid(c text) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
  alphabet text := '0123456789ABCDEFGHJKLMNPQRTUWXY';
  weights int[] := array[1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  total int := 0;
BEGIN
  IF c !~ '^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$' THEN
    RETURN false;
  END IF;
  FOR i IN 1..17 LOOP
    total := total + (strpos(alphabet, substr(c, i, 1)) - 1) * weights[i];
  END LOOP;
  RETURN substr(alphabet, (31 - total % 31) % 31 + 1, 1) = substr(c, 18, 1);
END
$$;
--> statement-breakpoint

-- Domain rule 3: a plan is drawn on the household's registered courtyard. Checked when a plan is written
-- or its area changes; a change of the household's area is carried to its editable plans by the model.
-- Approved and later plans keep the area they were approved with.
CREATE OR REPLACE FUNCTION plans_courtyard_is_households() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  registered numeric;
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.courtyard_area = OLD.courtyard_area AND NEW.household_id = OLD.household_id THEN
    RETURN NEW;
  END IF;
  SELECT courtyard_area INTO registered FROM households WHERE id = NEW.household_id;
  IF registered IS DISTINCT FROM NEW.courtyard_area THEN
    RAISE EXCEPTION 'plan courtyard area % is not the household''s registered %', NEW.courtyard_area, registered
      USING ERRCODE = 'check_violation', CONSTRAINT = 'plans_courtyard_is_households';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER plans_courtyard_is_households
  BEFORE INSERT OR UPDATE OF courtyard_area, household_id ON plans
  FOR EACH ROW EXECUTE FUNCTION plans_courtyard_is_households();
--> statement-breakpoint

-- Domain rule 4: a delivery is priced within 30 % of its order's contract price and dated from 7 days
-- before the delivery window opens to 15 days after it closes (docs/decisions/015-delivery-tolerances.md;
-- the same numbers are DELIVERY_PRICE_TOLERANCE_PERCENT and DELIVERY_DAYS_* in app/models/orders.server.ts).
CREATE OR REPLACE FUNCTION deliveries_near_contract() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  contract record;
BEGIN
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
CREATE TRIGGER deliveries_near_contract
  BEFORE INSERT OR UPDATE OF unit_price_fen, delivered_on, allocation_id ON deliveries
  FOR EACH ROW EXECUTE FUNCTION deliveries_near_contract();
--> statement-breakpoint

-- Funds go to a plan an official has approved (approved, in progress or completed), never to a draft,
-- a submitted or a returned one (docs/decisions/015-delivery-tolerances.md, "Funds").
CREATE OR REPLACE FUNCTION fund_allocations_plan_approved() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  plan_status text;
BEGIN
  SELECT status::text INTO plan_status FROM plans WHERE id = NEW.plan_id;
  IF plan_status NOT IN ('approved', 'in_progress', 'completed') THEN
    RAISE EXCEPTION 'funds go to an approved plan; plan % is %', NEW.plan_id, plan_status
      USING ERRCODE = 'check_violation', CONSTRAINT = 'fund_allocations_plan_approved';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER fund_allocations_plan_approved
  BEFORE INSERT OR UPDATE OF plan_id ON fund_allocations
  FOR EACH ROW EXECUTE FUNCTION fund_allocations_plan_approved();
