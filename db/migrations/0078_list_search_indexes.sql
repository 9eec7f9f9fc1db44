-- Member lists' capped counts (issue 17): up to 10,001 members counted by an index-only scan of this
-- narrow partial index (all members, or one status) instead of reading as many table rows.
-- Word searches over communes (issue 17): the page's names are tested on the entries of this index,
-- in its order, without reading a heap row per name passed over (territory.repository.ts wordsPage).
-- DPO dashboard totals without one heap row per member (issue 17): the followed members and those
-- without a référent counted through a narrow index, the registry and request counts summed over the
-- members that have any of them only (all counts are >= 0), through an index carrying them. Both are
-- read by index-only scans (rgpd.dashboard.repository.ts totalsSelect).
CREATE INDEX "organisations_member_status_idx" ON "organisations" USING btree ("status") WHERE kind <> 'operator';--> statement-breakpoint
CREATE INDEX "communes_current_search_name_idx" ON "communes" USING btree ("search_name","code") WHERE abolished_at IS NULL;--> statement-breakpoint
CREATE INDEX "rgpd_member_summaries_scope_idx" ON "rgpd_member_summaries" USING btree ("departement_code","kind","member_id","referents") WHERE followed;--> statement-breakpoint
CREATE INDEX "rgpd_member_summaries_active_idx" ON "rgpd_member_summaries" USING btree ("departement_code","kind","member_id","processings","completion_sum","review_due","dpia_to_do","open_requests","overdue_requests") WHERE followed AND (processings > 0 OR completion_sum > 0 OR dpia_to_do > 0 OR review_due > 0 OR overdue_requests > 0 OR open_requests > 0);