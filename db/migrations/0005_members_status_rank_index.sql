CREATE INDEX "organisations_status_rank_idx" ON "organisations" USING btree ((CASE status
  WHEN 'prospect' THEN 0 WHEN 'requested' THEN 1 WHEN 'accepted' THEN 2
  WHEN 'member' THEN 3 WHEN 'withdrawal_requested' THEN 4 ELSE 5 END),"search_name","id");