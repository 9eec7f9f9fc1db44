-- Exposure page as an index range (issue 13 §7): cyber_exposures carries a copy of the member's sort
-- name (organisations.search_name), so that an advisory's affected members, sorted by name, are read
-- from cyber_exposures_advisory_name_idx (advisory_id, search_name, member_id) + LIMIT instead of
-- joining and sorting every affected member. The repository writes the copy with each exposure (one
-- INSERT … SELECT joined to organisations); these triggers fill a row inserted without it and follow
-- renames. SECURITY DEFINER: the copy must be written whatever the writer's RLS lets it see.
UPDATE cyber_exposures e SET search_name = o.search_name
FROM organisations o WHERE o.id = e.member_id AND e.search_name IS DISTINCT FROM o.search_name;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION cyber_exposures_fill_search_name() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
  NEW.search_name := (SELECT o.search_name FROM organisations o WHERE o.id = NEW.member_id);
  RETURN NEW;
END
$$;
--> statement-breakpoint
-- Row-level with a WHEN clause: the repository's inserts, which carry the name, never call the function.
CREATE TRIGGER cyber_exposures_search_name BEFORE INSERT ON cyber_exposures
  FOR EACH ROW WHEN (NEW.search_name = '') EXECUTE FUNCTION cyber_exposures_fill_search_name();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION cyber_exposures_follow_search_name() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
  UPDATE cyber_exposures SET search_name = NEW.search_name WHERE member_id = NEW.id;
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- Row-level with a WHEN clause, as organisations_rgpd_summary_update: other updates cost nothing.
CREATE TRIGGER organisations_cyber_exposures_search_name AFTER UPDATE OF search_name ON organisations
  FOR EACH ROW WHEN (OLD.search_name IS DISTINCT FROM NEW.search_name)
  EXECUTE FUNCTION cyber_exposures_follow_search_name();
