package io.slurmgateway.runs;

import java.util.UUID;

/** A move the state table forbids, such as COMPLETED to RUNNING. */
public class IllegalRunTransitionException extends RuntimeException {

    private final UUID runId;
    private final RunState from;
    private final RunState to;

    public IllegalRunTransitionException(UUID runId, RunState from, RunState to) {
        super("run " + runId + " cannot move from " + from + " to " + to);
        this.runId = runId;
        this.from = from;
        this.to = to;
    }

    public UUID runId() {
        return runId;
    }

    public RunState from() {
        return from;
    }

    public RunState to() {
        return to;
    }
}
