CREATE TABLE "act_classifications" (
	"member_id" uuid NOT NULL,
	"code" text NOT NULL,
	"label" text NOT NULL,
	"level" integer NOT NULL,
	"classification_date" date NOT NULL,
	"fetched_at" timestamp with time zone NOT NULL,
	CONSTRAINT "act_classifications_member_id_code_pk" PRIMARY KEY("member_id","code")
);
--> statement-breakpoint
CREATE TABLE "act_documents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"member_id" uuid NOT NULL,
	"act_id" uuid NOT NULL,
	"message_id" uuid,
	"role" text NOT NULL,
	"file_name" text NOT NULL,
	"media_type" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"sha256" text NOT NULL,
	"storage_key" text NOT NULL,
	"uploaded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "act_documents_role_check" CHECK (role IN ('main', 'annex')),
	CONSTRAINT "act_documents_size_check" CHECK (size_bytes >= 0)
);
--> statement-breakpoint
CREATE TABLE "act_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"member_id" uuid NOT NULL,
	"act_id" uuid NOT NULL,
	"status" text,
	"label" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor_user_id" uuid,
	"actor_label" text,
	CONSTRAINT "act_events_status_check" CHECK (status IS NULL OR status IN ('draft', 'ready', 'transmitting', 'acknowledged', 'error', 'cancelled'))
);
--> statement-breakpoint
CREATE TABLE "act_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"member_id" uuid NOT NULL,
	"act_id" uuid NOT NULL,
	"external_id" text,
	"kind" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"answer_due_on" date,
	"answered_at" timestamp with time zone,
	"answers_message_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "act_messages_kind_check" CHECK (kind IN ('courrier_simple', 'demande_pieces', 'lettre_observations', 'defere', 'reponse_pieces'))
);
--> statement-breakpoint
CREATE TABLE "acts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"member_id" uuid NOT NULL,
	"nature" text NOT NULL,
	"classification" text NOT NULL,
	"classification_label" text,
	"classification_date" date,
	"number" text NOT NULL,
	"decided_on" date NOT NULL,
	"subject" text NOT NULL,
	"search_key" text NOT NULL,
	"signatory_name" text,
	"signed_on" date,
	"session_on" date,
	"transmission_required" boolean DEFAULT true NOT NULL,
	"notified_on" date,
	"status" text DEFAULT 'draft' NOT NULL,
	"error_message" text,
	"transaction_id" text,
	"prefecture_id" text,
	"transmitted_at" timestamp with time zone,
	"acknowledged_at" timestamp with time zone,
	"published_at" timestamp with time zone,
	"published_sha256" text,
	"published_storage_key" text,
	"corrects_act_id" uuid,
	"votes_members" integer,
	"votes_present" integer,
	"votes_for" integer,
	"votes_against" integer,
	"votes_abstention" integer,
	"created_by" uuid,
	"updated_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "acts_nature_check" CHECK (nature IN ('DE', 'AR', 'AI', 'CC', 'BF', 'AU')),
	CONSTRAINT "acts_status_check" CHECK (status IN ('draft', 'ready', 'transmitting', 'acknowledged', 'error', 'cancelled')),
	CONSTRAINT "acts_number_format" CHECK (number ~ '^[A-Z0-9_]{1,15}$'),
	CONSTRAINT "acts_subject_length" CHECK (char_length(subject) BETWEEN 1 AND 499),
	CONSTRAINT "acts_published_complete" CHECK (published_at IS NULL OR (published_sha256 IS NOT NULL AND published_storage_key IS NOT NULL)),
	CONSTRAINT "acts_votes_check" CHECK (COALESCE(votes_members, 0) >= 0 AND COALESCE(votes_present, 0) >= 0 AND COALESCE(votes_for, 0) >= 0
        AND COALESCE(votes_against, 0) >= 0 AND COALESCE(votes_abstention, 0) >= 0)
);
--> statement-breakpoint
ALTER TABLE "organisation_users" DROP CONSTRAINT "organisation_users_role_check";--> statement-breakpoint
ALTER TABLE "invitations" DROP CONSTRAINT "invitations_role_check";--> statement-breakpoint
ALTER TABLE "act_classifications" ADD CONSTRAINT "act_classifications_member_id_organisations_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "act_documents" ADD CONSTRAINT "act_documents_member_id_organisations_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "act_documents" ADD CONSTRAINT "act_documents_act_id_acts_id_fk" FOREIGN KEY ("act_id") REFERENCES "public"."acts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "act_documents" ADD CONSTRAINT "act_documents_message_id_act_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."act_messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "act_documents" ADD CONSTRAINT "act_documents_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "act_events" ADD CONSTRAINT "act_events_member_id_organisations_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "act_events" ADD CONSTRAINT "act_events_act_id_acts_id_fk" FOREIGN KEY ("act_id") REFERENCES "public"."acts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "act_events" ADD CONSTRAINT "act_events_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "act_messages" ADD CONSTRAINT "act_messages_member_id_organisations_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "act_messages" ADD CONSTRAINT "act_messages_act_id_acts_id_fk" FOREIGN KEY ("act_id") REFERENCES "public"."acts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "act_messages" ADD CONSTRAINT "act_messages_answers_message_id_act_messages_id_fk" FOREIGN KEY ("answers_message_id") REFERENCES "public"."act_messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "acts" ADD CONSTRAINT "acts_member_id_organisations_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "acts" ADD CONSTRAINT "acts_corrects_act_id_acts_id_fk" FOREIGN KEY ("corrects_act_id") REFERENCES "public"."acts"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "acts" ADD CONSTRAINT "acts_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "acts" ADD CONSTRAINT "acts_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "act_documents_act_idx" ON "act_documents" USING btree ("member_id","act_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "act_documents_one_main" ON "act_documents" USING btree ("act_id") WHERE role = 'main' AND message_id IS NULL;--> statement-breakpoint
CREATE INDEX "act_events_act_idx" ON "act_events" USING btree ("member_id","act_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "act_messages_external_key" ON "act_messages" USING btree ("member_id","act_id","external_id");--> statement-breakpoint
CREATE INDEX "act_messages_act_idx" ON "act_messages" USING btree ("member_id","act_id","received_at");--> statement-breakpoint
CREATE UNIQUE INDEX "acts_member_number_key" ON "acts" USING btree ("member_id","number");--> statement-breakpoint
CREATE INDEX "acts_member_decided_idx" ON "acts" USING btree ("member_id","decided_on","id");--> statement-breakpoint
CREATE INDEX "acts_member_published_idx" ON "acts" USING btree ("member_id","decided_on","id") WHERE published_at IS NOT NULL;--> statement-breakpoint
CREATE INDEX "acts_published_idx" ON "acts" USING btree ("decided_on","id") WHERE published_at IS NOT NULL;--> statement-breakpoint
CREATE INDEX "acts_search_trgm_idx" ON "acts" USING gin (search_key gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "acts_status_updated_idx" ON "acts" USING btree ("status","updated_at","id");--> statement-breakpoint
CREATE INDEX "acts_transmitted_idx" ON "acts" USING btree ("transmitted_at") WHERE transmitted_at IS NOT NULL;--> statement-breakpoint
CREATE INDEX "acts_corrects_idx" ON "acts" USING btree ("corrects_act_id");--> statement-breakpoint
ALTER TABLE "organisation_users" ADD CONSTRAINT "organisation_users_role_check" CHECK (role IN ('admin', 'agent', 'reader', 'actes'));--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_role_check" CHECK (role IN ('admin', 'agent', 'reader', 'actes'));