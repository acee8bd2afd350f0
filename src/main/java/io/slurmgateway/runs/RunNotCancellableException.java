package io.slurmgateway.runs;

import java.util.UUID;

/** Cancel asked of a run that has already ended. */
public class RunNotCancellableException extends RuntimeException {

    private final UUID runId;
    private final RunState state;

    public RunNotCancellableException(UUID runId, RunState state) {
        super("run " + runId + " has already ended in state " + state + " and cannot be cancelled");
        this.runId = runId;
        this.state = state;
    }

    public UUID runId() {
        return runId;
    }

    public RunState state() {
        return state;
    }
}
