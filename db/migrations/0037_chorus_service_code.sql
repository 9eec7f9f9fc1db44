ALTER TABLE "organisations" ADD COLUMN "chorus_service_code" text;--> statement-breakpoint
ALTER TABLE "organisations" ADD COLUMN "chorus_service_code_required" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "organisations" ADD CONSTRAINT "organisations_chorus_service_code_check" CHECK (chorus_service_code IS NULL OR length(chorus_service_code) BETWEEN 1 AND 100);