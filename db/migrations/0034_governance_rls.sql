-- Assemblies under the restricted role. The organisation holding an assembly (the operator for its
-- comité syndical and bureau, a member for its councils) reaches every row of it; the operator's
-- people reach every assembly (the application narrows to the `governance` scope). Officials — users
-- holding a seat — read the assemblies they sit in: sessions, agenda, attendance, votes, and their own
-- convocations. A member designates its delegates to the operator's comité syndical: it reads and
-- writes the seats it designated there. The holder of a convocation link reaches that one convocation
-- (app.convocation_token = the link's SHA-256). The tariffs' adoption is public, written by the operator.
GRANT SELECT, INSERT, UPDATE, DELETE ON governance_assemblies, governance_colleges, governance_seats,
  governance_attendance, governance_ballots TO socle_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON governance_sessions, governance_items TO socle_app;
--> statement-breakpoint
-- Convocations are proof: never deleted.
GRANT SELECT, INSERT, UPDATE ON governance_convocations TO socle_app;
--> statement-breakpoint
GRANT SELECT, INSERT ON pricing_adoptions TO socle_app;
--> statement-breakpoint
-- The assemblies the current user sits in (any seat, whatever its term: past deliberations stay
-- readable). SECURITY DEFINER: it reads governance_seats as the owner, so the policies below can use
-- it on governance_seats itself without recursion.
CREATE OR REPLACE FUNCTION socle_seated_assemblies() RETURNS uuid[]
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT coalesce(array_agg(DISTINCT assembly_id), '{}'::uuid[])
  FROM governance_seats
  WHERE user_id IS NOT NULL AND user_id = socle_current_user()
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION socle_seated_assemblies() FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION socle_seated_assemblies() TO socle_app;
--> statement-breakpoint
-- The operator's organisation id (organisations is public; one operator at most).
CREATE OR REPLACE FUNCTION socle_operator_organisation() RETURNS uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT id FROM organisations WHERE kind = 'operator'
$$;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION socle_operator_organisation() TO socle_app;
--> statement-breakpoint
-- What the holder of a convocation link reaches: that convocation's session, seat and assembly.
CREATE OR REPLACE FUNCTION socle_linked_session() RETURNS uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT session_id FROM governance_convocations
  WHERE token_hash = NULLIF(current_setting('app.convocation_token', true), '')
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION socle_linked_seat() RETURNS uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT seat_id FROM governance_convocations
  WHERE token_hash = NULLIF(current_setting('app.convocation_token', true), '')
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION socle_linked_assembly() RETURNS uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT s.assembly_id FROM governance_convocations c JOIN governance_sessions s ON s.id = c.session_id
  WHERE c.token_hash = NULLIF(current_setting('app.convocation_token', true), '')
$$;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION socle_linked_session(), socle_linked_seat(), socle_linked_assembly() TO socle_app;
--> statement-breakpoint
ALTER TABLE governance_assemblies ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY governance_assemblies_tenant ON governance_assemblies FOR ALL TO socle_app
  USING ((SELECT socle_is_operator()) OR member_id = (SELECT socle_current_member()))
  WITH CHECK ((SELECT socle_is_operator()) OR member_id = (SELECT socle_current_member()));
--> statement-breakpoint
CREATE POLICY governance_assemblies_seated ON governance_assemblies FOR SELECT TO socle_app
  USING (id = ANY ((SELECT socle_seated_assemblies())::uuid[]));
--> statement-breakpoint
-- The operator's assemblies are known to its members' people (they designate delegates to them).
CREATE POLICY governance_assemblies_operator_known ON governance_assemblies FOR SELECT TO socle_app
  USING ((SELECT socle_current_member()) IS NOT NULL AND member_id = (SELECT socle_operator_organisation()));
--> statement-breakpoint
CREATE POLICY governance_assemblies_link ON governance_assemblies FOR SELECT TO socle_app
  USING (id = (SELECT socle_linked_assembly()));
--> statement-breakpoint
ALTER TABLE governance_colleges ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY governance_colleges_tenant ON governance_colleges FOR ALL TO socle_app
  USING ((SELECT socle_is_operator()) OR member_id = (SELECT socle_current_member()))
  WITH CHECK ((SELECT socle_is_operator()) OR member_id = (SELECT socle_current_member()));
--> statement-breakpoint
CREATE POLICY governance_colleges_seated ON governance_colleges FOR SELECT TO socle_app
  USING (assembly_id = ANY ((SELECT socle_seated_assemblies())::uuid[]));
--> statement-breakpoint
ALTER TABLE governance_seats ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY governance_seats_tenant ON governance_seats FOR ALL TO socle_app
  USING ((SELECT socle_is_operator()) OR member_id = (SELECT socle_current_member()))
  WITH CHECK ((SELECT socle_is_operator()) OR member_id = (SELECT socle_current_member()));
--> statement-breakpoint
CREATE POLICY governance_seats_seated ON governance_seats FOR SELECT TO socle_app
  USING (assembly_id = ANY ((SELECT socle_seated_assemblies())::uuid[]));
--> statement-breakpoint
-- A member's delegates to the operator's assemblies: the member reads and writes the seats it designated.
CREATE POLICY governance_seats_designated ON governance_seats FOR ALL TO socle_app
  USING (designated_by = (SELECT socle_current_member()))
  WITH CHECK (
    designated_by = (SELECT socle_current_member())
    AND member_id = (SELECT socle_operator_organisation())
  );
--> statement-breakpoint
CREATE POLICY governance_seats_link ON governance_seats FOR SELECT TO socle_app
  USING (id = (SELECT socle_linked_seat()));
--> statement-breakpoint
ALTER TABLE governance_sessions ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY governance_sessions_tenant ON governance_sessions FOR ALL TO socle_app
  USING ((SELECT socle_is_operator()) OR member_id = (SELECT socle_current_member()))
  WITH CHECK ((SELECT socle_is_operator()) OR member_id = (SELECT socle_current_member()));
--> statement-breakpoint
CREATE POLICY governance_sessions_seated ON governance_sessions FOR SELECT TO socle_app
  USING (assembly_id = ANY ((SELECT socle_seated_assemblies())::uuid[]));
--> statement-breakpoint
CREATE POLICY governance_sessions_link ON governance_sessions FOR SELECT TO socle_app
  USING (id = (SELECT socle_linked_session()));
--> statement-breakpoint
ALTER TABLE governance_items ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY governance_items_tenant ON governance_items FOR ALL TO socle_app
  USING ((SELECT socle_is_operator()) OR member_id = (SELECT socle_current_member()))
  WITH CHECK ((SELECT socle_is_operator()) OR member_id = (SELECT socle_current_member()));
--> statement-breakpoint
CREATE POLICY governance_items_seated ON governance_items FOR SELECT TO socle_app
  USING (session_id IN (SELECT id FROM governance_sessions));
--> statement-breakpoint
ALTER TABLE governance_ballots ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY governance_ballots_tenant ON governance_ballots FOR ALL TO socle_app
  USING ((SELECT socle_is_operator()) OR member_id = (SELECT socle_current_member()))
  WITH CHECK ((SELECT socle_is_operator()) OR member_id = (SELECT socle_current_member()));
--> statement-breakpoint
CREATE POLICY governance_ballots_seated ON governance_ballots FOR SELECT TO socle_app
  USING (item_id IN (SELECT id FROM governance_items));
--> statement-breakpoint
ALTER TABLE governance_attendance ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY governance_attendance_tenant ON governance_attendance FOR ALL TO socle_app
  USING ((SELECT socle_is_operator()) OR member_id = (SELECT socle_current_member()))
  WITH CHECK ((SELECT socle_is_operator()) OR member_id = (SELECT socle_current_member()));
--> statement-breakpoint
CREATE POLICY governance_attendance_seated ON governance_attendance FOR SELECT TO socle_app
  USING (session_id IN (SELECT id FROM governance_sessions));
--> statement-breakpoint
ALTER TABLE governance_convocations ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY governance_convocations_tenant ON governance_convocations FOR ALL TO socle_app
  USING ((SELECT socle_is_operator()) OR member_id = (SELECT socle_current_member()))
  WITH CHECK ((SELECT socle_is_operator()) OR member_id = (SELECT socle_current_member()));
--> statement-breakpoint
-- An official reads their own convocations.
CREATE POLICY governance_convocations_own ON governance_convocations FOR SELECT TO socle_app
  USING (seat_id IN (SELECT id FROM governance_seats WHERE user_id = (SELECT socle_current_user())));
--> statement-breakpoint
-- The holder of a link reads and acknowledges that one convocation.
CREATE POLICY governance_convocations_link ON governance_convocations FOR SELECT TO socle_app
  USING (token_hash = NULLIF(current_setting('app.convocation_token', true), ''));
--> statement-breakpoint
CREATE POLICY governance_convocations_link_update ON governance_convocations FOR UPDATE TO socle_app
  USING (token_hash = NULLIF(current_setting('app.convocation_token', true), ''))
  WITH CHECK (token_hash = NULLIF(current_setting('app.convocation_token', true), ''));
--> statement-breakpoint
ALTER TABLE pricing_adoptions ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY pricing_adoptions_public_read ON pricing_adoptions FOR SELECT TO socle_app USING (true);
--> statement-breakpoint
CREATE POLICY pricing_adoptions_operator_write ON pricing_adoptions FOR INSERT TO socle_app
  WITH CHECK ((SELECT socle_is_operator()));
--> statement-breakpoint
-- A decision carried out is never undone nor carried out again: once set, decision_executed_at and
-- the item's outcome stay as they are, whoever writes.
CREATE FUNCTION governance_items_keep_outcome() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status <> 'pending' AND (
    NEW.status IS DISTINCT FROM OLD.status
    OR NEW.decision_executed_at IS DISTINCT FROM OLD.decision_executed_at
    OR NEW.votes_for IS DISTINCT FROM OLD.votes_for
    OR NEW.votes_against IS DISTINCT FROM OLD.votes_against
  ) THEN
    RAISE EXCEPTION 'the vote on an item is final (item %)', OLD.id USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER governance_items_keep_outcome BEFORE UPDATE ON governance_items
  FOR EACH ROW EXECUTE FUNCTION governance_items_keep_outcome();
