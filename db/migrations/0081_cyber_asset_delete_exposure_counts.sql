-- Deleting inventory lines kept their exposures' counts (issue 13 §7): the statement trigger of
-- migration cyber_matching_set_based_rls deleted the lines' remediations, but the exposure of each
-- (advisory, member) they counted in kept its `assets` (and `remediated_assets` for a line already
-- handled), so the exposure page said « 3 éléments » of a member that had 2 left, or 1 of a member
-- that had none (still counted in the advisory's affected members, and never remediated).
--
-- The trigger now also takes the deleted remediations off their exposures, in the same statement's
-- trigger (one UPDATE and one DELETE of cyber_exposures per statement, whatever its number of rows):
-- an exposure left without assets is deleted (the advisory's counters follow through the triggers on
-- cyber_exposures), the others lose the lines deleted and the handled ones among them, and become
-- remediated (or stop being so) as refreshExposure would say. Decrements, not recounts: a concurrent
-- deletion of another line of the same exposure waits for the row and applies its own decrement to the
-- committed value (a recount read in this statement's snapshot would miss the other one's lines).
-- The matching cannot add a line's remediation meanwhile: a DELETE on cyber_assets holds the shared
-- side of its advisory lock (BEFORE trigger, same migration).
--
-- Updating a line (its product, version or CPE) does not touch its remediations: the exposure counts
-- stay those of its remediations (a version upgraded is how a line gets remediated, and the member
-- records it on the remediation).
CREATE OR REPLACE FUNCTION cyber_assets_delete_remediations() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
  advisories uuid[];
  members uuid[];
  lost int[];
  handled int[];
BEGIN
  WITH gone AS (
    DELETE FROM cyber_remediations r USING deleted_assets d WHERE r.asset_id = d.id
    RETURNING r.advisory_id, r.member_id, r.state
  )
  SELECT array_agg(c.advisory_id), array_agg(c.member_id), array_agg(c.n), array_agg(c.done)
    INTO advisories, members, lost, handled
  FROM (SELECT advisory_id, member_id, count(*)::int AS n,
          count(*) FILTER (WHERE state <> 'to_do')::int AS done
        FROM gone GROUP BY advisory_id, member_id) c;
  IF advisories IS NULL THEN
    RETURN NULL;
  END IF;
  -- Exposures left without assets first (the UPDATE below would lower them to what this test reads).
  DELETE FROM cyber_exposures e
  USING unnest(advisories, members, lost) AS c(advisory_id, member_id, n)
  WHERE e.advisory_id = c.advisory_id AND e.member_id = c.member_id AND e.assets <= c.n;
  UPDATE cyber_exposures e SET
    assets = e.assets - c.n,
    remediated_assets = e.remediated_assets - c.done,
    remediated_at = CASE WHEN e.remediated_assets - c.done >= e.assets - c.n
      THEN COALESCE(e.remediated_at, now()) ELSE NULL END
  FROM unnest(advisories, members, lost, handled) AS c(advisory_id, member_id, n, done)
  WHERE e.advisory_id = c.advisory_id AND e.member_id = c.member_id AND e.assets > c.n;
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- Exposures already wrong: recounted from the remediations left (none left: deleted).
DELETE FROM cyber_exposures e
WHERE NOT EXISTS (SELECT 1 FROM cyber_remediations r WHERE r.advisory_id = e.advisory_id AND r.member_id = e.member_id);
--> statement-breakpoint
UPDATE cyber_exposures e SET
  assets = c.total,
  remediated_assets = c.done,
  remediated_at = CASE WHEN c.done >= c.total THEN COALESCE(e.remediated_at, now()) ELSE NULL END
FROM (SELECT advisory_id, member_id, count(*)::int AS total,
        count(*) FILTER (WHERE state <> 'to_do')::int AS done
      FROM cyber_remediations GROUP BY advisory_id, member_id) c
WHERE e.advisory_id = c.advisory_id AND e.member_id = c.member_id
  AND (e.assets, e.remediated_assets) IS DISTINCT FROM (c.total, c.done);
