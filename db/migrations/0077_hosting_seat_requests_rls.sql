-- Requests for more seats belong to a member: its people read them and its admins ask (a pending
-- request without decision, the application checks the role); only the operator (its hosting team)
-- decides, so only the operator updates or deletes.
GRANT SELECT, INSERT, UPDATE, DELETE ON hosting_seat_requests TO socle_app;
--> statement-breakpoint
ALTER TABLE hosting_seat_requests ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY hosting_seat_requests_read ON hosting_seat_requests FOR SELECT TO socle_app
  USING ((SELECT socle_is_operator()) OR member_id = (SELECT socle_current_member()));
--> statement-breakpoint
CREATE POLICY hosting_seat_requests_ask ON hosting_seat_requests FOR INSERT TO socle_app
  WITH CHECK ((SELECT socle_is_operator()) OR (member_id = (SELECT socle_current_member())
    AND status = 'pending' AND decided_at IS NULL AND decided_by IS NULL AND decision_note IS NULL));
--> statement-breakpoint
CREATE POLICY hosting_seat_requests_decide ON hosting_seat_requests FOR UPDATE TO socle_app
  USING ((SELECT socle_is_operator())) WITH CHECK ((SELECT socle_is_operator()));
--> statement-breakpoint
CREATE POLICY hosting_seat_requests_remove ON hosting_seat_requests FOR DELETE TO socle_app
  USING ((SELECT socle_is_operator()));
