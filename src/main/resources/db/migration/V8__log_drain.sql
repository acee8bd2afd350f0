-- A run that has ended while its output was still being copied off the cluster: its outcome is recorded at once, and
-- its stdout and stderr are complete only when its row here is gone. Only such runs have a row.
CREATE TABLE run_log_drain (
    run_id UUID                     NOT NULL PRIMARY KEY,
    since  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT run_log_drain_run_fk FOREIGN KEY (run_id) REFERENCES run (id) ON DELETE CASCADE
);
