ALTER TABLE "invoice_lines" DROP CONSTRAINT "invoice_lines_invoice_id_invoices_id_fk";
--> statement-breakpoint
ALTER TABLE "invoice_lines" DROP CONSTRAINT "invoice_lines_member_id_organisations_id_fk";
--> statement-breakpoint
ALTER TABLE "invoice_lines" DROP CONSTRAINT "invoice_lines_service_id_catalogue_services_id_fk";
--> statement-breakpoint
DROP INDEX "invoice_lines_member_idx";--> statement-breakpoint
DROP INDEX "invoice_lines_credit_of_idx";--> statement-breakpoint
-- The unique index must exist before the composite key that references it.
CREATE UNIQUE INDEX "invoices_id_member_key" ON "invoices" USING btree ("id","member_id");--> statement-breakpoint
ALTER TABLE "invoice_lines" ADD CONSTRAINT "invoice_lines_invoice_member_fk" FOREIGN KEY ("invoice_id","member_id") REFERENCES "public"."invoices"("id","member_id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "invoice_lines_credit_of_idx" ON "invoice_lines" USING btree ("credit_of_line_id") WHERE credit_of_line_id IS NOT NULL;