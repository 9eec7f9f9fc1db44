-- Member lists' capped counts (issue 17): up to 10,001 members counted by an index-only scan of this
-- narrow partial index (all members, or one status) instead of reading as many table rows.
CREATE INDEX "organisations_member_status_idx" ON "organisations" USING btree ("status") WHERE kind <> 'operator';