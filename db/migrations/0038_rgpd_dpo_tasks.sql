CREATE TABLE "rgpd_dpo_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"member_id" uuid NOT NULL,
	"message" text NOT NULL,
	"requested_by_user_id" uuid,
	"requester" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone,
	"closed_by_user_id" uuid,
	CONSTRAINT "rgpd_dpo_requests_message_check" CHECK (length(message) BETWEEN 1 AND 5000)
);
--> statement-breakpoint
ALTER TABLE "rgpd_breaches" ADD COLUMN "qualified_at" timestamp with time zone DEFAULT now();--> statement-breakpoint
ALTER TABLE "rgpd_dpo_requests" ADD CONSTRAINT "rgpd_dpo_requests_member_id_organisations_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rgpd_dpo_requests" ADD CONSTRAINT "rgpd_dpo_requests_requested_by_user_id_users_id_fk" FOREIGN KEY ("requested_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rgpd_dpo_requests" ADD CONSTRAINT "rgpd_dpo_requests_closed_by_user_id_users_id_fk" FOREIGN KEY ("closed_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "rgpd_dpo_requests_member_idx" ON "rgpd_dpo_requests" USING btree ("member_id","created_at","id");--> statement-breakpoint
CREATE INDEX "rgpd_dpo_requests_open_idx" ON "rgpd_dpo_requests" USING btree ("created_at","id") WHERE closed_at IS NULL;--> statement-breakpoint
CREATE INDEX "rgpd_breaches_to_qualify_idx" ON "rgpd_breaches" USING btree ("created_at","id") WHERE qualified_at IS NULL;