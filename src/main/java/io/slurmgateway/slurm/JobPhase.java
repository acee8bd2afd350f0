package io.slurmgateway.slurm;

/** Where a Slurm job is in its life, in the few words the gateway acts on; {@link SlurmStates} maps Slurm's states. */
public enum JobPhase {
    /** Waiting for resources, or requeued. */
    QUEUED,
    /** Holding an allocation: running, completing, suspended. */
    RUNNING,
    /** Ended, and its workload exited 0. */
    COMPLETED,
    /** Ended with a non-zero exit, on a node failure, out of memory, preempted. */
    FAILED,
    /** Ended at its time limit or deadline. */
    TIMED_OUT,
    /** Cancelled. */
    CANCELLED;

    /** Whether the job has ended for good. */
    public boolean isFinal() {
        return this != QUEUED && this != RUNNING;
    }
}
