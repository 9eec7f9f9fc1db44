ALTER TABLE "cyber_exposures" DROP CONSTRAINT "cyber_exposures_advisory_id_cyber_advisories_id_fk";
--> statement-breakpoint
ALTER TABLE "cyber_exposures" DROP CONSTRAINT "cyber_exposures_member_id_organisations_id_fk";
--> statement-breakpoint
ALTER TABLE "cyber_remediations" DROP CONSTRAINT "cyber_remediations_member_id_organisations_id_fk";
--> statement-breakpoint
ALTER TABLE "cyber_remediations" DROP CONSTRAINT "cyber_remediations_advisory_id_cyber_advisories_id_fk";
--> statement-breakpoint
ALTER TABLE "cyber_remediations" DROP CONSTRAINT "cyber_remediations_asset_id_cyber_assets_id_fk";
--> statement-breakpoint
ALTER TABLE "cyber_advisories" ADD COLUMN "affected_members" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "cyber_advisories" ADD COLUMN "remediated_members" integer DEFAULT 0 NOT NULL;