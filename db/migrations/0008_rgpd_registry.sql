CREATE TABLE "rgpd_breaches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"member_id" uuid NOT NULL,
	"aware_at" timestamp with time zone NOT NULL,
	"occurred_at" timestamp with time zone,
	"nature" text[] DEFAULT '{}'::text[] NOT NULL,
	"data_description" text,
	"people_count" integer,
	"records_count" integer,
	"consequences" text,
	"measures" text,
	"risk_level" text DEFAULT 'low' NOT NULL,
	"cnil_notification_required" boolean DEFAULT false NOT NULL,
	"notification_reason" text,
	"notification_deadline" timestamp with time zone NOT NULL,
	"notified_at" timestamp with time zone,
	"cnil_reference" text,
	"late_reasons" text,
	"people_informed_at" timestamp with time zone,
	"people_information" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rgpd_breaches_nature_check" CHECK (nature <@ ARRAY['confidentiality', 'integrity', 'availability']::text[]),
	CONSTRAINT "rgpd_breaches_risk_level_check" CHECK (risk_level IN ('none', 'low', 'high')),
	CONSTRAINT "rgpd_breaches_counts_check" CHECK ((people_count IS NULL OR people_count >= 0) AND (records_count IS NULL OR records_count >= 0))
);
--> statement-breakpoint
CREATE TABLE "rgpd_designations" (
	"member_id" uuid PRIMARY KEY NOT NULL,
	"cnil_number" text,
	"designated_on" date,
	"dpo_name" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rgpd_editors" (
	"member_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rgpd_editors_member_id_user_id_pk" PRIMARY KEY("member_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "rgpd_processing_processors" (
	"member_id" uuid NOT NULL,
	"processing_id" uuid NOT NULL,
	"processor_id" uuid NOT NULL,
	CONSTRAINT "rgpd_processing_processors_member_id_processing_id_processor_id_pk" PRIMARY KEY("member_id","processing_id","processor_id")
);
--> statement-breakpoint
CREATE TABLE "rgpd_processing_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"member_id" uuid NOT NULL,
	"processing_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"actor_user_id" uuid,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"snapshot" jsonb NOT NULL,
	"changes" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rgpd_processings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"member_id" uuid NOT NULL,
	"template_id" uuid,
	"template_version" integer,
	"name" text NOT NULL,
	"purposes" text DEFAULT '' NOT NULL,
	"legal_basis" text,
	"legal_basis_justification" text,
	"sensitive_data" boolean DEFAULT false NOT NULL,
	"sensitive_exception" text,
	"data_subjects" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"data_categories" text[] DEFAULT '{}'::text[] NOT NULL,
	"sources" text,
	"collection_method" text,
	"recipients" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"transfers" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"retention" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"security_measures" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"software" text,
	"department" text,
	"status" text DEFAULT 'draft' NOT NULL,
	"last_review_on" date,
	"next_review_on" date,
	"dpia_criteria" text[] DEFAULT '{}'::text[] NOT NULL,
	"dpia_status" text DEFAULT 'not_started' NOT NULL,
	"dpia_not_required_reason" text,
	"is_public" boolean DEFAULT false NOT NULL,
	"completion" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "rgpd_processings_legal_basis_check" CHECK (legal_basis IS NULL OR legal_basis IN ('consent', 'contract', 'legal_obligation', 'vital_interest', 'public_task', 'legitimate_interest')),
	CONSTRAINT "rgpd_processings_status_check" CHECK (status IN ('draft', 'to_review', 'validated')),
	CONSTRAINT "rgpd_processings_dpia_status_check" CHECK (dpia_status IN ('not_started', 'in_progress', 'done', 'not_required')),
	CONSTRAINT "rgpd_processings_dpia_criteria_check" CHECK (dpia_criteria <@ ARRAY['evaluation_scoring', 'automated_decision', 'systematic_monitoring', 'sensitive_data', 'large_scale', 'matching_datasets', 'vulnerable_subjects', 'innovative_technology', 'blocking_rights']::text[]),
	CONSTRAINT "rgpd_processings_completion_check" CHECK (completion BETWEEN 0 AND 100),
	CONSTRAINT "rgpd_processings_version_check" CHECK (version >= 1)
);
--> statement-breakpoint
CREATE TABLE "rgpd_processors" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"siren" text,
	"contract_clauses_checked" boolean DEFAULT false NOT NULL,
	"own_registry" boolean DEFAULT false NOT NULL,
	"dpo_contact" text,
	"transfers_outside_eu" boolean DEFAULT false NOT NULL,
	"transfer_details" text,
	"is_operator" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rgpd_processors_siren_format" CHECK (siren IS NULL OR siren ~ '^[0-9]{9}$')
);
--> statement-breakpoint
CREATE TABLE "rgpd_reminders_sent" (
	"member_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"target_id" uuid NOT NULL,
	"sent_on" date NOT NULL,
	CONSTRAINT "rgpd_reminders_sent_member_id_kind_target_id_sent_on_pk" PRIMARY KEY("member_id","kind","target_id","sent_on")
);
--> statement-breakpoint
CREATE TABLE "rgpd_rights_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"member_id" uuid NOT NULL,
	"type" text NOT NULL,
	"requester_name" text NOT NULL,
	"identity_checked" boolean DEFAULT false NOT NULL,
	"received_on" date NOT NULL,
	"due_on" date NOT NULL,
	"extended_until" date,
	"extension_reason" text,
	"status" text DEFAULT 'received' NOT NULL,
	"answer" text,
	"answered_on" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rgpd_rights_requests_type_check" CHECK (type IN ('access', 'rectification', 'erasure', 'objection', 'restriction', 'portability', 'other')),
	CONSTRAINT "rgpd_rights_requests_status_check" CHECK (status IN ('received', 'in_progress', 'answered', 'refused', 'closed'))
);
--> statement-breakpoint
CREATE TABLE "rgpd_template_versions" (
	"template_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"snapshot" jsonb NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rgpd_template_versions_template_id_version_pk" PRIMARY KEY("template_id","version")
);
--> statement-breakpoint
CREATE TABLE "rgpd_templates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"fields" jsonb NOT NULL,
	"applicable_kinds" text[] DEFAULT '{}'::text[] NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid,
	CONSTRAINT "rgpd_templates_version_check" CHECK (version >= 1)
);
--> statement-breakpoint
ALTER TABLE "rgpd_breaches" ADD CONSTRAINT "rgpd_breaches_member_id_organisations_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rgpd_designations" ADD CONSTRAINT "rgpd_designations_member_id_organisations_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rgpd_editors" ADD CONSTRAINT "rgpd_editors_member_id_organisations_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rgpd_editors" ADD CONSTRAINT "rgpd_editors_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rgpd_processing_processors" ADD CONSTRAINT "rgpd_processing_processors_member_id_organisations_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rgpd_processing_processors" ADD CONSTRAINT "rgpd_processing_processors_processing_id_rgpd_processings_id_fk" FOREIGN KEY ("processing_id") REFERENCES "public"."rgpd_processings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rgpd_processing_processors" ADD CONSTRAINT "rgpd_processing_processors_processor_id_rgpd_processors_id_fk" FOREIGN KEY ("processor_id") REFERENCES "public"."rgpd_processors"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rgpd_processing_versions" ADD CONSTRAINT "rgpd_processing_versions_member_id_organisations_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rgpd_processing_versions" ADD CONSTRAINT "rgpd_processing_versions_processing_id_rgpd_processings_id_fk" FOREIGN KEY ("processing_id") REFERENCES "public"."rgpd_processings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rgpd_processing_versions" ADD CONSTRAINT "rgpd_processing_versions_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rgpd_processings" ADD CONSTRAINT "rgpd_processings_member_id_organisations_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rgpd_processings" ADD CONSTRAINT "rgpd_processings_template_id_rgpd_templates_id_fk" FOREIGN KEY ("template_id") REFERENCES "public"."rgpd_templates"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rgpd_reminders_sent" ADD CONSTRAINT "rgpd_reminders_sent_member_id_organisations_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rgpd_rights_requests" ADD CONSTRAINT "rgpd_rights_requests_member_id_organisations_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rgpd_template_versions" ADD CONSTRAINT "rgpd_template_versions_template_id_rgpd_templates_id_fk" FOREIGN KEY ("template_id") REFERENCES "public"."rgpd_templates"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rgpd_templates" ADD CONSTRAINT "rgpd_templates_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "rgpd_breaches_member_idx" ON "rgpd_breaches" USING btree ("member_id","aware_at","id");--> statement-breakpoint
CREATE INDEX "rgpd_breaches_deadline_idx" ON "rgpd_breaches" USING btree ("notification_deadline");--> statement-breakpoint
CREATE INDEX "rgpd_editors_user_idx" ON "rgpd_editors" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "rgpd_processing_processors_processor_idx" ON "rgpd_processing_processors" USING btree ("processor_id");--> statement-breakpoint
CREATE UNIQUE INDEX "rgpd_processing_versions_key" ON "rgpd_processing_versions" USING btree ("member_id","processing_id","version");--> statement-breakpoint
CREATE INDEX "rgpd_processing_versions_processing_idx" ON "rgpd_processing_versions" USING btree ("processing_id","version");--> statement-breakpoint
CREATE INDEX "rgpd_processings_member_idx" ON "rgpd_processings" USING btree ("member_id","name","id");--> statement-breakpoint
CREATE INDEX "rgpd_processings_review_idx" ON "rgpd_processings" USING btree ("next_review_on");--> statement-breakpoint
CREATE INDEX "rgpd_processings_template_idx" ON "rgpd_processings" USING btree ("template_id","template_version");--> statement-breakpoint
CREATE UNIQUE INDEX "rgpd_processings_member_template_key" ON "rgpd_processings" USING btree ("member_id","template_id") WHERE template_id IS NOT NULL;--> statement-breakpoint
CREATE INDEX "rgpd_processors_name_idx" ON "rgpd_processors" USING btree ("name","id");--> statement-breakpoint
CREATE INDEX "rgpd_rights_requests_member_idx" ON "rgpd_rights_requests" USING btree ("member_id","received_on","id");--> statement-breakpoint
CREATE INDEX "rgpd_rights_requests_due_idx" ON "rgpd_rights_requests" USING btree ("status","due_on");--> statement-breakpoint
CREATE UNIQUE INDEX "rgpd_templates_code_key" ON "rgpd_templates" USING btree ("code");--> statement-breakpoint
CREATE INDEX "rgpd_templates_name_idx" ON "rgpd_templates" USING btree ("name","id");