package io.slurmgateway.slurm;

/**
 * A job as sacct records it: the job line's state and exit code, and its batch step's, which is where the workload's
 * own exit status is (the job line of a cancelled job says {@code 0:0}, its batch step {@code 0:15}).
 */
public record AccountingRecord(
        String jobId, String state, SlurmExitCode exitCode, String reason, String batchState, SlurmExitCode batchExit) {

    /**
     * The workload's exit code, which is its batch step's; null when the job has no batch step (it never started, e.g.
     * cancelled while pending, where the job line's {@code 0:0} would wrongly read as success).
     */
    public SlurmExitCode workloadExit() {
        return batchExit;
    }

    AccountingRecord withBatch(String state, SlurmExitCode exit) {
        return new AccountingRecord(jobId, this.state, exitCode, reason, state, exit);
    }
}
