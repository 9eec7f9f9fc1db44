-- DPO dashboard as an index walk (issue 4): rgpd_member_summaries gets one row per member organisation
-- (the operator excepted) carrying everything the dashboard sorts, filters and sums — copies of the
-- organisation's kind, département, sort name and « followed » status, open rights requests and their
-- earliest due date, overdue requests, référents RGPD — with one partial index per sort. A page is then
-- an index range scan + LIMIT and the totals a sum over these rows, never an aggregate of processings.
-- Breaches inside their 72 h window are few by nature and stay counted live (rgpd_breaches_owed_idx).
ALTER TABLE "rgpd_member_summaries" DROP CONSTRAINT "rgpd_member_summaries_counts_check";--> statement-breakpoint
ALTER TABLE "rgpd_member_summaries" ADD COLUMN "kind" text;--> statement-breakpoint
ALTER TABLE "rgpd_member_summaries" ADD COLUMN "departement_code" text;--> statement-breakpoint
ALTER TABLE "rgpd_member_summaries" ADD COLUMN "search_name" text;--> statement-breakpoint
ALTER TABLE "rgpd_member_summaries" ADD COLUMN "followed" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "rgpd_member_summaries" ADD COLUMN "completion_key" integer GENERATED ALWAYS AS (CASE WHEN processings > 0 THEN round(completion_sum::numeric / processings)::integer ELSE -1 END) STORED NOT NULL;--> statement-breakpoint
ALTER TABLE "rgpd_member_summaries" ADD COLUMN "overdue_requests" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "rgpd_member_summaries" ADD COLUMN "open_requests" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "rgpd_member_summaries" ADD COLUMN "next_due_on" date;--> statement-breakpoint
ALTER TABLE "rgpd_member_summaries" ADD COLUMN "next_due_key" date GENERATED ALWAYS AS (COALESCE(next_due_on, '9999-12-31'::date)) STORED NOT NULL;--> statement-breakpoint
ALTER TABLE "rgpd_member_summaries" ADD COLUMN "referents" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Backfill: a summary for every member organisation, then the copied and counted columns.
INSERT INTO rgpd_member_summaries (member_id, review_due_on)
SELECT o.id, rgpd_paris_today() FROM organisations o WHERE o.kind <> 'operator'
ON CONFLICT (member_id) DO NOTHING;
--> statement-breakpoint
UPDATE rgpd_member_summaries s
SET kind = o.kind, departement_code = o.departement_code, search_name = o.search_name,
  followed = o.kind <> 'operator' AND o.status IN ('accepted', 'member', 'withdrawal_requested')
FROM organisations o WHERE o.id = s.member_id;
--> statement-breakpoint
UPDATE rgpd_member_summaries s
SET review_due = (SELECT count(*) FROM rgpd_processings p
    WHERE p.member_id = s.member_id AND p.next_review_on <= rgpd_paris_today()),
  review_due_on = rgpd_paris_today()
WHERE s.review_due_on IS NULL;
--> statement-breakpoint
UPDATE rgpd_member_summaries s
SET open_requests = a.open, overdue_requests = a.overdue, next_due_on = a.next_due
FROM (
  SELECT x.member_id, count(*) AS open,
    count(*) FILTER (WHERE COALESCE(r.extended_until, r.due_on) < x.review_due_on) AS overdue,
    min(COALESCE(r.extended_until, r.due_on)) AS next_due
  FROM rgpd_member_summaries x
  JOIN rgpd_rights_requests r ON r.member_id = x.member_id AND r.status IN ('received', 'in_progress')
  GROUP BY x.member_id
) a
WHERE s.member_id = a.member_id;
--> statement-breakpoint
UPDATE rgpd_member_summaries s SET referents = c.n
FROM (SELECT member_id, count(*) AS n FROM member_contacts WHERE role = 'referent_rgpd' GROUP BY member_id) c
WHERE s.member_id = c.member_id;
--> statement-breakpoint
ALTER TABLE "rgpd_member_summaries" ALTER COLUMN "kind" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "rgpd_member_summaries" ALTER COLUMN "search_name" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "rgpd_member_summaries" ALTER COLUMN "review_due_on" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "rgpd_member_summaries" ADD CONSTRAINT "rgpd_member_summaries_counts_check" CHECK (processings >= 0 AND completion_sum >= 0 AND dpia_to_do >= 0 AND review_due >= 0 AND overdue_requests >= 0 AND open_requests >= 0 AND referents >= 0);--> statement-breakpoint
CREATE INDEX "rgpd_member_summaries_name_idx" ON "rgpd_member_summaries" USING btree ("search_name","member_id") WHERE followed;--> statement-breakpoint
CREATE INDEX "rgpd_member_summaries_completion_idx" ON "rgpd_member_summaries" USING btree ("completion_key","member_id") WHERE followed;--> statement-breakpoint
CREATE INDEX "rgpd_member_summaries_review_idx" ON "rgpd_member_summaries" USING btree ("review_due","member_id") WHERE followed;--> statement-breakpoint
CREATE INDEX "rgpd_member_summaries_dpia_idx" ON "rgpd_member_summaries" USING btree ("dpia_to_do","member_id") WHERE followed;--> statement-breakpoint
CREATE INDEX "rgpd_member_summaries_open_idx" ON "rgpd_member_summaries" USING btree ("open_requests","member_id") WHERE followed;--> statement-breakpoint
CREATE INDEX "rgpd_member_summaries_next_due_idx" ON "rgpd_member_summaries" USING btree ("next_due_key","member_id") WHERE followed;--> statement-breakpoint
CREATE INDEX "rgpd_member_summaries_kind_idx" ON "rgpd_member_summaries" USING btree ("kind","search_name","member_id") WHERE followed;--> statement-breakpoint
CREATE INDEX "rgpd_member_summaries_departement_idx" ON "rgpd_member_summaries" USING btree ("departement_code","search_name","member_id") WHERE followed;--> statement-breakpoint
CREATE INDEX "rgpd_member_summaries_no_referent_idx" ON "rgpd_member_summaries" USING btree ("search_name","member_id") WHERE followed AND referents = 0;--> statement-breakpoint
CREATE INDEX "rgpd_member_summaries_counts_on_idx" ON "rgpd_member_summaries" USING btree ("review_due_on");--> statement-breakpoint
CREATE INDEX "rgpd_rights_requests_open_member_idx" ON "rgpd_rights_requests" USING btree ("member_id") WHERE status IN ('received', 'in_progress');--> statement-breakpoint
-- Processings (replaces 0018's function). The summaries touched are locked first, in member order,
-- and counted in the following statements: under READ COMMITTED each statement of the function takes
-- a new snapshot, so a review_due_on just moved by the daily job (or a summary just changed by another
-- transaction) is read as committed, never as it was before we waited for its lock.
CREATE OR REPLACE FUNCTION rgpd_member_summaries_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM 1 FROM rgpd_member_summaries
    WHERE member_id IN (SELECT member_id FROM new_rows) ORDER BY member_id FOR UPDATE;
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM 1 FROM rgpd_member_summaries
    WHERE member_id IN (SELECT member_id FROM old_rows) ORDER BY member_id FOR UPDATE;
  ELSE
    PERFORM 1 FROM rgpd_member_summaries
    WHERE member_id IN (SELECT member_id FROM old_rows UNION SELECT member_id FROM new_rows)
    ORDER BY member_id FOR UPDATE;
  END IF;
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
    -- Organisations without a summary (the operator's own registry; members have theirs from the
    -- organisations trigger). A member deleted in the same statement gets no summary back.
    INSERT INTO rgpd_member_summaries AS s (member_id, kind, departement_code, search_name, followed,
      processings, completion_sum, dpia_to_do, review_due, review_due_on)
    SELECT w.member_id, o.kind, o.departement_code, o.search_name,
      o.kind <> 'operator' AND o.status IN ('accepted', 'member', 'withdrawal_requested'),
      count(*), sum(w.completion),
      count(*) FILTER (WHERE cardinality(w.dpia_criteria) >= 2
        AND w.dpia_status IN ('not_started', 'in_progress')),
      count(*) FILTER (WHERE w.next_review_on <= rgpd_paris_today()),
      rgpd_paris_today()
    FROM new_rows w JOIN organisations o ON o.id = w.member_id
    WHERE NOT EXISTS (SELECT 1 FROM rgpd_member_summaries x WHERE x.member_id = w.member_id)
    GROUP BY w.member_id, o.kind, o.departement_code, o.search_name, o.status
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
-- Organisations: a summary is created with the organisation, and follows its kind, département,
-- sort name and status. Updates are row-level with a WHEN clause so that the frequent updates of
-- other columns (official population, contact details) cost nothing.
CREATE OR REPLACE FUNCTION rgpd_member_summaries_create() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO rgpd_member_summaries (member_id, kind, departement_code, search_name, followed, review_due_on)
  SELECT n.id, n.kind, n.departement_code, n.search_name,
    n.status IN ('accepted', 'member', 'withdrawal_requested'), rgpd_paris_today()
  FROM new_rows n WHERE n.kind <> 'operator'
  ON CONFLICT (member_id) DO NOTHING;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION rgpd_member_summaries_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE rgpd_member_summaries SET kind = NEW.kind, departement_code = NEW.departement_code,
    search_name = NEW.search_name,
    followed = NEW.kind <> 'operator' AND NEW.status IN ('accepted', 'member', 'withdrawal_requested')
  WHERE member_id = NEW.id;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER organisations_rgpd_summary_insert AFTER INSERT ON organisations
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rgpd_member_summaries_create();
--> statement-breakpoint
CREATE TRIGGER organisations_rgpd_summary_update
  AFTER UPDATE OF kind, departement_code, search_name, status ON organisations
  FOR EACH ROW WHEN (OLD.kind IS DISTINCT FROM NEW.kind
    OR OLD.departement_code IS DISTINCT FROM NEW.departement_code
    OR OLD.search_name IS DISTINCT FROM NEW.search_name OR OLD.status IS DISTINCT FROM NEW.status)
  EXECUTE FUNCTION rgpd_member_summaries_follow();
--> statement-breakpoint
-- Référents RGPD: counted by difference (the update adds to the row as it is when the lock is granted).
CREATE OR REPLACE FUNCTION rgpd_member_summaries_referents() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE rgpd_member_summaries s SET referents = s.referents + d.n
    FROM (SELECT member_id, count(*) AS n FROM new_rows WHERE role = 'referent_rgpd' GROUP BY member_id) d
    WHERE s.member_id = d.member_id;
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE rgpd_member_summaries s SET referents = s.referents - d.n
    FROM (SELECT member_id, count(*) AS n FROM old_rows WHERE role = 'referent_rgpd' GROUP BY member_id) d
    WHERE s.member_id = d.member_id;
  ELSE
    UPDATE rgpd_member_summaries s SET referents = s.referents + d.n
    FROM (
      SELECT member_id, sum(n) AS n FROM (
        SELECT member_id, 1 AS n FROM new_rows WHERE role = 'referent_rgpd'
        UNION ALL
        SELECT member_id, -1 AS n FROM old_rows WHERE role = 'referent_rgpd'
      ) c GROUP BY member_id HAVING sum(n) <> 0
    ) d
    WHERE s.member_id = d.member_id;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER member_contacts_rgpd_summary_insert AFTER INSERT ON member_contacts
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rgpd_member_summaries_referents();
--> statement-breakpoint
CREATE TRIGGER member_contacts_rgpd_summary_update AFTER UPDATE ON member_contacts
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION rgpd_member_summaries_referents();
--> statement-breakpoint
CREATE TRIGGER member_contacts_rgpd_summary_delete AFTER DELETE ON member_contacts
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION rgpd_member_summaries_referents();
--> statement-breakpoint
-- Rights requests: the touched members' summaries are locked, then their open requests recounted (a
-- minimum cannot be kept by difference). Counting after the lock, in a new statement, sees what a
-- concurrent transaction on the same member committed while we waited.
CREATE OR REPLACE FUNCTION rgpd_member_summaries_requests() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  touched uuid[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(DISTINCT member_id) INTO touched FROM new_rows;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(DISTINCT member_id) INTO touched FROM old_rows;
  ELSE
    SELECT array_agg(member_id) INTO touched
    FROM (SELECT member_id FROM old_rows UNION SELECT member_id FROM new_rows) m;
  END IF;
  IF touched IS NULL THEN
    RETURN NULL;
  END IF;
  PERFORM 1 FROM rgpd_member_summaries WHERE member_id = ANY (touched) ORDER BY member_id FOR UPDATE;
  UPDATE rgpd_member_summaries s
  SET open_requests = a.open, overdue_requests = a.overdue, next_due_on = a.next_due
  FROM (
    SELECT x.member_id, count(r.id) AS open,
      count(r.id) FILTER (WHERE COALESCE(r.extended_until, r.due_on) < x.review_due_on) AS overdue,
      min(COALESCE(r.extended_until, r.due_on)) AS next_due
    FROM rgpd_member_summaries x
    LEFT JOIN rgpd_rights_requests r ON r.member_id = x.member_id AND r.status IN ('received', 'in_progress')
    WHERE x.member_id = ANY (touched)
    GROUP BY x.member_id
  ) a
  WHERE s.member_id = a.member_id
    AND (s.open_requests, s.overdue_requests, s.next_due_on) IS DISTINCT FROM (a.open, a.overdue, a.next_due);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER rgpd_rights_requests_summary_insert AFTER INSERT ON rgpd_rights_requests
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rgpd_member_summaries_requests();
--> statement-breakpoint
CREATE TRIGGER rgpd_rights_requests_summary_update AFTER UPDATE ON rgpd_rights_requests
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION rgpd_member_summaries_requests();
--> statement-breakpoint
CREATE TRIGGER rgpd_rights_requests_summary_delete AFTER DELETE ON rgpd_rights_requests
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION rgpd_member_summaries_requests();
