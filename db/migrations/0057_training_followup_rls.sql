-- Satisfaction surveys after a training session. The operator's people pass (the policy narrows to the
-- support team); a member's people do not read their attendees' answers (personal opinions, given to
-- the training team); the holder of a survey link
-- (app.training_survey_token = the link's SHA-256) reads and answers that one survey, and reads the
-- registration it belongs to (the attendee's name, for the certificate).
GRANT SELECT, INSERT, UPDATE, DELETE ON training_surveys TO socle_app;
--> statement-breakpoint
ALTER TABLE training_surveys ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY training_surveys_operator ON training_surveys FOR ALL TO socle_app
  USING ((SELECT socle_is_operator())) WITH CHECK ((SELECT socle_is_operator()));
--> statement-breakpoint
CREATE POLICY training_surveys_link_read ON training_surveys FOR SELECT TO socle_app
  USING (token_hash = NULLIF(current_setting('app.training_survey_token', true), ''));
--> statement-breakpoint
CREATE POLICY training_surveys_link_answer ON training_surveys FOR UPDATE TO socle_app
  USING (token_hash = NULLIF(current_setting('app.training_survey_token', true), ''))
  WITH CHECK (token_hash = NULLIF(current_setting('app.training_survey_token', true), ''));
--> statement-breakpoint
-- The registration a survey link opens (SECURITY DEFINER: the link holder has no member to read it by).
CREATE OR REPLACE FUNCTION socle_survey_registration() RETURNS uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT registration_id FROM training_surveys
  WHERE token_hash = NULLIF(current_setting('app.training_survey_token', true), '')
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION socle_survey_registration() FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION socle_survey_registration() TO socle_app;
--> statement-breakpoint
CREATE POLICY training_registrations_survey_link ON training_registrations FOR SELECT TO socle_app
  USING (id = (SELECT socle_survey_registration()));
