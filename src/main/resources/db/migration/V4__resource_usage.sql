-- What a finished Slurm job used, from sacct: wall and CPU time, peak memory, allocation. Null when not reported.
ALTER TABLE run ADD COLUMN usage_elapsed_seconds BIGINT;
ALTER TABLE run ADD COLUMN usage_cpu_seconds DOUBLE PRECISION;
ALTER TABLE run ADD COLUMN usage_max_rss_bytes BIGINT;
ALTER TABLE run ADD COLUMN usage_alloc_cpus INTEGER;
ALTER TABLE run ADD COLUMN usage_alloc_nodes INTEGER;
ALTER TABLE run ADD COLUMN usage_requested_memory VARCHAR(32);
ALTER TABLE run ADD COLUMN usage_gpus INTEGER;
