CREATE TABLE "catalogue_alone_prices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"service_id" uuid NOT NULL,
	"up_to_population" integer,
	"alone_cents" integer NOT NULL,
	CONSTRAINT "catalogue_alone_prices_cents_check" CHECK (alone_cents >= 0),
	CONSTRAINT "catalogue_alone_prices_population_check" CHECK (up_to_population IS NULL OR up_to_population > 0)
);
--> statement-breakpoint
CREATE TABLE "catalogue_service_history" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"service_id" uuid NOT NULL,
	"actor_user_id" uuid,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"changes" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "catalogue_service_prerequisites" (
	"service_id" uuid NOT NULL,
	"requires_service_id" uuid NOT NULL,
	CONSTRAINT "catalogue_service_prerequisites_service_id_requires_service_id_pk" PRIMARY KEY("service_id","requires_service_id"),
	CONSTRAINT "catalogue_service_prerequisites_not_self" CHECK (service_id <> requires_service_id)
);
--> statement-breakpoint
CREATE TABLE "catalogue_services" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"domain" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"included" text DEFAULT '' NOT NULL,
	"eligible_kinds" text[] DEFAULT '{}'::text[] NOT NULL,
	"status" text DEFAULT 'proposed' NOT NULL,
	"notice_months" integer DEFAULT 3 NOT NULL,
	"unit_label" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "catalogue_services_domain_check" CHECK (domain IN ('dematerialisation', 'logiciels_metiers', 'rgpd', 'cybersecurite', 'hebergement', 'accompagnement_formation')),
	CONSTRAINT "catalogue_services_status_check" CHECK (status IN ('proposed', 'open', 'closed', 'retired')),
	CONSTRAINT "catalogue_services_notice_check" CHECK (notice_months >= 0 AND notice_months <= 36)
);
--> statement-breakpoint
CREATE TABLE "subscription_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"member_id" uuid NOT NULL,
	"subscription_id" uuid NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"effective_on" date NOT NULL,
	"note" text,
	"actor_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "subscription_events_to_status_check" CHECK (to_status IN ('requested', 'active', 'refused', 'termination_requested', 'terminated'))
);
--> statement-breakpoint
CREATE TABLE "subscriptions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"member_id" uuid NOT NULL,
	"service_id" uuid NOT NULL,
	"status" text DEFAULT 'requested' NOT NULL,
	"requested_on" date NOT NULL,
	"start_date" date,
	"end_date" date,
	"units" integer,
	"refusal_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "subscriptions_status_check" CHECK (status IN ('requested', 'active', 'refused', 'termination_requested', 'terminated')),
	CONSTRAINT "subscriptions_units_check" CHECK (units IS NULL OR units >= 0),
	CONSTRAINT "subscriptions_dates_check" CHECK (end_date IS NULL OR start_date IS NULL OR end_date >= start_date)
);
--> statement-breakpoint
ALTER TABLE "catalogue_alone_prices" ADD CONSTRAINT "catalogue_alone_prices_service_id_catalogue_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."catalogue_services"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalogue_service_history" ADD CONSTRAINT "catalogue_service_history_service_id_catalogue_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."catalogue_services"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalogue_service_history" ADD CONSTRAINT "catalogue_service_history_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalogue_service_prerequisites" ADD CONSTRAINT "catalogue_service_prerequisites_service_id_catalogue_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."catalogue_services"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalogue_service_prerequisites" ADD CONSTRAINT "catalogue_service_prerequisites_requires_service_id_catalogue_services_id_fk" FOREIGN KEY ("requires_service_id") REFERENCES "public"."catalogue_services"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscription_events" ADD CONSTRAINT "subscription_events_member_id_organisations_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscription_events" ADD CONSTRAINT "subscription_events_subscription_id_subscriptions_id_fk" FOREIGN KEY ("subscription_id") REFERENCES "public"."subscriptions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscription_events" ADD CONSTRAINT "subscription_events_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_member_id_organisations_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_service_id_catalogue_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."catalogue_services"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "catalogue_alone_prices_stratum_key" ON "catalogue_alone_prices" USING btree ("service_id",coalesce(up_to_population, 2147483647));--> statement-breakpoint
CREATE INDEX "catalogue_service_history_service_idx" ON "catalogue_service_history" USING btree ("service_id","at");--> statement-breakpoint
CREATE INDEX "catalogue_service_prerequisites_requires_idx" ON "catalogue_service_prerequisites" USING btree ("requires_service_id");--> statement-breakpoint
CREATE UNIQUE INDEX "catalogue_services_code_key" ON "catalogue_services" USING btree ("code");--> statement-breakpoint
CREATE INDEX "catalogue_services_domain_idx" ON "catalogue_services" USING btree ("domain","name");--> statement-breakpoint
CREATE INDEX "subscription_events_subscription_idx" ON "subscription_events" USING btree ("subscription_id","created_at");--> statement-breakpoint
CREATE INDEX "subscription_events_member_idx" ON "subscription_events" USING btree ("member_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "subscriptions_live_key" ON "subscriptions" USING btree ("member_id","service_id") WHERE status IN ('requested', 'active', 'termination_requested');--> statement-breakpoint
CREATE INDEX "subscriptions_member_idx" ON "subscriptions" USING btree ("member_id","created_at");--> statement-breakpoint
CREATE INDEX "subscriptions_service_idx" ON "subscriptions" USING btree ("service_id","status");--> statement-breakpoint
CREATE INDEX "subscriptions_status_idx" ON "subscriptions" USING btree ("status","created_at","id");