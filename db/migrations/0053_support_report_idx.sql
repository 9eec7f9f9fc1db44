-- The support desk's monthly and yearly SLA report (support.repository.ts yearReport) reads a month
-- of tickets by opening date, and a period of tickets member by member (per département and kind):
-- both from covering indexes, so the report is an index-only range scan per month or member, never a
-- read of the wide ticket rows (subject, description, pauses). member_id is covered too: the row
-- security policy of the restricted role reads it.
CREATE INDEX support_tickets_report_created_idx ON support_tickets (created_at)
  INCLUDE (service_id, member_id, first_responded_at, first_response_due_at, resolved_at, resolution_due_at, satisfaction);
--> statement-breakpoint
CREATE INDEX support_tickets_report_member_idx ON support_tickets (member_id, created_at)
  INCLUDE (first_responded_at, first_response_due_at, resolved_at, resolution_due_at, satisfaction);
