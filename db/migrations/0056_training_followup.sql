CREATE TABLE "training_surveys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"member_id" uuid NOT NULL,
	"session_id" uuid NOT NULL,
	"registration_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"overall" integer,
	"usefulness" text,
	"comment" text,
	"answered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "training_surveys_overall_check" CHECK ("training_surveys"."overall" BETWEEN 1 AND 5),
	CONSTRAINT "training_surveys_usefulness_check" CHECK (usefulness IN ('very', 'rather', 'little', 'not')),
	CONSTRAINT "training_surveys_answer_check" CHECK (("training_surveys"."answered_at" IS NULL) = ("training_surveys"."overall" IS NULL) AND ("training_surveys"."overall" IS NULL) = ("training_surveys"."usefulness" IS NULL))
);
--> statement-breakpoint
ALTER TABLE "training_sessions" ADD COLUMN "attendance_recorded_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "training_surveys" ADD CONSTRAINT "training_surveys_member_id_organisations_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_surveys" ADD CONSTRAINT "training_surveys_session_id_training_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."training_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_surveys" ADD CONSTRAINT "training_surveys_registration_id_training_registrations_id_fk" FOREIGN KEY ("registration_id") REFERENCES "public"."training_registrations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "training_surveys_registration_unique" ON "training_surveys" USING btree ("member_id","registration_id");--> statement-breakpoint
CREATE UNIQUE INDEX "training_surveys_token_unique" ON "training_surveys" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "training_surveys_session_idx" ON "training_surveys" USING btree ("session_id");