-- The status page's hosted services: two index probes per catalogue service (a few dozen) instead of
-- the DISTINCT of every instance and monitor (2,000 monitors, tens of thousands of instances), which
-- every uncached status answer paid.
CREATE OR REPLACE FUNCTION socle_hosted_services() RETURNS uuid[]
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT coalesce(array_agg(c.id), '{}'::uuid[]) FROM catalogue_services c
  WHERE EXISTS (SELECT 1 FROM hosting_instances i WHERE i.service_id = c.id)
     OR EXISTS (SELECT 1 FROM hosting_monitors m WHERE m.service_id = c.id)
$$;
