-- A session's revision (0040) moves with everything its page shows, so that the page's ETag changes
-- exactly when its answer does: officials polling a sitting then get 304 for one indexed read.
-- Statement-level triggers with transition tables bump each session once per statement (a
-- convocation run of 1,000 rows is one bump). SECURITY DEFINER: the person changing a row may not
-- write the session (an official acknowledging a convocation through the link's token); the
-- functions change nothing but the counter. Qualified names, no SET search_path (see 0031).
CREATE FUNCTION public.socle_governance_bump_by_session() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER AS $$
BEGIN
  UPDATE public.governance_sessions s SET revision = s.revision + 1
  WHERE s.id IN (SELECT DISTINCT c.session_id FROM changed c);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION public.socle_governance_bump_by_item() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER AS $$
BEGIN
  UPDATE public.governance_sessions s SET revision = s.revision + 1
  WHERE s.id IN (SELECT i.session_id FROM public.governance_items i
                 WHERE i.id IN (SELECT DISTINCT c.item_id FROM changed c));
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION public.socle_governance_bump_by_assembly() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER AS $$
BEGIN
  UPDATE public.governance_sessions s SET revision = s.revision + 1
  WHERE s.assembly_id IN (SELECT DISTINCT c.assembly_id FROM changed c);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION public.socle_governance_bump_assembly_sessions() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER AS $$
BEGIN
  UPDATE public.governance_sessions s SET revision = s.revision + 1
  WHERE s.assembly_id IN (SELECT DISTINCT c.id FROM changed c);
  RETURN NULL;
END $$;
--> statement-breakpoint
-- The session's own row: any change that does not already move the counter moves it.
CREATE FUNCTION public.socle_governance_session_revision() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.revision = OLD.revision THEN
    NEW.revision := OLD.revision + 1;
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER governance_sessions_revision BEFORE UPDATE ON governance_sessions
  FOR EACH ROW EXECUTE FUNCTION public.socle_governance_session_revision();
--> statement-breakpoint
DO $$
DECLARE
  target record;
  event text;
BEGIN
  FOR target IN SELECT * FROM (VALUES
    ('governance_attendance', 'socle_governance_bump_by_session'),
    ('governance_convocations', 'socle_governance_bump_by_session'),
    ('governance_items', 'socle_governance_bump_by_session'),
    ('governance_ballots', 'socle_governance_bump_by_item'),
    ('governance_seats', 'socle_governance_bump_by_assembly')
  ) AS t(tbl, fn) LOOP
    FOREACH event IN ARRAY ARRAY['INSERT', 'UPDATE', 'DELETE'] LOOP
      EXECUTE format(
        'CREATE TRIGGER %I AFTER %s ON %I REFERENCING %s TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION public.%I()',
        target.tbl || '_revision_' || lower(event), event, target.tbl,
        CASE event WHEN 'DELETE' THEN 'OLD' ELSE 'NEW' END, target.fn);
    END LOOP;
  END LOOP;
END $$;
--> statement-breakpoint
CREATE TRIGGER governance_assemblies_revision_update AFTER UPDATE ON governance_assemblies
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
  EXECUTE FUNCTION public.socle_governance_bump_assembly_sessions();
