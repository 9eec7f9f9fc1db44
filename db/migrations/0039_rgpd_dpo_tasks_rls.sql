-- Breaches a member's user reported in words before migration 0038 were recorded without
-- qualification: they are the ones the report service describes as « Signalée au DPO par … ».
UPDATE rgpd_breaches SET qualified_at = NULL WHERE data_description LIKE 'Signalée au DPO par %';
--> statement-breakpoint
-- Requests to the DPO: the member's users write and read their own, the operator's DPO team (the
-- application narrows the operator to the `dpo` scope) reads and closes every member's.
GRANT SELECT, INSERT, UPDATE ON rgpd_dpo_requests TO socle_app;
--> statement-breakpoint
ALTER TABLE rgpd_dpo_requests ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY rgpd_dpo_requests_tenant ON rgpd_dpo_requests FOR ALL TO socle_app
  USING ((SELECT socle_is_operator()) OR member_id = (SELECT socle_current_member()))
  WITH CHECK ((SELECT socle_is_operator()) OR member_id = (SELECT socle_current_member()));
