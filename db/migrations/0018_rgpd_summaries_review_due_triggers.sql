-- Reviews due in rgpd_member_summaries: each row counts the processings whose next review falls on
-- or before its own review_due_on (a Paris date). The triggers adjust that count for the rows a
-- statement changes, against each summary's own date; the daily job moves every summary to the new
-- day (rgpd.reminders.ts). The dashboard counts live for summaries not yet moved.
CREATE OR REPLACE FUNCTION rgpd_paris_today() RETURNS date LANGUAGE sql STABLE AS
$$ SELECT (now() AT TIME ZONE 'Europe/Paris')::date $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION rgpd_member_summaries_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE rgpd_member_summaries s SET
      processings = s.processings - d.n,
      completion_sum = s.completion_sum - d.completion_sum,
      dpia_to_do = s.dpia_to_do - d.dpia_to_do,
      review_due = s.review_due - d.review_due
    FROM (
      SELECT o.member_id, count(*) AS n, sum(o.completion) AS completion_sum,
        count(*) FILTER (WHERE cardinality(o.dpia_criteria) >= 2
          AND o.dpia_status IN ('not_started', 'in_progress')) AS dpia_to_do,
        count(*) FILTER (WHERE o.next_review_on <= x.review_due_on) AS review_due
      FROM old_rows o JOIN rgpd_member_summaries x ON x.member_id = o.member_id
      GROUP BY o.member_id
    ) d
    WHERE s.member_id = d.member_id;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    UPDATE rgpd_member_summaries s SET
      processings = s.processings + d.n,
      completion_sum = s.completion_sum + d.completion_sum,
      dpia_to_do = s.dpia_to_do + d.dpia_to_do,
      review_due = s.review_due + d.review_due
    FROM (
      SELECT w.member_id, count(*) AS n, sum(w.completion) AS completion_sum,
        count(*) FILTER (WHERE cardinality(w.dpia_criteria) >= 2
          AND w.dpia_status IN ('not_started', 'in_progress')) AS dpia_to_do,
        count(*) FILTER (WHERE w.next_review_on <= x.review_due_on) AS review_due
      FROM new_rows w JOIN rgpd_member_summaries x ON x.member_id = w.member_id
      GROUP BY w.member_id
    ) d
    WHERE s.member_id = d.member_id;
    -- First processings of a member (a member deleted in the same statement gets no summary back).
    -- Two transactions racing here both count against today, so adding up on conflict stays exact.
    INSERT INTO rgpd_member_summaries AS s
      (member_id, processings, completion_sum, dpia_to_do, review_due, review_due_on)
    SELECT w.member_id, count(*), sum(w.completion),
      count(*) FILTER (WHERE cardinality(w.dpia_criteria) >= 2
        AND w.dpia_status IN ('not_started', 'in_progress')),
      count(*) FILTER (WHERE w.next_review_on <= rgpd_paris_today()),
      rgpd_paris_today()
    FROM new_rows w
    WHERE NOT EXISTS (SELECT 1 FROM rgpd_member_summaries x WHERE x.member_id = w.member_id)
      AND EXISTS (SELECT 1 FROM organisations o WHERE o.id = w.member_id)
    GROUP BY w.member_id
    ON CONFLICT (member_id) DO UPDATE SET
      processings = s.processings + excluded.processings,
      completion_sum = s.completion_sum + excluded.completion_sum,
      dpia_to_do = s.dpia_to_do + excluded.dpia_to_do,
      review_due = s.review_due + excluded.review_due;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
WITH v AS (
  SELECT member_id, count(*) AS n FROM rgpd_processings
  WHERE next_review_on <= rgpd_paris_today() GROUP BY member_id
)
UPDATE rgpd_member_summaries s
SET review_due = COALESCE((SELECT v.n FROM v WHERE v.member_id = s.member_id), 0),
  review_due_on = rgpd_paris_today();
