-- The membership fee of a structure joining during the year: whole year (as before), by month or by day.
ALTER TABLE "membership_fee_rules" ADD COLUMN "proration" text DEFAULT 'none' NOT NULL;--> statement-breakpoint
ALTER TABLE "membership_fee_rules" ADD CONSTRAINT "membership_fee_rules_proration_check" CHECK (proration IN ('none', 'month', 'day'));
