CREATE TABLE "governance_assemblies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"member_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "governance_assemblies_kind_check" CHECK (kind IN ('comite_syndical', 'bureau', 'conseil_municipal', 'conseil_communautaire', 'conseil_administration'))
);
--> statement-breakpoint
CREATE TABLE "governance_attendance" (
	"member_id" uuid NOT NULL,
	"session_id" uuid NOT NULL,
	"seat_id" uuid NOT NULL,
	"status" text NOT NULL,
	"proxy_seat_id" uuid,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "governance_attendance_session_id_seat_id_pk" PRIMARY KEY("session_id","seat_id"),
	CONSTRAINT "governance_attendance_status_check" CHECK (status IN ('present', 'absent', 'excused', 'represented')),
	CONSTRAINT "governance_attendance_proxy" CHECK ((status = 'represented') = (proxy_seat_id IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "governance_ballots" (
	"member_id" uuid NOT NULL,
	"item_id" uuid NOT NULL,
	"seat_id" uuid NOT NULL,
	"choice" text NOT NULL,
	CONSTRAINT "governance_ballots_item_id_seat_id_pk" PRIMARY KEY("item_id","seat_id"),
	CONSTRAINT "governance_ballots_choice_check" CHECK (choice IN ('for', 'against', 'abstention', 'not_voting'))
);
--> statement-breakpoint
CREATE TABLE "governance_colleges" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"member_id" uuid NOT NULL,
	"assembly_id" uuid NOT NULL,
	"name" text NOT NULL,
	"seats" integer NOT NULL,
	"vote_weight" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "governance_colleges_numbers" CHECK (seats > 0 AND vote_weight > 0)
);
--> statement-breakpoint
CREATE TABLE "governance_convocations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"member_id" uuid NOT NULL,
	"session_id" uuid NOT NULL,
	"seat_id" uuid NOT NULL,
	"email" text,
	"paper" boolean DEFAULT false NOT NULL,
	"token_hash" text NOT NULL,
	"outbox_mail_id" uuid,
	"queued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	"received_at" timestamp with time zone,
	"opened_at" timestamp with time zone,
	"unavailable_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "governance_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"member_id" uuid NOT NULL,
	"session_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"title" text NOT NULL,
	"explanatory_note" text DEFAULT '' NOT NULL,
	"classification" text DEFAULT '5.2' NOT NULL,
	"secret_ballot" boolean DEFAULT false NOT NULL,
	"named_vote" boolean DEFAULT false NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"decision_kind" text,
	"decision_member_id" uuid,
	"decision_year" integer,
	"decision_executed_at" timestamp with time zone,
	"votes_members" integer,
	"votes_present" integer,
	"votes_for" integer,
	"votes_against" integer,
	"votes_abstention" integer,
	"votes_not_voting" integer,
	"chair_prevailed" boolean DEFAULT false NOT NULL,
	"weighted" boolean DEFAULT false NOT NULL,
	"voted_at" timestamp with time zone,
	"act_id" uuid,
	CONSTRAINT "governance_items_status_check" CHECK (status IN ('pending', 'adopted', 'rejected')),
	CONSTRAINT "governance_items_decision_check" CHECK (decision_kind IS NULL OR decision_kind IN ('accept_membership', 'adopt_pricing', 'member_withdrawal')),
	CONSTRAINT "governance_items_executed" CHECK (decision_executed_at IS NULL OR status = 'adopted'),
	CONSTRAINT "governance_items_voted" CHECK (status = 'pending' OR voted_at IS NOT NULL)
);
--> statement-breakpoint
CREATE TABLE "governance_seats" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"member_id" uuid NOT NULL,
	"assembly_id" uuid NOT NULL,
	"college_id" uuid,
	"kind" text NOT NULL,
	"full_name" text NOT NULL,
	"email" text,
	"user_id" uuid,
	"designated_by" uuid,
	"substitute_for" uuid,
	"is_chair" boolean DEFAULT false NOT NULL,
	"paper_convocation" boolean DEFAULT false NOT NULL,
	"term_start" date NOT NULL,
	"term_end" date,
	"designation_document_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "governance_seats_kind_check" CHECK (kind IN ('titular', 'substitute')),
	CONSTRAINT "governance_seats_term" CHECK (term_end IS NULL OR term_end >= term_start),
	CONSTRAINT "governance_seats_substitute" CHECK (substitute_for IS NULL OR kind = 'substitute')
);
--> statement-breakpoint
CREATE TABLE "governance_sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"member_id" uuid NOT NULL,
	"assembly_id" uuid NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"place" text NOT NULL,
	"remote" boolean DEFAULT false NOT NULL,
	"urgent" boolean DEFAULT false NOT NULL,
	"urgency_reason" text,
	"second_convocation_of" uuid,
	"status" text DEFAULT 'planned' NOT NULL,
	"convocation_days" integer NOT NULL,
	"convocation_due_by" date NOT NULL,
	"convocations_sent_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "governance_sessions_status_check" CHECK (status IN ('planned', 'convened', 'held', 'closed')),
	CONSTRAINT "governance_sessions_urgency" CHECK (NOT urgent OR char_length(coalesce(urgency_reason, '')) > 0)
);
--> statement-breakpoint
CREATE TABLE "pricing_adoptions" (
	"year" integer PRIMARY KEY NOT NULL,
	"adopted_on" date NOT NULL,
	"act_id" uuid,
	"deliberation_number" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "pricing_adoptions_year" CHECK ("pricing_adoptions"."year" BETWEEN 2000 AND 2200)
);
--> statement-breakpoint
ALTER TABLE "organisation_users" DROP CONSTRAINT "organisation_users_role_check";--> statement-breakpoint
ALTER TABLE "invitations" DROP CONSTRAINT "invitations_role_check";--> statement-breakpoint
ALTER TABLE "governance_assemblies" ADD CONSTRAINT "governance_assemblies_member_id_organisations_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "governance_attendance" ADD CONSTRAINT "governance_attendance_member_id_organisations_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "governance_attendance" ADD CONSTRAINT "governance_attendance_session_id_governance_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."governance_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "governance_attendance" ADD CONSTRAINT "governance_attendance_seat_id_governance_seats_id_fk" FOREIGN KEY ("seat_id") REFERENCES "public"."governance_seats"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "governance_attendance" ADD CONSTRAINT "governance_attendance_proxy_seat_id_governance_seats_id_fk" FOREIGN KEY ("proxy_seat_id") REFERENCES "public"."governance_seats"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "governance_ballots" ADD CONSTRAINT "governance_ballots_member_id_organisations_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "governance_ballots" ADD CONSTRAINT "governance_ballots_item_id_governance_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."governance_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "governance_ballots" ADD CONSTRAINT "governance_ballots_seat_id_governance_seats_id_fk" FOREIGN KEY ("seat_id") REFERENCES "public"."governance_seats"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "governance_colleges" ADD CONSTRAINT "governance_colleges_member_id_organisations_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "governance_colleges" ADD CONSTRAINT "governance_colleges_assembly_id_governance_assemblies_id_fk" FOREIGN KEY ("assembly_id") REFERENCES "public"."governance_assemblies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "governance_convocations" ADD CONSTRAINT "governance_convocations_member_id_organisations_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "governance_convocations" ADD CONSTRAINT "governance_convocations_session_id_governance_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."governance_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "governance_convocations" ADD CONSTRAINT "governance_convocations_seat_id_governance_seats_id_fk" FOREIGN KEY ("seat_id") REFERENCES "public"."governance_seats"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "governance_items" ADD CONSTRAINT "governance_items_member_id_organisations_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "governance_items" ADD CONSTRAINT "governance_items_session_id_governance_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."governance_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "governance_items" ADD CONSTRAINT "governance_items_decision_member_id_organisations_id_fk" FOREIGN KEY ("decision_member_id") REFERENCES "public"."organisations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "governance_items" ADD CONSTRAINT "governance_items_act_id_acts_id_fk" FOREIGN KEY ("act_id") REFERENCES "public"."acts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "governance_seats" ADD CONSTRAINT "governance_seats_member_id_organisations_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "governance_seats" ADD CONSTRAINT "governance_seats_assembly_id_governance_assemblies_id_fk" FOREIGN KEY ("assembly_id") REFERENCES "public"."governance_assemblies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "governance_seats" ADD CONSTRAINT "governance_seats_college_id_governance_colleges_id_fk" FOREIGN KEY ("college_id") REFERENCES "public"."governance_colleges"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "governance_seats" ADD CONSTRAINT "governance_seats_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "governance_seats" ADD CONSTRAINT "governance_seats_designated_by_organisations_id_fk" FOREIGN KEY ("designated_by") REFERENCES "public"."organisations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "governance_seats" ADD CONSTRAINT "governance_seats_substitute_for_governance_seats_id_fk" FOREIGN KEY ("substitute_for") REFERENCES "public"."governance_seats"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "governance_seats" ADD CONSTRAINT "governance_seats_designation_document_id_member_documents_id_fk" FOREIGN KEY ("designation_document_id") REFERENCES "public"."member_documents"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "governance_sessions" ADD CONSTRAINT "governance_sessions_member_id_organisations_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "governance_sessions" ADD CONSTRAINT "governance_sessions_assembly_id_governance_assemblies_id_fk" FOREIGN KEY ("assembly_id") REFERENCES "public"."governance_assemblies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "governance_sessions" ADD CONSTRAINT "governance_sessions_second_convocation_of_governance_sessions_id_fk" FOREIGN KEY ("second_convocation_of") REFERENCES "public"."governance_sessions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "governance_sessions" ADD CONSTRAINT "governance_sessions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "governance_assemblies_member_name_key" ON "governance_assemblies" USING btree ("member_id","name");--> statement-breakpoint
CREATE INDEX "governance_attendance_member_idx" ON "governance_attendance" USING btree ("member_id","session_id");--> statement-breakpoint
CREATE UNIQUE INDEX "governance_colleges_assembly_name_key" ON "governance_colleges" USING btree ("member_id","assembly_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "governance_convocations_recipient_key" ON "governance_convocations" USING btree ("member_id","session_id","seat_id");--> statement-breakpoint
CREATE UNIQUE INDEX "governance_convocations_token_key" ON "governance_convocations" USING btree ("token_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "governance_items_session_position_key" ON "governance_items" USING btree ("member_id","session_id","position");--> statement-breakpoint
CREATE INDEX "governance_items_decision_idx" ON "governance_items" USING btree ("decision_member_id") WHERE decision_member_id IS NOT NULL;--> statement-breakpoint
CREATE INDEX "governance_seats_assembly_idx" ON "governance_seats" USING btree ("member_id","assembly_id","kind");--> statement-breakpoint
CREATE INDEX "governance_seats_user_idx" ON "governance_seats" USING btree ("user_id") WHERE user_id IS NOT NULL;--> statement-breakpoint
CREATE INDEX "governance_seats_designated_idx" ON "governance_seats" USING btree ("designated_by") WHERE designated_by IS NOT NULL;--> statement-breakpoint
CREATE INDEX "governance_sessions_assembly_idx" ON "governance_sessions" USING btree ("member_id","assembly_id","starts_at");--> statement-breakpoint
ALTER TABLE "organisation_users" ADD CONSTRAINT "organisation_users_role_check" CHECK (role IN ('admin', 'agent', 'reader', 'actes', 'assemblees'));--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_role_check" CHECK (role IN ('admin', 'agent', 'reader', 'actes', 'assemblees'));