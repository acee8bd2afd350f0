-- Addresses a run's launcher published while it ran (a Spark UI, a Dask or Ray dashboard): one "name url" line each,
-- and the ENDPOINT event that records each of them as it appears.
ALTER TABLE run ADD COLUMN endpoints TEXT;
ALTER TABLE run_event DROP CONSTRAINT run_event_type_known;
ALTER TABLE run_event ADD CONSTRAINT run_event_type_known CHECK (event_type IN ('STATE', 'PIPES', 'LOG', 'ENDPOINT'));
