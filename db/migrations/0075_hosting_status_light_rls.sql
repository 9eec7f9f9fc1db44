-- The public status page made light (issue 15: "a phone on a rural connection"). Until now it listed
-- every incident resolved in the 90-day window with its whole timeline. Now: the services with their
-- 90 days as day states (hosting_service_days, as before), open incidents with their timeline, planned
-- maintenance, and the incidents resolved in the last p_recent_days days as a short list (title, dates,
-- worst state, services); a resolved incident's timeline is served on its own (GET
-- /api/v1/status/incidents/{id}). The services named by an incident resolved in the 90 days are still
-- listed. The function takes a third argument, so the two-argument one is dropped.
DROP FUNCTION IF EXISTS socle_public_status(timestamptz, int);
--> statement-breakpoint
CREATE OR REPLACE FUNCTION socle_public_status(p_at timestamptz, p_days int, p_recent_days int) RETURNS text
  LANGUAGE plpgsql STABLE AS $$
DECLARE
  -- contracts/hosting.ts SERVICE_STATES, best first: a state's position ranks "worst of".
  states CONSTANT text[] := ARRAY['operational', 'maintenance', 'degraded', 'partial_outage', 'major_outage'];
  since CONSTANT timestamptz := p_at - make_interval(hours => 24 * p_days);
  recent CONSTANT timestamptz := p_at - make_interval(hours => 24 * p_recent_days);
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
  -- What colours a service now: open incidents, and maintenance begun (current = now); the resolved
  -- incidents' days are read from hosting_service_days.
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
  -- Open incidents: their whole timeline, newest first.
  timelines AS (
    SELECT u.incident_id, json_agg(json_build_object('id', u.id, 'phase', u.phase, 'state', u.state,
        'message', u.message, 'at', socle_iso(u.at)) ORDER BY u.at DESC, u.id DESC) AS j
    FROM inc JOIN hosting_incident_updates u ON u.incident_id = inc.id
    WHERE inc.resolved_at IS NULL GROUP BY u.incident_id),
  incidents AS (
    SELECT coalesce(json_agg(json_build_object('id', i.id, 'title', i.title, 'state', i.state,
        'phase', i.phase, 'automatic', i.monitor_id IS NOT NULL, 'startedAt', socle_iso(i.started_at),
        'resolvedAt', NULL, 'services', coalesce(sl.j, '[]'::json),
        'updates', coalesce(tl.j, '[]'::json))
      ORDER BY i.started_at DESC, i.id), '[]'::json) AS j
    FROM inc i LEFT JOIN inc_service_lists sl ON sl.incident_id = i.id
    LEFT JOIN timelines tl ON tl.incident_id = i.id
    WHERE i.resolved_at IS NULL),
  -- Resolved lately: no timeline, the worst state any of its updates (or the incident) declared.
  worst AS (
    SELECT u.incident_id, max(array_position(states, u.state)) AS rank
    FROM inc JOIN hosting_incident_updates u ON u.incident_id = inc.id
    WHERE inc.resolved_at >= recent GROUP BY u.incident_id),
  recent_incidents AS (
    SELECT coalesce(json_agg(json_build_object('id', i.id, 'title', i.title,
        'worstState', states[greatest(array_position(states, i.state), w.rank)],
        'automatic', i.monitor_id IS NOT NULL, 'startedAt', socle_iso(i.started_at),
        'resolvedAt', socle_iso(i.resolved_at), 'services', coalesce(sl.j, '[]'::json))
      ORDER BY i.resolved_at DESC, i.id), '[]'::json) AS j
    FROM inc i LEFT JOIN inc_service_lists sl ON sl.incident_id = i.id
    LEFT JOIN worst w ON w.incident_id = i.id
    WHERE i.resolved_at >= recent),
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
    'incidents', incidents.j, 'recentIncidents', recent_incidents.j, 'maintenances', maintenances.j)::text
  FROM services, incidents, recent_incidents, maintenances);
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION socle_public_status(timestamptz, int, int) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION socle_public_status(timestamptz, int, int) TO socle_app;
