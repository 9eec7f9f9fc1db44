-- The public status answer kept as a row (issue 15 §7: the status API at ≥ 40 % of /ready on an idle
-- machine). socle_public_status (migration hosting_status_light) built the answer at every request;
-- now its text and ETag are stored in hosting_status_answer and rebuilt:
-- - in the transaction of every write to what the answer shows (incidents, their services and
--   updates, maintenance and their services, the day states, catalogue service names, the coming and
--   going of monitors and instances), once per transaction, at commit (deferred constraint triggers:
--   the rebuild sees everything the transaction wrote, and a concurrent writer's commit, see the lock);
-- - by the job hosting.status.rebuild: at Paris midnight (a schedule) and at the next instant the answer
--   changes with time alone (a maintenance starting or ending, an incident leaving the 14- or 90-day
--   window), queued here by each rebuild.
-- The row is valid for built_at <= t < valid_until (the next of those instants); outside it the route
-- builds the answer live, so a late job can slow the answer but never make it stale.
-- Public like the incidents: anyone reads it; only the SECURITY DEFINER function below writes it.
GRANT SELECT ON hosting_status_answer TO socle_app;
--> statement-breakpoint
ALTER TABLE hosting_status_answer ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY hosting_status_answer_read ON hosting_status_answer FOR SELECT TO socle_app USING (true);
--> statement-breakpoint
-- Builds the answer for the instant p_at (contracts/hosting.ts STATUS_HISTORY_DAYS = 90 and
-- STATUS_RECENT_DAYS = 14, as the route asked socle_public_status) and the first instant after p_at at
-- which the same data would give another answer.
CREATE OR REPLACE FUNCTION socle_status_answer_refresh(p_at timestamptz) RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
  history_window CONSTANT interval := make_interval(hours => 24 * 90);
  recent_window CONSTANT interval := make_interval(hours => 24 * 14);
  midnight CONSTANT timestamptz :=
    ((p_at AT TIME ZONE 'Europe/Paris')::date + 1)::timestamp AT TIME ZONE 'Europe/Paris';
  answer text;
  until timestamptz;
BEGIN
  -- Rebuilders take turns; the statements after the lock see what the previous one committed (READ
  -- COMMITTED: a new snapshot per statement), so the last answer written includes every commit.
  PERFORM pg_advisory_xact_lock(hashtext('hosting_status_answer'));
  answer := socle_public_status(p_at, 90, 14);
  -- Instants at which the answer changes without a write (socle_public_status's windows; LEAST skips
  -- NULLs): the day, a maintenance starting, ending or leaving the 90 days, an incident leaving the
  -- 14-day list or the 90 days (its services may then no longer be listed).
  until := least(midnight,
    (SELECT min(starts_at) FROM hosting_maintenances WHERE starts_at > p_at),
    (SELECT min(ends_at) FROM hosting_maintenances WHERE ends_at > p_at),
    (SELECT min(ends_at) + history_window FROM hosting_maintenances WHERE ends_at > p_at - history_window),
    (SELECT min(resolved_at) + recent_window FROM hosting_incidents WHERE resolved_at > p_at - recent_window),
    (SELECT min(resolved_at) + history_window FROM hosting_incidents WHERE resolved_at > p_at - history_window));
  INSERT INTO hosting_status_answer (id, body, etag, built_at, valid_until)
  VALUES (true, answer, '"' || md5(answer) || '"', p_at, until)
  ON CONFLICT (id) DO UPDATE SET body = EXCLUDED.body, etag = EXCLUDED.etag, built_at = EXCLUDED.built_at,
    valid_until = EXCLUDED.valid_until;
  -- Within the day: the rebuild at that instant (the midnight one is the schedule's), once per instant.
  IF until < midnight THEN
    INSERT INTO jobs (name, payload, run_at, max_attempts, singleton_key)
    VALUES ('hosting.status.rebuild', '{}'::jsonb, until, 5, 'hosting.status.rebuild@' || socle_iso(until))
    ON CONFLICT (singleton_key) WHERE state IN ('pending', 'running') DO NOTHING;
  END IF;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION socle_status_answer_refresh(timestamptz) FROM PUBLIC;
--> statement-breakpoint
-- What the triggers call (as the writer, socle_app or the owner): the answer as of now.
CREATE OR REPLACE FUNCTION socle_status_answer_rebuild() RETURNS void
  LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$
  SELECT socle_status_answer_refresh(clock_timestamp())
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION socle_status_answer_rebuild() FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION socle_status_answer_rebuild() TO socle_app;
--> statement-breakpoint
-- Once per transaction: the first deferred event (at commit, every statement done) rebuilds, the
-- others of the same transaction see the transaction-local mark. A TRUNCATE (statement trigger, not
-- deferrable) rebuilds at once without the mark, so later writes of its transaction rebuild again.
CREATE OR REPLACE FUNCTION socle_status_answer_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    PERFORM socle_status_answer_rebuild();
  ELSIF coalesce(current_setting('socle.status_answer_built', true), '') <> 'on' THEN
    PERFORM set_config('socle.status_answer_built', 'on', true);
    PERFORM socle_status_answer_rebuild();
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- Every table the answer reads, by the columns it shows (a check updates its monitor every minute
-- without changing the answer; a mail marks an update or a maintenance notified).
DO $$
DECLARE
  t text;
  events text;
BEGIN
  FOREACH t IN ARRAY ARRAY['hosting_incidents', 'hosting_incident_services', 'hosting_incident_updates',
    'hosting_service_days', 'hosting_maintenances', 'hosting_maintenance_services', 'hosting_monitors',
    'hosting_instances', 'catalogue_services'] LOOP
    events := CASE t
      WHEN 'hosting_incident_updates' THEN 'INSERT OR DELETE OR UPDATE OF incident_id, phase, state, message, at'
      WHEN 'hosting_maintenances' THEN 'INSERT OR DELETE OR UPDATE OF title, message, starts_at, ends_at'
      WHEN 'hosting_monitors' THEN 'INSERT OR DELETE OR UPDATE OF service_id'
      WHEN 'hosting_instances' THEN 'INSERT OR DELETE OR UPDATE OF service_id'
      WHEN 'catalogue_services' THEN 'UPDATE OF name'
      ELSE 'INSERT OR UPDATE OR DELETE' END;
    EXECUTE format(
      'CREATE CONSTRAINT TRIGGER %I AFTER %s ON %I DEFERRABLE INITIALLY DEFERRED '
      'FOR EACH ROW EXECUTE FUNCTION socle_status_answer_changed()',
      t || '_status_answer', events, t);
    IF t <> 'catalogue_services' THEN
      EXECUTE format(
        'CREATE TRIGGER %I AFTER TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION socle_status_answer_changed()',
        t || '_status_answer_truncate', t);
    END IF;
  END LOOP;
END
$$;
--> statement-breakpoint
SELECT socle_status_answer_refresh(clock_timestamp());
