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
--> statement-breakpoint
-- Training: the sessions are public (the calendar), written by the operator. Registrations belong to
-- the member that registered the person; another member never sees them.
GRANT SELECT, INSERT, UPDATE, DELETE ON training_sessions, training_registrations TO socle_app;
--> statement-breakpoint
ALTER TABLE training_sessions ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY training_sessions_read ON training_sessions FOR SELECT TO socle_app USING (true);
--> statement-breakpoint
CREATE POLICY training_sessions_operator ON training_sessions FOR ALL TO socle_app
  USING ((SELECT socle_is_operator())) WITH CHECK ((SELECT socle_is_operator()));
--> statement-breakpoint
ALTER TABLE training_registrations ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY training_registrations_tenant ON training_registrations FOR ALL TO socle_app
  USING ((SELECT socle_is_operator()) OR member_id = (SELECT socle_current_member()))
  WITH CHECK ((SELECT socle_is_operator()) OR member_id = (SELECT socle_current_member()));
--> statement-breakpoint
-- A registration locks its session (FOR UPDATE: concurrent registrations to one session queue behind
-- each other, so capacity is never exceeded) and counts every member's live registrations, which the
-- member may not read: the counts only, as the owner.
CREATE FUNCTION training_lock_session(p_session uuid)
  RETURNS TABLE (confirmed integer, waitlisted integer)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public AS $$
BEGIN
  PERFORM 1 FROM training_sessions WHERE id = p_session FOR UPDATE;
  RETURN QUERY SELECT
    (count(*) FILTER (WHERE r.status = 'confirmed'))::integer,
    (count(*) FILTER (WHERE r.status = 'waitlisted'))::integer
  FROM training_registrations r WHERE r.session_id = p_session;
END $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION training_lock_session(uuid) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION training_lock_session(uuid) TO socle_app;
--> statement-breakpoint
-- The public counts of sessions (no names): for the calendar, read by anyone.
CREATE FUNCTION training_counts(p_sessions uuid[])
  RETURNS TABLE (session_id uuid, confirmed integer, waitlisted integer)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT r.session_id, (count(*) FILTER (WHERE r.status = 'confirmed'))::integer,
    (count(*) FILTER (WHERE r.status = 'waitlisted'))::integer
  FROM training_registrations r WHERE r.session_id = ANY(p_sessions) GROUP BY r.session_id
$$;
--> statement-breakpoint
-- The knowledge base: public articles for everyone (anonymous reads included), members-only ones for
-- any signed-in person; written by the operator. "Did this answer your question?" counts go through a
-- function anyone may call (the counters only).
GRANT SELECT, INSERT, UPDATE, DELETE ON support_articles TO socle_app;
--> statement-breakpoint
ALTER TABLE support_articles ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY support_articles_read ON support_articles FOR SELECT TO socle_app
  USING (visibility = 'public' OR (SELECT socle_current_user()) IS NOT NULL);
--> statement-breakpoint
CREATE POLICY support_articles_operator ON support_articles FOR ALL TO socle_app
  USING ((SELECT socle_is_operator())) WITH CHECK ((SELECT socle_is_operator()));
--> statement-breakpoint
CREATE INDEX support_articles_search_trgm_idx ON support_articles USING gin (search_key gin_trgm_ops);
--> statement-breakpoint
CREATE FUNCTION support_article_feedback(p_article uuid, p_helpful boolean)
  RETURNS TABLE (helpful_yes integer, helpful_no integer)
  LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public AS $$
  UPDATE support_articles a SET
    helpful_yes = a.helpful_yes + CASE WHEN p_helpful THEN 1 ELSE 0 END,
    helpful_no = a.helpful_no + CASE WHEN p_helpful THEN 0 ELSE 1 END
  WHERE a.id = p_article
    AND (a.visibility = 'public' OR (SELECT socle_current_user()) IS NOT NULL)
  RETURNING a.helpful_yes, a.helpful_no
$$;
