-- Word searches over communes (issue 17): the page's names are tested on the entries of this index,
-- in its order, without reading a heap row per name passed over (territory.repository.ts wordsPage).
CREATE INDEX "communes_current_search_name_idx" ON "communes" USING btree ("search_name","code") WHERE abolished_at IS NULL;