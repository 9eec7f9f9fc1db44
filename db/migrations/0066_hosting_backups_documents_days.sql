CREATE TABLE "hosting_backups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"member_id" uuid NOT NULL,
	"instance_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"succeeded" boolean NOT NULL,
	"size_bytes" bigint,
	"duration_minutes" integer,
	"note" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	CONSTRAINT "hosting_backups_measures_check" CHECK ((size_bytes IS NULL OR size_bytes >= 0) AND (duration_minutes IS NULL OR duration_minutes >= 0))
);
--> statement-breakpoint
CREATE TABLE "hosting_continuity_documents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"service_id" uuid NOT NULL,
	"file_name" text NOT NULL,
	"media_type" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"sha256" text NOT NULL,
	"storage_key" text NOT NULL,
	"uploaded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"uploaded_by" uuid
);
--> statement-breakpoint
CREATE TABLE "hosting_service_days" (
	"service_id" uuid NOT NULL,
	"day" date NOT NULL,
	"rank" smallint NOT NULL,
	CONSTRAINT "hosting_service_days_service_id_day_pk" PRIMARY KEY("service_id","day")
);
--> statement-breakpoint
ALTER TABLE "hosting_backups" ADD CONSTRAINT "hosting_backups_member_id_organisations_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hosting_backups" ADD CONSTRAINT "hosting_backups_instance_id_hosting_instances_id_fk" FOREIGN KEY ("instance_id") REFERENCES "public"."hosting_instances"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hosting_backups" ADD CONSTRAINT "hosting_backups_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hosting_continuity_documents" ADD CONSTRAINT "hosting_continuity_documents_service_id_hosting_continuity_plans_service_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."hosting_continuity_plans"("service_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hosting_continuity_documents" ADD CONSTRAINT "hosting_continuity_documents_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hosting_service_days" ADD CONSTRAINT "hosting_service_days_service_id_catalogue_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."catalogue_services"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "hosting_backups_instance_idx" ON "hosting_backups" USING btree ("member_id","instance_id","at");--> statement-breakpoint
CREATE INDEX "hosting_continuity_documents_service_idx" ON "hosting_continuity_documents" USING btree ("service_id","uploaded_at");--> statement-breakpoint
CREATE UNIQUE INDEX "hosting_continuity_documents_storage_key" ON "hosting_continuity_documents" USING btree ("storage_key");