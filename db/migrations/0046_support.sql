CREATE TABLE "support_articles" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"service_id" uuid,
	"visibility" text NOT NULL,
	"search_key" text NOT NULL,
	"helpful_yes" integer DEFAULT 0 NOT NULL,
	"helpful_no" integer DEFAULT 0 NOT NULL,
	"created_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "support_articles_visibility_check" CHECK (visibility IN ('public', 'members'))
);
--> statement-breakpoint
CREATE TABLE "support_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"member_id" uuid NOT NULL,
	"ticket_id" uuid NOT NULL,
	"author_id" uuid,
	"body" text NOT NULL,
	"internal" boolean DEFAULT false NOT NULL,
	"from_operator" boolean NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "support_messages_internal_check" CHECK (NOT "support_messages"."internal" OR "support_messages"."from_operator")
);
--> statement-breakpoint
CREATE TABLE "support_service_levels" (
	"service_id" uuid NOT NULL,
	"priority" text NOT NULL,
	"first_response_minutes" integer NOT NULL,
	"resolution_minutes" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "support_service_levels_service_id_priority_pk" PRIMARY KEY("service_id","priority"),
	CONSTRAINT "support_service_levels_priority_check" CHECK (priority IN ('low', 'medium', 'high', 'critical')),
	CONSTRAINT "support_service_levels_minutes_check" CHECK ("support_service_levels"."first_response_minutes" > 0 AND "support_service_levels"."resolution_minutes" >= "support_service_levels"."first_response_minutes")
);
--> statement-breakpoint
CREATE TABLE "support_tickets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" integer GENERATED ALWAYS AS IDENTITY (sequence name "support_tickets_number_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"member_id" uuid NOT NULL,
	"requester_id" uuid,
	"subject" text NOT NULL,
	"description" text NOT NULL,
	"service_id" uuid,
	"category" text NOT NULL,
	"urgency" text,
	"impact" text,
	"priority" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"assignee_id" uuid,
	"first_response_minutes" integer NOT NULL,
	"resolution_minutes" integer NOT NULL,
	"pauses" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"first_response_due_at" timestamp with time zone,
	"resolution_due_at" timestamp with time zone,
	"next_due_at" timestamp with time zone NOT NULL,
	"first_responded_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"resolution" text,
	"satisfaction" integer,
	"satisfaction_comment" text,
	"alerts_sent" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "support_tickets_number_unique" UNIQUE("number"),
	CONSTRAINT "support_tickets_category_check" CHECK (category IN ('question', 'incident', 'request', 'access', 'training', 'other')),
	CONSTRAINT "support_tickets_priority_check" CHECK (priority IN ('low', 'medium', 'high', 'critical')),
	CONSTRAINT "support_tickets_status_check" CHECK (status IN ('open', 'in_progress', 'waiting_member', 'resolved', 'closed')),
	CONSTRAINT "support_tickets_satisfaction_check" CHECK ("support_tickets"."satisfaction" BETWEEN 1 AND 5)
);
--> statement-breakpoint
CREATE TABLE "training_registrations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"member_id" uuid NOT NULL,
	"session_id" uuid NOT NULL,
	"registered_by" uuid,
	"name" text NOT NULL,
	"email" text NOT NULL,
	"status" text NOT NULL,
	"attended" boolean,
	"promoted_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "training_registrations_status_check" CHECK (status IN ('confirmed', 'waitlisted', 'cancelled'))
);
--> statement-breakpoint
CREATE TABLE "training_sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"description" text,
	"audience" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"place" text NOT NULL,
	"departement_code" text,
	"remote" boolean DEFAULT false NOT NULL,
	"trainer" text,
	"capacity" integer NOT NULL,
	"per_member_cap" integer,
	"registration_deadline" timestamp with time zone NOT NULL,
	"service_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "training_sessions_audience_check" CHECK (audience IN ('agents', 'elus', 'tous')),
	CONSTRAINT "training_sessions_capacity_check" CHECK ("training_sessions"."capacity" > 0),
	CONSTRAINT "training_sessions_dates_check" CHECK ("training_sessions"."ends_at" > "training_sessions"."starts_at")
);
--> statement-breakpoint
ALTER TABLE "support_articles" ADD CONSTRAINT "support_articles_service_id_catalogue_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."catalogue_services"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "support_articles" ADD CONSTRAINT "support_articles_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "support_messages" ADD CONSTRAINT "support_messages_member_id_organisations_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "support_messages" ADD CONSTRAINT "support_messages_ticket_id_support_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."support_tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "support_messages" ADD CONSTRAINT "support_messages_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "support_service_levels" ADD CONSTRAINT "support_service_levels_service_id_catalogue_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."catalogue_services"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "support_tickets" ADD CONSTRAINT "support_tickets_member_id_organisations_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "support_tickets" ADD CONSTRAINT "support_tickets_requester_id_users_id_fk" FOREIGN KEY ("requester_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "support_tickets" ADD CONSTRAINT "support_tickets_service_id_catalogue_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."catalogue_services"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "support_tickets" ADD CONSTRAINT "support_tickets_assignee_id_users_id_fk" FOREIGN KEY ("assignee_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_registrations" ADD CONSTRAINT "training_registrations_member_id_organisations_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_registrations" ADD CONSTRAINT "training_registrations_session_id_training_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."training_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_registrations" ADD CONSTRAINT "training_registrations_registered_by_users_id_fk" FOREIGN KEY ("registered_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_sessions" ADD CONSTRAINT "training_sessions_service_id_catalogue_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."catalogue_services"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "support_articles_title_idx" ON "support_articles" USING btree ("title","id");--> statement-breakpoint
CREATE INDEX "support_messages_ticket_idx" ON "support_messages" USING btree ("ticket_id","created_at");--> statement-breakpoint
CREATE INDEX "support_tickets_member_idx" ON "support_tickets" USING btree ("member_id","created_at","id");--> statement-breakpoint
CREATE INDEX "support_tickets_requester_idx" ON "support_tickets" USING btree ("member_id","requester_id","created_at","id");--> statement-breakpoint
CREATE INDEX "support_tickets_queue_idx" ON "support_tickets" USING btree ("next_due_at","id") WHERE status IN ('open', 'in_progress', 'waiting_member');--> statement-breakpoint
CREATE INDEX "support_tickets_queue_assignee_idx" ON "support_tickets" USING btree ("assignee_id","next_due_at","id") WHERE status IN ('open', 'in_progress', 'waiting_member');--> statement-breakpoint
CREATE INDEX "support_tickets_queue_service_idx" ON "support_tickets" USING btree ("service_id","next_due_at","id") WHERE status IN ('open', 'in_progress', 'waiting_member');--> statement-breakpoint
CREATE INDEX "support_tickets_queue_priority_idx" ON "support_tickets" USING btree ("priority","next_due_at","id") WHERE status IN ('open', 'in_progress', 'waiting_member');--> statement-breakpoint
CREATE INDEX "support_tickets_status_idx" ON "support_tickets" USING btree ("status","created_at","id");--> statement-breakpoint
CREATE INDEX "support_tickets_created_idx" ON "support_tickets" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "training_registrations_session_idx" ON "training_registrations" USING btree ("session_id","status","created_at");--> statement-breakpoint
CREATE INDEX "training_registrations_member_idx" ON "training_registrations" USING btree ("member_id","session_id");--> statement-breakpoint
CREATE UNIQUE INDEX "training_registrations_person_unique" ON "training_registrations" USING btree ("session_id","email") WHERE status <> 'cancelled';--> statement-breakpoint
CREATE INDEX "training_sessions_starts_idx" ON "training_sessions" USING btree ("starts_at","id");