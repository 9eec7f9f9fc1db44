CREATE TABLE "governance_minutes" (
	"session_id" uuid PRIMARY KEY NOT NULL,
	"member_id" uuid NOT NULL,
	"assembly_id" uuid NOT NULL,
	"adopted_at" timestamp with time zone NOT NULL,
	"adopted_by_session_id" uuid NOT NULL,
	"adopted_by_item_id" uuid NOT NULL,
	"deliberation_number" text,
	"storage_key" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"sha256" text NOT NULL,
	"published_at" timestamp with time zone,
	"published_by" uuid,
	CONSTRAINT "governance_minutes_size" CHECK (size_bytes > 0),
	CONSTRAINT "governance_minutes_not_itself" CHECK (adopted_by_session_id <> session_id)
);
--> statement-breakpoint
ALTER TABLE "governance_items" DROP CONSTRAINT "governance_items_decision_check";--> statement-breakpoint
ALTER TABLE "governance_items" ADD COLUMN "decision_session_id" uuid;--> statement-breakpoint
ALTER TABLE "governance_minutes" ADD CONSTRAINT "governance_minutes_session_id_governance_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."governance_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "governance_minutes" ADD CONSTRAINT "governance_minutes_member_id_organisations_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "governance_minutes" ADD CONSTRAINT "governance_minutes_assembly_id_governance_assemblies_id_fk" FOREIGN KEY ("assembly_id") REFERENCES "public"."governance_assemblies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "governance_minutes" ADD CONSTRAINT "governance_minutes_adopted_by_session_id_governance_sessions_id_fk" FOREIGN KEY ("adopted_by_session_id") REFERENCES "public"."governance_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "governance_minutes" ADD CONSTRAINT "governance_minutes_adopted_by_item_id_governance_items_id_fk" FOREIGN KEY ("adopted_by_item_id") REFERENCES "public"."governance_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "governance_minutes" ADD CONSTRAINT "governance_minutes_published_by_users_id_fk" FOREIGN KEY ("published_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "governance_minutes_item_key" ON "governance_minutes" USING btree ("adopted_by_item_id");--> statement-breakpoint
CREATE UNIQUE INDEX "governance_minutes_storage_key" ON "governance_minutes" USING btree ("storage_key");--> statement-breakpoint
CREATE INDEX "governance_minutes_member_idx" ON "governance_minutes" USING btree ("member_id","assembly_id");--> statement-breakpoint
ALTER TABLE "governance_items" ADD CONSTRAINT "governance_items_decision_session_id_governance_sessions_id_fk" FOREIGN KEY ("decision_session_id") REFERENCES "public"."governance_sessions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "governance_items" ADD CONSTRAINT "governance_items_decision_check" CHECK (decision_kind IS NULL OR decision_kind IN ('accept_membership', 'adopt_pricing', 'member_withdrawal', 'adopt_minutes'));