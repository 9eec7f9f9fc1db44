-- Complementary calls: after the annual contribution call (call 1), a member may receive further
-- invoices of the same year (call 2, 3…) for what its shares grew by since (a subscription started
-- later, more units declared). One invoice per member, year and call, so re-running an issue still
-- creates nothing. Existing invoices are annual calls.
DROP INDEX "invoices_annual_call_key";--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "call" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "invoices_call_key" ON "invoices" USING btree ("member_id","year","call") WHERE kind = 'invoice';--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_call_check" CHECK (call >= 1);