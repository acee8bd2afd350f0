-- What a running Slurm job uses now, from sstat, sampled when the cluster's live-usage-interval is set. Written only by
-- the sampler's own UPDATE, never with the rest of the row, so a sample never bumps the run's version.
ALTER TABLE run ADD COLUMN live_sampled_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE run ADD COLUMN live_rss_bytes BIGINT;
ALTER TABLE run ADD COLUMN live_max_rss_bytes BIGINT;
ALTER TABLE run ADD COLUMN live_cpu_seconds DOUBLE PRECISION;
