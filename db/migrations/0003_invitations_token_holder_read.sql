-- Whoever holds an invitation link may read that one invitation (before logging in, and before the
-- tenant is known): the request sets app.invitation_token to the SHA-256 of the link's token.
CREATE POLICY invitations_token_holder_read ON invitations FOR SELECT TO socle_app
  USING (token_hash = NULLIF(current_setting('app.invitation_token', true), ''));
