CREATE TABLE "territory_counters" (
	"name" text PRIMARY KEY NOT NULL,
	"value" integer NOT NULL
);
