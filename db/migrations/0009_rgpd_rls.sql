-- RGPD tables: member-owned ones follow member_contacts (operator or own member); the operator's
-- reference tables (templates, processors) are readable by every request and written by the operator.
-- Anonymous requests read only the processings a member published (public registry page).
GRANT SELECT, INSERT, UPDATE, DELETE ON
  rgpd_processings, rgpd_processing_versions, rgpd_processing_processors, rgpd_designations,
  rgpd_editors, rgpd_rights_requests, rgpd_breaches, rgpd_reminders_sent,
  rgpd_templates, rgpd_template_versions, rgpd_processors
TO socle_app;
--> statement-breakpoint
ALTER TABLE rgpd_processings ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY rgpd_processings_tenant ON rgpd_processings FOR ALL TO socle_app
  USING (socle_is_operator() OR member_id = socle_current_member())
  WITH CHECK (socle_is_operator() OR member_id = socle_current_member());
--> statement-breakpoint
CREATE POLICY rgpd_processings_public_read ON rgpd_processings FOR SELECT TO socle_app
  USING (is_public);
--> statement-breakpoint
ALTER TABLE rgpd_processing_versions ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY rgpd_processing_versions_tenant ON rgpd_processing_versions FOR ALL TO socle_app
  USING (socle_is_operator() OR member_id = socle_current_member())
  WITH CHECK (socle_is_operator() OR member_id = socle_current_member());
--> statement-breakpoint
ALTER TABLE rgpd_processing_processors ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY rgpd_processing_processors_tenant ON rgpd_processing_processors FOR ALL TO socle_app
  USING (socle_is_operator() OR member_id = socle_current_member())
  WITH CHECK (socle_is_operator() OR member_id = socle_current_member());
--> statement-breakpoint
CREATE POLICY rgpd_processing_processors_public_read ON rgpd_processing_processors FOR SELECT TO socle_app
  USING (EXISTS (
    SELECT 1 FROM rgpd_processings p
    WHERE p.id = rgpd_processing_processors.processing_id AND p.is_public
  ));
--> statement-breakpoint
ALTER TABLE rgpd_designations ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY rgpd_designations_tenant ON rgpd_designations FOR ALL TO socle_app
  USING (socle_is_operator() OR member_id = socle_current_member())
  WITH CHECK (socle_is_operator() OR member_id = socle_current_member());
--> statement-breakpoint
ALTER TABLE rgpd_editors ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY rgpd_editors_tenant ON rgpd_editors FOR ALL TO socle_app
  USING (socle_is_operator() OR member_id = socle_current_member())
  WITH CHECK (socle_is_operator() OR member_id = socle_current_member());
--> statement-breakpoint
ALTER TABLE rgpd_rights_requests ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY rgpd_rights_requests_tenant ON rgpd_rights_requests FOR ALL TO socle_app
  USING (socle_is_operator() OR member_id = socle_current_member())
  WITH CHECK (socle_is_operator() OR member_id = socle_current_member());
--> statement-breakpoint
ALTER TABLE rgpd_breaches ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY rgpd_breaches_tenant ON rgpd_breaches FOR ALL TO socle_app
  USING (socle_is_operator() OR member_id = socle_current_member())
  WITH CHECK (socle_is_operator() OR member_id = socle_current_member());
--> statement-breakpoint
ALTER TABLE rgpd_reminders_sent ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY rgpd_reminders_sent_tenant ON rgpd_reminders_sent FOR ALL TO socle_app
  USING (socle_is_operator() OR member_id = socle_current_member())
  WITH CHECK (socle_is_operator() OR member_id = socle_current_member());
--> statement-breakpoint
ALTER TABLE rgpd_templates ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY rgpd_templates_read ON rgpd_templates FOR SELECT TO socle_app USING (true);
--> statement-breakpoint
CREATE POLICY rgpd_templates_operator_insert ON rgpd_templates FOR INSERT TO socle_app
  WITH CHECK (socle_is_operator());
--> statement-breakpoint
CREATE POLICY rgpd_templates_operator_update ON rgpd_templates FOR UPDATE TO socle_app
  USING (socle_is_operator()) WITH CHECK (socle_is_operator());
--> statement-breakpoint
CREATE POLICY rgpd_templates_operator_delete ON rgpd_templates FOR DELETE TO socle_app
  USING (socle_is_operator());
--> statement-breakpoint
ALTER TABLE rgpd_template_versions ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY rgpd_template_versions_read ON rgpd_template_versions FOR SELECT TO socle_app USING (true);
--> statement-breakpoint
CREATE POLICY rgpd_template_versions_operator_insert ON rgpd_template_versions FOR INSERT TO socle_app
  WITH CHECK (socle_is_operator());
--> statement-breakpoint
CREATE POLICY rgpd_template_versions_operator_update ON rgpd_template_versions FOR UPDATE TO socle_app
  USING (socle_is_operator()) WITH CHECK (socle_is_operator());
--> statement-breakpoint
CREATE POLICY rgpd_template_versions_operator_delete ON rgpd_template_versions FOR DELETE TO socle_app
  USING (socle_is_operator());
--> statement-breakpoint
ALTER TABLE rgpd_processors ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY rgpd_processors_read ON rgpd_processors FOR SELECT TO socle_app USING (true);
--> statement-breakpoint
CREATE POLICY rgpd_processors_operator_insert ON rgpd_processors FOR INSERT TO socle_app
  WITH CHECK (socle_is_operator());
--> statement-breakpoint
CREATE POLICY rgpd_processors_operator_update ON rgpd_processors FOR UPDATE TO socle_app
  USING (socle_is_operator()) WITH CHECK (socle_is_operator());
--> statement-breakpoint
CREATE POLICY rgpd_processors_operator_delete ON rgpd_processors FOR DELETE TO socle_app
  USING (socle_is_operator());
