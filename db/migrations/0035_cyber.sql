-- Cybersecurity (issue 13): profiles, settings, catalogue services' software, inventory, diagnostics,
-- advisories, exposures, remediations, incidents; the member role `cyber` (référent sécurité).
CREATE TABLE "cyber_advisories" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"reference" text NOT NULL,
	"title" text NOT NULL,
	"severity" text NOT NULL,
	"source" text NOT NULL,
	"publisher" text,
	"published_at" timestamp with time zone,
	"summary" text,
	"url" text,
	"cves" text[] DEFAULT '{}'::text[] NOT NULL,
	"products" jsonb NOT NULL,
	"document" jsonb,
	"due_on" date NOT NULL,
	"imported_by" uuid,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cyber_advisories_severity_check" CHECK (severity IN ('critical', 'high', 'medium', 'low', 'none')),
	CONSTRAINT "cyber_advisories_source_check" CHECK (source IN ('csaf', 'manual'))
);
--> statement-breakpoint
CREATE TABLE "cyber_assets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"member_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"quantity" integer DEFAULT 1 NOT NULL,
	"vendor" text,
	"product" text,
	"version" text,
	"cpe" text,
	"runner" text DEFAULT 'member' NOT NULL,
	"exposure" text DEFAULT 'unknown' NOT NULL,
	"notes" text,
	"source" text DEFAULT 'member' NOT NULL,
	"service_software_id" uuid,
	"vendor_key" text,
	"product_key" text,
	"search_key" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cyber_assets_kind_check" CHECK (kind IN ('workstation', 'server', 'network', 'website', 'domain', 'mailbox', 'software')),
	CONSTRAINT "cyber_assets_runner_check" CHECK (runner IN ('member', 'operator', 'vendor')),
	CONSTRAINT "cyber_assets_exposure_check" CHECK (exposure IN ('internet', 'internal', 'unknown')),
	CONSTRAINT "cyber_assets_source_check" CHECK (source IN ('member', 'catalogue')),
	CONSTRAINT "cyber_assets_quantity_check" CHECK ("cyber_assets"."quantity" >= 1)
);
--> statement-breakpoint
CREATE TABLE "cyber_diagnostics" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"member_id" uuid NOT NULL,
	"questionnaire_version" integer NOT NULL,
	"answers" jsonb NOT NULL,
	"theme_scores" jsonb NOT NULL,
	"overall_score" integer NOT NULL,
	"respondents" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cyber_diagnostics_score_check" CHECK ("cyber_diagnostics"."overall_score" BETWEEN 0 AND 100)
);
--> statement-breakpoint
CREATE TABLE "cyber_exposures" (
	"advisory_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"assets" integer NOT NULL,
	"remediated_assets" integer DEFAULT 0 NOT NULL,
	"due_on" date NOT NULL,
	"remediated_at" timestamp with time zone,
	"notified_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cyber_exposures_advisory_id_member_id_pk" PRIMARY KEY("advisory_id","member_id")
);
--> statement-breakpoint
CREATE TABLE "cyber_incident_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"member_id" uuid NOT NULL,
	"incident_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"text" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cyber_incidents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"member_id" uuid NOT NULL,
	"title" text NOT NULL,
	"category" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"detected_at" timestamp with time zone NOT NULL,
	"personal_data" boolean NOT NULL,
	"nis2" boolean NOT NULL,
	"description" text,
	"services_affected" text[] DEFAULT '{}'::text[] NOT NULL,
	"early_warning_due" timestamp with time zone,
	"notification_due" timestamp with time zone,
	"final_report_due" timestamp with time zone,
	"early_warning_sent_at" timestamp with time zone,
	"notification_sent_at" timestamp with time zone,
	"final_report_sent_at" timestamp with time zone,
	"police_complaint_at" timestamp with time zone,
	"insurer_declared_at" timestamp with time zone,
	"reminders_sent" text[] DEFAULT '{}'::text[] NOT NULL,
	"breach_id" uuid,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cyber_incidents_category_check" CHECK (category IN ('ransomware', 'phishing', 'account_compromise', 'denial_of_service', 'defacement', 'data_leak', 'lost_device', 'other')),
	CONSTRAINT "cyber_incidents_status_check" CHECK (status IN ('open', 'contained', 'closed'))
);
--> statement-breakpoint
CREATE TABLE "cyber_profiles" (
	"member_id" uuid PRIMARY KEY NOT NULL,
	"nis2_in_scope" boolean DEFAULT false NOT NULL,
	"nis2_reason" text,
	"security_contact_email" text,
	"security_contact_name" text,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cyber_remediations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"member_id" uuid NOT NULL,
	"advisory_id" uuid NOT NULL,
	"asset_id" uuid NOT NULL,
	"matched_on" text NOT NULL,
	"state" text DEFAULT 'to_do' NOT NULL,
	"reason" text,
	"due_on" date NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cyber_remediations_state_check" CHECK (state IN ('to_do', 'patched', 'mitigated', 'not_affected', 'risk_accepted'))
);
--> statement-breakpoint
CREATE TABLE "cyber_service_software" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"service_id" uuid NOT NULL,
	"name" text NOT NULL,
	"vendor" text NOT NULL,
	"product" text NOT NULL,
	"version" text NOT NULL,
	"cpe" text,
	"exposure" text DEFAULT 'internet' NOT NULL,
	"vendor_key" text,
	"product_key" text,
	"search_key" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cyber_service_software_exposure_check" CHECK (exposure IN ('internet', 'internal', 'unknown'))
);
--> statement-breakpoint
CREATE TABLE "cyber_settings" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"remediation_days" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cyber_settings_one_row" CHECK ("cyber_settings"."id" = 1)
);
--> statement-breakpoint
ALTER TABLE "organisation_users" DROP CONSTRAINT "organisation_users_role_check";--> statement-breakpoint
ALTER TABLE "invitations" DROP CONSTRAINT "invitations_role_check";--> statement-breakpoint
ALTER TABLE "cyber_advisories" ADD CONSTRAINT "cyber_advisories_imported_by_users_id_fk" FOREIGN KEY ("imported_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cyber_assets" ADD CONSTRAINT "cyber_assets_member_id_organisations_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cyber_assets" ADD CONSTRAINT "cyber_assets_service_software_id_cyber_service_software_id_fk" FOREIGN KEY ("service_software_id") REFERENCES "public"."cyber_service_software"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cyber_diagnostics" ADD CONSTRAINT "cyber_diagnostics_member_id_organisations_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cyber_diagnostics" ADD CONSTRAINT "cyber_diagnostics_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cyber_exposures" ADD CONSTRAINT "cyber_exposures_advisory_id_cyber_advisories_id_fk" FOREIGN KEY ("advisory_id") REFERENCES "public"."cyber_advisories"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cyber_exposures" ADD CONSTRAINT "cyber_exposures_member_id_organisations_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cyber_incident_events" ADD CONSTRAINT "cyber_incident_events_member_id_organisations_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cyber_incident_events" ADD CONSTRAINT "cyber_incident_events_incident_id_cyber_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."cyber_incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cyber_incident_events" ADD CONSTRAINT "cyber_incident_events_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cyber_incidents" ADD CONSTRAINT "cyber_incidents_member_id_organisations_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cyber_incidents" ADD CONSTRAINT "cyber_incidents_breach_id_rgpd_breaches_id_fk" FOREIGN KEY ("breach_id") REFERENCES "public"."rgpd_breaches"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cyber_incidents" ADD CONSTRAINT "cyber_incidents_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cyber_profiles" ADD CONSTRAINT "cyber_profiles_member_id_organisations_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cyber_profiles" ADD CONSTRAINT "cyber_profiles_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cyber_remediations" ADD CONSTRAINT "cyber_remediations_member_id_organisations_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cyber_remediations" ADD CONSTRAINT "cyber_remediations_advisory_id_cyber_advisories_id_fk" FOREIGN KEY ("advisory_id") REFERENCES "public"."cyber_advisories"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cyber_remediations" ADD CONSTRAINT "cyber_remediations_asset_id_cyber_assets_id_fk" FOREIGN KEY ("asset_id") REFERENCES "public"."cyber_assets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cyber_remediations" ADD CONSTRAINT "cyber_remediations_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cyber_service_software" ADD CONSTRAINT "cyber_service_software_service_id_catalogue_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."catalogue_services"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "cyber_advisories_reference_key" ON "cyber_advisories" USING btree ("reference");--> statement-breakpoint
CREATE INDEX "cyber_advisories_imported_idx" ON "cyber_advisories" USING btree ("imported_at","id");--> statement-breakpoint
CREATE INDEX "cyber_assets_member_idx" ON "cyber_assets" USING btree ("member_id","kind","name","id");--> statement-breakpoint
CREATE INDEX "cyber_assets_product_idx" ON "cyber_assets" USING btree ("product_key") WHERE product_key IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "cyber_assets_member_service_software_key" ON "cyber_assets" USING btree ("member_id","service_software_id") WHERE service_software_id IS NOT NULL;--> statement-breakpoint
CREATE INDEX "cyber_diagnostics_member_idx" ON "cyber_diagnostics" USING btree ("member_id","created_at","id");--> statement-breakpoint
CREATE INDEX "cyber_exposures_member_idx" ON "cyber_exposures" USING btree ("member_id","created_at");--> statement-breakpoint
CREATE INDEX "cyber_incident_events_incident_idx" ON "cyber_incident_events" USING btree ("incident_id","at");--> statement-breakpoint
CREATE INDEX "cyber_incidents_member_idx" ON "cyber_incidents" USING btree ("member_id","detected_at","id");--> statement-breakpoint
CREATE INDEX "cyber_incidents_open_idx" ON "cyber_incidents" USING btree ("status","detected_at") WHERE status <> 'closed';--> statement-breakpoint
CREATE INDEX "cyber_incidents_breach_idx" ON "cyber_incidents" USING btree ("breach_id");--> statement-breakpoint
CREATE UNIQUE INDEX "cyber_remediations_advisory_asset_key" ON "cyber_remediations" USING btree ("advisory_id","asset_id");--> statement-breakpoint
CREATE INDEX "cyber_remediations_member_idx" ON "cyber_remediations" USING btree ("member_id","advisory_id");--> statement-breakpoint
CREATE INDEX "cyber_remediations_asset_idx" ON "cyber_remediations" USING btree ("asset_id");--> statement-breakpoint
CREATE INDEX "cyber_service_software_service_idx" ON "cyber_service_software" USING btree ("service_id");--> statement-breakpoint
ALTER TABLE "organisation_users" ADD CONSTRAINT "organisation_users_role_check" CHECK (role IN ('admin', 'agent', 'reader', 'actes', 'cyber'));--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_role_check" CHECK (role IN ('admin', 'agent', 'reader', 'actes', 'cyber'));