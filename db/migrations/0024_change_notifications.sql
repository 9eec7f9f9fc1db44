-- Every write to the tables behind in-process caches notifies the channel `socle_changes` with a
-- topic, once per statement (and PostgreSQL folds identical notifications of one transaction into one).
-- Each server process LISTENs and drops what it cached from that topic: writes made by another
-- process, the command line or plain SQL invalidate caches as surely as the process's own writes
-- (src/server/platform/changes.ts).
CREATE OR REPLACE FUNCTION socle_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('socle_changes', TG_ARGV[0]);
  RETURN NULL;
END
$$;
--> statement-breakpoint
DO $$
DECLARE
  entry text[];
BEGIN
  FOREACH entry SLICE 1 IN ARRAY ARRAY[
    ['organisations', 'members'],
    ['regions', 'territory'], ['departements', 'territory'], ['epci', 'territory'],
    ['communes', 'territory'], ['territory_imports', 'territory'], ['territory_counters', 'territory'],
    ['sessions', 'access'], ['users', 'access'], ['organisation_users', 'access'],
    -- pricing_state.version moves with every input of the cost-sharing (migration 0013).
    ['pricing_state', 'pricing']
  ] LOOP
    EXECUTE format(
      'CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I '
      'FOR EACH STATEMENT EXECUTE FUNCTION socle_notify_change(%L)',
      entry[1] || '_changes', entry[1], entry[2]);
  END LOOP;
END
$$;
