-- The acts register under the restricted role. A member's people (and the operator's, whose policies
-- narrow by scope in the application) reach the member's acts, files, history, messages and
-- classification; anyone, anonymous visitors included, reads the published acts (the public portal
-- and open data). Acts are never deleted; their files and messages neither.
GRANT SELECT, INSERT, UPDATE ON acts, act_documents, act_events, act_messages TO socle_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON act_classifications TO socle_app;
--> statement-breakpoint
ALTER TABLE acts ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY acts_tenant ON acts FOR ALL TO socle_app
  USING ((SELECT socle_is_operator()) OR member_id = (SELECT socle_current_member()))
  WITH CHECK ((SELECT socle_is_operator()) OR member_id = (SELECT socle_current_member()));
--> statement-breakpoint
CREATE POLICY acts_public_read ON acts FOR SELECT TO socle_app
  USING (published_at IS NOT NULL);
--> statement-breakpoint
ALTER TABLE act_documents ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY act_documents_tenant ON act_documents FOR ALL TO socle_app
  USING ((SELECT socle_is_operator()) OR member_id = (SELECT socle_current_member()))
  WITH CHECK ((SELECT socle_is_operator()) OR member_id = (SELECT socle_current_member()));
--> statement-breakpoint
ALTER TABLE act_events ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY act_events_tenant ON act_events FOR ALL TO socle_app
  USING ((SELECT socle_is_operator()) OR member_id = (SELECT socle_current_member()))
  WITH CHECK ((SELECT socle_is_operator()) OR member_id = (SELECT socle_current_member()));
--> statement-breakpoint
ALTER TABLE act_messages ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY act_messages_tenant ON act_messages FOR ALL TO socle_app
  USING ((SELECT socle_is_operator()) OR member_id = (SELECT socle_current_member()))
  WITH CHECK ((SELECT socle_is_operator()) OR member_id = (SELECT socle_current_member()));
--> statement-breakpoint
ALTER TABLE act_classifications ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY act_classifications_tenant ON act_classifications FOR ALL TO socle_app
  USING ((SELECT socle_is_operator()) OR member_id = (SELECT socle_current_member()))
  WITH CHECK ((SELECT socle_is_operator()) OR member_id = (SELECT socle_current_member()));
--> statement-breakpoint
-- A published act is never withdrawn: its publication date, fingerprint and stamped file stay as
-- they were, whoever writes (the application, a script, plain SQL as the owner).
CREATE FUNCTION acts_keep_publication() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.published_at IS NOT NULL AND (
    NEW.published_at IS DISTINCT FROM OLD.published_at
    OR NEW.published_sha256 IS DISTINCT FROM OLD.published_sha256
    OR NEW.published_storage_key IS DISTINCT FROM OLD.published_storage_key
  ) THEN
    RAISE EXCEPTION 'a published act cannot be unpublished nor republished (act %)', OLD.id
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER acts_keep_publication BEFORE UPDATE ON acts
  FOR EACH ROW EXECUTE FUNCTION acts_keep_publication();
