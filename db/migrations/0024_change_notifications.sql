-- Every write to the tables behind the public reads notifies the channel `socle_changes` with a topic,
-- once per statement (and PostgreSQL folds identical notifications of one transaction into one).
-- Each server process LISTENs and drops what it cached from that topic: writes made by another
-- process, the command line or plain SQL invalidate caches as surely as the process's own writes.
CREATE OR REPLACE FUNCTION socle_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('socle_changes', TG_ARGV[0]);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER organisations_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON organisations
  FOR EACH STATEMENT EXECUTE FUNCTION socle_notify_change('members');
--> statement-breakpoint
CREATE TRIGGER regions_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON regions
  FOR EACH STATEMENT EXECUTE FUNCTION socle_notify_change('territory');
--> statement-breakpoint
CREATE TRIGGER departements_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON departements
  FOR EACH STATEMENT EXECUTE FUNCTION socle_notify_change('territory');
--> statement-breakpoint
CREATE TRIGGER epci_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON epci
  FOR EACH STATEMENT EXECUTE FUNCTION socle_notify_change('territory');
--> statement-breakpoint
CREATE TRIGGER communes_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON communes
  FOR EACH STATEMENT EXECUTE FUNCTION socle_notify_change('territory');
--> statement-breakpoint
CREATE TRIGGER territory_imports_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON territory_imports
  FOR EACH STATEMENT EXECUTE FUNCTION socle_notify_change('territory');
--> statement-breakpoint
CREATE TRIGGER territory_counters_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON territory_counters
  FOR EACH STATEMENT EXECUTE FUNCTION socle_notify_change('territory');
--> statement-breakpoint
CREATE TRIGGER sessions_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sessions
  FOR EACH STATEMENT EXECUTE FUNCTION socle_notify_change('access');
--> statement-breakpoint
CREATE TRIGGER users_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON users
  FOR EACH STATEMENT EXECUTE FUNCTION socle_notify_change('access');
--> statement-breakpoint
CREATE TRIGGER organisation_users_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON organisation_users
  FOR EACH STATEMENT EXECUTE FUNCTION socle_notify_change('access');
--> statement-breakpoint
CREATE TRIGGER pricing_state_changes AFTER UPDATE ON pricing_state
  FOR EACH STATEMENT EXECUTE FUNCTION socle_notify_change('pricing');
