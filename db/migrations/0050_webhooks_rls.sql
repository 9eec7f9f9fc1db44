-- Webhooks under the restricted role. An endpoint and its delivery log belong to one organisation
-- (member_id): the member's own people reach them (the application narrows to its admins), and the
-- operator's admins reach every one (member endpoints and the operator's own, which receive every
-- member's events). Events are read by the operator's admins and by the member they are about.
GRANT SELECT, INSERT, UPDATE, DELETE ON webhook_endpoints, webhook_deliveries TO socle_app;
--> statement-breakpoint
GRANT SELECT ON webhook_events TO socle_app;
--> statement-breakpoint
ALTER TABLE webhook_endpoints ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY webhook_endpoints_tenant ON webhook_endpoints FOR ALL TO socle_app
  USING ((SELECT socle_operator_role()) = 'admin' OR member_id = (SELECT socle_current_member()))
  WITH CHECK ((SELECT socle_operator_role()) = 'admin' OR member_id = (SELECT socle_current_member()));
--> statement-breakpoint
ALTER TABLE webhook_deliveries ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY webhook_deliveries_tenant ON webhook_deliveries FOR ALL TO socle_app
  USING ((SELECT socle_operator_role()) = 'admin' OR member_id = (SELECT socle_current_member()))
  WITH CHECK ((SELECT socle_operator_role()) = 'admin' OR member_id = (SELECT socle_current_member()));
--> statement-breakpoint
ALTER TABLE webhook_events ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY webhook_events_tenant ON webhook_events FOR SELECT TO socle_app
  USING ((SELECT socle_operator_role()) = 'admin' OR member_id = (SELECT socle_current_member()));
--> statement-breakpoint
-- emitEvent (platform/events): the events, one delivery per enabled endpoint that listens to the
-- type (the member's own endpoints and the operator's all-members ones) and one `webhooks.deliver`
-- job per delivery, in one statement of the caller's transaction. SECURITY DEFINER: whoever makes a
-- change (a member's agent, a visitor, a job) must reach endpoints its tenant cannot read; it returns
-- only how many deliveries it queued. `p_events` is a JSON array of {id, type, member_id, data,
-- occurred_at}.
CREATE FUNCTION socle_emit_webhook_events(p_events jsonb) RETURNS integer
  LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public AS $$
  WITH input AS (
    SELECT e.id, e.type, e.member_id, e.data, e.occurred_at
    FROM jsonb_to_recordset(p_events) AS e(id uuid, type text, member_id uuid, data jsonb, occurred_at timestamptz)
  ), events AS (
    INSERT INTO webhook_events (id, type, member_id, data, occurred_at)
    SELECT id, type, member_id, data, occurred_at FROM input
    RETURNING id
  ), deliveries AS (
    INSERT INTO webhook_deliveries (endpoint_id, event_id, member_id, next_attempt_at, created_at)
    SELECT w.id, i.id, w.member_id, i.occurred_at, i.occurred_at
    FROM input i
    JOIN webhook_endpoints w
      ON w.enabled AND i.type = ANY (w.events) AND (w.member_id = i.member_id OR w.all_members)
    RETURNING id, next_attempt_at
  ), queued AS (
    INSERT INTO jobs (name, payload, run_at, max_attempts)
    SELECT 'webhooks.deliver', jsonb_build_object('deliveryId', d.id), d.next_attempt_at, 3 FROM deliveries d
    RETURNING 1
  )
  SELECT count(*)::integer FROM queued
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION socle_emit_webhook_events(jsonb) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION socle_emit_webhook_events(jsonb) TO socle_app;
