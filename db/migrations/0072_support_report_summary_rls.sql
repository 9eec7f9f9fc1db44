-- The yearly support report's summary of closed months (support.report.ts): read and refreshed by the
-- operator's people only (the refresh job runs as the system operator); members never see it.
GRANT SELECT, INSERT, UPDATE, DELETE ON support_report_months, support_report_dirty, support_report_figures TO socle_app;
--> statement-breakpoint
ALTER TABLE support_report_months ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY support_report_months_operator ON support_report_months FOR ALL TO socle_app
  USING ((SELECT socle_is_operator())) WITH CHECK ((SELECT socle_is_operator()));
--> statement-breakpoint
ALTER TABLE support_report_dirty ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY support_report_dirty_operator ON support_report_dirty FOR ALL TO socle_app
  USING ((SELECT socle_is_operator())) WITH CHECK ((SELECT socle_is_operator()));
--> statement-breakpoint
ALTER TABLE support_report_figures ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY support_report_figures_operator ON support_report_figures FOR ALL TO socle_app
  USING ((SELECT socle_is_operator())) WITH CHECK ((SELECT socle_is_operator()));
--> statement-breakpoint
-- Any change to tickets of a summarised month (a member's people reply, rate, reopen; the team
-- answers, resolves; a service's deletion sets service_id null) marks that month dirty: the report
-- computes it live until the refresh runs again. Statement triggers with transition tables: one
-- insert per statement and month, never a lock on a shared row. SECURITY DEFINER: a member's people
-- write their tickets, and the mark must be written whatever they may see.
CREATE OR REPLACE FUNCTION socle_support_report_mark_tickets() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    INSERT INTO support_report_dirty (month)
      SELECT DISTINCT m.month FROM old_rows o
      JOIN support_report_months m ON m.month = to_char(o.created_at AT TIME ZONE 'Europe/Paris', 'YYYY-MM');
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    INSERT INTO support_report_dirty (month)
      SELECT DISTINCT m.month FROM new_rows n
      JOIN support_report_months m ON m.month = to_char(n.created_at AT TIME ZONE 'Europe/Paris', 'YYYY-MM');
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER support_tickets_report_insert AFTER INSERT ON support_tickets
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION socle_support_report_mark_tickets();
--> statement-breakpoint
CREATE TRIGGER support_tickets_report_update AFTER UPDATE ON support_tickets
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION socle_support_report_mark_tickets();
--> statement-breakpoint
CREATE TRIGGER support_tickets_report_delete AFTER DELETE ON support_tickets
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION socle_support_report_mark_tickets();
--> statement-breakpoint
-- The equity part groups by the member's département and kind as they are now: a member that moves
-- marks every summarised month holding one of its tickets.
CREATE OR REPLACE FUNCTION socle_support_report_mark_member() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
  INSERT INTO support_report_dirty (month)
    SELECT m.month FROM support_report_months m
    WHERE EXISTS (
      SELECT 1 FROM support_tickets t
      WHERE t.member_id = NEW.id
        AND t.created_at >= (to_date(m.month, 'YYYY-MM')::timestamp AT TIME ZONE 'Europe/Paris')
        AND t.created_at < ((to_date(m.month, 'YYYY-MM') + interval '1 month')::timestamp AT TIME ZONE 'Europe/Paris'));
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER organisations_support_report AFTER UPDATE OF kind, departement_code ON organisations
  FOR EACH ROW WHEN (OLD.kind IS DISTINCT FROM NEW.kind OR OLD.departement_code IS DISTINCT FROM NEW.departement_code)
  EXECUTE FUNCTION socle_support_report_mark_member();
