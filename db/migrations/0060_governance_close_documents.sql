CREATE TABLE "governance_item_documents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"member_id" uuid NOT NULL,
	"session_id" uuid NOT NULL,
	"item_id" uuid NOT NULL,
	"file_name" text NOT NULL,
	"media_type" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"sha256" text NOT NULL,
	"storage_key" text NOT NULL,
	"uploaded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "governance_item_documents_size" CHECK (size_bytes > 0)
);
--> statement-breakpoint
ALTER TABLE "governance_sessions" ADD COLUMN "closed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "governance_sessions" ADD COLUMN "deliberations_published_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "governance_sessions" ADD COLUMN "deliberations_reminded_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "governance_item_documents" ADD CONSTRAINT "governance_item_documents_member_id_organisations_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "governance_item_documents" ADD CONSTRAINT "governance_item_documents_session_id_governance_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."governance_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "governance_item_documents" ADD CONSTRAINT "governance_item_documents_item_id_governance_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."governance_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "governance_item_documents" ADD CONSTRAINT "governance_item_documents_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "governance_item_documents_item_idx" ON "governance_item_documents" USING btree ("member_id","item_id");--> statement-breakpoint
CREATE INDEX "governance_item_documents_session_idx" ON "governance_item_documents" USING btree ("member_id","session_id");--> statement-breakpoint
CREATE UNIQUE INDEX "governance_item_documents_storage_key" ON "governance_item_documents" USING btree ("storage_key");