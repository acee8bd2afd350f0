package io.slurmgateway.runs;

/**
 * The life of a run. This enum alone decides which moves are legal: a new state does not compile until someone decides
 * its edges in {@link #canMoveTo}.
 */
public enum RunState {
    ACCEPTED,
    STAGING,
    QUEUED,
    RUNNING,
    COMPLETED,
    FAILED,
    TIMED_OUT,
    CANCELLED,
    SUBMIT_FAILED;

    /** The states of a run that has not ended. */
    public static final java.util.Set<RunState> ACTIVE =
            java.util.Collections.unmodifiableSet(java.util.EnumSet.of(ACCEPTED, STAGING, QUEUED, RUNNING));

    public boolean isTerminal() {
        return switch (this) {
            case ACCEPTED, STAGING, QUEUED, RUNNING -> false;
            case COMPLETED, FAILED, TIMED_OUT, CANCELLED, SUBMIT_FAILED -> true;
        };
    }

    public boolean canMoveTo(RunState next) {
        return switch (this) {
            case ACCEPTED -> next == STAGING || next == CANCELLED;
            case STAGING -> next == QUEUED || next == SUBMIT_FAILED || next == CANCELLED;
            // a queued job can end without ever running (cancelled, NODE_FAIL, DEADLINE while pending)
            case QUEUED -> next == RUNNING || endsAnExecution(next);
            // RUNNING -> QUEUED is a Slurm requeue
            case RUNNING -> next == QUEUED || endsAnExecution(next);
            case COMPLETED, FAILED, TIMED_OUT, CANCELLED, SUBMIT_FAILED -> false;
        };
    }

    private static boolean endsAnExecution(RunState next) {
        return next.isTerminal() && next != SUBMIT_FAILED;
    }
}
