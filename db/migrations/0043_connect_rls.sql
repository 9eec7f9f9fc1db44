-- The open platform's identity tables under the restricted role (issue 16).
--
-- api_tokens: a member's tokens are its own (the admin lists, creates and revokes them in the
-- application); the operator's people reach every token, the application narrowing to admins. The
-- per-request token lookup runs on the owner connection (keyed by the secret's SHA-256), like sessions.
GRANT SELECT, INSERT, UPDATE, DELETE ON api_tokens TO socle_app;
--> statement-breakpoint
ALTER TABLE api_tokens ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY api_tokens_tenant ON api_tokens FOR ALL TO socle_app
  USING ((SELECT socle_is_operator()) OR member_id = (SELECT socle_current_member()))
  WITH CHECK ((SELECT socle_is_operator()) OR member_id = (SELECT socle_current_member()));
--> statement-breakpoint
-- A token's actor is cached like a session's: revoking it drops the cached actors at once.
CREATE TRIGGER api_tokens_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON api_tokens
  FOR EACH STATEMENT EXECUTE FUNCTION socle_notify_change('access');
--> statement-breakpoint
-- The ProConnect identity (`sub`) a sign-in presents is, like an address at login, a credential-like
-- input the callback declares (app.proconnect_sub) before it looks the link up; once signed in, a person
-- reaches their own link, the operator every link.
CREATE OR REPLACE FUNCTION socle_proconnect_sub() RETURNS text LANGUAGE sql STABLE AS
$$ SELECT NULLIF(current_setting('app.proconnect_sub', true), '') $$;
--> statement-breakpoint
GRANT SELECT, INSERT, DELETE ON proconnect_identities TO socle_app;
--> statement-breakpoint
ALTER TABLE proconnect_identities ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY proconnect_identities_holder ON proconnect_identities FOR ALL TO socle_app
  USING (
    sub = (SELECT socle_proconnect_sub())
    OR user_id = (SELECT socle_current_user())
    OR (SELECT socle_is_operator())
  )
  WITH CHECK (
    sub = (SELECT socle_proconnect_sub())
    OR user_id = (SELECT socle_current_user())
    OR (SELECT socle_is_operator())
  );
--> statement-breakpoint
-- Sign-ins under way: written and consumed before any tenant exists, keyed by the state's SHA-256
-- (like login_attempts, outside RLS).
GRANT SELECT, INSERT, DELETE ON proconnect_flows TO socle_app;
--> statement-breakpoint
-- Access requests: the member's people (the application: its admins) and the operator read and decide
-- them; a visitor signed in at ProConnect files one for the identity it presented.
GRANT SELECT, INSERT, UPDATE ON access_requests TO socle_app;
--> statement-breakpoint
ALTER TABLE access_requests ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY access_requests_tenant ON access_requests FOR ALL TO socle_app
  USING (
    (SELECT socle_is_operator())
    OR member_id = (SELECT socle_current_member())
    OR sub = (SELECT socle_proconnect_sub())
  )
  WITH CHECK (
    (SELECT socle_is_operator())
    OR member_id = (SELECT socle_current_member())
    OR sub = (SELECT socle_proconnect_sub())
  );
--> statement-breakpoint
-- The operator's sign-in settings: read by every login (before a tenant exists), written by the operator.
GRANT SELECT, INSERT, UPDATE ON auth_settings TO socle_app;
--> statement-breakpoint
ALTER TABLE auth_settings ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY auth_settings_read ON auth_settings FOR SELECT TO socle_app USING (true);
--> statement-breakpoint
CREATE POLICY auth_settings_operator ON auth_settings FOR UPDATE TO socle_app
  USING ((SELECT socle_operator_role()) = 'admin') WITH CHECK ((SELECT socle_operator_role()) = 'admin');
--> statement-breakpoint
INSERT INTO auth_settings (id) VALUES (true) ON CONFLICT DO NOTHING;
