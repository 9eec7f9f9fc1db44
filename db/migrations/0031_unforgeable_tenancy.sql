-- Defence in depth for the restricted role socle_app (issue 10 §6).
--
-- 1. Tenant settings the restricted role cannot forge. The settings statement of every tenant
--    transaction (platform/db/tenancy.ts) sets app.user_id, app.member_id, app.operator_role, an expiry
--    (app.expires, epoch seconds) and app.signature, an HMAC-like SHA-256 of those four values under a
--    key kept in socle_settings_key, which only the owner reads. The socle_*() functions the policies
--    call answer the settings only when the signature holds: a statement run as socle_app (an SQL
--    injection) that calls set_config('app.operator_role', 'admin', true) turns itself anonymous, not
--    into the operator. The limit of this (RESET ROLE while logged in as the owner) and the deployment
--    that removes it (DATABASE_APP_URL) are in docs/ARCHITECTURE.md, Tenancy.
CREATE TABLE IF NOT EXISTS socle_settings_key (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  key bytea NOT NULL
);
--> statement-breakpoint
-- 366 bits from PostgreSQL's strong random source (gen_random_uuid uses pg_strong_random).
INSERT INTO socle_settings_key (key)
SELECT decode(replace(gen_random_uuid()::text || gen_random_uuid()::text || gen_random_uuid()::text, '-', ''), 'hex')
WHERE NOT EXISTS (SELECT 1 FROM socle_settings_key);
--> statement-breakpoint
REVOKE ALL ON socle_settings_key FROM PUBLIC;
--> statement-breakpoint
-- Whether the transaction's tenant settings carry a valid, unexpired signature. SECURITY DEFINER: it
-- reads the key as its owner; socle_app may call it (it answers a boolean, never the key). PL/pgSQL,
-- not SQL: a SECURITY DEFINER SQL function is never inlined, and its query would be planned again at
-- every call, where PL/pgSQL keeps the plan for the session. No `SET search_path` (it costs a third of
-- the call, and the call runs once or twice per statement): every name is qualified instead, and
-- pg_catalog, searched first, cannot be shadowed.
CREATE OR REPLACE FUNCTION socle_settings_valid() RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER AS
$$
DECLARE
  expires text := pg_catalog.current_setting('app.expires', true);
  secret bytea;
BEGIN
  IF expires IS NULL OR expires !~ '^[0-9]{1,12}$' THEN
    RETURN false;
  END IF;
  IF expires::bigint < pg_catalog.date_part('epoch', pg_catalog.now())::bigint THEN
    RETURN false;
  END IF;
  SELECT k.key INTO secret FROM public.socle_settings_key k;
  RETURN COALESCE(pg_catalog.current_setting('app.signature', true) = pg_catalog.encode(pg_catalog.sha256(
    secret || pg_catalog.sha256(secret || pg_catalog.convert_to(
      COALESCE(pg_catalog.current_setting('app.user_id', true), '') || '|' ||
      COALESCE(pg_catalog.current_setting('app.member_id', true), '') || '|' ||
      COALESCE(pg_catalog.current_setting('app.operator_role', true), '') || '|' || expires, 'UTF8'))), 'hex'), false);
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION socle_current_user() RETURNS uuid LANGUAGE sql STABLE AS
$$ SELECT CASE WHEN socle_settings_valid() THEN NULLIF(current_setting('app.user_id', true), '')::uuid END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION socle_current_member() RETURNS uuid LANGUAGE sql STABLE AS
$$ SELECT CASE WHEN socle_settings_valid() THEN NULLIF(current_setting('app.member_id', true), '')::uuid END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION socle_operator_role() RETURNS text LANGUAGE sql STABLE AS
$$ SELECT CASE WHEN socle_settings_valid() THEN NULLIF(current_setting('app.operator_role', true), '') END $$;
--> statement-breakpoint
-- An e-mail address the request was given and may look an account up by (login, invitation, reset):
-- like an invitation link's token, a credential-like input, not a tenant, so not signed.
CREATE OR REPLACE FUNCTION socle_account_email() RETURNS text LANGUAGE sql STABLE AS
$$ SELECT NULLIF(current_setting('app.account_email', true), '') $$;
--> statement-breakpoint
-- 2. users, sessions and password_resets under RLS.
--
-- users: a person reads and updates their own account; the operator every account; a member's people
-- the accounts holding a role in that member, and the operator's staff (shown as authors, inviters);
-- anyone the one account of an address the request was given (login looks it up before any tenant).
-- The accounts sharing the current member (or on the operator's staff) are read as the owner
-- (SECURITY DEFINER) once per statement: an uncorrelated sub-select, not a call per row.
CREATE OR REPLACE FUNCTION socle_member_user_ids() RETURNS SETOF uuid
LANGUAGE plpgsql STABLE SECURITY DEFINER AS
$$
BEGIN
  RETURN QUERY
    SELECT ou.user_id FROM public.organisation_users ou JOIN public.organisations o ON o.id = ou.member_id
    WHERE ou.member_id = public.socle_current_member() OR o.kind = 'operator';
END
$$;
--> statement-breakpoint
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY users_read ON users FOR SELECT TO socle_app
  USING (
    id = (SELECT socle_current_user())
    OR (SELECT socle_is_operator())
    OR email = (SELECT socle_account_email())
    OR ((SELECT socle_current_user()) IS NOT NULL AND id IN (SELECT socle_member_user_ids()))
  );
--> statement-breakpoint
-- A new account: by the operator, or for the address the request proved (an invitation's).
CREATE POLICY users_insert ON users FOR INSERT TO socle_app
  WITH CHECK ((SELECT socle_is_operator()) OR email = (SELECT socle_account_email()));
--> statement-breakpoint
CREATE POLICY users_update ON users FOR UPDATE TO socle_app
  USING (id = (SELECT socle_current_user()) OR (SELECT socle_is_operator()))
  WITH CHECK (id = (SELECT socle_current_user()) OR (SELECT socle_is_operator()));
--> statement-breakpoint
CREATE POLICY users_operator_admin_delete ON users FOR DELETE TO socle_app
  USING ((SELECT socle_operator_role()) = 'admin');
--> statement-breakpoint
-- sessions: the session lookup of every request runs on the owner connection (keyed by the token's
-- hash); under socle_app, a person reaches only their own sessions (login, logout, switching
-- organisation, ending the others on a password change), operator admins any (deactivation).
ALTER TABLE sessions ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY sessions_own ON sessions FOR ALL TO socle_app
  USING (user_id = (SELECT socle_current_user()) OR (SELECT socle_operator_role()) = 'admin')
  WITH CHECK (user_id = (SELECT socle_current_user()) OR (SELECT socle_operator_role()) = 'admin');
--> statement-breakpoint
-- password_resets: links are created by the accounts.password-reset job (as the operator); the
-- holder of a link reaches that one link (app.reset_token = its SHA-256, as for invitations), then,
-- acting as its user, that user's links.
ALTER TABLE password_resets ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY password_resets_token_holder ON password_resets FOR ALL TO socle_app
  USING (
    token_hash = NULLIF(current_setting('app.reset_token', true), '')
    OR user_id = (SELECT socle_current_user())
    OR (SELECT socle_is_operator())
  )
  WITH CHECK (user_id = (SELECT socle_current_user()) OR (SELECT socle_is_operator()) OR
    token_hash = NULLIF(current_setting('app.reset_token', true), ''));
