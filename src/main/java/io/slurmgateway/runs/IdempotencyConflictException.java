package io.slurmgateway.runs;

import java.util.UUID;

/** An Idempotency-Key reused with a request body different from the one that created its run. */
public class IdempotencyConflictException extends RuntimeException {

    private final UUID existingRunId;

    public IdempotencyConflictException(UUID existingRunId) {
        super("this Idempotency-Key was first used with a different request body (run " + existingRunId + ")");
        this.existingRunId = existingRunId;
    }

    public UUID existingRunId() {
        return existingRunId;
    }
}
