CREATE TABLE "rgpd_service_processors" (
	"service_id" uuid NOT NULL,
	"processor_id" uuid NOT NULL,
	CONSTRAINT "rgpd_service_processors_service_id_processor_id_pk" PRIMARY KEY("service_id","processor_id")
);
--> statement-breakpoint
CREATE TABLE "rgpd_service_templates" (
	"service_id" uuid NOT NULL,
	"template_id" uuid NOT NULL,
	CONSTRAINT "rgpd_service_templates_service_id_template_id_pk" PRIMARY KEY("service_id","template_id")
);
--> statement-breakpoint
ALTER TABLE "rgpd_service_processors" ADD CONSTRAINT "rgpd_service_processors_service_id_catalogue_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."catalogue_services"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rgpd_service_processors" ADD CONSTRAINT "rgpd_service_processors_processor_id_rgpd_processors_id_fk" FOREIGN KEY ("processor_id") REFERENCES "public"."rgpd_processors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rgpd_service_templates" ADD CONSTRAINT "rgpd_service_templates_service_id_catalogue_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."catalogue_services"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rgpd_service_templates" ADD CONSTRAINT "rgpd_service_templates_template_id_rgpd_templates_id_fk" FOREIGN KEY ("template_id") REFERENCES "public"."rgpd_templates"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "rgpd_service_processors_processor_idx" ON "rgpd_service_processors" USING btree ("processor_id");--> statement-breakpoint
CREATE INDEX "rgpd_service_templates_template_idx" ON "rgpd_service_templates" USING btree ("template_id");