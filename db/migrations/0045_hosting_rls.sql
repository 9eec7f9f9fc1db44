-- Hosting under the restricted role. Instances and restore tests belong to a member: its people and
-- the operator's (whose policies narrow to the `hosting` scope in the application) reach them, never
-- another member. Incidents and maintenance are the public status page: anyone reads them, only the
-- operator writes them. Monitors and their checks are the operator's alone.
GRANT SELECT, INSERT, UPDATE, DELETE ON hosting_instances, hosting_restore_tests TO socle_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON hosting_incidents, hosting_incident_services, hosting_incident_updates,
  hosting_maintenances, hosting_maintenance_services, hosting_monitors, hosting_checks TO socle_app;
--> statement-breakpoint
ALTER TABLE hosting_instances ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY hosting_instances_tenant ON hosting_instances FOR ALL TO socle_app
  USING ((SELECT socle_is_operator()) OR member_id = (SELECT socle_current_member()))
  WITH CHECK ((SELECT socle_is_operator()));
--> statement-breakpoint
ALTER TABLE hosting_restore_tests ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY hosting_restore_tests_tenant ON hosting_restore_tests FOR ALL TO socle_app
  USING ((SELECT socle_is_operator()) OR member_id = (SELECT socle_current_member()))
  WITH CHECK ((SELECT socle_is_operator()));
--> statement-breakpoint
ALTER TABLE hosting_incidents ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY hosting_incidents_read ON hosting_incidents FOR SELECT TO socle_app USING (true);
--> statement-breakpoint
CREATE POLICY hosting_incidents_write ON hosting_incidents FOR ALL TO socle_app
  USING ((SELECT socle_is_operator())) WITH CHECK ((SELECT socle_is_operator()));
--> statement-breakpoint
ALTER TABLE hosting_incident_services ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY hosting_incident_services_read ON hosting_incident_services FOR SELECT TO socle_app USING (true);
--> statement-breakpoint
CREATE POLICY hosting_incident_services_write ON hosting_incident_services FOR ALL TO socle_app
  USING ((SELECT socle_is_operator())) WITH CHECK ((SELECT socle_is_operator()));
--> statement-breakpoint
ALTER TABLE hosting_incident_updates ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY hosting_incident_updates_read ON hosting_incident_updates FOR SELECT TO socle_app USING (true);
--> statement-breakpoint
CREATE POLICY hosting_incident_updates_write ON hosting_incident_updates FOR ALL TO socle_app
  USING ((SELECT socle_is_operator())) WITH CHECK ((SELECT socle_is_operator()));
--> statement-breakpoint
ALTER TABLE hosting_maintenances ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY hosting_maintenances_read ON hosting_maintenances FOR SELECT TO socle_app USING (true);
--> statement-breakpoint
CREATE POLICY hosting_maintenances_write ON hosting_maintenances FOR ALL TO socle_app
  USING ((SELECT socle_is_operator())) WITH CHECK ((SELECT socle_is_operator()));
--> statement-breakpoint
ALTER TABLE hosting_maintenance_services ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY hosting_maintenance_services_read ON hosting_maintenance_services FOR SELECT TO socle_app
  USING (true);
--> statement-breakpoint
CREATE POLICY hosting_maintenance_services_write ON hosting_maintenance_services FOR ALL TO socle_app
  USING ((SELECT socle_is_operator())) WITH CHECK ((SELECT socle_is_operator()));
--> statement-breakpoint
ALTER TABLE hosting_monitors ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY hosting_monitors_operator ON hosting_monitors FOR ALL TO socle_app
  USING ((SELECT socle_is_operator())) WITH CHECK ((SELECT socle_is_operator()));
--> statement-breakpoint
ALTER TABLE hosting_checks ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY hosting_checks_operator ON hosting_checks FOR ALL TO socle_app
  USING ((SELECT socle_is_operator())) WITH CHECK ((SELECT socle_is_operator()));
--> statement-breakpoint
-- A service's continuity plan: the operator writes it, the members subscribing to the service read it.
GRANT SELECT, INSERT, UPDATE, DELETE ON hosting_continuity_plans TO socle_app;
--> statement-breakpoint
ALTER TABLE hosting_continuity_plans ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY hosting_continuity_plans_read ON hosting_continuity_plans FOR SELECT TO socle_app
  USING ((SELECT socle_is_operator()) OR EXISTS (
    SELECT 1 FROM subscriptions s WHERE s.service_id = hosting_continuity_plans.service_id
      AND s.member_id = (SELECT socle_current_member())
      AND s.status IN ('active', 'termination_requested')));
--> statement-breakpoint
CREATE POLICY hosting_continuity_plans_write ON hosting_continuity_plans FOR ALL TO socle_app
  USING ((SELECT socle_is_operator())) WITH CHECK ((SELECT socle_is_operator()));
--> statement-breakpoint
-- Licence usage: the member's own (its people declare it), and the operator's.
GRANT SELECT, INSERT, UPDATE, DELETE ON hosting_licence_usage TO socle_app;
--> statement-breakpoint
ALTER TABLE hosting_licence_usage ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY hosting_licence_usage_tenant ON hosting_licence_usage FOR ALL TO socle_app
  USING ((SELECT socle_is_operator()) OR member_id = (SELECT socle_current_member()))
  WITH CHECK ((SELECT socle_is_operator()) OR member_id = (SELECT socle_current_member()));
--> statement-breakpoint
-- The services the status page lists: those an instance or a monitor serves. SECURITY DEFINER: a
-- visitor reads the public list without reading members' instances or the operator's monitors.
CREATE OR REPLACE FUNCTION socle_hosted_services() RETURNS uuid[]
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT coalesce(array_agg(DISTINCT service_id), '{}'::uuid[]) FROM (
    SELECT service_id FROM hosting_instances UNION SELECT service_id FROM hosting_monitors
  ) hosted
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION socle_hosted_services() FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION socle_hosted_services() TO socle_app;
--> statement-breakpoint
-- The public status page is cached in memory per process (topic `status`, platform/changes.ts): every
-- write to what it shows notifies. Monitors and instances only by their coming and going (a check
-- updates its monitor every minute without changing the page).
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['hosting_incidents', 'hosting_incident_services', 'hosting_incident_updates',
    'hosting_maintenances', 'hosting_maintenance_services', 'catalogue_services'] LOOP
    EXECUTE format(
      'CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I '
      'FOR EACH STATEMENT EXECUTE FUNCTION socle_notify_change(%L)',
      t || '_status_changes', t, 'status');
  END LOOP;
  FOREACH t IN ARRAY ARRAY['hosting_monitors', 'hosting_instances'] LOOP
    EXECUTE format(
      'CREATE TRIGGER %I AFTER INSERT OR DELETE OR TRUNCATE ON %I '
      'FOR EACH STATEMENT EXECUTE FUNCTION socle_notify_change(%L)',
      t || '_status_changes', t, 'status');
  END LOOP;
END
$$;
