package io.slurmgateway.slurm;

/**
 * A job as sacct records it: the job line's state and exit code, and its batch step's, which is where the workload's
 * own exit status is (the job line of a cancelled job says {@code 0:0}, its batch step {@code 0:15}); and what it used.
 */
public record AccountingRecord(
        String jobId,
        String state,
        SlurmExitCode exitCode,
        String reason,
        String batchState,
        SlurmExitCode batchExit,
        JobUsage usage) {

    /**
     * The workload's exit code: its batch step's, else the job line's; null for a job cancelled before its batch step
     * existed (cancelled while pending), whose job line's {@code 0:0} would wrongly read as success.
     */
    public SlurmExitCode workloadExit() {
        if (batchExit != null) {
            return batchExit;
        }
        return SlurmStates.baseState(state).equals("CANCELLED") ? null : exitCode;
    }

    AccountingRecord withBatch(String state, SlurmExitCode exit) {
        return new AccountingRecord(jobId, this.state, exitCode, reason, state, exit, usage);
    }

    /** With the peak memory of one more step: the job's is the largest of its steps'. */
    AccountingRecord withStepMaxRss(Long stepMaxRss) {
        if (stepMaxRss == null || (usage.maxRssBytes() != null && usage.maxRssBytes() >= stepMaxRss)) {
            return this;
        }
        return new AccountingRecord(
                jobId, state, exitCode, reason, batchState, batchExit, usage.withMaxRssBytes(stepMaxRss));
    }
}
