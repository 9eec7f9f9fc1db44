DROP INDEX "cyber_assets_product_idx";--> statement-breakpoint
ALTER TABLE "cyber_exposures" ADD COLUMN "search_name" text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE INDEX "cyber_exposures_advisory_name_idx" ON "cyber_exposures" USING btree ("advisory_id","search_name","member_id");--> statement-breakpoint
CREATE INDEX "cyber_assets_product_idx" ON "cyber_assets" USING btree ("product_key","vendor_key","version","member_id","id") WHERE product_key IS NOT NULL;