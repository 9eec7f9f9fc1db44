CREATE TABLE "hosting_checks" (
	"monitor_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"ok" boolean NOT NULL,
	"response_ms" integer,
	"message" text,
	"samples" integer DEFAULT 1 NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "hosting_checks_monitor_id_at_pk" PRIMARY KEY("monitor_id","at")
);
--> statement-breakpoint
CREATE TABLE "hosting_continuity_plans" (
	"service_id" uuid PRIMARY KEY NOT NULL,
	"rto_minutes" integer NOT NULL,
	"rpo_minutes" integer NOT NULL,
	"procedures" text NOT NULL,
	"last_exercise_on" date,
	"last_exercise_summary" text DEFAULT '' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid,
	CONSTRAINT "hosting_continuity_plans_targets_check" CHECK ("hosting_continuity_plans"."rto_minutes" >= 0 AND "hosting_continuity_plans"."rpo_minutes" >= 0)
);
--> statement-breakpoint
CREATE TABLE "hosting_incident_services" (
	"incident_id" uuid NOT NULL,
	"service_id" uuid NOT NULL,
	CONSTRAINT "hosting_incident_services_incident_id_service_id_pk" PRIMARY KEY("incident_id","service_id")
);
--> statement-breakpoint
CREATE TABLE "hosting_incident_updates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"incident_id" uuid NOT NULL,
	"phase" text NOT NULL,
	"state" text NOT NULL,
	"message" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"notified_at" timestamp with time zone,
	"created_by" uuid,
	CONSTRAINT "hosting_incident_updates_phase_check" CHECK (phase IN ('investigating', 'identified', 'monitoring', 'resolved')),
	CONSTRAINT "hosting_incident_updates_state_check" CHECK (state IN ('degraded', 'partial_outage', 'major_outage'))
);
--> statement-breakpoint
CREATE TABLE "hosting_incidents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"state" text NOT NULL,
	"phase" text DEFAULT 'investigating' NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"resolved_at" timestamp with time zone,
	"monitor_id" uuid,
	"created_by" uuid,
	CONSTRAINT "hosting_incidents_state_check" CHECK (state IN ('degraded', 'partial_outage', 'major_outage')),
	CONSTRAINT "hosting_incidents_phase_check" CHECK (phase IN ('investigating', 'identified', 'monitoring', 'resolved')),
	CONSTRAINT "hosting_incidents_dates_check" CHECK (resolved_at IS NULL OR resolved_at >= started_at)
);
--> statement-breakpoint
CREATE TABLE "hosting_instances" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"member_id" uuid NOT NULL,
	"subscription_id" uuid NOT NULL,
	"service_id" uuid NOT NULL,
	"name" text NOT NULL,
	"url" text,
	"software" text NOT NULL,
	"software_version" text NOT NULL,
	"datacentre" text NOT NULL,
	"region" text NOT NULL,
	"provider" text NOT NULL,
	"qualification" text DEFAULT 'none' NOT NULL,
	"plan" text DEFAULT '' NOT NULL,
	"backup_schedule" text DEFAULT '' NOT NULL,
	"backup_retention_days" integer DEFAULT 30 NOT NULL,
	"restore_test_every_days" integer DEFAULT 180 NOT NULL,
	"last_backup_at" timestamp with time zone,
	"rto_minutes" integer NOT NULL,
	"rpo_minutes" integer NOT NULL,
	"processor_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "hosting_instances_qualification_check" CHECK (qualification IN ('none', 'secnumcloud', 'hds', 'secnumcloud_hds')),
	CONSTRAINT "hosting_instances_targets_check" CHECK (rto_minutes >= 0 AND rpo_minutes >= 0)
);
--> statement-breakpoint
CREATE TABLE "hosting_licence_usage" (
	"subscription_id" uuid PRIMARY KEY NOT NULL,
	"member_id" uuid NOT NULL,
	"seats_used" integer NOT NULL,
	"source" text DEFAULT 'declared' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid,
	CONSTRAINT "hosting_licence_usage_seats_check" CHECK ("hosting_licence_usage"."seats_used" >= 0),
	CONSTRAINT "hosting_licence_usage_source_check" CHECK (source IN ('declared', 'import'))
);
--> statement-breakpoint
CREATE TABLE "hosting_maintenance_services" (
	"maintenance_id" uuid NOT NULL,
	"service_id" uuid NOT NULL,
	CONSTRAINT "hosting_maintenance_services_maintenance_id_service_id_pk" PRIMARY KEY("maintenance_id","service_id")
);
--> statement-breakpoint
CREATE TABLE "hosting_maintenances" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"message" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"notified_at" timestamp with time zone,
	"created_by" uuid,
	CONSTRAINT "hosting_maintenances_dates_check" CHECK (ends_at > starts_at)
);
--> statement-breakpoint
CREATE TABLE "hosting_monitors" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"service_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"target" text NOT NULL,
	"keyword" text,
	"interval_seconds" integer NOT NULL,
	"failures_before_incident" integer NOT NULL,
	"tls_warning_days" integer DEFAULT 14 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"next_check_at" timestamp with time zone NOT NULL,
	"consecutive_failures" integer DEFAULT 0 NOT NULL,
	"failing_since" timestamp with time zone,
	"last_check_at" timestamp with time zone,
	"last_ok" boolean,
	"last_message" text,
	"last_response_ms" integer,
	"open_incident_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "hosting_monitors_kind_check" CHECK (kind IN ('http', 'keyword', 'tcp', 'tls')),
	CONSTRAINT "hosting_monitors_interval_check" CHECK (interval_seconds >= 60),
	CONSTRAINT "hosting_monitors_failures_check" CHECK (failures_before_incident >= 1)
);
--> statement-breakpoint
CREATE TABLE "hosting_restore_tests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"member_id" uuid NOT NULL,
	"instance_id" uuid NOT NULL,
	"tested_at" timestamp with time zone NOT NULL,
	"duration_minutes" integer NOT NULL,
	"data_age_minutes" integer NOT NULL,
	"succeeded" boolean DEFAULT true NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"created_by" uuid
);
--> statement-breakpoint
ALTER TABLE "catalogue_services" ADD COLUMN "sla_target_basis_points" integer DEFAULT 9950 NOT NULL;--> statement-breakpoint
ALTER TABLE "hosting_checks" ADD CONSTRAINT "hosting_checks_monitor_id_hosting_monitors_id_fk" FOREIGN KEY ("monitor_id") REFERENCES "public"."hosting_monitors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hosting_continuity_plans" ADD CONSTRAINT "hosting_continuity_plans_service_id_catalogue_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."catalogue_services"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hosting_continuity_plans" ADD CONSTRAINT "hosting_continuity_plans_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hosting_incident_services" ADD CONSTRAINT "hosting_incident_services_incident_id_hosting_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."hosting_incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hosting_incident_services" ADD CONSTRAINT "hosting_incident_services_service_id_catalogue_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."catalogue_services"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hosting_incident_updates" ADD CONSTRAINT "hosting_incident_updates_incident_id_hosting_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."hosting_incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hosting_incident_updates" ADD CONSTRAINT "hosting_incident_updates_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hosting_incidents" ADD CONSTRAINT "hosting_incidents_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hosting_instances" ADD CONSTRAINT "hosting_instances_member_id_organisations_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hosting_instances" ADD CONSTRAINT "hosting_instances_subscription_id_subscriptions_id_fk" FOREIGN KEY ("subscription_id") REFERENCES "public"."subscriptions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hosting_instances" ADD CONSTRAINT "hosting_instances_service_id_catalogue_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."catalogue_services"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hosting_instances" ADD CONSTRAINT "hosting_instances_processor_id_rgpd_processors_id_fk" FOREIGN KEY ("processor_id") REFERENCES "public"."rgpd_processors"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hosting_licence_usage" ADD CONSTRAINT "hosting_licence_usage_subscription_id_subscriptions_id_fk" FOREIGN KEY ("subscription_id") REFERENCES "public"."subscriptions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hosting_licence_usage" ADD CONSTRAINT "hosting_licence_usage_member_id_organisations_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hosting_licence_usage" ADD CONSTRAINT "hosting_licence_usage_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hosting_maintenance_services" ADD CONSTRAINT "hosting_maintenance_services_maintenance_id_hosting_maintenances_id_fk" FOREIGN KEY ("maintenance_id") REFERENCES "public"."hosting_maintenances"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hosting_maintenance_services" ADD CONSTRAINT "hosting_maintenance_services_service_id_catalogue_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."catalogue_services"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hosting_maintenances" ADD CONSTRAINT "hosting_maintenances_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hosting_monitors" ADD CONSTRAINT "hosting_monitors_service_id_catalogue_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."catalogue_services"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hosting_monitors" ADD CONSTRAINT "hosting_monitors_open_incident_id_hosting_incidents_id_fk" FOREIGN KEY ("open_incident_id") REFERENCES "public"."hosting_incidents"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hosting_restore_tests" ADD CONSTRAINT "hosting_restore_tests_member_id_organisations_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hosting_restore_tests" ADD CONSTRAINT "hosting_restore_tests_instance_id_hosting_instances_id_fk" FOREIGN KEY ("instance_id") REFERENCES "public"."hosting_instances"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hosting_restore_tests" ADD CONSTRAINT "hosting_restore_tests_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "hosting_checks_at_idx" ON "hosting_checks" USING btree ("at") WHERE samples = 1;--> statement-breakpoint
CREATE INDEX "hosting_incident_services_service_idx" ON "hosting_incident_services" USING btree ("service_id");--> statement-breakpoint
CREATE INDEX "hosting_incident_updates_incident_idx" ON "hosting_incident_updates" USING btree ("incident_id","at");--> statement-breakpoint
CREATE INDEX "hosting_incidents_open_idx" ON "hosting_incidents" USING btree ("started_at") WHERE resolved_at IS NULL;--> statement-breakpoint
CREATE INDEX "hosting_incidents_started_idx" ON "hosting_incidents" USING btree ("started_at");--> statement-breakpoint
CREATE UNIQUE INDEX "hosting_instances_member_name_key" ON "hosting_instances" USING btree ("member_id","name");--> statement-breakpoint
CREATE INDEX "hosting_instances_service_idx" ON "hosting_instances" USING btree ("service_id");--> statement-breakpoint
CREATE INDEX "hosting_instances_subscription_idx" ON "hosting_instances" USING btree ("subscription_id");--> statement-breakpoint
CREATE INDEX "hosting_licence_usage_member_idx" ON "hosting_licence_usage" USING btree ("member_id");--> statement-breakpoint
CREATE INDEX "hosting_maintenance_services_service_idx" ON "hosting_maintenance_services" USING btree ("service_id");--> statement-breakpoint
CREATE INDEX "hosting_maintenances_ends_idx" ON "hosting_maintenances" USING btree ("ends_at");--> statement-breakpoint
CREATE INDEX "hosting_monitors_due_idx" ON "hosting_monitors" USING btree ("next_check_at") WHERE active;--> statement-breakpoint
CREATE INDEX "hosting_monitors_service_idx" ON "hosting_monitors" USING btree ("service_id");--> statement-breakpoint
CREATE INDEX "hosting_restore_tests_instance_idx" ON "hosting_restore_tests" USING btree ("member_id","instance_id","tested_at");--> statement-breakpoint
ALTER TABLE "catalogue_services" ADD CONSTRAINT "catalogue_services_sla_check" CHECK (sla_target_basis_points >= 0 AND sla_target_basis_points <= 10000);