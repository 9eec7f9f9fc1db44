-- The DPO dashboard's totals per (département, kind) (issue #17): the dashboard read one index entry
-- per followed member summary (40,000) on every request for its totals; it now sums the rows of this
-- table for the buckets in scope (a few hundred). Insert-only, so that no writer waits for another:
-- the statement-level triggers on rgpd_member_summaries append one row of differences per bucket that
-- a statement changed (nothing when it changed no counted column), and the daily job folds the rows
-- into one per bucket (rgpd_dashboard_counts_compact). Written only by these SECURITY DEFINER
-- functions (socle_app has no write grant); read by the operator only.
CREATE TABLE "rgpd_dashboard_counts" (
	"departement_code" text,
	"kind" text NOT NULL,
	"members" bigint DEFAULT 0 NOT NULL,
	"without_referent" bigint DEFAULT 0 NOT NULL,
	"with_registry" bigint DEFAULT 0 NOT NULL,
	"processings" bigint DEFAULT 0 NOT NULL,
	"completion_sum" bigint DEFAULT 0 NOT NULL,
	"review_due" bigint DEFAULT 0 NOT NULL,
	"dpia_to_do" bigint DEFAULT 0 NOT NULL,
	"open_requests" bigint DEFAULT 0 NOT NULL,
	"overdue_requests" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX "rgpd_dashboard_counts_bucket_idx" ON "rgpd_dashboard_counts" USING btree ("departement_code","kind");;--> statement-breakpoint
ALTER TABLE rgpd_dashboard_counts ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
GRANT SELECT ON rgpd_dashboard_counts TO socle_app;
--> statement-breakpoint
-- (SELECT …): evaluated once per statement (an InitPlan), not once per row.
CREATE POLICY rgpd_dashboard_counts_operator_read ON rgpd_dashboard_counts FOR SELECT TO socle_app
  USING ((SELECT socle_is_operator()));
--> statement-breakpoint
-- A summary's share of the totals: nothing unless followed. One function for the three triggers; each
-- branch reads only the transition tables its event has (PL/pgSQL plans a statement when it first
-- runs it).
CREATE OR REPLACE FUNCTION rgpd_dashboard_counts_apply() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO rgpd_dashboard_counts (departement_code, kind, members, without_referent, with_registry,
      processings, completion_sum, review_due, dpia_to_do, open_requests, overdue_requests)
    SELECT departement_code, kind, count(*), count(*) FILTER (WHERE referents = 0),
      count(*) FILTER (WHERE processings > 0), sum(processings), sum(completion_sum), sum(review_due),
      sum(dpia_to_do), sum(open_requests), sum(overdue_requests)
    FROM new_rows WHERE followed GROUP BY departement_code, kind;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO rgpd_dashboard_counts (departement_code, kind, members, without_referent, with_registry,
      processings, completion_sum, review_due, dpia_to_do, open_requests, overdue_requests)
    SELECT departement_code, kind, -count(*), -count(*) FILTER (WHERE referents = 0),
      -count(*) FILTER (WHERE processings > 0), -sum(processings), -sum(completion_sum), -sum(review_due),
      -sum(dpia_to_do), -sum(open_requests), -sum(overdue_requests)
    FROM old_rows WHERE followed GROUP BY departement_code, kind;
  ELSE
    INSERT INTO rgpd_dashboard_counts (departement_code, kind, members, without_referent, with_registry,
      processings, completion_sum, review_due, dpia_to_do, open_requests, overdue_requests)
    SELECT departement_code, kind, sum(members), sum(without_referent), sum(with_registry),
      sum(processings), sum(completion_sum), sum(review_due), sum(dpia_to_do), sum(open_requests),
      sum(overdue_requests)
    FROM (
      SELECT departement_code, kind, 1 AS members, (referents = 0)::int AS without_referent,
        (processings > 0)::int AS with_registry, processings, completion_sum, review_due, dpia_to_do,
        open_requests, overdue_requests
      FROM new_rows WHERE followed
      UNION ALL
      SELECT departement_code, kind, -1, -(referents = 0)::int, -(processings > 0)::int, -processings,
        -completion_sum, -review_due, -dpia_to_do, -open_requests, -overdue_requests
      FROM old_rows WHERE followed
    ) d
    GROUP BY departement_code, kind
    -- A statement that moved no counted column (a name, a next due date) appends nothing.
    HAVING sum(members) <> 0 OR sum(without_referent) <> 0 OR sum(with_registry) <> 0
      OR sum(processings) <> 0 OR sum(completion_sum) <> 0 OR sum(review_due) <> 0
      OR sum(dpia_to_do) <> 0 OR sum(open_requests) <> 0 OR sum(overdue_requests) <> 0;
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER rgpd_dashboard_counts_insert AFTER INSERT ON rgpd_member_summaries
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rgpd_dashboard_counts_apply();
--> statement-breakpoint
CREATE TRIGGER rgpd_dashboard_counts_update AFTER UPDATE ON rgpd_member_summaries
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION rgpd_dashboard_counts_apply();
--> statement-breakpoint
CREATE TRIGGER rgpd_dashboard_counts_delete AFTER DELETE ON rgpd_member_summaries
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION rgpd_dashboard_counts_apply();
--> statement-breakpoint
-- Folds every row into one per bucket (buckets summing to nothing disappear). Rows appended by
-- transactions still running are not in this statement's snapshot: they are neither deleted nor
-- counted here, and stay as they are. Two compactions at once fold disjoint rows.
CREATE OR REPLACE FUNCTION rgpd_dashboard_counts_compact() RETURNS integer
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
  folded integer;
BEGIN
  WITH gone AS (DELETE FROM rgpd_dashboard_counts RETURNING *),
  kept AS (
    INSERT INTO rgpd_dashboard_counts (departement_code, kind, members, without_referent, with_registry,
      processings, completion_sum, review_due, dpia_to_do, open_requests, overdue_requests)
    SELECT departement_code, kind, sum(members), sum(without_referent), sum(with_registry),
      sum(processings), sum(completion_sum), sum(review_due), sum(dpia_to_do), sum(open_requests),
      sum(overdue_requests)
    FROM gone GROUP BY departement_code, kind
    HAVING sum(members) <> 0 OR sum(without_referent) <> 0 OR sum(with_registry) <> 0
      OR sum(processings) <> 0 OR sum(completion_sum) <> 0 OR sum(review_due) <> 0
      OR sum(dpia_to_do) <> 0 OR sum(open_requests) <> 0 OR sum(overdue_requests) <> 0
    RETURNING 1
  )
  SELECT (SELECT count(*) FROM gone) - (SELECT count(*) FROM kept) INTO folded;
  RETURN folded;
END;
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION rgpd_dashboard_counts_compact() FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION rgpd_dashboard_counts_compact() TO socle_app;
--> statement-breakpoint
-- The existing summaries, one row per bucket.
INSERT INTO rgpd_dashboard_counts (departement_code, kind, members, without_referent, with_registry,
  processings, completion_sum, review_due, dpia_to_do, open_requests, overdue_requests)
SELECT departement_code, kind, count(*), count(*) FILTER (WHERE referents = 0),
  count(*) FILTER (WHERE processings > 0), sum(processings), sum(completion_sum), sum(review_due),
  sum(dpia_to_do), sum(open_requests), sum(overdue_requests)
FROM rgpd_member_summaries WHERE followed GROUP BY departement_code, kind;
