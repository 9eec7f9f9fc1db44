-- rgpd_member_summaries is kept by statement-level triggers on rgpd_processings (transition tables:
-- one aggregated upsert per statement, so applying a template to 1,000 members costs one extra
-- statement, not 1,000). The triggers run as the caller (socle_app under RLS): the tenant policy
-- lets a member's users touch its own summary only, as they may only touch its processings.
GRANT SELECT, INSERT, UPDATE, DELETE ON rgpd_member_summaries TO socle_app;
--> statement-breakpoint
ALTER TABLE rgpd_member_summaries ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY rgpd_member_summaries_tenant ON rgpd_member_summaries FOR ALL TO socle_app
  USING (socle_is_operator() OR member_id = socle_current_member())
  WITH CHECK (socle_is_operator() OR member_id = socle_current_member());
--> statement-breakpoint
CREATE OR REPLACE FUNCTION rgpd_member_summaries_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE rgpd_member_summaries s SET
      processings = s.processings - d.n,
      completion_sum = s.completion_sum - d.completion_sum,
      dpia_to_do = s.dpia_to_do - d.dpia_to_do
    FROM (
      SELECT member_id, count(*) AS n, sum(completion) AS completion_sum,
        count(*) FILTER (WHERE cardinality(dpia_criteria) >= 2
          AND dpia_status IN ('not_started', 'in_progress')) AS dpia_to_do
      FROM old_rows GROUP BY member_id
    ) d
    WHERE s.member_id = d.member_id;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    -- A member deleted in the same statement (cascade) gets no summary back.
    INSERT INTO rgpd_member_summaries AS s (member_id, processings, completion_sum, dpia_to_do)
    SELECT a.member_id, a.n, a.completion_sum, a.dpia_to_do
    FROM (
      SELECT member_id, count(*) AS n, sum(completion) AS completion_sum,
        count(*) FILTER (WHERE cardinality(dpia_criteria) >= 2
          AND dpia_status IN ('not_started', 'in_progress')) AS dpia_to_do
      FROM new_rows GROUP BY member_id
    ) a
    WHERE EXISTS (SELECT 1 FROM organisations o WHERE o.id = a.member_id)
    ON CONFLICT (member_id) DO UPDATE SET
      processings = s.processings + excluded.processings,
      completion_sum = s.completion_sum + excluded.completion_sum,
      dpia_to_do = s.dpia_to_do + excluded.dpia_to_do;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER rgpd_processings_summary_insert AFTER INSERT ON rgpd_processings
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rgpd_member_summaries_apply();
--> statement-breakpoint
CREATE TRIGGER rgpd_processings_summary_update AFTER UPDATE ON rgpd_processings
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION rgpd_member_summaries_apply();
--> statement-breakpoint
CREATE TRIGGER rgpd_processings_summary_delete AFTER DELETE ON rgpd_processings
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION rgpd_member_summaries_apply();
--> statement-breakpoint
INSERT INTO rgpd_member_summaries (member_id, processings, completion_sum, dpia_to_do)
SELECT member_id, count(*), sum(completion),
  count(*) FILTER (WHERE cardinality(dpia_criteria) >= 2 AND dpia_status IN ('not_started', 'in_progress'))
FROM rgpd_processings GROUP BY member_id
ON CONFLICT (member_id) DO NOTHING;
