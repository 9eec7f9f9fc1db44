CREATE INDEX "communes_search_name_idx" ON "communes" USING btree ("search_name","code");--> statement-breakpoint
CREATE INDEX "epci_search_name_idx" ON "epci" USING btree ("search_name","code");