-- Ticket attachments and links under the restricted role (issue 14, desk). An attachment follows its
-- ticket's member, and an internal note's attachment is never visible to the member, even with the
-- application's filter removed. Links are written by the support team (operator), read by the
-- member whose ticket it is (the application shows it its own cyber incidents and public status
-- incidents only).
GRANT SELECT, INSERT, UPDATE, DELETE ON support_attachments, support_ticket_links TO socle_app;
--> statement-breakpoint
ALTER TABLE support_attachments ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY support_attachments_tenant ON support_attachments FOR ALL TO socle_app
  USING ((SELECT socle_is_operator()) OR (member_id = (SELECT socle_current_member()) AND NOT internal))
  WITH CHECK ((SELECT socle_is_operator()) OR (member_id = (SELECT socle_current_member()) AND NOT internal));
--> statement-breakpoint
ALTER TABLE support_ticket_links ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY support_ticket_links_read ON support_ticket_links FOR SELECT TO socle_app
  USING ((SELECT socle_is_operator()) OR member_id = (SELECT socle_current_member()));
--> statement-breakpoint
CREATE POLICY support_ticket_links_operator ON support_ticket_links FOR ALL TO socle_app
  USING ((SELECT socle_is_operator())) WITH CHECK ((SELECT socle_is_operator()));
