-- Tenancy backstop: the application connects as the owner (migrations, imports, seeds), then every
-- request transaction runs `SET LOCAL ROLE socle_app`, a role that owns nothing and has no BYPASSRLS.
-- Tenant context comes from transaction-local settings (set_config(..., true)).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'socle_app') THEN
    CREATE ROLE socle_app NOLOGIN NOBYPASSRLS;
  END IF;
  IF NOT EXISTS (
    SELECT 1 FROM pg_roles r WHERE r.rolname = current_user AND r.rolsuper
  ) AND NOT pg_has_role(current_user, 'socle_app', 'MEMBER') THEN
    EXECUTE format('GRANT socle_app TO %I', current_user);
  END IF;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION socle_current_user() RETURNS uuid LANGUAGE sql STABLE AS
$$ SELECT NULLIF(current_setting('app.user_id', true), '')::uuid $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION socle_current_member() RETURNS uuid LANGUAGE sql STABLE AS
$$ SELECT NULLIF(current_setting('app.member_id', true), '')::uuid $$;
--> statement-breakpoint
-- 'admin' or 'agent' when the current organisation is the operator, NULL otherwise.
CREATE OR REPLACE FUNCTION socle_operator_role() RETURNS text LANGUAGE sql STABLE AS
$$ SELECT NULLIF(current_setting('app.operator_role', true), '') $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION socle_is_operator() RETURNS boolean LANGUAGE sql STABLE AS
$$ SELECT socle_operator_role() IS NOT NULL $$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO socle_app;
--> statement-breakpoint
GRANT SELECT ON regions, departements, communes, epci, territory_imports TO socle_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON
  organisations, member_contacts, member_documents, membership_events,
  users, organisation_users, sessions, password_resets, invitations, login_attempts
TO socle_app;
--> statement-breakpoint
GRANT SELECT, INSERT ON audit_events TO socle_app;
--> statement-breakpoint
GRANT SELECT, INSERT ON outbox_mails TO socle_app;
--> statement-breakpoint
ALTER TABLE organisations ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY organisations_public_read ON organisations FOR SELECT TO socle_app USING (true);
--> statement-breakpoint
CREATE POLICY organisations_operator_insert ON organisations FOR INSERT TO socle_app
  WITH CHECK (socle_is_operator());
--> statement-breakpoint
CREATE POLICY organisations_update ON organisations FOR UPDATE TO socle_app
  USING (socle_is_operator() OR id = socle_current_member())
  WITH CHECK (socle_is_operator() OR id = socle_current_member());
--> statement-breakpoint
CREATE POLICY organisations_operator_delete ON organisations FOR DELETE TO socle_app
  USING (socle_operator_role() = 'admin');
--> statement-breakpoint
ALTER TABLE member_contacts ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY member_contacts_tenant ON member_contacts FOR ALL TO socle_app
  USING (socle_is_operator() OR member_id = socle_current_member())
  WITH CHECK (socle_is_operator() OR member_id = socle_current_member());
--> statement-breakpoint
ALTER TABLE member_documents ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY member_documents_tenant ON member_documents FOR ALL TO socle_app
  USING (socle_is_operator() OR member_id = socle_current_member())
  WITH CHECK (socle_is_operator() OR member_id = socle_current_member());
--> statement-breakpoint
ALTER TABLE membership_events ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY membership_events_tenant ON membership_events FOR ALL TO socle_app
  USING (socle_is_operator() OR member_id = socle_current_member())
  WITH CHECK (socle_is_operator() OR member_id = socle_current_member());
--> statement-breakpoint
ALTER TABLE invitations ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY invitations_tenant ON invitations FOR ALL TO socle_app
  USING (socle_is_operator() OR member_id = socle_current_member())
  WITH CHECK (socle_is_operator() OR member_id = socle_current_member());
--> statement-breakpoint
ALTER TABLE organisation_users ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
-- A user always sees their own roles (to list and switch organisations); otherwise tenant rules.
CREATE POLICY organisation_users_read ON organisation_users FOR SELECT TO socle_app
  USING (socle_is_operator() OR member_id = socle_current_member() OR user_id = socle_current_user());
--> statement-breakpoint
CREATE POLICY organisation_users_write ON organisation_users FOR INSERT TO socle_app
  WITH CHECK (socle_is_operator() OR member_id = socle_current_member());
--> statement-breakpoint
CREATE POLICY organisation_users_update ON organisation_users FOR UPDATE TO socle_app
  USING (socle_is_operator() OR member_id = socle_current_member())
  WITH CHECK (socle_is_operator() OR member_id = socle_current_member());
--> statement-breakpoint
CREATE POLICY organisation_users_delete ON organisation_users FOR DELETE TO socle_app
  USING (socle_is_operator() OR member_id = socle_current_member());
--> statement-breakpoint
ALTER TABLE audit_events ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY audit_events_append ON audit_events FOR INSERT TO socle_app WITH CHECK (true);
--> statement-breakpoint
CREATE POLICY audit_events_operator_admin_read ON audit_events FOR SELECT TO socle_app
  USING (socle_operator_role() = 'admin');
--> statement-breakpoint
ALTER TABLE outbox_mails ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY outbox_mails_append ON outbox_mails FOR INSERT TO socle_app WITH CHECK (true);
--> statement-breakpoint
CREATE POLICY outbox_mails_operator_admin_read ON outbox_mails FOR SELECT TO socle_app
  USING (socle_operator_role() = 'admin');
--> statement-breakpoint
CREATE INDEX communes_search_trgm_idx ON communes USING gin (search_name gin_trgm_ops);
--> statement-breakpoint
CREATE INDEX epci_search_trgm_idx ON epci USING gin (search_name gin_trgm_ops);
--> statement-breakpoint
CREATE INDEX organisations_search_trgm_idx ON organisations USING gin (search_name gin_trgm_ops);
