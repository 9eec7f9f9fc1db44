-- Agenda items' documents (0051): the organisation holding the assembly (or the operator) writes
-- them; whoever may read the session — its officials (socle_seated_assemblies) and the holder of a
-- convocation link (socle_linked_session), through governance_sessions' own policies — reads them.
GRANT SELECT, INSERT, UPDATE, DELETE ON governance_item_documents TO socle_app;
--> statement-breakpoint
ALTER TABLE governance_item_documents ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY governance_item_documents_tenant ON governance_item_documents FOR ALL TO socle_app
  USING ((SELECT socle_is_operator()) OR member_id = (SELECT socle_current_member()))
  WITH CHECK ((SELECT socle_is_operator()) OR member_id = (SELECT socle_current_member()));
--> statement-breakpoint
CREATE POLICY governance_item_documents_readers ON governance_item_documents FOR SELECT TO socle_app
  USING (session_id IN (SELECT id FROM governance_sessions));
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
