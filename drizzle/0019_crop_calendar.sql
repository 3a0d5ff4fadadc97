CREATE TABLE "calendar_visits" (
	"plan_id" uuid NOT NULL,
	"household_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"code" text NOT NULL,
	"stage" text NOT NULL,
	"due_on" date NOT NULL,
	"opens_on" date NOT NULL,
	CONSTRAINT "calendar_visits_plan_id_kind_code_stage_pk" PRIMARY KEY("plan_id","kind","code","stage")
);
--> statement-breakpoint
ALTER TABLE "animals" ADD COLUMN "buy_in_month" smallint;--> statement-breakpoint
ALTER TABLE "animals" ADD COLUMN "buy_in_day" smallint;--> statement-breakpoint
ALTER TABLE "animals" ADD COLUMN "sell_month" smallint;--> statement-breakpoint
ALTER TABLE "animals" ADD COLUMN "sell_day" smallint;--> statement-breakpoint
ALTER TABLE "crops" ADD COLUMN "transplant_month" smallint;--> statement-breakpoint
ALTER TABLE "crops" ADD COLUMN "transplant_day" smallint;--> statement-breakpoint
ALTER TABLE "crops" ADD COLUMN "flowering_month" smallint;--> statement-breakpoint
ALTER TABLE "crops" ADD COLUMN "flowering_day" smallint;--> statement-breakpoint
ALTER TABLE "crops" ADD COLUMN "harvest_month" smallint;--> statement-breakpoint
ALTER TABLE "crops" ADD COLUMN "harvest_day" smallint;--> statement-breakpoint
ALTER TABLE "household_visit_state" ADD COLUMN "next_calendar_on" date;--> statement-breakpoint
ALTER TABLE "calendar_visits" ADD CONSTRAINT "calendar_visits_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calendar_visits" ADD CONSTRAINT "calendar_visits_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "calendar_visits_household_idx" ON "calendar_visits" USING btree ("household_id","opens_on","due_on");--> statement-breakpoint
ALTER TABLE "animals" ADD CONSTRAINT "animals_buy_in_date" CHECK ((buy_in_month is null and buy_in_day is null) or (buy_in_month between 1 and 12 and
      buy_in_day between 1 and (case buy_in_month when 2 then 28 when 4 then 30 when 6 then 30 when 9 then 30 when 11 then 30 else 31 end)));--> statement-breakpoint
ALTER TABLE "animals" ADD CONSTRAINT "animals_sell_date" CHECK ((sell_month is null and sell_day is null) or (sell_month between 1 and 12 and
      sell_day between 1 and (case sell_month when 2 then 28 when 4 then 30 when 6 then 30 when 9 then 30 when 11 then 30 else 31 end)));--> statement-breakpoint
ALTER TABLE "crops" ADD CONSTRAINT "crops_transplant_date" CHECK ((transplant_month is null and transplant_day is null) or (transplant_month between 1 and 12 and
      transplant_day between 1 and (case transplant_month when 2 then 28 when 4 then 30 when 6 then 30 when 9 then 30 when 11 then 30 else 31 end)));--> statement-breakpoint
ALTER TABLE "crops" ADD CONSTRAINT "crops_flowering_date" CHECK ((flowering_month is null and flowering_day is null) or (flowering_month between 1 and 12 and
      flowering_day between 1 and (case flowering_month when 2 then 28 when 4 then 30 when 6 then 30 when 9 then 30 when 11 then 30 else 31 end)));--> statement-breakpoint
ALTER TABLE "crops" ADD CONSTRAINT "crops_harvest_date" CHECK ((harvest_month is null and harvest_day is null) or (harvest_month between 1 and 12 and
      harvest_day between 1 and (case harvest_month when 2 then 28 when 4 then 30 when 6 then 30 when 9 then 30 when 11 then 30 else 31 end)));--> statement-breakpoint

-- ---------- hand-written below: the crop calendar's visits and their triggers (docs/decisions/039-crop-calendar.md) ----------

-- The visits a plan proposes, from its crops' and animals' key dates in the plan's year: at transplanting, at
-- flowering and at buying-in on the day, a week before harvest and before selling. Only a running plan
-- (approved or in progress) proposes them, and none dated before the day it was approved. Each visit's
-- window opens a week before it is due: a check from then on makes it.
CREATE VIEW proposed_calendar_visits AS
  SELECT p.id AS plan_id, p.household_id, x.kind, x.code, x.stage, x.due_on, x.due_on - 7 AS opens_on
  FROM plans p
  CROSS JOIN LATERAL (
    SELECT 'crop'::text AS kind, c.code, s.stage, make_date(p.year, s.m, s.d) + s.shift AS due_on
    FROM plan_planting_items i
    JOIN crops c ON c.code = i.crop_code
    CROSS JOIN LATERAL (VALUES ('transplant', c.transplant_month, c.transplant_day, 0),
      ('flowering', c.flowering_month, c.flowering_day, 0),
      ('harvest', c.harvest_month, c.harvest_day, -7)) AS s(stage, m, d, shift)
    WHERE i.plan_id = p.id AND s.m IS NOT NULL
    UNION
    SELECT 'animal'::text, a.code, s.stage, make_date(p.year, s.m, s.d) + s.shift
    FROM plan_raising_items i
    JOIN animals a ON a.code = i.animal_code
    CROSS JOIN LATERAL (VALUES ('buyIn', a.buy_in_month, a.buy_in_day, 0),
      ('sell', a.sell_month, a.sell_day, -7)) AS s(stage, m, d, shift)
    WHERE i.plan_id = p.id AND s.m IS NOT NULL
  ) x
  WHERE p.status IN ('approved', 'in_progress')
    AND x.due_on >= coalesce((p.approved_at AT TIME ZONE 'Asia/Shanghai')::date, '-infinity'::date);
--> statement-breakpoint

-- The kept visits of `plan_ids` made equal to what the plans propose now; rows that did not change are left
-- alone, so the triggers on calendar_visits see only the visits that moved.
CREATE OR REPLACE FUNCTION calendar_visits_refresh(plan_ids uuid[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  IF plan_ids IS NULL OR cardinality(plan_ids) = 0 THEN RETURN; END IF;
  DELETE FROM calendar_visits cv WHERE cv.plan_id = ANY(plan_ids) AND NOT EXISTS (
    SELECT 1 FROM proposed_calendar_visits p WHERE p.plan_id = cv.plan_id AND p.household_id = cv.household_id
      AND p.kind = cv.kind AND p.code = cv.code AND p.stage = cv.stage AND p.due_on = cv.due_on);
  INSERT INTO calendar_visits (plan_id, household_id, kind, code, stage, due_on, opens_on)
    SELECT p.plan_id, p.household_id, p.kind, p.code, p.stage, p.due_on, p.opens_on
    FROM proposed_calendar_visits p WHERE p.plan_id = ANY(plan_ids)
    ORDER BY p.plan_id, p.kind, p.code, p.stage
    ON CONFLICT DO NOTHING;
END
$$;
--> statement-breakpoint

-- visit_state_refresh as in 0018, with the next calendar visit the newest check has not made.
CREATE OR REPLACE FUNCTION visit_state_refresh(ids uuid[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  IF ids IS NULL OR cardinality(ids) = 0 THEN RETURN; END IF;
  INSERT INTO household_visit_state (household_id)
    SELECT DISTINCT x FROM unnest(ids) x JOIN households h ON h.id = x ORDER BY x
    ON CONFLICT DO NOTHING;
  PERFORM 1 FROM household_visit_state WHERE household_id = ANY(ids) ORDER BY household_id FOR UPDATE;
  UPDATE household_visit_state s
    SET last_visit = lc.visited_on, last_next_due_on = lc.next_due_on,
      cadre_id = la.cadre_id, assigned_on = la.starts_on, assignment_ends_on = la.ends_on,
      next_calendar_on = (SELECT min(cv.due_on) FROM calendar_visits cv
        WHERE cv.household_id = s2.household_id AND cv.opens_on > coalesce(lc.visited_on, '-infinity'::date))
    FROM household_visit_state s2
    LEFT JOIN LATERAL (SELECT c.visited_on, c.next_due_on FROM checks c WHERE c.household_id = s2.household_id
      ORDER BY c.visited_on DESC, c.created_at DESC LIMIT 1) lc ON true
    LEFT JOIN LATERAL (SELECT a.cadre_id, a.starts_on, a.ends_on FROM cadre_assignments a WHERE a.household_id = s2.household_id
      ORDER BY a.starts_on DESC, a.created_at DESC LIMIT 1) la ON true
    WHERE s2.household_id = ANY(ids) AND s.household_id = s2.household_id;
END
$$;
--> statement-breakpoint

-- calendar_visits: a visit added, moved or gone changes its household's next calendar visit, and the
-- month ends from the day it was (or is) due on: before that day it moves no household into overdue.
CREATE OR REPLACE FUNCTION calendar_visits_state() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  ids uuid[];
  days date[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(household_id), array_agg(due_on) INTO ids, days FROM new_rows;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(household_id), array_agg(due_on) INTO ids, days FROM old_rows;
  ELSE
    SELECT array_agg(x.household_id), array_agg(x.due_on) INTO ids, days FROM (
      SELECT household_id, due_on FROM old_rows UNION ALL SELECT household_id, due_on FROM new_rows) x;
  END IF;
  IF ids IS NULL THEN RETURN NULL; END IF;
  PERFORM visit_state_refresh(ARRAY(SELECT DISTINCT unnest(ids)));
  PERFORM overdue_month_forget_households(ids, days);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER calendar_visits_state_insert AFTER INSERT ON calendar_visits
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION calendar_visits_state();
--> statement-breakpoint
CREATE TRIGGER calendar_visits_state_update AFTER UPDATE ON calendar_visits
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION calendar_visits_state();
--> statement-breakpoint
CREATE TRIGGER calendar_visits_state_delete AFTER DELETE ON calendar_visits
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION calendar_visits_state();
--> statement-breakpoint

-- plans: a new plan, or one whose status, year, approval or household changed (a deleted plan's visits go
-- with it by the foreign key).
CREATE OR REPLACE FUNCTION plans_calendar_visits() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM calendar_visits_refresh(ARRAY(SELECT id FROM new_rows));
  ELSE
    PERFORM calendar_visits_refresh(ARRAY(SELECT n.id FROM old_rows o JOIN new_rows n ON n.id = o.id
      WHERE (o.status, o.year, o.approved_at, o.household_id) IS DISTINCT FROM (n.status, n.year, n.approved_at, n.household_id)));
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER plans_calendar_visits_insert AFTER INSERT ON plans
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION plans_calendar_visits();
--> statement-breakpoint
CREATE TRIGGER plans_calendar_visits_update AFTER UPDATE ON plans
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION plans_calendar_visits();
--> statement-breakpoint

-- a plan's crops and animals: the plans whose lines were added, changed or removed.
CREATE OR REPLACE FUNCTION plan_items_calendar_visits() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM calendar_visits_refresh(ARRAY(SELECT DISTINCT plan_id FROM new_rows));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM calendar_visits_refresh(ARRAY(SELECT DISTINCT plan_id FROM old_rows));
  ELSE
    PERFORM calendar_visits_refresh(ARRAY(SELECT plan_id FROM old_rows UNION SELECT plan_id FROM new_rows));
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER plan_planting_items_calendar_insert AFTER INSERT ON plan_planting_items
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION plan_items_calendar_visits();
--> statement-breakpoint
CREATE TRIGGER plan_planting_items_calendar_update AFTER UPDATE ON plan_planting_items
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION plan_items_calendar_visits();
--> statement-breakpoint
CREATE TRIGGER plan_planting_items_calendar_delete AFTER DELETE ON plan_planting_items
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION plan_items_calendar_visits();
--> statement-breakpoint
CREATE TRIGGER plan_raising_items_calendar_insert AFTER INSERT ON plan_raising_items
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION plan_items_calendar_visits();
--> statement-breakpoint
CREATE TRIGGER plan_raising_items_calendar_update AFTER UPDATE ON plan_raising_items
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION plan_items_calendar_visits();
--> statement-breakpoint
CREATE TRIGGER plan_raising_items_calendar_delete AFTER DELETE ON plan_raising_items
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION plan_items_calendar_visits();
--> statement-breakpoint

-- crops and animals: a key date changed moves the visits of every plan that grows or raises it.
CREATE OR REPLACE FUNCTION crops_calendar_visits() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM calendar_visits_refresh(ARRAY(SELECT DISTINCT i.plan_id FROM plan_planting_items i
    WHERE i.crop_code IN (SELECT n.code FROM old_rows o JOIN new_rows n ON n.code = o.code
      WHERE (o.transplant_month, o.transplant_day, o.flowering_month, o.flowering_day, o.harvest_month, o.harvest_day)
        IS DISTINCT FROM (n.transplant_month, n.transplant_day, n.flowering_month, n.flowering_day, n.harvest_month, n.harvest_day))));
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER crops_calendar_visits AFTER UPDATE ON crops
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION crops_calendar_visits();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION animals_calendar_visits() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM calendar_visits_refresh(ARRAY(SELECT DISTINCT i.plan_id FROM plan_raising_items i
    WHERE i.animal_code IN (SELECT n.code FROM old_rows o JOIN new_rows n ON n.code = o.code
      WHERE (o.buy_in_month, o.buy_in_day, o.sell_month, o.sell_day)
        IS DISTINCT FROM (n.buy_in_month, n.buy_in_day, n.sell_month, n.sell_day))));
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER animals_calendar_visits AFTER UPDATE ON animals
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION animals_calendar_visits();
--> statement-breakpoint

-- The season of the county's crops and animals (southwest China): the plans already running get their
-- visits through the triggers above.
UPDATE crops SET transplant_month = v.tm, transplant_day = v.td, flowering_month = v.fm, flowering_day = v.fd,
    harvest_month = v.hm, harvest_day = v.hd
  FROM (VALUES
    ('chili', 5, 1, 6, 15, 8, 20),
    ('potato', 2, 20, 4, 20, 6, 10),
    ('cabbage', 8, 25, NULL, NULL, 11, 10),
    ('cowpea', 4, 10, 5, 25, 7, 1)
  ) AS v(code, tm, td, fm, fd, hm, hd)
  WHERE crops.code = v.code;
--> statement-breakpoint
UPDATE animals SET buy_in_month = v.bm, buy_in_day = v.bd, sell_month = v.sm, sell_day = v.sd
  FROM (VALUES ('pig', 3, 15, 12, 20), ('chicken', 3, 1, 12, 15), ('duck', 4, 1, 12, 15), ('goose', 4, 1, 12, 15))
    AS v(code, bm, bd, sm, sd)
  WHERE animals.code = v.code;
--> statement-breakpoint
INSERT INTO calendar_visits (plan_id, household_id, kind, code, stage, due_on, opens_on)
  SELECT plan_id, household_id, kind, code, stage, due_on, opens_on FROM proposed_calendar_visits
  ON CONFLICT DO NOTHING;
