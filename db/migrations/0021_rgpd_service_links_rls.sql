-- Which templates and processors a catalogue service implies: operator reference data, readable by
-- every request, written by the operator only.
GRANT SELECT, INSERT, UPDATE, DELETE ON rgpd_service_templates, rgpd_service_processors TO socle_app;
--> statement-breakpoint
ALTER TABLE rgpd_service_templates ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY rgpd_service_templates_read ON rgpd_service_templates FOR SELECT TO socle_app USING (true);
--> statement-breakpoint
CREATE POLICY rgpd_service_templates_operator_insert ON rgpd_service_templates FOR INSERT TO socle_app
  WITH CHECK (socle_is_operator());
--> statement-breakpoint
CREATE POLICY rgpd_service_templates_operator_delete ON rgpd_service_templates FOR DELETE TO socle_app
  USING (socle_is_operator());
--> statement-breakpoint
ALTER TABLE rgpd_service_processors ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY rgpd_service_processors_read ON rgpd_service_processors FOR SELECT TO socle_app USING (true);
--> statement-breakpoint
CREATE POLICY rgpd_service_processors_operator_insert ON rgpd_service_processors FOR INSERT TO socle_app
  WITH CHECK (socle_is_operator());
--> statement-breakpoint
CREATE POLICY rgpd_service_processors_operator_delete ON rgpd_service_processors FOR DELETE TO socle_app
  USING (socle_is_operator());
