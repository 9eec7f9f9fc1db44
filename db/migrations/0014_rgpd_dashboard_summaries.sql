CREATE TABLE "rgpd_member_summaries" (
	"member_id" uuid PRIMARY KEY NOT NULL,
	"processings" integer DEFAULT 0 NOT NULL,
	"completion_sum" integer DEFAULT 0 NOT NULL,
	"dpia_to_do" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "rgpd_member_summaries_counts_check" CHECK (processings >= 0 AND completion_sum >= 0 AND dpia_to_do >= 0)
);
--> statement-breakpoint
ALTER TABLE "rgpd_member_summaries" ADD CONSTRAINT "rgpd_member_summaries_member_id_organisations_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "rgpd_breaches_owed_idx" ON "rgpd_breaches" USING btree ("notification_deadline","member_id") WHERE notified_at IS NULL AND cnil_notification_required;--> statement-breakpoint
CREATE INDEX "rgpd_processings_review_member_idx" ON "rgpd_processings" USING btree ("next_review_on","member_id");--> statement-breakpoint
CREATE INDEX "rgpd_rights_requests_open_due_idx" ON "rgpd_rights_requests" USING btree (COALESCE(extended_until, due_on),"id") WHERE status IN ('received', 'in_progress');