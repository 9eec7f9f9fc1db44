ALTER TABLE "rgpd_member_summaries" DROP CONSTRAINT "rgpd_member_summaries_counts_check";--> statement-breakpoint
ALTER TABLE "rgpd_member_summaries" ADD COLUMN "review_due" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "rgpd_member_summaries" ADD COLUMN "review_due_on" date;--> statement-breakpoint
ALTER TABLE "rgpd_member_summaries" ADD CONSTRAINT "rgpd_member_summaries_counts_check" CHECK (processings >= 0 AND completion_sum >= 0 AND dpia_to_do >= 0 AND review_due >= 0);