-- A session's procès-verbal once adopted (governance_minutes). The organisation holding the assembly
-- (or the operator) writes it: adopted by a vote of a later session, then published. The assembly's
-- officials read it (socle_seated_assemblies), anyone reads it once published. Never deleted.
GRANT SELECT, INSERT, UPDATE ON governance_minutes TO socle_app;
--> statement-breakpoint
ALTER TABLE governance_minutes ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY governance_minutes_tenant ON governance_minutes FOR ALL TO socle_app
  USING ((SELECT socle_is_operator()) OR member_id = (SELECT socle_current_member()))
  WITH CHECK ((SELECT socle_is_operator()) OR member_id = (SELECT socle_current_member()));
--> statement-breakpoint
CREATE POLICY governance_minutes_seated ON governance_minutes FOR SELECT TO socle_app
  USING (assembly_id = ANY ((SELECT socle_seated_assemblies())::uuid[]));
--> statement-breakpoint
CREATE POLICY governance_minutes_published ON governance_minutes FOR SELECT TO socle_app
  USING (published_at IS NOT NULL);
--> statement-breakpoint
-- What was adopted stays as adopted, whoever writes: only the publication may be recorded, once.
CREATE FUNCTION governance_minutes_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.session_id IS DISTINCT FROM OLD.session_id
    OR NEW.member_id IS DISTINCT FROM OLD.member_id
    OR NEW.assembly_id IS DISTINCT FROM OLD.assembly_id
    OR NEW.adopted_at IS DISTINCT FROM OLD.adopted_at
    OR NEW.adopted_by_session_id IS DISTINCT FROM OLD.adopted_by_session_id
    OR NEW.adopted_by_item_id IS DISTINCT FROM OLD.adopted_by_item_id
    OR NEW.deliberation_number IS DISTINCT FROM OLD.deliberation_number
    OR NEW.storage_key IS DISTINCT FROM OLD.storage_key
    OR NEW.size_bytes IS DISTINCT FROM OLD.size_bytes
    OR NEW.sha256 IS DISTINCT FROM OLD.sha256
    OR (OLD.published_at IS NOT NULL AND NEW.published_at IS DISTINCT FROM OLD.published_at)
  THEN
    RAISE EXCEPTION 'an adopted procès-verbal is frozen (session %)', OLD.session_id
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER governance_minutes_frozen BEFORE UPDATE ON governance_minutes
  FOR EACH ROW EXECUTE FUNCTION governance_minutes_frozen();
--> statement-breakpoint
-- The session's page shows its procès-verbal: its revision (0040/0041) moves with it.
CREATE TRIGGER governance_minutes_revision_insert AFTER INSERT ON governance_minutes
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
  EXECUTE FUNCTION public.socle_governance_bump_by_session();
--> statement-breakpoint
CREATE TRIGGER governance_minutes_revision_update AFTER UPDATE ON governance_minutes
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
  EXECUTE FUNCTION public.socle_governance_bump_by_session();
