-- Matching an advisory set-based (issue 13 §7), part 2 of 2 (part 1, cyber_matching_set_based, dropped
-- the foreign keys of cyber_remediations and cyber_exposures and added the advisories' counters).
--
-- 1. Integrity without foreign keys. The only writer of both tables is the matching's one statement
--    (cyber.advisories.repository.ts, insertMatches): an INSERT … SELECT from cyber_assets (proves the
--    asset, copies its member) for the advisory its transaction has just inserted, then the exposures
--    from the rows written, joined to organisations. What the foreign keys' cascades did, statement
--    triggers do (one DELETE per statement, whatever its number of rows): deleting assets (a member's
--    own, or all of a member's through the organisations → cyber_assets cascade) deletes their
--    remediations; deleting an advisory, its exposures and remediations; deleting an organisation,
--    its exposures. And a DELETE on cyber_assets first takes the shared side of an advisory lock
--    whose exclusive side the matching holds to its commit (lockMatching), so an asset cannot be
--    deleted between the matching's read of it and its commit (which would leave a remediation
--    without its asset, or an exposure of a deleted member: a member's deletion reaches its assets).
--    Deletions never wait for one another.
CREATE OR REPLACE FUNCTION cyber_assets_delete_wait_matching() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock_shared(hashtext('socle.cyber_matching'));
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER cyber_assets_delete_wait_matching BEFORE DELETE ON cyber_assets
  FOR EACH STATEMENT EXECUTE FUNCTION cyber_assets_delete_wait_matching();
--> statement-breakpoint
-- SECURITY DEFINER, as the cascade it replaces: the remediations go whatever the deleter's RLS shows.
CREATE OR REPLACE FUNCTION cyber_assets_delete_remediations() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
  DELETE FROM cyber_remediations r USING deleted_assets d WHERE r.asset_id = d.id;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER cyber_assets_delete_remediations AFTER DELETE ON cyber_assets
  REFERENCING OLD TABLE AS deleted_assets
  FOR EACH STATEMENT EXECUTE FUNCTION cyber_assets_delete_remediations();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION cyber_advisories_delete_matches() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
  DELETE FROM cyber_remediations r USING deleted_advisories d WHERE r.advisory_id = d.id;
  DELETE FROM cyber_exposures e USING deleted_advisories d WHERE e.advisory_id = d.id;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER cyber_advisories_delete_matches AFTER DELETE ON cyber_advisories
  REFERENCING OLD TABLE AS deleted_advisories
  FOR EACH STATEMENT EXECUTE FUNCTION cyber_advisories_delete_matches();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION cyber_exposures_delete_of_members() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
  DELETE FROM cyber_exposures e USING deleted_organisations d WHERE e.member_id = d.id;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER organisations_cyber_exposures_delete AFTER DELETE ON organisations
  REFERENCING OLD TABLE AS deleted_organisations
  FOR EACH STATEMENT EXECUTE FUNCTION cyber_exposures_delete_of_members();
--> statement-breakpoint
--
-- 2. The advisories' counters: members affected, members fully remediated (remediated_assets >=
--    assets), kept by triggers on cyber_exposures: for inserts and deletes, statement triggers with
--    transition tables (one UPDATE of cyber_advisories per statement, whatever its number of rows);
--    for updates, a row trigger called only for a row whose state changed (not for notified_at, nor
--    a recount that left the state as it was). SECURITY DEFINER: a member's référent updating its remediation moves the
--    counter of an advisory it may only read.
UPDATE cyber_advisories a SET affected_members = c.affected, remediated_members = c.remediated
FROM (SELECT advisory_id, count(*)::int AS affected,
        count(*) FILTER (WHERE remediated_assets >= assets)::int AS remediated
      FROM cyber_exposures GROUP BY advisory_id) c
WHERE c.advisory_id = a.id;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION cyber_exposures_count() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE cyber_advisories a SET affected_members = a.affected_members + c.affected,
      remediated_members = a.remediated_members + c.remediated
    FROM (SELECT advisory_id, count(*)::int AS affected,
            count(*) FILTER (WHERE remediated_assets >= assets)::int AS remediated
          FROM new_exposures GROUP BY advisory_id) c
    WHERE a.id = c.advisory_id;
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE cyber_advisories a SET affected_members = a.affected_members - c.affected,
      remediated_members = a.remediated_members - c.remediated
    FROM (SELECT advisory_id, count(*)::int AS affected,
            count(*) FILTER (WHERE remediated_assets >= assets)::int AS remediated
          FROM old_exposures GROUP BY advisory_id) c
    WHERE a.id = c.advisory_id;
  ELSE
    -- A row's update that changed its state (row trigger below, whose WHEN clause filters).
    UPDATE cyber_advisories SET affected_members = affected_members - 1,
      remediated_members = remediated_members - (OLD.remediated_assets >= OLD.assets)::int
    WHERE id = OLD.advisory_id;
    UPDATE cyber_advisories SET affected_members = affected_members + 1,
      remediated_members = remediated_members + (NEW.remediated_assets >= NEW.assets)::int
    WHERE id = NEW.advisory_id;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER cyber_exposures_count_insert AFTER INSERT ON cyber_exposures
  REFERENCING NEW TABLE AS new_exposures
  FOR EACH STATEMENT EXECUTE FUNCTION cyber_exposures_count();
--> statement-breakpoint
CREATE TRIGGER cyber_exposures_count_delete AFTER DELETE ON cyber_exposures
  REFERENCING OLD TABLE AS old_exposures
  FOR EACH STATEMENT EXECUTE FUNCTION cyber_exposures_count();
--> statement-breakpoint
-- Row-level for updates (PostgreSQL has no transition tables with a column list), with a WHEN
-- clause: only the rows whose state changed (a member's last remediation done, or undone) call it.
CREATE TRIGGER cyber_exposures_count_update AFTER UPDATE OF assets, remediated_assets, advisory_id ON cyber_exposures
  FOR EACH ROW WHEN (OLD.advisory_id IS DISTINCT FROM NEW.advisory_id
    OR (OLD.remediated_assets >= OLD.assets) IS DISTINCT FROM (NEW.remediated_assets >= NEW.assets))
  EXECUTE FUNCTION cyber_exposures_count();
