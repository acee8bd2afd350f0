package io.slurmgateway.slurm;

/** What became of an sbatch call. */
public sealed interface SubmitResult {

    /** Slurm accepted the job. */
    record Submitted(String jobId) implements SubmitResult {}

    /** Slurm refused the job for a reason that will not go away by trying again; the message is Slurm's own. */
    record Refused(String message) implements SubmitResult {}

    /**
     * The submission failed for a reason that may pass (controller unreachable, a timeout, a broken connection). The
     * job may nevertheless have been submitted, so it must be looked up by name before trying again.
     */
    record Uncertain(String message) implements SubmitResult {}
}
