-- The support desk under the restricted role. A member's people reach the member's tickets and the
-- public messages of them (the application narrows further: a member's admin sees every ticket of
-- the member, its other people their own); internal notes of the support team are never visible to
-- a member, even with the application's filter removed. The operator's people pass (the policy
-- narrows to the `support` scope). Service levels are read by every signed-in person (the promise
-- made to a member), written by the operator only.
GRANT SELECT, INSERT, UPDATE, DELETE ON support_tickets, support_messages, support_service_levels TO socle_app;
--> statement-breakpoint
GRANT USAGE ON SEQUENCE support_tickets_number_seq TO socle_app;
--> statement-breakpoint
ALTER TABLE support_tickets ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY support_tickets_tenant ON support_tickets FOR ALL TO socle_app
  USING ((SELECT socle_is_operator()) OR member_id = (SELECT socle_current_member()))
  WITH CHECK ((SELECT socle_is_operator()) OR member_id = (SELECT socle_current_member()));
--> statement-breakpoint
ALTER TABLE support_messages ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY support_messages_tenant ON support_messages FOR ALL TO socle_app
  USING ((SELECT socle_is_operator()) OR (member_id = (SELECT socle_current_member()) AND NOT internal))
  WITH CHECK ((SELECT socle_is_operator()) OR (member_id = (SELECT socle_current_member()) AND NOT internal));
--> statement-breakpoint
ALTER TABLE support_service_levels ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY support_service_levels_read ON support_service_levels FOR SELECT TO socle_app
  USING ((SELECT socle_current_user()) IS NOT NULL);
--> statement-breakpoint
CREATE POLICY support_service_levels_operator ON support_service_levels FOR ALL TO socle_app
  USING ((SELECT socle_is_operator())) WITH CHECK ((SELECT socle_is_operator()));
