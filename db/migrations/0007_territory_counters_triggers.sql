-- Keeps territory_counters exact whatever writes the communes (import, seeds, tests): a statement-level
-- trigger recounts current communes after every statement. Imports run a few dozen statements a
-- year, so the recount is cheap where it is paid, and unfiltered lists read one row instead of counting.
CREATE OR REPLACE FUNCTION socle_count_current_communes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO territory_counters (name, value)
  SELECT 'current_communes', count(*) FROM communes WHERE abolished_at IS NULL
  ON CONFLICT (name) DO UPDATE SET value = excluded.value;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER communes_count_current
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON communes
  FOR EACH STATEMENT EXECUTE FUNCTION socle_count_current_communes();
--> statement-breakpoint
INSERT INTO territory_counters (name, value)
SELECT 'current_communes', count(*) FROM communes WHERE abolished_at IS NULL
ON CONFLICT (name) DO UPDATE SET value = excluded.value;
--> statement-breakpoint
GRANT SELECT ON territory_counters TO socle_app;
