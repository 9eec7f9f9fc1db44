-- Backup runs belong to a member as its instances do: its people and the operator's read them (the
-- application narrows the operator to the `hosting` scope), only the operator writes them.
GRANT SELECT, INSERT, UPDATE, DELETE ON hosting_backups TO socle_app;
--> statement-breakpoint
ALTER TABLE hosting_backups ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY hosting_backups_tenant ON hosting_backups FOR ALL TO socle_app
  USING ((SELECT socle_is_operator()) OR member_id = (SELECT socle_current_member()))
  WITH CHECK ((SELECT socle_is_operator()));
--> statement-breakpoint
-- A continuity plan's documents are read as the plan is: by the operator and by the members subscribing
-- to the service now; only the operator writes them.
GRANT SELECT, INSERT, UPDATE, DELETE ON hosting_continuity_documents TO socle_app;
--> statement-breakpoint
ALTER TABLE hosting_continuity_documents ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY hosting_continuity_documents_read ON hosting_continuity_documents FOR SELECT TO socle_app
  USING ((SELECT socle_is_operator()) OR EXISTS (
    SELECT 1 FROM subscriptions s WHERE s.service_id = hosting_continuity_documents.service_id
      AND s.member_id = (SELECT socle_current_member())
      AND s.status IN ('active', 'termination_requested')));
--> statement-breakpoint
CREATE POLICY hosting_continuity_documents_write ON hosting_continuity_documents FOR ALL TO socle_app
  USING ((SELECT socle_is_operator())) WITH CHECK ((SELECT socle_is_operator()));
