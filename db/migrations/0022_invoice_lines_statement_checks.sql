ALTER TABLE "invoice_lines" DROP CONSTRAINT "invoice_lines_credit_of_line_id_invoice_lines_id_fk";
--> statement-breakpoint
ALTER TABLE "invoice_lines" DROP CONSTRAINT "invoice_lines_invoice_member_fk";
--> statement-breakpoint
-- A billing run inserts a million invoice lines; the two foreign keys above cost two trigger calls per
-- line (an index probe and a row lock on the invoice for one, a null check for the other). The same
-- rules are now checked once per statement, set-based, on the statement's new rows. Nothing they point
-- to can disappear afterwards: invoices and lines are never updated nor deleted (0013), and invoices
-- cannot be truncated (below). SECURITY DEFINER: the check must see every invoice, whatever RLS shows.
CREATE OR REPLACE FUNCTION socle_invoice_lines_keys() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
  IF EXISTS (
    SELECT 1 FROM (SELECT DISTINCT invoice_id, member_id FROM inserted_lines) l
    WHERE NOT EXISTS (SELECT 1 FROM invoices i WHERE i.id = l.invoice_id AND i.member_id = l.member_id)
  ) THEN
    RAISE EXCEPTION 'Une ligne de facture doit appartenir à une facture de la même structure.'
      USING ERRCODE = '23503';
  END IF;
  IF EXISTS (
    SELECT 1 FROM inserted_lines l
    WHERE l.credit_of_line_id IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM invoice_lines o WHERE o.id = l.credit_of_line_id)
  ) THEN
    RAISE EXCEPTION 'Une ligne d''avoir doit corriger une ligne de facture existante.' USING ERRCODE = '23503';
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER invoice_lines_keys AFTER INSERT ON invoice_lines
  REFERENCING NEW TABLE AS inserted_lines
  FOR EACH STATEMENT EXECUTE FUNCTION socle_invoice_lines_keys();
--> statement-breakpoint
-- The foreign key also refused TRUNCATE of invoices while lines referenced them; nothing billed is
-- ever deleted, so TRUNCATE of invoices is refused outright.
CREATE OR REPLACE FUNCTION socle_invoices_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'Une facture émise ne peut pas être supprimée : émettez un avoir.' USING ERRCODE = '55000';
END
$$;
--> statement-breakpoint
CREATE TRIGGER invoices_no_truncate BEFORE TRUNCATE ON invoices
  FOR EACH STATEMENT EXECUTE FUNCTION socle_invoices_no_truncate();
