-- Who created each run: the authenticated principal's name. Runs from before authentication existed, and runs of an
-- unauthenticated gateway, belong to "anonymous".
ALTER TABLE run ADD COLUMN created_by VARCHAR(255);
UPDATE run SET created_by = 'anonymous' WHERE created_by IS NULL;
ALTER TABLE run ALTER COLUMN created_by SET NOT NULL;

-- An Idempotency-Key is scoped to its principal: two principals may use the same key without seeing each other's run.
ALTER TABLE run DROP CONSTRAINT run_idempotency_key_unique;
ALTER TABLE run ADD CONSTRAINT run_idempotency_key_unique UNIQUE (created_by, idempotency_key);

-- A principal's own runs, newest first (lists of a submitter), and its active runs (the cap on them).
CREATE INDEX run_created_by_state_idx ON run (created_by, state);
CREATE INDEX run_created_by_created_idx ON run (created_by, created_at);
