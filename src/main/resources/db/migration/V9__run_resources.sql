-- What a run asked of the cluster, as JSON apart from the whole spec, so that a page of runs shows it without reading
-- every run's spec (payloads included). Runs from before have none here; their spec is read instead.
ALTER TABLE run ADD COLUMN resources TEXT;
