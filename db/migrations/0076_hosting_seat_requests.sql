CREATE TABLE "hosting_seat_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"member_id" uuid NOT NULL,
	"subscription_id" uuid NOT NULL,
	"additional" integer NOT NULL,
	"units_before" integer NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"requested_by" uuid,
	"decided_at" timestamp with time zone,
	"decided_by" uuid,
	"decision_note" text,
	CONSTRAINT "hosting_seat_requests_additional_check" CHECK ("hosting_seat_requests"."additional" > 0),
	CONSTRAINT "hosting_seat_requests_status_check" CHECK (status IN ('pending', 'approved', 'refused'))
);
--> statement-breakpoint
ALTER TABLE "hosting_seat_requests" ADD CONSTRAINT "hosting_seat_requests_member_id_organisations_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hosting_seat_requests" ADD CONSTRAINT "hosting_seat_requests_subscription_id_subscriptions_id_fk" FOREIGN KEY ("subscription_id") REFERENCES "public"."subscriptions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hosting_seat_requests" ADD CONSTRAINT "hosting_seat_requests_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hosting_seat_requests" ADD CONSTRAINT "hosting_seat_requests_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "hosting_seat_requests_pending_key" ON "hosting_seat_requests" USING btree ("subscription_id") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "hosting_seat_requests_member_idx" ON "hosting_seat_requests" USING btree ("member_id","requested_at");--> statement-breakpoint
CREATE INDEX "hosting_seat_requests_status_idx" ON "hosting_seat_requests" USING btree ("status","requested_at");