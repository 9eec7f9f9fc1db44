-- Issue #12 §8: a sitting's live state is pushed to the officials' open pages (server-sent events,
-- governance.live.ts) instead of polled. Each server process LISTENs to `socle_changes` already
-- (migration 0024, platform/changes.ts); a session whose revision moves (0040/0041: attendance,
-- items, ballots, seats, the session's own row) now notifies the topic `governance_session:<id>`, so
-- that the process computes the live state once and writes it to every stream open on that session.
-- PostgreSQL delivers at commit and folds identical notifications of one transaction into one (a
-- statement bumping a session several times, or a transaction of several statements, is one event).
CREATE FUNCTION public.socle_governance_session_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('socle_changes', 'governance_session:' || CASE TG_OP WHEN 'DELETE' THEN OLD.id ELSE NEW.id END);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER governance_sessions_live_update AFTER UPDATE ON governance_sessions
  FOR EACH ROW WHEN (OLD.revision IS DISTINCT FROM NEW.revision OR OLD.status IS DISTINCT FROM NEW.status)
  EXECUTE FUNCTION public.socle_governance_session_notify();
--> statement-breakpoint
CREATE TRIGGER governance_sessions_live_delete AFTER DELETE ON governance_sessions
  FOR EACH ROW EXECUTE FUNCTION public.socle_governance_session_notify();
