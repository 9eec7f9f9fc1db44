-- Pricing inputs (pools, fee rules) are public reference data: everyone reads, only the operator
-- writes. Billing bookkeeping (runs, sequences) is operator-only. Invoices, their lines and payments
-- are member-owned: a member reads its own, only the operator writes.
GRANT SELECT, INSERT, UPDATE, DELETE ON cost_pools, membership_fee_rules TO socle_app;
--> statement-breakpoint
GRANT SELECT ON pricing_state TO socle_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON billing_runs, invoice_sequences TO socle_app;
--> statement-breakpoint
-- Issued invoices are immutable: only the payment and credit bookkeeping may change, never deleted.
GRANT SELECT, INSERT ON invoices, invoice_lines, payments TO socle_app;
--> statement-breakpoint
GRANT UPDATE (status, paid_cents, credited_cents, updated_at) ON invoices TO socle_app;
--> statement-breakpoint
ALTER TABLE cost_pools ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY cost_pools_public_read ON cost_pools FOR SELECT TO socle_app USING (true);
--> statement-breakpoint
CREATE POLICY cost_pools_operator_write ON cost_pools FOR ALL TO socle_app
  USING (socle_is_operator()) WITH CHECK (socle_is_operator());
--> statement-breakpoint
ALTER TABLE membership_fee_rules ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY membership_fee_rules_public_read ON membership_fee_rules FOR SELECT TO socle_app USING (true);
--> statement-breakpoint
CREATE POLICY membership_fee_rules_operator_write ON membership_fee_rules FOR ALL TO socle_app
  USING (socle_is_operator()) WITH CHECK (socle_is_operator());
--> statement-breakpoint
ALTER TABLE billing_runs ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY billing_runs_operator ON billing_runs FOR ALL TO socle_app
  USING (socle_is_operator()) WITH CHECK (socle_is_operator());
--> statement-breakpoint
ALTER TABLE invoice_sequences ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY invoice_sequences_operator ON invoice_sequences FOR ALL TO socle_app
  USING (socle_is_operator()) WITH CHECK (socle_is_operator());
--> statement-breakpoint
ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY invoices_tenant_read ON invoices FOR SELECT TO socle_app
  USING (socle_is_operator() OR member_id = socle_current_member());
--> statement-breakpoint
CREATE POLICY invoices_operator_insert ON invoices FOR INSERT TO socle_app WITH CHECK (socle_is_operator());
--> statement-breakpoint
CREATE POLICY invoices_operator_update ON invoices FOR UPDATE TO socle_app
  USING (socle_is_operator()) WITH CHECK (socle_is_operator());
--> statement-breakpoint
ALTER TABLE invoice_lines ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY invoice_lines_tenant_read ON invoice_lines FOR SELECT TO socle_app
  USING (socle_is_operator() OR member_id = socle_current_member());
--> statement-breakpoint
CREATE POLICY invoice_lines_operator_insert ON invoice_lines FOR INSERT TO socle_app
  WITH CHECK (socle_is_operator());
--> statement-breakpoint
ALTER TABLE payments ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY payments_tenant_read ON payments FOR SELECT TO socle_app
  USING (socle_is_operator() OR member_id = socle_current_member());
--> statement-breakpoint
CREATE POLICY payments_operator_insert ON payments FOR INSERT TO socle_app WITH CHECK (socle_is_operator());
--> statement-breakpoint
-- The backstop for connections that bypass the grants (the owner: seeds, scripts): amounts, parties
-- and numbers of an issued invoice never change, and nothing billed is ever deleted.
CREATE OR REPLACE FUNCTION socle_invoices_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'Une facture émise ne peut pas être supprimée : émettez un avoir.' USING ERRCODE = '55000';
  END IF;
  IF (to_jsonb(NEW) - ARRAY['status', 'paid_cents', 'credited_cents', 'updated_at'])
     IS DISTINCT FROM (to_jsonb(OLD) - ARRAY['status', 'paid_cents', 'credited_cents', 'updated_at']) THEN
    RAISE EXCEPTION 'Une facture émise ne peut pas être modifiée : émettez un avoir.' USING ERRCODE = '55000';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER invoices_immutable BEFORE UPDATE OR DELETE ON invoices
  FOR EACH ROW EXECUTE FUNCTION socle_invoices_immutable();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION socle_invoice_lines_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'Une ligne de facture émise ne peut pas être modifiée : émettez un avoir.' USING ERRCODE = '55000';
END
$$;
--> statement-breakpoint
CREATE TRIGGER invoice_lines_immutable BEFORE UPDATE OR DELETE ON invoice_lines
  FOR EACH ROW EXECUTE FUNCTION socle_invoice_lines_immutable();
--> statement-breakpoint
CREATE TRIGGER payments_immutable BEFORE UPDATE OR DELETE ON payments
  FOR EACH ROW EXECUTE FUNCTION socle_invoice_lines_immutable();
--> statement-breakpoint
INSERT INTO pricing_state (id, version) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;
--> statement-breakpoint
-- Any change to an input of the cost-sharing bumps the version that in-process caches check. Statement
-- triggers: a bulk change bumps once. SECURITY DEFINER so that socle_app needs no write grant.
CREATE OR REPLACE FUNCTION socle_bump_pricing_version() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
  UPDATE pricing_state SET version = version + 1 WHERE id = 1;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER subscriptions_pricing_version AFTER INSERT OR UPDATE OR DELETE ON subscriptions
  FOR EACH STATEMENT EXECUTE FUNCTION socle_bump_pricing_version();
--> statement-breakpoint
CREATE TRIGGER cost_pools_pricing_version AFTER INSERT OR UPDATE OR DELETE ON cost_pools
  FOR EACH STATEMENT EXECUTE FUNCTION socle_bump_pricing_version();
--> statement-breakpoint
CREATE TRIGGER membership_fee_rules_pricing_version AFTER INSERT OR UPDATE OR DELETE ON membership_fee_rules
  FOR EACH STATEMENT EXECUTE FUNCTION socle_bump_pricing_version();
--> statement-breakpoint
CREATE TRIGGER catalogue_services_pricing_version AFTER INSERT OR UPDATE OR DELETE ON catalogue_services
  FOR EACH STATEMENT EXECUTE FUNCTION socle_bump_pricing_version();
--> statement-breakpoint
CREATE TRIGGER catalogue_alone_prices_pricing_version AFTER INSERT OR UPDATE OR DELETE ON catalogue_alone_prices
  FOR EACH STATEMENT EXECUTE FUNCTION socle_bump_pricing_version();
--> statement-breakpoint
CREATE TRIGGER organisations_pricing_version AFTER INSERT OR UPDATE OR DELETE ON organisations
  FOR EACH STATEMENT EXECUTE FUNCTION socle_bump_pricing_version();
--> statement-breakpoint
CREATE TRIGGER communes_pricing_version AFTER INSERT OR UPDATE OR DELETE ON communes
  FOR EACH STATEMENT EXECUTE FUNCTION socle_bump_pricing_version();
--> statement-breakpoint
CREATE TRIGGER epci_pricing_version AFTER INSERT OR UPDATE OR DELETE ON epci
  FOR EACH STATEMENT EXECUTE FUNCTION socle_bump_pricing_version();
