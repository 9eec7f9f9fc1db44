-- The job queue under the restricted role. Jobs are enqueued inside the transaction of whoever asks
-- for the work (a visitor asking for a password reset, a member admin inviting a colleague): anyone
-- may append a job. Only operator admins read jobs and schedules (the operator page) and move a dead
-- job back to pending. Runners claim and finish jobs on the owner connection, outside RLS.
GRANT SELECT, INSERT, UPDATE ON jobs TO socle_app;
--> statement-breakpoint
GRANT SELECT ON job_schedules TO socle_app;
--> statement-breakpoint
ALTER TABLE jobs ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY jobs_append ON jobs FOR INSERT TO socle_app WITH CHECK (true);
--> statement-breakpoint
CREATE POLICY jobs_operator_admin_read ON jobs FOR SELECT TO socle_app
  USING ((SELECT socle_operator_role()) = 'admin');
--> statement-breakpoint
CREATE POLICY jobs_operator_admin_update ON jobs FOR UPDATE TO socle_app
  USING ((SELECT socle_operator_role()) = 'admin')
  WITH CHECK ((SELECT socle_operator_role()) = 'admin');
--> statement-breakpoint
ALTER TABLE job_schedules ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY job_schedules_operator_admin_read ON job_schedules FOR SELECT TO socle_app
  USING ((SELECT socle_operator_role()) = 'admin');
--> statement-breakpoint
-- Mails are sent by the `mail.send` job, which acts as the system operator and marks the outbox row
-- sent (or records the last delivery error).
GRANT UPDATE (sent_at, error) ON outbox_mails TO socle_app;
--> statement-breakpoint
CREATE POLICY outbox_mails_operator_admin_update ON outbox_mails FOR UPDATE TO socle_app
  USING ((SELECT socle_operator_role()) = 'admin')
  WITH CHECK ((SELECT socle_operator_role()) = 'admin');
