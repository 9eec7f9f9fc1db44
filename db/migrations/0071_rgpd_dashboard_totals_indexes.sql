-- DPO dashboard totals without one heap row per member (issue 17): the followed members and those
-- without a référent counted through a narrow index, the registry and request counts summed over the
-- members that have any of them only (all counts are >= 0), through an index carrying them. Both are
-- read by index-only scans (rgpd.dashboard.repository.ts totalsSelect).
CREATE INDEX "rgpd_member_summaries_scope_idx" ON "rgpd_member_summaries" USING btree ("departement_code","kind","member_id","referents") WHERE followed;--> statement-breakpoint
CREATE INDEX "rgpd_member_summaries_active_idx" ON "rgpd_member_summaries" USING btree ("departement_code","kind","member_id","processings","completion_sum","review_due","dpia_to_do","open_requests","overdue_requests") WHERE followed AND (processings > 0 OR completion_sum > 0 OR dpia_to_do > 0 OR review_due > 0 OR overdue_requests > 0 OR open_requests > 0);