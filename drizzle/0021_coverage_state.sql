CREATE TABLE "household_coverage" (
	"household_id" uuid PRIMARY KEY NOT NULL,
	"persons" integer DEFAULT 0 NOT NULL,
	"open_cadre" boolean DEFAULT false NOT NULL,
	"plan_years" integer[] DEFAULT '{}'::int[] NOT NULL,
	"industry_on" datemultirange DEFAULT '{}'::datemultirange NOT NULL
);
--> statement-breakpoint
ALTER TABLE "household_coverage" ADD CONSTRAINT "household_coverage_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint

-- ---------- hand-written below: the coverage state and its triggers (docs/decisions/043-coverage-state.md) ----------

-- The definition: each household's ingredients computed from the records. The triggers, the seed's rebuild
-- and the tests all read it, so the kept rows and a computation from scratch cannot mean two things.
CREATE OR REPLACE FUNCTION household_coverage_of(ids uuid[])
RETURNS TABLE (household_id uuid, persons int, open_cadre boolean, plan_years int[], industry_on datemultirange)
LANGUAGE sql STABLE AS $$
  SELECT h.id,
    (SELECT count(*) FROM members m WHERE m.household_id = h.id)::int,
    EXISTS (SELECT 1 FROM cadre_assignments a WHERE a.household_id = h.id AND a.ends_on IS NULL),
    coalesce((SELECT array_agg(DISTINCT p.year ORDER BY p.year) FROM plans p
      WHERE p.household_id = h.id AND p.status IN ('approved', 'in_progress', 'completed')), '{}'::int[]),
    coalesce((SELECT range_agg(x.r) FROM (
        -- a membership: joined by the day, not left
        SELECT daterange(ms.joined_on, ms.left_on, '[)') AS r FROM memberships ms WHERE ms.household_id = h.id
        UNION ALL
        -- a live order's allocation not withdrawn to nothing: through the year its delivery ends in
        SELECT daterange(NULL, make_date(extract(year FROM o.delivery_end)::int + 1, 1, 1), '[)')
        FROM order_allocations oa JOIN purchase_orders o ON o.id = oa.order_id
        WHERE oa.household_id = h.id AND o.status IN ('signed', 'delivering', 'fulfilled')
          AND oa.quantity_kg + coalesce((SELECT sum(c.delta_kg) FROM order_allocation_changes c WHERE c.allocation_id = oa.id), 0) > 0
        UNION ALL
        -- an industry project's allocation, not reversed and not itself a reversal: from its day to its year's end
        SELECT daterange(fa.allocated_on, make_date(extract(year FROM fa.allocated_on)::int + 1, 1, 1), '[)')
        FROM fund_allocations fa JOIN aid_projects ap ON ap.id = fa.project_id
        WHERE fa.household_id = h.id AND ap.type = 'industry' AND fa.corrects_allocation_id IS NULL
          AND NOT EXISTS (SELECT 1 FROM fund_allocations r WHERE r.corrects_allocation_id = fa.id)
      ) x), '{}'::datemultirange)
  FROM households h WHERE h.id = ANY(ids)
$$;
--> statement-breakpoint

-- Reads `ids` again. As for the visit state: the rows are locked first and read by a later statement, so a
-- concurrent write to the same household committed meanwhile is seen.
CREATE OR REPLACE FUNCTION household_coverage_refresh(ids uuid[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  IF ids IS NULL OR cardinality(ids) = 0 THEN RETURN; END IF;
  ids := ARRAY(SELECT DISTINCT x FROM unnest(ids) x WHERE x IS NOT NULL ORDER BY x);
  INSERT INTO household_coverage (household_id)
    SELECT x FROM unnest(ids) x JOIN households h ON h.id = x ORDER BY x
    ON CONFLICT DO NOTHING;
  PERFORM 1 FROM household_coverage WHERE household_id = ANY(ids) ORDER BY household_id FOR UPDATE;
  UPDATE household_coverage c
    SET persons = f.persons, open_cadre = f.open_cadre, plan_years = f.plan_years, industry_on = f.industry_on
    FROM household_coverage_of(ids) f
    WHERE c.household_id = f.household_id
      AND (c.persons, c.open_cadre, c.plan_years, c.industry_on)
        IS DISTINCT FROM (f.persons, f.open_cadre, f.plan_years, f.industry_on);
END
$$;
--> statement-breakpoint

-- The tables whose rows name their household: members, assignments, plans, memberships, order
-- allocations, fund allocations (a reversal also the household of the allocation it reverses).
CREATE OR REPLACE FUNCTION household_rows_visit_state_coverage() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  ids uuid[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(household_id) INTO ids FROM new_rows;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(household_id) INTO ids FROM old_rows;
  ELSE
    SELECT array_agg(x) INTO ids FROM (SELECT household_id FROM old_rows UNION SELECT household_id FROM new_rows) y(x);
  END IF;
  IF TG_TABLE_NAME = 'fund_allocations' THEN
    IF TG_OP <> 'DELETE' THEN
      ids := ids || ARRAY(SELECT fa.household_id FROM new_rows n JOIN fund_allocations fa ON fa.id = n.corrects_allocation_id);
    END IF;
    IF TG_OP <> 'INSERT' THEN
      ids := ids || ARRAY(SELECT fa.household_id FROM old_rows o JOIN fund_allocations fa ON fa.id = o.corrects_allocation_id);
    END IF;
  END IF;
  PERFORM household_coverage_refresh(ids);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER members_visit_state_coverage_insert AFTER INSERT ON members
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION household_rows_visit_state_coverage();
--> statement-breakpoint
CREATE TRIGGER members_visit_state_coverage_update AFTER UPDATE ON members
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION household_rows_visit_state_coverage();
--> statement-breakpoint
CREATE TRIGGER members_visit_state_coverage_delete AFTER DELETE ON members
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION household_rows_visit_state_coverage();
--> statement-breakpoint
CREATE TRIGGER cadre_assignments_visit_state_coverage_insert AFTER INSERT ON cadre_assignments
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION household_rows_visit_state_coverage();
--> statement-breakpoint
CREATE TRIGGER cadre_assignments_visit_state_coverage_update AFTER UPDATE ON cadre_assignments
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION household_rows_visit_state_coverage();
--> statement-breakpoint
CREATE TRIGGER cadre_assignments_visit_state_coverage_delete AFTER DELETE ON cadre_assignments
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION household_rows_visit_state_coverage();
--> statement-breakpoint
CREATE TRIGGER plans_visit_state_coverage_insert AFTER INSERT ON plans
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION household_rows_visit_state_coverage();
--> statement-breakpoint
CREATE TRIGGER plans_visit_state_coverage_update AFTER UPDATE ON plans
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION household_rows_visit_state_coverage();
--> statement-breakpoint
CREATE TRIGGER plans_visit_state_coverage_delete AFTER DELETE ON plans
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION household_rows_visit_state_coverage();
--> statement-breakpoint
CREATE TRIGGER memberships_visit_state_coverage_insert AFTER INSERT ON memberships
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION household_rows_visit_state_coverage();
--> statement-breakpoint
CREATE TRIGGER memberships_visit_state_coverage_update AFTER UPDATE ON memberships
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION household_rows_visit_state_coverage();
--> statement-breakpoint
CREATE TRIGGER memberships_visit_state_coverage_delete AFTER DELETE ON memberships
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION household_rows_visit_state_coverage();
--> statement-breakpoint
CREATE TRIGGER order_allocations_visit_state_coverage_insert AFTER INSERT ON order_allocations
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION household_rows_visit_state_coverage();
--> statement-breakpoint
CREATE TRIGGER order_allocations_visit_state_coverage_update AFTER UPDATE ON order_allocations
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION household_rows_visit_state_coverage();
--> statement-breakpoint
CREATE TRIGGER order_allocations_visit_state_coverage_delete AFTER DELETE ON order_allocations
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION household_rows_visit_state_coverage();
--> statement-breakpoint
CREATE TRIGGER fund_allocations_visit_state_coverage_insert AFTER INSERT ON fund_allocations
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION household_rows_visit_state_coverage();
--> statement-breakpoint
CREATE TRIGGER fund_allocations_visit_state_coverage_update AFTER UPDATE ON fund_allocations
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION household_rows_visit_state_coverage();
--> statement-breakpoint
CREATE TRIGGER fund_allocations_visit_state_coverage_delete AFTER DELETE ON fund_allocations
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION household_rows_visit_state_coverage();
--> statement-breakpoint

-- A change to an allocation's kilograms: the household of the allocation.
CREATE OR REPLACE FUNCTION order_allocation_changes_visit_state_coverage() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  ids uuid[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(oa.household_id) INTO ids FROM new_rows n JOIN order_allocations oa ON oa.id = n.allocation_id;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(oa.household_id) INTO ids FROM old_rows o JOIN order_allocations oa ON oa.id = o.allocation_id;
  ELSE
    SELECT array_agg(oa.household_id) INTO ids FROM (SELECT allocation_id FROM old_rows UNION SELECT allocation_id FROM new_rows) x
      JOIN order_allocations oa ON oa.id = x.allocation_id;
  END IF;
  PERFORM household_coverage_refresh(ids);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER order_allocation_changes_visit_state_coverage_insert AFTER INSERT ON order_allocation_changes
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION order_allocation_changes_visit_state_coverage();
--> statement-breakpoint
CREATE TRIGGER order_allocation_changes_visit_state_coverage_update AFTER UPDATE ON order_allocation_changes
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION order_allocation_changes_visit_state_coverage();
--> statement-breakpoint
CREATE TRIGGER order_allocation_changes_visit_state_coverage_delete AFTER DELETE ON order_allocation_changes
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION order_allocation_changes_visit_state_coverage();
--> statement-breakpoint

-- An order's status or delivery end: every household allocated from it.
CREATE OR REPLACE FUNCTION purchase_orders_visit_state_coverage() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  ids uuid[];
BEGIN
  SELECT array_agg(oa.household_id) INTO ids FROM old_rows o JOIN new_rows n ON n.id = o.id
    JOIN order_allocations oa ON oa.order_id = o.id
    WHERE (o.status, o.delivery_end) IS DISTINCT FROM (n.status, n.delivery_end);
  PERFORM household_coverage_refresh(ids);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER purchase_orders_visit_state_coverage_update AFTER UPDATE ON purchase_orders
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION purchase_orders_visit_state_coverage();
--> statement-breakpoint

-- A project's type: every household allocated from it.
CREATE OR REPLACE FUNCTION aid_projects_visit_state_coverage() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  ids uuid[];
BEGIN
  SELECT array_agg(fa.household_id) INTO ids FROM old_rows o JOIN new_rows n ON n.id = o.id
    JOIN fund_allocations fa ON fa.project_id = o.id
    WHERE o.type IS DISTINCT FROM n.type;
  PERFORM household_coverage_refresh(ids);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER aid_projects_visit_state_coverage_update AFTER UPDATE ON aid_projects
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION aid_projects_visit_state_coverage();
--> statement-breakpoint

-- the households already recorded, one row each
INSERT INTO household_coverage (household_id, persons, open_cadre, plan_years, industry_on)
  SELECT * FROM household_coverage_of(ARRAY(SELECT id FROM households));
