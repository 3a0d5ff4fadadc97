CREATE TABLE "household_visit_state" (
	"household_id" uuid PRIMARY KEY NOT NULL,
	"last_visit" date,
	"last_next_due_on" date,
	"cadre_id" uuid,
	"assigned_on" date,
	"assignment_ends_on" date
);
--> statement-breakpoint
CREATE TABLE "overdue_month_counts" (
	"village_id" uuid NOT NULL,
	"township_id" uuid NOT NULL,
	"as_of" date NOT NULL,
	"tracked" integer NOT NULL,
	"overdue" integer NOT NULL,
	"visits" integer NOT NULL,
	CONSTRAINT "overdue_month_counts_village_id_as_of_pk" PRIMARY KEY("village_id","as_of")
);
--> statement-breakpoint
DROP INDEX "checks_household_visited_idx";--> statement-breakpoint
ALTER TABLE "household_visit_state" ADD CONSTRAINT "household_visit_state_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "household_visit_state" ADD CONSTRAINT "household_visit_state_cadre_id_users_id_fk" FOREIGN KEY ("cadre_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "household_visit_state_cadre_idx" ON "household_visit_state" USING btree ("cadre_id");--> statement-breakpoint
CREATE INDEX "household_visit_state_last_visit_idx" ON "household_visit_state" USING btree ("last_visit");--> statement-breakpoint
CREATE INDEX "household_visit_state_assigned_on_idx" ON "household_visit_state" USING btree ("assigned_on");--> statement-breakpoint
CREATE INDEX "overdue_month_counts_township_idx" ON "overdue_month_counts" USING btree ("township_id","as_of");--> statement-breakpoint
CREATE INDEX "checks_household_visited_idx" ON "checks" USING btree ("household_id","visited_on" DESC NULLS LAST,"created_at" DESC NULLS LAST);--> statement-breakpoint

-- ---------- hand-written below: the derived visit state and its triggers (docs/decisions/035-visit-state.md) ----------

-- Each household's newest check and newest assignment, read again for `ids`. The rows are locked first and
-- read by a later statement, so a concurrent write to the same household committed meanwhile is seen.
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
      cadre_id = la.cadre_id, assigned_on = la.starts_on, assignment_ends_on = la.ends_on
    FROM household_visit_state s2
    LEFT JOIN LATERAL (SELECT c.visited_on, c.next_due_on FROM checks c WHERE c.household_id = s2.household_id
      ORDER BY c.visited_on DESC, c.created_at DESC LIMIT 1) lc ON true
    LEFT JOIN LATERAL (SELECT a.cadre_id, a.starts_on, a.ends_on FROM cadre_assignments a WHERE a.household_id = s2.household_id
      ORDER BY a.starts_on DESC, a.created_at DESC LIMIT 1) la ON true
    WHERE s2.household_id = ANY(ids) AND s.household_id = s2.household_id;
END
$$;
--> statement-breakpoint

-- Forgets the cached month ends of each village from its day on (as_of >= day). Holds the village's lock
-- to the end of the transaction: a reader filling the cache skips a village a writer is changing.
CREATE OR REPLACE FUNCTION overdue_month_forget(villages uuid[], days date[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  IF villages IS NULL OR cardinality(villages) = 0 THEN RETURN; END IF;
  PERFORM pg_advisory_xact_lock(hashtextextended('overdue_month:' || v::text, 0))
    FROM (SELECT DISTINCT v FROM unnest(villages) v WHERE v IS NOT NULL ORDER BY v) x;
  DELETE FROM overdue_month_counts o USING unnest(villages, days) AS f(v, d)
    WHERE o.village_id = f.v AND o.as_of >= f.d;
END
$$;
--> statement-breakpoint

-- The same for households' villages: each household's village from its day on.
CREATE OR REPLACE FUNCTION overdue_month_forget_households(ids uuid[], days date[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  vs uuid[];
  ds date[];
BEGIN
  SELECT array_agg(village_id ORDER BY village_id), array_agg(d ORDER BY village_id) INTO vs, ds
    FROM (SELECT h.village_id, min(f.d) AS d FROM unnest(ids, days) AS f(id, d)
      JOIN households h ON h.id = f.id WHERE f.d IS NOT NULL GROUP BY h.village_id) x;
  PERFORM overdue_month_forget(vs, ds);
END
$$;
--> statement-breakpoint

-- checks: a visit date, a next due date or an entry moved or gone changes the household's newest check,
-- and the month ends from the visit on.
CREATE OR REPLACE FUNCTION checks_visit_state() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  ids uuid[];
  days date[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(household_id), array_agg(visited_on) INTO ids, days FROM new_rows;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(household_id), array_agg(visited_on) INTO ids, days FROM old_rows;
  ELSE
    SELECT array_agg(x.household_id), array_agg(x.visited_on) INTO ids, days FROM (
      SELECT o.household_id, o.visited_on FROM old_rows o JOIN new_rows n ON n.id = o.id
        WHERE (o.household_id, o.visited_on, o.next_due_on, o.created_at, o.corrects_check_id)
          IS DISTINCT FROM (n.household_id, n.visited_on, n.next_due_on, n.created_at, n.corrects_check_id)
      UNION ALL
      SELECT n.household_id, n.visited_on FROM old_rows o JOIN new_rows n ON n.id = o.id
        WHERE (o.household_id, o.visited_on, o.next_due_on, o.created_at, o.corrects_check_id)
          IS DISTINCT FROM (n.household_id, n.visited_on, n.next_due_on, n.created_at, n.corrects_check_id)
    ) x;
  END IF;
  IF ids IS NULL THEN RETURN NULL; END IF;
  PERFORM visit_state_refresh(ARRAY(SELECT DISTINCT unnest(ids)));
  PERFORM overdue_month_forget_households(ids, days);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER checks_visit_state_insert AFTER INSERT ON checks
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION checks_visit_state();
--> statement-breakpoint
CREATE TRIGGER checks_visit_state_update AFTER UPDATE ON checks
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION checks_visit_state();
--> statement-breakpoint
CREATE TRIGGER checks_visit_state_delete AFTER DELETE ON checks
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION checks_visit_state();
--> statement-breakpoint

-- cadre_assignments: a new or removed assignment from its start; an end moved from the earlier end on.
CREATE OR REPLACE FUNCTION cadre_assignments_visit_state() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  ids uuid[];
  days date[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(household_id), array_agg(starts_on) INTO ids, days FROM new_rows;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(household_id), array_agg(starts_on) INTO ids, days FROM old_rows;
  ELSE
    SELECT array_agg(x.household_id), array_agg(x.d) INTO ids, days FROM (
      SELECT o.household_id,
        CASE WHEN (o.household_id, o.cadre_id, o.starts_on, o.created_at) IS NOT DISTINCT FROM (n.household_id, n.cadre_id, n.starts_on, n.created_at)
          THEN least(coalesce(o.ends_on, 'infinity'::date), coalesce(n.ends_on, 'infinity'::date)) + 1
          ELSE least(o.starts_on, n.starts_on) END AS d
      FROM old_rows o JOIN new_rows n ON n.id = o.id
      WHERE (o.household_id, o.cadre_id, o.starts_on, o.ends_on, o.created_at)
        IS DISTINCT FROM (n.household_id, n.cadre_id, n.starts_on, n.ends_on, n.created_at)
      UNION ALL
      SELECT n.household_id, least(o.starts_on, n.starts_on) FROM old_rows o JOIN new_rows n ON n.id = o.id
        WHERE o.household_id IS DISTINCT FROM n.household_id
    ) x;
  END IF;
  IF ids IS NULL THEN RETURN NULL; END IF;
  PERFORM visit_state_refresh(ARRAY(SELECT DISTINCT unnest(ids)));
  PERFORM overdue_month_forget_households(ids, days);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER cadre_assignments_visit_state_insert AFTER INSERT ON cadre_assignments
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION cadre_assignments_visit_state();
--> statement-breakpoint
CREATE TRIGGER cadre_assignments_visit_state_update AFTER UPDATE ON cadre_assignments
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION cadre_assignments_visit_state();
--> statement-breakpoint
CREATE TRIGGER cadre_assignments_visit_state_delete AFTER DELETE ON cadre_assignments
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION cadre_assignments_visit_state();
--> statement-breakpoint

-- households: a move, a status or a registration date changes every month end of the old and the new village.
CREATE OR REPLACE FUNCTION households_overdue_months() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  vs uuid[];
BEGIN
  IF TG_OP = 'DELETE' THEN
    SELECT array_agg(DISTINCT village_id) INTO vs FROM old_rows;
  ELSE
    SELECT array_agg(DISTINCT y.v) INTO vs FROM (
      SELECT o.village_id AS v, n.village_id AS w FROM old_rows o JOIN new_rows n ON n.id = o.id
      WHERE (o.village_id, o.township_id, o.poverty_status, o.registered_on, o.created_at)
        IS DISTINCT FROM (n.village_id, n.township_id, n.poverty_status, n.registered_on, n.created_at)
    ) x, LATERAL (VALUES (x.v), (x.w)) AS y(v);
  END IF;
  IF vs IS NULL THEN RETURN NULL; END IF;
  PERFORM overdue_month_forget(vs, array_fill('-infinity'::date, ARRAY[cardinality(vs)]));
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER households_overdue_months_update AFTER UPDATE ON households
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION households_overdue_months();
--> statement-breakpoint
CREATE TRIGGER households_overdue_months_delete AFTER DELETE ON households
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION households_overdue_months();
--> statement-breakpoint

-- settings: a check interval from a day on changes the month ends from that day (the county's: every village).
CREATE OR REPLACE FUNCTION settings_overdue_months() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  r record;
  vs uuid[];
BEGIN
  FOR r IN SELECT * FROM (VALUES
      (CASE WHEN TG_OP <> 'DELETE' THEN NEW.key END, CASE WHEN TG_OP <> 'DELETE' THEN NEW.region_id END, CASE WHEN TG_OP <> 'DELETE' THEN NEW.effective_from END),
      (CASE WHEN TG_OP <> 'INSERT' THEN OLD.key END, CASE WHEN TG_OP <> 'INSERT' THEN OLD.region_id END, CASE WHEN TG_OP <> 'INSERT' THEN OLD.effective_from END)
    ) AS x(key, region_id, effective_from) WHERE x.key LIKE 'check.%'
  LOOP
    SELECT array_agg(DISTINCT c.village_id) INTO vs FROM overdue_month_counts c
      WHERE (r.region_id IS NULL OR c.township_id = r.region_id) AND c.as_of >= r.effective_from;
    IF vs IS NOT NULL THEN
      PERFORM overdue_month_forget(vs, array_fill(r.effective_from, ARRAY[cardinality(vs)]));
    END IF;
  END LOOP;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER settings_overdue_months AFTER INSERT OR UPDATE OR DELETE ON settings
  FOR EACH ROW EXECUTE FUNCTION settings_overdue_months();
--> statement-breakpoint

-- the state of the households already recorded
INSERT INTO household_visit_state (household_id, last_visit, last_next_due_on, cadre_id, assigned_on, assignment_ends_on)
  SELECT h.id, lc.visited_on, lc.next_due_on, la.cadre_id, la.starts_on, la.ends_on
  FROM households h
  LEFT JOIN LATERAL (SELECT c.visited_on, c.next_due_on FROM checks c WHERE c.household_id = h.id
    ORDER BY c.visited_on DESC, c.created_at DESC LIMIT 1) lc ON true
  LEFT JOIN LATERAL (SELECT a.cadre_id, a.starts_on, a.ends_on FROM cadre_assignments a WHERE a.household_id = h.id
    ORDER BY a.starts_on DESC, a.created_at DESC LIMIT 1) la ON true
  WHERE lc.visited_on IS NOT NULL OR la.starts_on IS NOT NULL;
