-- Agenda items' documents (0051): the organisation holding the assembly (or the operator) writes
-- them; the session's officials (socle_seated_assemblies) and the holder of a convocation link
-- (socle_linked_session) read them. Named explicitly rather than through governance_sessions'
-- visibility, which now includes every published session (below).
GRANT SELECT, INSERT, UPDATE, DELETE ON governance_item_documents TO socle_app;
--> statement-breakpoint
ALTER TABLE governance_item_documents ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY governance_item_documents_tenant ON governance_item_documents FOR ALL TO socle_app
  USING ((SELECT socle_is_operator()) OR member_id = (SELECT socle_current_member()))
  WITH CHECK ((SELECT socle_is_operator()) OR member_id = (SELECT socle_current_member()));
--> statement-breakpoint
CREATE POLICY governance_item_documents_readers ON governance_item_documents FOR SELECT TO socle_app
  USING (session_id IN (SELECT s.id FROM governance_sessions s
    WHERE s.assembly_id = ANY ((SELECT socle_seated_assemblies())::uuid[]) OR s.id = (SELECT socle_linked_session())));
--> statement-breakpoint
-- 0034's officials' policies on items and attendance followed governance_sessions' visibility: named
-- the same way, so that a published session opens its adopted items only (policy below), never its
-- other items or its attendance.
DROP POLICY governance_items_seated ON governance_items;
--> statement-breakpoint
CREATE POLICY governance_items_seated ON governance_items FOR SELECT TO socle_app
  USING (session_id IN (SELECT s.id FROM governance_sessions s
    WHERE s.assembly_id = ANY ((SELECT socle_seated_assemblies())::uuid[]) OR s.id = (SELECT socle_linked_session())));
--> statement-breakpoint
DROP POLICY governance_attendance_seated ON governance_attendance;
--> statement-breakpoint
CREATE POLICY governance_attendance_seated ON governance_attendance FOR SELECT TO socle_app
  USING (session_id IN (SELECT s.id FROM governance_sessions s
    WHERE s.assembly_id = ANY ((SELECT socle_seated_assemblies())::uuid[]) OR s.id = (SELECT socle_linked_session())));
--> statement-breakpoint
-- The published list of a session's deliberations is public: the session, its assembly's name and
-- its adopted items, once the list is published (nothing else of the sitting).
CREATE POLICY governance_sessions_published ON governance_sessions FOR SELECT TO socle_app
  USING (deliberations_published_at IS NOT NULL);
--> statement-breakpoint
CREATE POLICY governance_items_published ON governance_items FOR SELECT TO socle_app
  USING (status = 'adopted' AND session_id IN
    (SELECT id FROM governance_sessions WHERE deliberations_published_at IS NOT NULL));
--> statement-breakpoint
CREATE POLICY governance_assemblies_published ON governance_assemblies FOR SELECT TO socle_app
  USING (id IN (SELECT assembly_id FROM governance_sessions WHERE deliberations_published_at IS NOT NULL));
