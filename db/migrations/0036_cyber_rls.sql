-- Cybersecurity under the restricted role. A member's people (and the operator's, whose policies
-- narrow to the `cyber` scope in the application) reach the member's profile, inventory, diagnostics,
-- exposures, remediations and incidents; never another member's. Advisories are public documents
-- (CSAF) every signed-in person may read, and the software catalogue services bring is read by the
-- members whose inventory it fills; only the operator writes them and the settings.
GRANT SELECT, INSERT, UPDATE, DELETE ON cyber_profiles, cyber_assets, cyber_diagnostics, cyber_exposures,
  cyber_remediations, cyber_incidents, cyber_incident_events TO socle_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON cyber_settings, cyber_service_software, cyber_advisories TO socle_app;
--> statement-breakpoint
ALTER TABLE cyber_profiles ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY cyber_profiles_tenant ON cyber_profiles FOR ALL TO socle_app
  USING ((SELECT socle_is_operator()) OR member_id = (SELECT socle_current_member()))
  WITH CHECK ((SELECT socle_is_operator()) OR member_id = (SELECT socle_current_member()));
--> statement-breakpoint
ALTER TABLE cyber_assets ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY cyber_assets_tenant ON cyber_assets FOR ALL TO socle_app
  USING ((SELECT socle_is_operator()) OR member_id = (SELECT socle_current_member()))
  WITH CHECK ((SELECT socle_is_operator()) OR member_id = (SELECT socle_current_member()));
--> statement-breakpoint
ALTER TABLE cyber_diagnostics ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY cyber_diagnostics_tenant ON cyber_diagnostics FOR ALL TO socle_app
  USING ((SELECT socle_is_operator()) OR member_id = (SELECT socle_current_member()))
  WITH CHECK ((SELECT socle_is_operator()) OR member_id = (SELECT socle_current_member()));
--> statement-breakpoint
ALTER TABLE cyber_exposures ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY cyber_exposures_tenant ON cyber_exposures FOR ALL TO socle_app
  USING ((SELECT socle_is_operator()) OR member_id = (SELECT socle_current_member()))
  WITH CHECK ((SELECT socle_is_operator()) OR member_id = (SELECT socle_current_member()));
--> statement-breakpoint
ALTER TABLE cyber_remediations ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY cyber_remediations_tenant ON cyber_remediations FOR ALL TO socle_app
  USING ((SELECT socle_is_operator()) OR member_id = (SELECT socle_current_member()))
  WITH CHECK ((SELECT socle_is_operator()) OR member_id = (SELECT socle_current_member()));
--> statement-breakpoint
ALTER TABLE cyber_incidents ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY cyber_incidents_tenant ON cyber_incidents FOR ALL TO socle_app
  USING ((SELECT socle_is_operator()) OR member_id = (SELECT socle_current_member()))
  WITH CHECK ((SELECT socle_is_operator()) OR member_id = (SELECT socle_current_member()));
--> statement-breakpoint
ALTER TABLE cyber_incident_events ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY cyber_incident_events_tenant ON cyber_incident_events FOR ALL TO socle_app
  USING ((SELECT socle_is_operator()) OR member_id = (SELECT socle_current_member()))
  WITH CHECK ((SELECT socle_is_operator()) OR member_id = (SELECT socle_current_member()));
--> statement-breakpoint
ALTER TABLE cyber_settings ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY cyber_settings_operator ON cyber_settings FOR ALL TO socle_app
  USING ((SELECT socle_is_operator())) WITH CHECK ((SELECT socle_is_operator()));
--> statement-breakpoint
ALTER TABLE cyber_service_software ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY cyber_service_software_read ON cyber_service_software FOR SELECT TO socle_app
  USING ((SELECT socle_current_user()) IS NOT NULL);
--> statement-breakpoint
CREATE POLICY cyber_service_software_operator ON cyber_service_software FOR ALL TO socle_app
  USING ((SELECT socle_is_operator())) WITH CHECK ((SELECT socle_is_operator()));
--> statement-breakpoint
ALTER TABLE cyber_advisories ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY cyber_advisories_read ON cyber_advisories FOR SELECT TO socle_app
  USING ((SELECT socle_current_user()) IS NOT NULL);
--> statement-breakpoint
CREATE POLICY cyber_advisories_operator ON cyber_advisories FOR ALL TO socle_app
  USING ((SELECT socle_is_operator())) WITH CHECK ((SELECT socle_is_operator()));
--> statement-breakpoint
-- The peers' medians of the latest diagnostics (members of one kind whose population falls in
-- [p_min, p_max)): a member reads the anonymised medians, never another member's diagnostic. Nothing
-- is returned when fewer than 5 members have a diagnostic.
CREATE FUNCTION cyber_peer_medians(p_kind text, p_min integer, p_max integer)
  RETURNS TABLE (theme text, median integer, peers integer)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  WITH latest AS (
    SELECT DISTINCT ON (d.member_id) d.member_id, d.overall_score, d.theme_scores
    FROM cyber_diagnostics d JOIN organisations o ON o.id = d.member_id
    WHERE o.kind = p_kind AND COALESCE(o.population, 0) >= p_min AND COALESCE(o.population, 0) < p_max
    ORDER BY d.member_id, d.created_at DESC
  ), n AS (SELECT count(*)::integer AS peers FROM latest)
  SELECT '_overall', round(percentile_cont(0.5) WITHIN GROUP (ORDER BY l.overall_score))::integer, n.peers
    FROM latest l, n WHERE n.peers >= 5 GROUP BY n.peers
  UNION ALL
  SELECT t.key, round(percentile_cont(0.5) WITHIN GROUP (ORDER BY t.value::numeric))::integer, n.peers
    FROM latest l CROSS JOIN LATERAL jsonb_each_text(l.theme_scores) t, n
    WHERE n.peers >= 5 GROUP BY t.key, n.peers
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION cyber_peer_medians(text, integer, integer) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION cyber_peer_medians(text, integer, integer) TO socle_app;
