CREATE TABLE "hosting_service_days" (
	"service_id" uuid NOT NULL,
	"day" date NOT NULL,
	"rank" smallint NOT NULL,
	CONSTRAINT "hosting_service_days_service_id_day_pk" PRIMARY KEY("service_id","day")
);
--> statement-breakpoint
ALTER TABLE "hosting_service_days" ADD CONSTRAINT "hosting_service_days_service_id_catalogue_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."catalogue_services"("id") ON DELETE cascade ON UPDATE no action;