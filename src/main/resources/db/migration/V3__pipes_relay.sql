-- The Dagster Pipes relay. pipes_offset is how many bytes of the run's messages file are relayed as events (null: the
-- run carries no Pipes context); it is written in the transaction that stores those events, so a message is relayed
-- exactly once across restarts. pipes_session is what the payload's messages said of its session: OPENED, CLOSED.
ALTER TABLE run ADD COLUMN pipes_offset BIGINT;
ALTER TABLE run ADD COLUMN pipes_session VARCHAR(16);
ALTER TABLE run ADD COLUMN pipes_exception TEXT;

-- The protocol method of a PIPES event, when it is a known one: results are read without parsing every message.
ALTER TABLE run_event ADD COLUMN pipes_method VARCHAR(64);
CREATE INDEX run_event_pipes_method_idx ON run_event (run_id, pipes_method, seq);
