-- The cluster account (identity) a Slurm run executes under, chosen from its creator when it is accepted. Runs from
-- before identities existed ran under the cluster's one account, which is the identity "default".
ALTER TABLE run ADD COLUMN cluster_identity VARCHAR(64);
UPDATE run SET cluster_identity = 'default' WHERE mode = 'slurm';

-- Each account's worker claims the oldest accepted runs of its own identity.
CREATE INDEX run_state_cluster_identity_idx ON run (state, cluster, cluster_identity, created_at);
