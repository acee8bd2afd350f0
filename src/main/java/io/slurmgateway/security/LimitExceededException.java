package io.slurmgateway.security;

/** The caller has used up one of its limits; answered with 429 and {@code Retry-After}. */
public class LimitExceededException extends RuntimeException {

    private final long retryAfterSeconds;

    public LimitExceededException(String message, long retryAfterSeconds) {
        super(message);
        this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
