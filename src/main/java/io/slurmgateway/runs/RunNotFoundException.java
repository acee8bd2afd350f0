package io.slurmgateway.runs;

import java.util.UUID;

public class RunNotFoundException extends RuntimeException {

    private final UUID runId;

    public RunNotFoundException(UUID runId) {
        super("no run with id " + runId);
        this.runId = runId;
    }

    public UUID runId() {
        return runId;
    }
}
