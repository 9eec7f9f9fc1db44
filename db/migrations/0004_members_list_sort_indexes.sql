DROP INDEX "organisations_name_idx";--> statement-breakpoint
DROP INDEX "organisations_kind_idx";--> statement-breakpoint
DROP INDEX "organisations_status_idx";--> statement-breakpoint
DROP INDEX "organisations_departement_idx";--> statement-breakpoint
CREATE INDEX "organisations_search_name_idx" ON "organisations" USING btree ("search_name","id");--> statement-breakpoint
CREATE INDEX "organisations_updated_idx" ON "organisations" USING btree ("updated_at","id");--> statement-breakpoint
CREATE INDEX "organisations_kind_idx" ON "organisations" USING btree ("kind","search_name","id");--> statement-breakpoint
CREATE INDEX "organisations_status_idx" ON "organisations" USING btree ("status","search_name","id");--> statement-breakpoint
CREATE INDEX "organisations_departement_idx" ON "organisations" USING btree ("departement_code","search_name","id");