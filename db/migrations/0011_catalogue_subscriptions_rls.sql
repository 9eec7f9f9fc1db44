-- Catalogue tables are public reference data: every request reads them, only the operator writes.
-- The edit history is operator-only. Subscriptions and their events are member-owned (member_contacts).
GRANT SELECT, INSERT, UPDATE, DELETE ON
  catalogue_services, catalogue_service_prerequisites, catalogue_alone_prices, catalogue_service_history,
  subscriptions, subscription_events
TO socle_app;
--> statement-breakpoint
ALTER TABLE catalogue_services ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY catalogue_services_public_read ON catalogue_services FOR SELECT TO socle_app USING (true);
--> statement-breakpoint
CREATE POLICY catalogue_services_operator_write ON catalogue_services FOR ALL TO socle_app
  USING (socle_is_operator()) WITH CHECK (socle_is_operator());
--> statement-breakpoint
ALTER TABLE catalogue_service_prerequisites ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY catalogue_service_prerequisites_public_read ON catalogue_service_prerequisites FOR SELECT
  TO socle_app USING (true);
--> statement-breakpoint
CREATE POLICY catalogue_service_prerequisites_operator_write ON catalogue_service_prerequisites FOR ALL
  TO socle_app USING (socle_is_operator()) WITH CHECK (socle_is_operator());
--> statement-breakpoint
ALTER TABLE catalogue_alone_prices ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY catalogue_alone_prices_public_read ON catalogue_alone_prices FOR SELECT TO socle_app
  USING (true);
--> statement-breakpoint
CREATE POLICY catalogue_alone_prices_operator_write ON catalogue_alone_prices FOR ALL TO socle_app
  USING (socle_is_operator()) WITH CHECK (socle_is_operator());
--> statement-breakpoint
ALTER TABLE catalogue_service_history ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY catalogue_service_history_operator ON catalogue_service_history FOR ALL TO socle_app
  USING (socle_is_operator()) WITH CHECK (socle_is_operator());
--> statement-breakpoint
ALTER TABLE subscriptions ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY subscriptions_tenant ON subscriptions FOR ALL TO socle_app
  USING (socle_is_operator() OR member_id = socle_current_member())
  WITH CHECK (socle_is_operator() OR member_id = socle_current_member());
--> statement-breakpoint
ALTER TABLE subscription_events ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY subscription_events_tenant ON subscription_events FOR ALL TO socle_app
  USING (socle_is_operator() OR member_id = socle_current_member())
  WITH CHECK (socle_is_operator() OR member_id = socle_current_member());
