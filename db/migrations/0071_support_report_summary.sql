CREATE TABLE "support_report_dirty" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "support_report_dirty_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"month" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "support_report_figures" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "support_report_figures_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"month" text NOT NULL,
	"part" text NOT NULL,
	"service_id" uuid,
	"departement_code" text,
	"member_kind" text,
	"opened" integer NOT NULL,
	"responded" integer NOT NULL,
	"responded_in_time" integer NOT NULL,
	"resolved" integer NOT NULL,
	"resolved_in_time" integer NOT NULL,
	"response_median" double precision,
	"response_p90" double precision,
	"resolution_median" double precision,
	"resolution_p90" double precision,
	"satisfaction_average" double precision,
	"satisfaction_sum" integer NOT NULL,
	"satisfaction_answers" integer NOT NULL,
	"response_histogram" jsonb,
	"resolution_histogram" jsonb,
	CONSTRAINT "support_report_figures_part_check" CHECK ("support_report_figures"."part" IN ('service', 'equity'))
);
--> statement-breakpoint
CREATE TABLE "support_report_months" (
	"month" text PRIMARY KEY NOT NULL,
	"refreshed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "support_report_dirty_month_idx" ON "support_report_dirty" USING btree ("month");--> statement-breakpoint
CREATE INDEX "support_report_figures_month_idx" ON "support_report_figures" USING btree ("month","part");