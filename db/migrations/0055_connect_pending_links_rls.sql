-- ProConnect identities waiting for their account's confirmation (proconnect.service.ts): the callback
-- writes one while acting as the account the address names, the login that confirms it takes it out
-- while acting as the account whose password was just checked. A person reaches only their own.
GRANT SELECT, INSERT, DELETE ON proconnect_pending_links TO socle_app;
--> statement-breakpoint
ALTER TABLE proconnect_pending_links ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY proconnect_pending_links_holder ON proconnect_pending_links FOR ALL TO socle_app
  USING (user_id = (SELECT socle_current_user()))
  WITH CHECK (user_id = (SELECT socle_current_user()));
