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

--> statement-breakpoint
-- The status page's 90 days of history as a table kept by triggers (issue 15, status page performance):
-- each service's Paris days touched by a resolved incident, with the worst state of the day. A resolved
-- incident's days never change with time, so they are written when the incident is resolved (or its
-- dates, state or services change) instead of being recomputed by every answer; open incidents and
-- maintenance (which grow with the clock) are still computed when the page is read, as before.
-- Public like incidents: anyone reads it; only the triggers (SECURITY DEFINER) write it.
GRANT SELECT ON hosting_service_days TO socle_app;
--> statement-breakpoint
ALTER TABLE hosting_service_days ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY hosting_service_days_read ON hosting_service_days FOR SELECT TO socle_app USING (true);
--> statement-breakpoint
-- Recomputes the days of these services from their resolved incidents (the services that still exist:
-- a service being deleted cascades to its incidents' links, which call this).
CREATE OR REPLACE FUNCTION socle_refresh_service_days(p_services uuid[]) RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
  -- contracts/hosting.ts SERVICE_STATES, best first, as socle_public_status ranks them.
  states CONSTANT text[] := ARRAY['operational', 'maintenance', 'degraded', 'partial_outage', 'major_outage'];
BEGIN
  -- Writers of one service's days take turns (incidents are resolved rarely); the statements after
  -- the lock see what the previous writer committed.
  PERFORM pg_advisory_xact_lock(hashtext('hosting_service_days'));
  DELETE FROM hosting_service_days WHERE service_id = ANY(p_services);
  INSERT INTO hosting_service_days (service_id, day, rank)
  SELECT s.service_id, d::date, max(array_position(states, i.state))
  FROM hosting_incident_services s
  JOIN catalogue_services c ON c.id = s.service_id
  JOIN hosting_incidents i ON i.id = s.incident_id AND i.resolved_at IS NOT NULL,
  generate_series((i.started_at AT TIME ZONE 'Europe/Paris')::date,
    (i.resolved_at AT TIME ZONE 'Europe/Paris')::date, interval '1 day') d
  WHERE s.service_id = ANY(p_services)
  GROUP BY 1, 2
  ON CONFLICT (service_id, day) DO UPDATE SET rank = EXCLUDED.rank;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION socle_refresh_service_days(uuid[]) FROM PUBLIC;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION socle_incident_service_days() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
  IF TG_TABLE_NAME = 'hosting_incidents' THEN
    -- A change of state, dates or resolution: the incident's services.
    PERFORM socle_refresh_service_days(ARRAY(
      SELECT service_id FROM hosting_incident_services WHERE incident_id = NEW.id));
  ELSIF TG_OP = 'INSERT' THEN
    -- A service named by an incident: only a resolved incident's days are kept.
    IF EXISTS (SELECT 1 FROM hosting_incidents WHERE id = NEW.incident_id AND resolved_at IS NOT NULL) THEN
      PERFORM socle_refresh_service_days(ARRAY[NEW.service_id]);
    END IF;
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM socle_refresh_service_days(ARRAY[OLD.service_id]);
  ELSE
    PERFORM socle_refresh_service_days(ARRAY[OLD.service_id, NEW.service_id]);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION socle_incident_service_days() FROM PUBLIC;
--> statement-breakpoint
CREATE TRIGGER hosting_incidents_service_days AFTER UPDATE OF state, started_at, resolved_at
  ON hosting_incidents FOR EACH ROW
  WHEN (OLD.state IS DISTINCT FROM NEW.state OR OLD.started_at IS DISTINCT FROM NEW.started_at
    OR OLD.resolved_at IS DISTINCT FROM NEW.resolved_at)
  EXECUTE FUNCTION socle_incident_service_days();
--> statement-breakpoint
-- An incident deleted cascades to its links: their deletion recomputes the services.
CREATE TRIGGER hosting_incident_services_service_days AFTER INSERT OR UPDATE OR DELETE
  ON hosting_incident_services FOR EACH ROW EXECUTE FUNCTION socle_incident_service_days();
--> statement-breakpoint
-- The incidents resolved so far.
SELECT socle_refresh_service_days(ARRAY(SELECT DISTINCT service_id FROM hosting_incident_services));
--> statement-breakpoint
-- The status page (migration 0059's statement) reads the resolved incidents' days from the table.
CREATE OR REPLACE FUNCTION socle_public_status(p_at timestamptz, p_days int) RETURNS text
  LANGUAGE plpgsql STABLE AS $$
DECLARE
  -- contracts/hosting.ts SERVICE_STATES, best first: a state's position ranks "worst of".
  states CONSTANT text[] := ARRAY['operational', 'maintenance', 'degraded', 'partial_outage', 'major_outage'];
  since CONSTANT timestamptz := p_at - make_interval(hours => 24 * p_days);
  today CONSTANT date := (p_at AT TIME ZONE 'Europe/Paris')::date;
BEGIN
  RETURN (WITH
  inc AS (
    SELECT i.* FROM hosting_incidents i WHERE i.resolved_at IS NULL
    UNION ALL
    SELECT i.* FROM hosting_incidents i WHERE i.resolved_at >= since),
  inc_services AS (
    SELECT s.incident_id, s.service_id, c.name FROM inc
    JOIN hosting_incident_services s ON s.incident_id = inc.id
    JOIN catalogue_services c ON c.id = s.service_id),
  mnt AS (SELECT m.* FROM hosting_maintenances m WHERE m.ends_at >= since),
  mnt_services AS (
    SELECT s.maintenance_id, s.service_id, c.name FROM mnt
    JOIN hosting_maintenance_services s ON s.maintenance_id = mnt.id
    JOIN catalogue_services c ON c.id = s.service_id),
  -- What colours a service: its incidents of the window, and maintenance begun (current = now).
  -- Open incidents and maintenance: the resolved incidents' days are read from hosting_service_days.
  spans AS (
    SELECT s.service_id, array_position(states, i.state) AS rank, i.started_at AS start_at,
      p_at AS end_at, true AS current
    FROM inc_services s JOIN inc i ON i.id = s.incident_id WHERE i.resolved_at IS NULL
    UNION ALL
    SELECT s.service_id, array_position(states, 'maintenance'), m.starts_at, least(m.ends_at, p_at),
      m.ends_at > p_at
    FROM mnt_services s JOIN mnt m ON m.id = s.maintenance_id WHERE m.starts_at <= p_at),
  days AS (
    SELECT service_id, day, max(rank) AS rank FROM (
      SELECT d.service_id, d.day, d.rank::int AS rank FROM hosting_service_days d
      WHERE d.day BETWEEN today - (p_days - 1) AND today
      UNION ALL
      SELECT sp.service_id, g::date, sp.rank
      FROM spans sp, generate_series(
        greatest((sp.start_at AT TIME ZONE 'Europe/Paris')::date, today - (p_days - 1)),
        least((sp.end_at AT TIME ZONE 'Europe/Paris')::date, today), interval '1 day') g) all_days
    GROUP BY 1, 2),
  history AS (
    SELECT service_id, json_agg(json_build_object('date', to_char(day, 'YYYY-MM-DD'), 'state', states[rank])
      ORDER BY day) AS j
    FROM days GROUP BY service_id),
  current_states AS (
    SELECT service_id, states[max(rank)] AS state FROM spans WHERE current GROUP BY service_id),
  listed AS (
    SELECT c.id, c.name FROM catalogue_services c WHERE c.id = ANY((SELECT socle_hosted_services())::uuid[])
    UNION
    SELECT service_id, name FROM inc_services
    UNION
    SELECT service_id, name FROM mnt_services),
  services AS (
    SELECT coalesce(json_agg(json_build_object('serviceId', l.id, 'name', l.name,
        'state', coalesce(cs.state, 'operational'), 'history', coalesce(h.j, '[]'::json))
      ORDER BY l.name, l.id), '[]'::json) AS j
    FROM listed l LEFT JOIN current_states cs ON cs.service_id = l.id LEFT JOIN history h ON h.service_id = l.id),
  inc_service_lists AS (
    SELECT incident_id, json_agg(json_build_object('serviceId', service_id, 'name', name)
      ORDER BY name, service_id) AS j
    FROM inc_services GROUP BY incident_id),
  timelines AS (
    SELECT u.incident_id, json_agg(json_build_object('id', u.id, 'phase', u.phase, 'state', u.state,
        'message', u.message, 'at', socle_iso(u.at)) ORDER BY u.at DESC, u.id DESC) AS j
    FROM inc JOIN hosting_incident_updates u ON u.incident_id = inc.id GROUP BY u.incident_id),
  incidents AS (
    SELECT coalesce(json_agg(json_build_object('id', i.id, 'title', i.title, 'state', i.state,
        'phase', i.phase, 'automatic', i.monitor_id IS NOT NULL, 'startedAt', socle_iso(i.started_at),
        'resolvedAt', socle_iso(i.resolved_at), 'services', coalesce(sl.j, '[]'::json),
        'updates', coalesce(tl.j, '[]'::json))
      ORDER BY i.started_at DESC, i.id), '[]'::json) AS j
    FROM inc i LEFT JOIN inc_service_lists sl ON sl.incident_id = i.id
    LEFT JOIN timelines tl ON tl.incident_id = i.id),
  mnt_service_lists AS (
    SELECT maintenance_id, json_agg(json_build_object('serviceId', service_id, 'name', name)
      ORDER BY name, service_id) AS j
    FROM mnt_services GROUP BY maintenance_id),
  maintenances AS (
    SELECT coalesce(json_agg(json_build_object('id', m.id, 'title', m.title, 'message', m.message,
        'startsAt', socle_iso(m.starts_at), 'endsAt', socle_iso(m.ends_at), 'services', coalesce(sl.j, '[]'::json))
      ORDER BY m.starts_at, m.id), '[]'::json) AS j
    FROM mnt m LEFT JOIN mnt_service_lists sl ON sl.maintenance_id = m.id WHERE m.ends_at > p_at)
  SELECT json_build_object('updatedAt', socle_iso(p_at), 'services', services.j,
    'incidents', incidents.j, 'maintenances', maintenances.j)::text
  FROM services, incidents, maintenances);
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION socle_public_status(timestamptz, int) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION socle_public_status(timestamptz, int) TO socle_app;
