-- A commune's or EPCI's population is the official one. It is kept on organisations (written by
-- triggers, never by the application) so that lists filter and sort on it through an index instead
-- of joining the territory tables for every row.
CREATE OR REPLACE FUNCTION socle_official_population() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.kind = 'commune' THEN
    NEW.population := (SELECT c.population FROM communes c WHERE c.code = NEW.commune_code);
  ELSIF NEW.kind = 'epci' THEN
    NEW.population := (SELECT e.population FROM epci e WHERE e.code = NEW.epci_code);
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER organisations_official_population
  BEFORE INSERT OR UPDATE OF kind, commune_code, epci_code, population ON organisations
  FOR EACH ROW EXECUTE FUNCTION socle_official_population();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION socle_commune_population_to_members() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE organisations SET population = NEW.population
  WHERE kind = 'commune' AND commune_code = NEW.code;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER communes_population_to_members
  AFTER UPDATE OF population ON communes
  FOR EACH ROW WHEN (OLD.population IS DISTINCT FROM NEW.population)
  EXECUTE FUNCTION socle_commune_population_to_members();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION socle_epci_population_to_members() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE organisations SET population = NEW.population
  WHERE kind = 'epci' AND epci_code = NEW.code;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER epci_population_to_members
  AFTER UPDATE OF population ON epci
  FOR EACH ROW WHEN (OLD.population IS DISTINCT FROM NEW.population)
  EXECUTE FUNCTION socle_epci_population_to_members();
--> statement-breakpoint
UPDATE organisations SET population = NULL WHERE kind IN ('commune', 'epci');
--> statement-breakpoint
CREATE INDEX organisations_population_sort_idx
  ON organisations ((COALESCE(population, -1)), search_name, id);
--> statement-breakpoint
CREATE INDEX organisations_status_population_sort_idx
  ON organisations (status, (COALESCE(population, -1)), search_name, id);
