CREATE TABLE "hosting_status_answer" (
	"id" boolean PRIMARY KEY DEFAULT true NOT NULL,
	"body" text NOT NULL,
	"etag" text NOT NULL,
	"built_at" timestamp with time zone NOT NULL,
	"valid_until" timestamp with time zone NOT NULL,
	CONSTRAINT "hosting_status_answer_one_row" CHECK (id)
);
