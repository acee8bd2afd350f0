-- What Slurm last said about a run's job: its raw state (e.g. OUT_OF_MEMORY, PENDING) and reason (e.g. Resources).
ALTER TABLE run ADD COLUMN slurm_state VARCHAR(32);
ALTER TABLE run ADD COLUMN slurm_reason VARCHAR(255);
